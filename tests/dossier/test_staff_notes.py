"""Staff notes: the secretariat's internal thread on applications, initiatives and reports,
with emails to the colleagues named; reviewers read only the notes marked for them, on their
review page; grantees, the public, the API and the open data never read a note."""

from __future__ import annotations

import io
import json

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from grants.models import Initiative
from notifications.models import Notification, StaffNote
from notifications.services import StaffNoteError, staff_note_add
from organisations.models import User
from public.opendata.iati import write_activities
from public.opendata.threesixty import write_package
from tests.dossier.builders import pdf_text, reviewed_application, whole_life
from tests.grants.factories import applicant, secretariat_user

pytestmark = pytest.mark.django_db

SECRET = "Call the bank before paying: the account changed twice."
FOR_REVIEWERS = "Reviewers: the budget was revised on 3 March."


def change_url(obj) -> str:
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def notes_url(obj) -> str:
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_notes", args=[obj.pk])


def test_a_note_from_the_change_page_notifies_the_people_named(
    client, django_capture_on_commit_callbacks
):
    secretary = secretariat_user("sec@example.org", full_name="Sara Secretaria")
    application, reviewer, _conflicted = reviewed_application(secretary)
    bob = secretariat_user("bob.martin@example.org", full_name="Bob Martin")
    chloe = secretariat_user("chloe@example.org", full_name="Chloé Durand", language="fr")
    client.force_login(secretary)

    # The form offers the secretariat (never the reviewers) to notify.
    page = client.get(change_url(application))
    assert 'id="staff-notes"' in page.text
    assert "No note yet." in page.text
    form = page.text[page.text.index('id="staff-notes"') :]
    assert "Bob Martin" in form and "Rita Reviewer" not in form

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            notes_url(application),
            {
                "text": f"{SECRET} @bob.martin, and @rita (a reviewer: not emailed). @sec too.",
                "notify_people": [chloe.pk],
            },
        )
    assert response.status_code == 302
    assert response["Location"].endswith("#staff-notes")
    note = StaffNote.objects.get()
    assert note.author == secretary and not note.is_for_reviewers
    # Named in the list or with @, the author and the reviewer left out.
    assert set(note.mentioned.all()) == {bob, chloe}
    sent = Notification.objects.filter(kind="staff_note_mention")
    assert {n.recipient for n in sent} == {bob, chloe}
    assert {m.to[0] for m in mail.outbox if "note" in m.subject.lower() or "note" in m.body} >= {
        bob.email,
        chloe.email,
    }
    french = next(m for m in mail.outbox if m.to == [chloe.email])
    assert "Sara Secretaria" in french.subject and SECRET in french.body
    assert change_url(application).replace("/en/", "/fr/") in french.body

    # The thread, oldest first, with its author and time.
    staff_note_add(subject=application, author=bob, text="Second note.")
    page = client.get(change_url(application))
    assert page.text.index(SECRET) < page.text.index("Second note.")
    assert "Sara Secretaria" in page.text and "Bob Martin" in page.text


def test_a_note_refused_keeps_what_was_typed(client):
    secretary = secretariat_user("sec@example.org")
    application, _reviewer, _conflicted = reviewed_application(secretary)
    client.force_login(secretary)
    with translation.override("fr"):
        url = notes_url(application)
    response = client.post(url, {"text": "   "})
    assert response.status_code == 400
    assert "Rédigez la note avant de l’ajouter." in response.text  # the French page's message
    response = client.post(url, {"text": "Keep this text", "notify_people": ["999999"]})
    assert response.status_code == 400
    assert "Keep this text" in response.text
    assert not StaffNote.objects.exists()
    with pytest.raises(StaffNoteError):
        staff_note_add(subject=application, author=applicant(application), text="Hello")


def test_reviewers_read_only_the_notes_marked_for_them(client):
    secretary = secretariat_user("sec@example.org")
    application, reviewer, _conflicted = reviewed_application(secretary)
    staff_note_add(subject=application, author=secretary, text=SECRET)
    staff_note_add(subject=application, author=secretary, text=FOR_REVIEWERS, is_for_reviewers=True)
    assignment = application.assignments.get(reviewer=reviewer)
    client.force_login(reviewer)
    page = client.get(reverse("review:assignment", kwargs={"pk": assignment.pk}))
    assert page.status_code == 200
    assert FOR_REVIEWERS in page.text and SECRET not in page.text
    # A reviewer with a back-office account reads neither thread nor form there, nor writes.
    User.objects.filter(pk=reviewer.pk).update(is_staff=True)
    page = client.get(change_url(application))
    assert SECRET not in page.text and FOR_REVIEWERS not in page.text
    assert client.post(notes_url(application), {"text": "Mine"}).status_code == 404
    assert StaffNote.objects.count() == 2


