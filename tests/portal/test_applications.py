"""The call pages: the public call page in every language, open or closed, and the applicant's
pages (start, save, submit, read, withdraw, documents), never another organisation's."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from grants import services
from grants.models import Application, ApplicationAttachment
from grants.workflow import ApplicationStatus
from tests.factories import EditionFactory, OrganisationFactory
from tests.grants.factories import (
    applicant,
    draft,
    eligible_answers,
    member_of,
    open_edition,
    submitted,
)

pytestmark = pytest.mark.django_db

A = ApplicationStatus
LANGUAGES = ["en", "fr", "es", "pt", "ru"]


def call_url(edition, language="en", name="public:call"):
    with translation.override(language):
        return reverse(name, kwargs={"slug": edition.slug})


# --- the public call page -----------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_call_page_in_every_language_with_apply_while_open(client, edition, language):
    response = client.get(call_url(edition, language))
    assert response.status_code == 200
    content = response.content.decode()
    assert f'<html lang="{language}">' in content
    assert call_url(edition, language, "calls:apply") in content
    assert "Europe/Paris" in content
    assert "Relevance" in content and "Feasibility" in content
    assert "Is your organisation a government body?" in content


def test_closed_call_says_so_and_offers_no_apply(client, edition):
    edition.application_opens_at = timezone.now() - datetime.timedelta(days=40)
    edition.application_closes_at = timezone.now() - datetime.timedelta(days=10)
    edition.save()
    content = client.get(call_url(edition)).content.decode()
    assert "Closed" in content and "This call closed on" in content
    assert call_url(edition, "en", "calls:apply") not in content
    # The apply address itself refuses, politely.
    client.force_login(member_of(OrganisationFactory()))
    response = client.get(call_url(edition, "en", "calls:apply"), follow=True)
    assert "This call closed on" in response.content.decode()


def test_upcoming_call(client, edition):
    edition.application_opens_at = timezone.now() + datetime.timedelta(days=3)
    edition.application_closes_at = timezone.now() + datetime.timedelta(days=30)
    edition.save()
    content = client.get(call_url(edition)).content.decode()
    assert "Opens soon" in content
    assert call_url(edition, "en", "calls:apply") not in content


def test_deadline_in_the_calls_time_zone(client, edition):
    edition.application_closes_at = datetime.datetime(2099, 3, 31, 21, 59, tzinfo=datetime.UTC)
    edition.application_time_zone = "Europe/Paris"
    edition.save()
    content = client.get(call_url(edition)).content.decode()
    assert "March 31, 2099, 11:59 p.m. (Europe/Paris)" in content


def test_no_call_page_without_a_window_or_unpublished(client):
    assert client.get(call_url(EditionFactory())).status_code == 404
    hidden = open_edition(is_published=False)
    assert client.get(call_url(hidden)).status_code == 404


def test_edition_page_links_to_its_call(client, edition):
    content = client.get(edition.get_absolute_url()).content.decode()
    assert call_url(edition) in content
    without = EditionFactory()
    assert f"/calls/{without.slug}/" not in client.get(without.get_absolute_url()).content.decode()


def test_calls_index_lists_open_calls(client, edition):
    content = client.get(reverse("public:calls")).content.decode()
    assert edition.title_en in content and "Open" in content


# --- starting -----------------------------------------------------------------------------------


def test_anonymous_apply_offers_login_or_registration(client, edition):
    content = client.get(call_url(edition, "en", "calls:apply")).content.decode()
    assert reverse("calls:register", kwargs={"slug": edition.slug}) in content
    assert f"{reverse('accounts:login')}?next=" in content


def start_data(edition, organisation, **answers):
    data = {"organisation": organisation.pk, "title": "Peer support", "language": "es"}
    for question_id, answer in (answers or eligible_answers(edition)).items():
        data[f"question_{question_id}"] = "yes" if answer else "no"
    return data


def test_ineligible_answers_stop_politely_and_record_nothing(client, edition):
    organisation = OrganisationFactory()
    client.force_login(member_of(organisation))
    government = edition.eligibility_questions.get(required_answer=False)
    answers = {**eligible_answers(edition), str(government.pk): True}
    response = client.post(
        call_url(edition, "en", "calls:apply"), start_data(edition, organisation, **answers)
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Government bodies cannot apply." in content
    assert "Nothing was recorded" in content
    assert not Application.objects.exists()


def test_starting_creates_a_draft_and_a_second_start_leads_to_it(client, edition):
    organisation = OrganisationFactory()
    client.force_login(member_of(organisation))
    url = call_url(edition, "en", "calls:apply")
    page = client.get(url).content.decode()
    assert organisation.name in page
    response = client.post(url, start_data(edition, organisation))
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("calls:edit", kwargs={"pk": application.pk})
    assert (application.title, application.language, application.status) == (
        "Peer support",
        "es",
        A.DRAFT,
    )
    again = client.post(url, start_data(edition, organisation), follow=True)
    assert "already has an application" in again.content.decode()
    assert Application.objects.count() == 1


def test_no_organisation_yet(client, edition):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    content = client.get(call_url(edition, "en", "calls:apply")).content.decode()
    assert "not a member of any organisation" in content


# --- the application form -----------------------------------------------------------------------


def form_data(page: str, **values) -> dict:
    """The fields of the application form as the browser would send them."""
    data = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page):
        data[name] = value
    data.update(values)
    return data


def edit_url(application) -> str:
    return reverse("calls:edit", kwargs={"pk": application.pk})


def test_save_draft_keeps_a_partial_application(client, started):
    page = client.get(edit_url(started)).content.decode()
    assert 'name="lines-TOTAL_FORMS" value="4"' in page
    data = form_data(page, title="Peer support", summary="Half written", action="save")
    data["lines-0-title"] = "Workshops"
    response = client.post(edit_url(started), data)
    assert response.status_code == 302
    started.refresh_from_db()
    assert started.summary == "Half written"
    assert started.lines_of_action == [{"title": "Workshops", "description": ""}]
    assert started.status == A.DRAFT
    assert started.version == 2


def test_submit_incomplete_shows_what_is_missing_and_keeps_the_draft(client, started):
    page = client.get(edit_url(started)).content.decode()
    response = client.post(
        edit_url(started), form_data(page, title="Peer support", summary="Typed", action="submit")
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Before you can submit" in content
    assert "Choose at least one country." in content
    assert "Describe at least one line of action." in content
    assert "Typed" in content
    started.refresh_from_db()
    assert started.summary == "Typed" and started.status == A.DRAFT


def complete_post(page: str, edition, **extra) -> dict:
    data = form_data(
        page,
        title="Peer support",
        language="en",
        summary="Peer workshops.",
        countries=["BO"],
        places="La Paz",
        themes=[edition.themes.first().pk],
        expected_results="Forty trained peers.",
        requested_amount="4500",
        budget_outline="Venue, travel.",
        **{"lines-0-title": "Workshops", "lines-0-description": "Six of them."},
        **extra,
    )
    return data


def test_submit_a_complete_application(
    client, started, edition, django_capture_on_commit_callbacks
):
    page = client.get(edit_url(started)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit_url(started), complete_post(page, edition, action="submit"))
    assert response.status_code == 302
    assert response["Location"] == reverse("calls:application", kwargs={"pk": started.pk})
    started.refresh_from_db()
    assert started.status == A.SUBMITTED
    # Read-only from now on: the form sends the applicant to the submitted application.
    assert client.get(edit_url(started)).status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert "Forty trained peers." in detail and "Submitted" in detail
    assert 'name="summary"' not in detail


def test_a_stale_form_is_refused_and_what_was_typed_is_shown(client, started, edition):
    page = client.get(edit_url(started)).content.decode()
    services.application_update(
        application=started, actor=applicant(started), data={"summary": "Colleague"}, version=1
    )
    response = client.post(edit_url(started), form_data(page, summary="Mine", action="save"))
    assert response.status_code == 409
    content = response.content.decode()
    assert "Someone else saved this application" in content
    assert "Mine" in content
    started.refresh_from_db()
    assert started.summary == "Colleague"


def test_deadline_passed_on_the_form(client, started, edition):
    page = client.get(edit_url(started)).content.decode()
    edition.application_opens_at = timezone.now() - datetime.timedelta(days=40)
    edition.application_closes_at = timezone.now() - datetime.timedelta(minutes=5)
    edition.save()
    response = client.post(edit_url(started), complete_post(page, edition, action="submit"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "This call closed on" in content and "Your draft is kept" in content
    started.refresh_from_db()
    assert started.status == A.DRAFT
    assert started.summary == "Peer workshops."  # saved all the same


def test_documents_upload_download_and_remove(client, started, edition):
    page = client.get(edit_url(started)).content.decode()
    upload = SimpleUploadedFile("budget.pdf", b"%PDF-1.4 budget", content_type="application/pdf")
    response = client.post(
        edit_url(started),
        form_data(page, action="save", file=upload, file_description="Detailed budget"),
    )
    assert response.status_code == 302
    attachment = ApplicationAttachment.objects.get()
    download = client.get(
        reverse("calls:attachment", kwargs={"pk": started.pk, "attachment_pk": attachment.pk})
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 budget"
    assert "attachment" in download["Content-Disposition"]
    page = client.get(edit_url(started)).content.decode()
    assert "Detailed budget" in page
    assert attachment.file.name not in page  # never the stored path

    fake = SimpleUploadedFile("notes.pdf", b"just text", content_type="application/pdf")
    response = client.post(edit_url(started), form_data(page, action="save", file=fake))
    assert response.status_code == 200
    assert "is not a file we accept" in response.content.decode()

    response = client.post(
        reverse(
            "calls:attachment_delete", kwargs={"pk": started.pk, "attachment_pk": attachment.pk}
        )
    )
    assert response.status_code == 302
    assert not ApplicationAttachment.objects.exists()


def test_withdraw_from_the_page(client, edition):
    application = submitted(edition)
    client.force_login(applicant(application))
    url = reverse("calls:withdraw", kwargs={"pk": application.pk})
    assert client.get(url).status_code == 200
    response = client.post(url, {"comment": ""})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == A.WITHDRAWN


# --- one organisation never sees another's ------------------------------------------------------


def test_another_organisations_application_is_a_404(client, edition):
    theirs = draft(edition)
    document = services.attachment_add(
        application=theirs,
        actor=applicant(theirs),
        upload=SimpleUploadedFile("theirs.pdf", b"%PDF-1.4"),
    )
    mine = OrganisationFactory()
    client.force_login(member_of(mine))
    urls = [
        reverse("calls:application", kwargs={"pk": theirs.pk}),
        reverse("calls:edit", kwargs={"pk": theirs.pk}),
        reverse("calls:eligibility", kwargs={"pk": theirs.pk}),
        reverse("calls:withdraw", kwargs={"pk": theirs.pk}),
        reverse("calls:attachment", kwargs={"pk": theirs.pk, "attachment_pk": document.pk}),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("calls:withdraw", kwargs={"pk": theirs.pk})).status_code == 404
    assert (
        client.post(
            reverse(
                "calls:attachment_delete", kwargs={"pk": theirs.pk, "attachment_pk": document.pk}
            )
        ).status_code
        == 404
    )
    assert theirs.title not in client.get(reverse("calls:applications")).content.decode()
    theirs.refresh_from_db()
    assert theirs.status == A.DRAFT


def test_applicant_pages_need_a_login(client, edition):
    application = draft(edition)
    for url in (
        reverse("calls:applications"),
        reverse("calls:application", kwargs={"pk": application.pk}),
        reverse("calls:edit", kwargs={"pk": application.pk}),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_my_applications_costs_the_same_with_more_applications(client, edition):
    organisation = OrganisationFactory()
    member = member_of(organisation)
    client.force_login(member)
    draft(edition, organisation, actor=member)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("calls:applications"))
        assert response.status_code == 200
        return len(captured)

    once = queries()
    edition.allow_multiple_applications = True
    edition.save()
    for _n in range(5):
        draft(edition, organisation, actor=member)
        draft(open_edition(), organisation, actor=member)
    assert queries() == once
