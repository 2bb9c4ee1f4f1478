"""The light track through its pages: the one-page form in the applicant's language, the emailed
link, the back office's bulk actions (decide, verify, payment file, the bank's return file,
reports), and the public map of the day with the at-risk mode."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from core.money import format_money
from grants.models import LightApplication, PaymentBatch
from grants.workflow import LightPaymentStatus, LightReportStatus, LightStatus
from notifications.models import Notification
from tests.grants.factories import secretariat_user
from tests.grants.light import PNG, form_data, layout, light_edition, reason, refresh

pytestmark = pytest.mark.django_db


def post_form(client, edition, language="pt", **overrides):
    data = {**form_data(0, **overrides), "email": "grupo@example.org", "language": language}
    data["action_date"] = data["action_date"].isoformat()
    with translation.override(language):
        url = reverse("calls:light_apply", kwargs={"slug": edition.slug})
    return client.post(url, data)


def said(response) -> str:
    return " | ".join(str(m) for m in get_messages(response.wsgi_request))


def action(client, name: str, objects, **extra):
    return client.post(
        reverse("admin:grants_lightapplication_changelist"),
        {"action": name, "_selected_action": [o.pk for o in objects], **extra},
        follow=True,
    )


def test_the_full_track_apply_button_leads_a_light_edition_to_the_one_page_form(client):
    edition = light_edition()
    response = client.get(reverse("calls:apply", kwargs={"slug": edition.slug}))
    assert response.status_code == 302
    assert response["Location"] == reverse("calls:light_apply", kwargs={"slug": edition.slug})
    assert client.get(response["Location"]).status_code == 200


def test_over_the_ceiling_the_form_says_the_ceiling_in_portuguese_and_keeps_what_was_typed(
    client,
):
    edition = light_edition(grant_maximum=Decimal("1500"))
    response = post_form(client, edition, amount="1600")
    assert response.status_code == 200
    with translation.override("pt"):
        ceiling = format_money(Decimal("1500"), "USD")
    assert ceiling in response.content.decode()
    assert "Group 0" in response.content.decode()  # what was typed is still there
    assert not LightApplication.objects.exists()


def test_apply_confirm_and_come_back_through_the_emailed_link(client):
    edition = light_edition()
    response = post_form(client, edition)
    assert response.status_code == 200
    application = LightApplication.objects.get()
    assert application.status == LightStatus.UNCONFIRMED and application.language == "pt"
    notice = Notification.objects.get(kind="light_confirm_email")
    assert notice.language == "pt" and notice.path.startswith("/pt/")
    # Opening the link confirms nothing (a mail scanner); the button does.
    assert client.get(notice.path).status_code == 200
    assert refresh(application.pk).status == LightStatus.UNCONFIRMED
    page = client.post(notice.path, follow=True)
    assert refresh(application.pk).status == LightStatus.RECEIVED
    assert page.status_code == 200 and page["Referrer-Policy"] == "same-origin"
    # A link with a wrong signature is a 404.
    wrong = application.get_absolute_url().rstrip("/") + "x/"
    assert client.get(wrong).status_code == 404


def test_the_back_office_takes_a_batch_from_decision_to_payment(client):
    edition = light_edition()
    secretary = secretariat_user()
    for n in range(3):
        post_form(client, edition, group_name=f"Grupo {n}")
    for notice in Notification.objects.filter(kind="light_confirm_email"):
        client.post(notice.path)
    applications = list(LightApplication.objects.order_by("pk"))
    client.force_login(secretary)
    assert client.get(reverse("admin:grants_lightapplication_changelist")).status_code == 200
    response = action(client, "approve", applications[:2])
    assert "2" in said(response)
    # Declining asks for the reason first.
    why = reason()
    page = action(client, "decline", applications[2:])
    assert "reason" in page.content.decode()
    action(client, "decline", applications[2:], apply="1", reason=why.pk)
    assert refresh(applications[2].pk).decline_reason == why
    # The grantees accept their agreement through their link.
    for grant in applications[:2]:
        client.post(reverse("calls:light_agreement", kwargs={"token": grant.token}))
    # Their pages speak their language; the secretariat's next pages are read in English.
    translation.activate("en")
    # A file with unverified details is refused, and nothing is made.
    chosen = layout()
    response = action(client, "make_payment_file", applications[:2], apply="1", layout=chosen.pk)
    assert "not verified" in said(response)
    assert not PaymentBatch.objects.exists()
    action(client, "verify_payees", applications[:2])
    response = action(client, "make_payment_file", applications[:2], apply="1", layout=chosen.pk)
    assert response["Content-Disposition"].startswith('attachment; filename="payments-')
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("Reference,Account holder") and len(lines) == 3
    batch = PaymentBatch.objects.get()
    # The bank's return file, uploaded on the batch's page.
    csv_text = "reference,bank_reference,paid_on,exchange_rate,fees\n" + "".join(
        f"{g.reference},B{g.pk},{timezone.localdate().isoformat()},1,0\n" for g in applications[:2]
    )
    url = reverse("admin:grants_paymentbatch_return", args=[batch.pk])
    assert client.get(url).status_code == 200
    upload = SimpleUploadedFile("return.csv", csv_text.encode(), content_type="text/csv")
    response = client.post(url, {"file": upload}, follow=True)
    assert "2" in said(response)
    assert {refresh(g.pk).payment_status for g in applications[:2]} == {LightPaymentStatus.PAID}
    # The same file again is refused: no grant is paid twice.
    upload = SimpleUploadedFile("return.csv", csv_text.encode(), content_type="text/csv")
    response = client.post(url, {"file": upload})
    assert response.status_code == 200 and "paid once" in response.content.decode()
    assert client.get(reverse("admin:grants_paymentbatch_file", args=[batch.pk])).status_code == 200


def approved_and_reported(client, edition, secretary, n=0, *, at_risk=False, consent=True):
    from tests.grants.light import received

    grant = received(edition, n, email=f"g{n}@example.org")
    client.force_login(secretary)
    action(client, "approve", [grant])
    client.logout()
    if at_risk:
        LightApplication.objects.filter(pk=grant.pk).update(is_at_risk=True)
    photo = SimpleUploadedFile("day.png", PNG, content_type="image/png")
    response = client.post(
        reverse("calls:light_report", kwargs={"token": grant.token}),
        {
            "text": "We held the action.",
            "participants": "75",
            "link": "https://example.org/post",
            "photo": photo,
            "caption": f"Action {n}",
            "consent": "on" if consent else "",
        },
        follow=True,
    )
    assert refresh(grant.pk).report_status == LightReportStatus.SUBMITTED, response.content
    client.force_login(secretary)
    action(client, "accept_reports", [grant])
    client.logout()
    return refresh(grant.pk)


def test_the_secretariat_alone_opens_the_private_photos_of_a_report(client):
    from grants.models import LightPhoto
    from tests.factories import UserFactory

    edition = light_edition()
    secretary = secretariat_user()
    approved_and_reported(client, edition, secretary, 0, consent=False)
    photo = LightPhoto.objects.get()
    url = reverse("admin:grants_lightphoto_file", args=[photo.pk])
    assert "/media/" not in client.get(edition.get_absolute_url()).content.decode()
    assert client.get(url).status_code == 302  # to the back office's login
    client.force_login(UserFactory(is_staff=True))
    assert client.get(url).status_code in (302, 403)
    client.force_login(secretary)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert "no-store" in response["Cache-Control"]
    page = client.get(reverse("admin:grants_lightapplication_change", args=[photo.application_id]))
    assert url in page.content.decode() and photo.image.name not in page.content.decode()


def test_the_public_map_shows_accepted_actions_and_hides_those_at_risk(client):
    edition = light_edition()
    secretary = secretariat_user()
    shown = approved_and_reported(client, edition, secretary, 0)
    hidden = approved_and_reported(client, edition, secretary, 1, at_risk=True)
    page = client.get(edition.get_absolute_url())
    html = page.content.decode()
    assert (
        reverse(
            "public:actions_map",
            kwargs={"programme": edition.programme.slug, "edition": edition.slug},
        )
        in html
    )
    assert shown.city in html and shown.group_name in html and "Action 0" in html
    assert hidden.city not in html and hidden.group_name not in html
    assert "Action 1" not in html and "A community organisation in" in html
    svg = client.get(
        reverse(
            "public:actions_map",
            kwargs={"programme": edition.programme.slug, "edition": edition.slug},
        )
    )
    assert svg["Content-Type"] == "image/svg+xml"
    body = svg.content.decode()
    assert "<script" not in body
    assert re.search(r'class="br country[^"]*color-0', body)  # Brazil coloured, one series


def test_the_edition_page_takes_the_same_queries_whatever_the_number_of_actions(
    client, django_assert_max_num_queries
):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    edition = light_edition()
    secretary = secretariat_user()
    counts = []
    for n in (0, 1, 2):
        approved_and_reported(client, edition, secretary, n)
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(edition.get_absolute_url()).status_code == 200
        counts.append(len(queries))
    assert counts[1] == counts[2], counts


def test_one_network_cannot_flood_the_form(client, monkeypatch):
    from portal.views import light

    monkeypatch.setattr(light, "APPLY_LIMIT", 1)
    edition = light_edition()
    post_form(client, edition, language="en")
    response = post_form(client, edition, language="en", group_name="Another")
    assert response.status_code == 200
    assert "Too many applications" in response.content.decode()
    assert LightApplication.objects.count() == 1


def test_a_value_that_would_run_as_a_formula_in_the_banks_spreadsheet_is_refused(client):
    edition = light_edition()
    response = post_form(client, edition, language="en", account_holder="=HYPERLINK(1)")
    assert response.status_code == 200
    assert "not with =" in response.content.decode()
    assert not LightApplication.objects.exists()