def test_grantees_the_public_the_api_and_the_open_data_never_read_a_note(client):
    life = whole_life()
    Initiative.objects.filter(pk=life.initiative.pk).update(
        is_published=True, published_at=timezone.now()
    )
    initiative = Initiative.objects.select_related("edition").get(pk=life.initiative.pk)
    for subject in (life.application, initiative, life.report):
        staff_note_add(subject=subject, author=life.secretary, text=SECRET)
        staff_note_add(
            subject=subject, author=life.secretary, text=FOR_REVIEWERS, is_for_reviewers=True
        )

    # The secretariat reads them on each change page.
    client.force_login(life.secretary)
    for subject in (life.application, initiative, life.report):
        page = client.get(change_url(subject))
        assert page.status_code == 200 and SECRET in page.text and FOR_REVIEWERS in page.text

    def clean(text: str) -> None:
        assert SECRET not in text and FOR_REVIEWERS not in text

    # The grantee's pages and PDFs.
    client.force_login(life.member)
    for name, pk in (
        ("calls:application", life.application.pk),
        ("portal:report", life.report.pk),
        ("portal:workplan", initiative.pk),
        ("portal:agreement", initiative.pk),
    ):
        page = client.get(reverse(name, kwargs={"pk": pk}))
        assert page.status_code == 200, name
        clean(page.text)
    for name, pk in (
        ("calls:application_pdf", life.application.pk),
        ("portal:report_pdf", life.report.pk),
    ):
        clean(pdf_text(client.get(reverse(name, kwargs={"pk": pk})).content))
    clean(client.get(reverse("portal:home")).text)

    # The public site, the API and the open data.
    client.logout()
    page = client.get(
        reverse(
            "public:initiative",
            kwargs={
                "programme": initiative.edition.programme.slug,
                "edition": initiative.edition.slug,
                "slug": initiative.slug,
            },
        )
    )
    assert page.status_code == 200 and initiative.title in page.text
    clean(page.text)
    api = client.get("/api/v1/initiatives")
    assert api.status_code == 200
    assert [row["title"] for row in api.json()["results"]] == [initiative.title]
    clean(json.dumps(api.json(), ensure_ascii=False))
    package = io.StringIO()
    assert write_package(package) == 1
    clean(package.getvalue())
    activities = io.BytesIO()
    assert write_activities(activities) == 1
    clean(activities.getvalue().decode())


def test_the_pages_with_notes_are_valid_html(client, tmp_path):
    from tests.html_checker import vnu_errors

    life = whole_life()
    for subject in (life.application, life.initiative, life.report):
        staff_note_add(subject=subject, author=life.secretary, text=f"{SECRET}\n@nobody <b>")
    staff_note_add(
        subject=life.application, author=life.secretary, text=FOR_REVIEWERS, is_for_reviewers=True
    )
    pages = {}
    client.force_login(life.secretary)
    for subject in (life.application, life.initiative, life.report):
        pages[subject._meta.model_name] = client.get(change_url(subject))
    pages["refused"] = client.post(notes_url(life.application), {"text": ""})
    client.force_login(life.reviewer)
    assignment = life.application.assignments.get(reviewer=life.reviewer)
    pages["review"] = client.get(reverse("review:assignment", kwargs={"pk": assignment.pk}))
    files = []
    for name, response in pages.items():
        assert response.status_code in (200, 400), name
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(path)
    assert "&lt;b&gt;" in pages["application"].text  # typed text is escaped
    # Django's own admin widgets have a few known faults, outside the notes.
    admin_widgets = (
        "The first “option” element",
        "Element “option” without attribute “label”",
        "“hidden” must not have any “aria-*” attributes",
        "The value of the “for” attribute of the “label” element",
    )
    errors = [
        error
        for error in vnu_errors(files)
        if not (
            error.startswith(("application", "initiative", "report"))
            and any(known in error for known in admin_widgets)
        )
    ]
    assert errors == []
