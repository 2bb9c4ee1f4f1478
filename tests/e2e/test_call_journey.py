"""A call from end to end in headless Chromium: an organisation registers, confirms its address,
applies (draft, then submit); the secretariat screens and assigns a reviewer; the reviewer
declares no conflict and scores; the secretariat approves from the ranking; the new initiative
waits in the back office, unpublished, ready to publish."""

import json
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from grants.models import Application, Initiative
from organisations.models import User
from tests.e2e.axe import axe_violations
from tests.grants.factories import PASSWORD, open_edition, reviewer_user, secretariat_user
from tests.twofactor import authenticator, give_code_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def call(live_server, settings):
    settings.SITE_URL = live_server.url
    edition = open_edition(title_en="Initiatives Programme 2026")
    secretary = secretariat_user(email="secretariat@example.org")
    secretary.set_password(PASSWORD)
    secretary.save()
    reviewer = reviewer_user(email="panel@example.org", full_name="Pat Panel")
    reviewer.set_password(PASSWORD)
    reviewer.save()
    authenticator(secretary)  # staff give a code from their app after the password
    authenticator(reviewer)
    return edition


def log_in_to_admin(page, base: str) -> None:
    page.goto(f"{base}/en/admin/login/")
    page.fill("input[name=username]", "secretariat@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit]")
    give_code_in_browser(page, User.objects.get(email="secretariat@example.org"))
    page.wait_for_url("**/en/admin/")


def run_action(page, label: str) -> None:
    page.check("input[name=_selected_action]")
    page.select_option("select[name=action]", label=label)
    page.click("button[name=index]")


