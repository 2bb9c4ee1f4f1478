"""A grantee joins through an invitation and reports; the secretariat asks for changes, then
accepts: in headless Chromium, with screenshots in test-artifacts/."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from django.core import mail
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from organisations.models import User
from organisations.services import invitation_create
from organisations.twofactor import requires_two_factor
from reports.models import Attachment, Report
from reports.services import schedule_reports
from tests.e2e.axe import axe_violations
from tests.factories import EditionFactory
from tests.portal.access import build_world
from tests.portal.factories import (
    PASSWORD,
    approved_initiative,
    make_member,
    make_organisation,
    make_secretary,
)
from tests.portal.test_html_validity import portal_pages
from tests.twofactor import authenticator, give_code_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def programme(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    organisation = make_organisation(name="Acción Andina")
    founder = make_member(organisation, email="founder@example.org", full_name="Rosa Founder")
    secretary = make_secretary(email="secretariat@example.org")
    today = timezone.localdate()
    edition = EditionFactory(
        year=today.year,
        slug=str(today.year),
        period_start=today - datetime.timedelta(days=150),
        period_end=today + datetime.timedelta(days=200),
    )
    initiative = approved_initiative(
        organisation, founder, secretary, edition=edition, title_en="Rights in the Andes"
    )
    report = schedule_reports(initiative=initiative)[0]
    mail.outbox.clear()
    invitation_create(
        organisation=organisation, email="maria@example.org", invited_by=secretary, language="en"
    )
    link = re.search(r"(/en/accounts/invitations/\S+/)", mail.outbox[-1].body).group(1)
    return {"report": report, "link": link, "initiative": initiative}


def shot(page, artifacts, name: str) -> None:
    page.screenshot(path=str(artifacts / f"portal-{name}.png"), full_page=True)


def log_in(page, base: str, email: str) -> None:
    user = User.objects.get(email=email)
    staff = requires_two_factor(user)
    if staff:
        authenticator(user)  # staff give a code from their app after the password
    page.goto(f"{base}/en/accounts/login/")
    page.locator("main").get_by_label("Email address").fill(email)
    page.locator("main").get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Log in").click()
    if staff:
        give_code_in_browser(page, user)
    page.wait_for_url("**/portal/")


def test_invitation_report_review_and_acceptance(
    new_page, live_server, programme, artifacts, tmp_path
):
    base = live_server.url
    report = programme["report"]
    accessibility = {}
    grantee = new_page()

    # 1. María accepts the invitation and sets her password.
    grantee.goto(base + programme["link"])
    grantee.locator("main").get_by_label("Your name").fill("María Quispe")
    grantee.locator("main").get_by_label("Language").select_option("en")
    grantee.locator("#id_password1").fill("a-long-portal-password")
    grantee.locator("main").get_by_label("Password again").fill("a-long-portal-password")
    shot(grantee, artifacts, "01-invitation")
    grantee.get_by_role("button", name="Join the organisation").click()
    grantee.wait_for_url("**/en/portal/")
    assert "Welcome! You are now a member of Acción Andina." in grantee.content()
    accessibility["home"] = axe_violations(grantee)
    shot(grantee, artifacts, "02-home")

    # 2. She starts the interim report and saves a draft.
    grantee.get_by_role("link", name="Interim report").first.click()
    grantee.get_by_role("link", name="Start writing the report").click()
    grantee.locator("main").get_by_label("Training").fill(
        "We trained forty peer educators in El Alto."
    )
    grantee.locator("main").get_by_label("Advocacy").fill("We met three members of parliament.")
    for select in grantee.locator("select[name$='_status']").all():
        select.select_option("done")
    for field in grantee.locator("input[name$='_percent']").all():
        field.fill("100")
    grantee.locator("input[name$='_value']").first.fill("38")
    for field in grantee.locator("input[name$='_amount']").all():
        field.fill("1200")
    grantee.get_by_role("textbox", name="Challenges").fill("The rains came early.")
    grantee.get_by_role("textbox", name="Highlights").fill("Forty people trained.")
    accessibility["report form"] = axe_violations(grantee)
    grantee.get_by_role("button", name="Save the draft").click()
    assert "Your draft was saved." in grantee.content()
    shot(grantee, artifacts, "03-draft-saved")

    # 3. A photo, with its caption and the consent to publish it.
    photo = tmp_path / "workshop.jpg"
    Image.new("RGB", (800, 500), (40, 120, 180)).save(photo, format="JPEG")
    grantee.get_by_role("link", name="Files and photos").first.click()
    grantee.locator("main").get_by_label("File or photo").set_input_files(str(photo))
    grantee.locator("main").get_by_label("Caption").fill("The workshop in El Alto")
    grantee.locator("main").get_by_label(
        "The people shown agreed that this photo may be published"
    ).check()
    grantee.get_by_role("button", name="Add the file").click()
    assert "“workshop.jpg” was added." in grantee.content()
    photo_shown = grantee.locator("img[alt='The workshop in El Alto']")
    photo_shown.scroll_into_view_if_needed()
    # Served through the checked view, and readable as an image (re-encoded, same size).
    expect(photo_shown).to_have_js_property("naturalWidth", 800)
    accessibility["files"] = axe_violations(grantee)
    shot(grantee, artifacts, "04-photo")

    # 4. She comes back later: the draft is there. She completes it and submits.
    grantee.goto(f"{base}/en/portal/")
    grantee.goto(f"{base}/en/portal/reports/{report.pk}/edit/")
    assert (
        grantee.get_by_role("textbox", name="Challenges").input_value() == "The rains came early."
    )
    grantee.get_by_role("textbox", name="Lessons learned").fill(
        "Plan the workshops for the dry season."
    )
    grantee.get_by_role("button", name="Save and submit to the secretariat").click()
    assert "Your report was sent to the secretariat" in grantee.content()
    shot(grantee, artifacts, "05-submitted")

    # 5. The secretariat asks for changes, with a comment on the spending.
    secretariat = new_page()
    log_in(secretariat, base, "secretariat@example.org")
    # The portal leads the secretariat to what waits for it, and from there to the review.
    secretariat.get_by_role("link", name="What waits for the secretariat").click()
    secretariat.get_by_role("link", name=re.compile("Interim report — Rights in the Andes")).click()
    secretariat.locator("main").get_by_label("Comment on “Spending”").fill(
        "Which receipts cover the venue?"
    )
    secretariat.locator("main").get_by_label("General comment").fill("Nearly there, thank you.")
    accessibility["review"] = axe_violations(secretariat)
    shot(secretariat, artifacts, "06-review")
    secretariat.get_by_role("button", name="Request changes").click()
    assert "The report was sent back for changes." in secretariat.content()

    # 6. María sees the comments where they apply, answers and submits again.
    grantee.goto(f"{base}/en/portal/reports/{report.pk}/edit/")
    assert "Which receipts cover the venue?" in grantee.content()
    shot(grantee, artifacts, "07-changes-requested")
    grantee.locator("textarea[name$='_note']").last.fill("Receipts 12 to 19, sent by post.")
    grantee.get_by_role("button", name="Save and submit to the secretariat").click()
    assert "Your report was sent to the secretariat" in grantee.content()

    # 7. The secretariat compares the versions, then accepts.
    secretariat.goto(f"{base}/en/portal/reports/{report.pk}/versions/")
    secretariat.get_by_role("button", name="Compare").click()
    assert "Receipts 12 to 19" in secretariat.locator("ins").all_inner_texts()[-1]
    shot(secretariat, artifacts, "08-versions")
    secretariat.goto(f"{base}/en/secretariat/reports/{report.pk}/review/")
    secretariat.get_by_role("button", name="Accept the report").click()
    assert "The report was accepted." in secretariat.content()

    # 8. María sees it accepted and read-only.
    grantee.goto(f"{base}/en/portal/reports/{report.pk}/")
    content = grantee.content()
    assert "The secretariat accepted this report" in content
    assert grantee.get_by_role("link", name="Write").count() == 0
    grantee.goto(f"{base}/en/portal/reports/{report.pk}/edit/")
    assert grantee.url.endswith(f"/en/portal/reports/{report.pk}/")
    assert "it can no longer be changed" in grantee.content()
    shot(grantee, artifacts, "09-accepted")

    report.refresh_from_db()
    assert report.status == "accepted"
    assert [row.to_status for row in report.history.order_by("pk")] == [
        "draft",
        "submitted",
        "changes_requested",
        "submitted",
        "accepted",
    ]
    photo_row = Attachment.objects.get(report=report)
    assert (photo_row.caption, photo_row.is_publishable) == ("The workshop in El Alto", True)
    assert Report.objects.get(pk=report.pk).versions.count() >= 4
    failures = {name: found for name, found in accessibility.items() if found}
    assert failures == {}, json.dumps(failures, indent=1)


def test_the_report_form_fits_a_phone(new_page, live_server, programme, artifacts):
    report = programme["report"]
    member = programme["initiative"].lead_organisation.memberships.first().user
    page = new_page(viewport={"width": 360, "height": 740}, is_mobile=True)
    log_in(page, live_server.url, member.email)
    for path in (
        "/en/portal/",
        f"/en/portal/reports/{report.pk}/edit/",
        f"/en/portal/initiatives/{report.initiative_id}/workplan/",
    ):
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
    page.goto(f"{live_server.url}/en/portal/reports/{report.pk}/edit/")
    page.screenshot(path=str(artifacts / "portal-phone-report.png"), full_page=False)


def test_every_portal_page_passes_axe(new_page, live_server, transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    pages = portal_pages(build_world())
    failures = {}
    browsers = {}
    for name, (user, path) in pages.items():
        if user.pk not in browsers:
            browsers[user.pk] = new_page()
            log_in(browsers[user.pk], live_server.url, user.email)
        page = browsers[user.pk]
        page.goto(live_server.url + path)
        found = axe_violations(page)
        if found:
            failures[name] = found
    assert failures == {}, json.dumps(failures, indent=1)