def test_register_apply_review_and_award(browser, page, live_server, call, artifacts):
    base = live_server.url
    edition = call
    accessibility = {}

    def check(name: str, on_page) -> None:
        violations = axe_violations(on_page)
        if violations:
            accessibility[name] = violations

    # --- the call page, and registering ------------------------------------------------------
    page.goto(f"{base}/en/calls/{edition.slug}/")
    expect(page.get_by_role("heading", name="Initiatives Programme 2026")).to_be_visible()
    assert page.get_by_text("(Europe/Paris)").first.is_visible()
    page.screenshot(path=str(artifacts / "call-page.png"), full_page=True)
    check("call", page)
    page.get_by_role("link", name="Apply", exact=True).click()
    page.get_by_role("link", name="Register your organisation").click()
    page.fill("input[name=name]", "Colectivo Nueva Luz")
    page.select_option("select[name=kind]", "community")
    page.select_option("select[name=country]", "BO")
    page.fill("input[name=city]", "Cochabamba")
    page.select_option("select[name=original_language]", "en")
    page.fill("textarea[name=description]", "A collective of people who use drugs.")
    page.fill("input[name=full_name]", "Rosa Mamani")
    page.fill("input[name=contact_email]", "rosa@example.org")
    page.select_option("select[name=language]", "en")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.screenshot(path=str(artifacts / "call-register.png"), full_page=True)
    check("register", page)
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()

    link = re.search(r"(http://\S+/calls/confirm/\S+)", mail.outbox[-1].body).group(1)
    page.goto(link)
    page.wait_for_url(f"**/en/calls/{edition.slug}/apply/")
    expect(page.get_by_text("Your email address is confirmed")).to_be_visible()

    # --- eligibility, draft, submit -----------------------------------------------------------
    page.fill("input[name=title]", "Peer support in Cochabamba")
    for question in edition.eligibility_questions.all():
        answer = "yes" if question.required_answer else "no"
        page.check(f"input[name=question_{question.pk}][value={answer}]")
    page.screenshot(path=str(artifacts / "call-eligibility.png"), full_page=True)
    check("eligibility", page)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/en/calls/applications/*/edit/")

    page.fill("textarea[name=summary]", "Peer workshops and a campaign on harm reduction.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Your draft is saved.")).to_be_visible()
    assert page.locator("textarea[name=summary]").input_value().startswith("Peer workshops")

    page.select_option("select[name=countries]", ["BO"])
    page.fill("input[name=places]", "Cochabamba, El Alto")
    page.locator("input[name=themes]").first.check()
    page.fill("input[name=lines-0-title]", "Peer workshops")
    page.fill("textarea[name=lines-0-description]", "Six workshops with peers.")
    page.fill("textarea[name=expected_results]", "Forty trained peers.")
    page.fill("input[name=requested_amount]", "4800")
    page.fill("textarea[name=budget_outline]", "Venue 1,000; travel 2,000; materials 1,800.")
    page.get_by_role("button", name="Save draft").click()
    page.screenshot(path=str(artifacts / "call-draft.png"), full_page=True)
    check("application form", page)
    page.get_by_role("button", name="Submit the application").click()
    page.wait_for_url("**/en/calls/applications/*/")
    expect(page.get_by_text("Your application is submitted.")).to_be_visible()
    page.screenshot(path=str(artifacts / "call-submitted.png"), full_page=True)
    check("submitted application", page)
    application = Application.objects.get()
    assert application.status == "submitted"

    # --- the secretariat screens and assigns -------------------------------------------------
    secretariat = browser.new_context(viewport={"width": 1400, "height": 900})
    office = secretariat.new_page()
    log_in_to_admin(office, base)
    office.goto(f"{base}/en/admin/grants/application/")
    run_action(office, "Screen: eligible, send to review")
    expect(office.get_by_text("1 application(s) sent to review.")).to_be_visible()
    run_action(office, "Assign reviewers…")
    office.fill("input[name=per_application]", "1")
    office.screenshot(path=str(artifacts / "call-assign.png"), full_page=True)
    office.get_by_role("button", name="Assign").click()
    expect(office.get_by_text("1 assignment(s) made.")).to_be_visible()

    # --- the reviewer declares no conflict and scores -----------------------------------------
    panel = browser.new_context(viewport={"width": 1280, "height": 900})
    reviewer = panel.new_page()
    reviewer.goto(f"{base}/en/accounts/login/")
    reviewer.fill("input[name=username]", "panel@example.org")
    reviewer.fill("input[name=password]", PASSWORD)
    reviewer.get_by_role("button", name="Log in").click()
    give_code_in_browser(reviewer, User.objects.get(email="panel@example.org"))
    reviewer.wait_for_url("**/en/portal/")
    reviewer.goto(f"{base}/en/review/")
    reviewer.get_by_role("link", name=re.compile("Peer support in Cochabamba")).click()
    expect(reviewer.get_by_role("heading", name="Conflict of interest")).to_be_visible()
    assert reviewer.get_by_text("Six workshops with peers.").count() == 0
    reviewer.screenshot(path=str(artifacts / "call-conflict.png"), full_page=True)
    check("conflict", reviewer)
    reviewer.check("input[name=conflict][value=none]")
    reviewer.get_by_role("button", name="Declare").click()
    expect(reviewer.get_by_text("Six workshops with peers.")).to_be_visible()
    relevance, feasibility = edition.criteria.order_by("order")
    reviewer.select_option(f"select[name=criterion_{relevance.pk}]", "5")
    reviewer.select_option(f"select[name=criterion_{feasibility.pk}]", "4")
    reviewer.check("input[name=recommendation][value=yes]")
    reviewer.fill("textarea[name=comment]", "Clear, community-led, realistic.")
    reviewer.screenshot(path=str(artifacts / "call-review.png"), full_page=True)
    check("review", reviewer)
    reviewer.get_by_role("button", name="Submit the review").click()
    expect(reviewer.get_by_text("Your review is submitted.")).to_be_visible()
    panel.close()

    # --- the secretariat approves from the ranking ------------------------------------------
    office.goto(f"{base}/en/secretariat/applications/ranking/")
    assert office.locator("td.score").first.inner_text() == "4.67"  # (2×5 + 1×4) / 3
    office.screenshot(path=str(artifacts / "call-ranking.png"), full_page=True)
    office.check("input[name=selected]")
    office.get_by_role("button", name="Decide the selected applications").click()
    office.select_option("select[name=decisions-0-decision]", "approve")
    assert office.locator("input[name=decisions-0-amount]").input_value() == "4800.00"
    office.fill("textarea[name=decisions-0-message]", "Congratulations!")
    office.screenshot(path=str(artifacts / "call-decide.png"), full_page=True)
    office.get_by_role("button", name="Record the decisions").click()
    expect(office.get_by_text("1 approved, 0 declined.")).to_be_visible()

    office.goto(f"{base}/en/admin/grants/initiative/")
    row = office.locator("#result_list tbody tr", has_text="Peer support in Cochabamba")
    assert row.count() == 1
    row.get_by_role("link", name="Peer support in Cochabamba").click()
    assert office.locator("input[name=is_published]").is_checked() is False
    office.screenshot(path=str(artifacts / "call-initiative-admin.png"), full_page=True)
    secretariat.close()

    initiative = Initiative.objects.get()
    assert (initiative.status, initiative.is_published) == ("awarded", False)
    assert initiative.lines_of_action.get().title == "Peer workshops"
    assert initiative.disbursements.count() == 2
    assert initiative.reports.count() == 2
    assert accessibility == {}, json.dumps(accessibility, indent=1)


def test_call_pages_fit_a_phone(browser, live_server, call, artifacts):
    from tests.factories import OrganisationFactory
    from tests.grants.factories import draft, member_of

    edition = call
    organisation = OrganisationFactory(name="Asociación de Usuarios de Drogas de Cochabamba")
    member = member_of(organisation, email="phone@example.org")
    member.set_password(PASSWORD)
    member.save()
    application = draft(edition, organisation, actor=member)
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    phone = context.new_page()
    try:
        phone.goto(f"{live_server.url}/en/accounts/login/")
        phone.fill("input[name=username]", "phone@example.org")
        phone.fill("input[name=password]", PASSWORD)
        phone.get_by_role("button", name="Log in").click()
        phone.wait_for_url("**/en/portal/")
        pages = {
            "call": f"/en/calls/{edition.slug}/",
            "apply": f"/en/calls/{edition.slug}/apply/",
            "form": f"/en/calls/applications/{application.pk}/edit/",
            "application": f"/en/calls/applications/{application.pk}/",
            "list": "/en/calls/applications/",
        }
        for name, path in pages.items():
            phone.goto(f"{live_server.url}{path}")
            width = phone.evaluate("document.documentElement.scrollWidth")
            assert width <= 360, (name, width)
        phone.goto(f"{live_server.url}{pages['form']}")
        phone.screenshot(path=str(artifacts / "call-form-phone.png"))
    finally:
        context.close()
