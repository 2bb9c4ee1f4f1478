"""Two factors for staff in headless Chromium: a member of the secretariat sets up the app at the
first login (the codes are computed here from the key the page shows, as the app would), logs
out, finds the back office closed until the code is given, logs in with it; the phone is lost,
a colleague resets it in the back office, the old session is logged out, and the next login
sets up a new app. Screenshots in test-artifacts/twofactor-*.png."""

from __future__ import annotations

import base64

import pytest
from django.core import mail
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.e2e.axe import axe_violations
from tests.portal.factories import PASSWORD, make_secretary
from tests.twofactor import authenticator, code_for, fresh_code, give_code_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, artifacts, name: str) -> None:
    page.screenshot(path=str(artifacts / f"twofactor-{name}.png"), full_page=True)


def password(page, base: str, email: str, *, admin: bool = False) -> None:
    page.goto(f"{base}/en/admin/login/" if admin else f"{base}/en/accounts/login/")
    page.locator("input[name=username]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    if admin:
        page.locator("#login-form [type=submit]").click()
    else:
        page.locator("main").get_by_role("button", name="Log in").click()


def key_shown(page) -> str:
    """The key the set-up page shows, as hex (what the app keeps after a scan)."""
    text = page.locator("#twofactor-secret").inner_text().replace(" ", "")
    return base64.b32decode(text + "=" * (-len(text) % 8)).hex()


@pytest.fixture
def people(transactional_db, live_server, settings):
    settings.SITE_URL = live_server.url
    sam = make_secretary(email="sam@example.org")
    cleo = make_secretary(email="cleo@example.org")
    cleo.full_name = "Cleo Colleague"
    cleo.save()
    return sam, cleo


def test_set_up_log_in_with_the_code_and_reset_a_lost_phone(
    new_page, live_server, people, artifacts
):
    base = live_server.url
    sam, cleo = people
    accessibility = {}
    page = new_page()

    # 1. Sam's first login, into the back office: the password, then setting up the app.
    password(page, base, sam.email, admin=True)
    page.wait_for_url("**/en/accounts/two-factor/setup/?next=%2Fen%2Fadmin%2F")
    expect(page.get_by_role("heading", name="Set up two-factor authentication")).to_be_visible()
    expect(
        page.get_by_role("img", name="QR code to scan with your authenticator app")
    ).to_be_visible()
    key = key_shown(page)
    assert TOTPDevice.objects.get(user=sam).key == key
    accessibility["setup"] = axe_violations(page)
    shot(page, artifacts, "01-setup")

    page.locator("main").get_by_label("Code from the app").fill("000000")
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("This code is not right")).to_be_visible()
    shot(page, artifacts, "02-setup-wrong-code")
    page.wait_for_timeout(1100)  # one wrong code: the next try waits a second
    page.locator("main").get_by_label("Code from the app").fill(code_for(key))
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    codes = page.locator("#recovery-codes li").all_inner_texts()
    assert len(codes) == 10 and len(set(codes)) == 10
    accessibility["recovery codes"] = axe_violations(page)
    shot(page, artifacts, "03-recovery-codes")
    page.get_by_role("link", name="I have kept them: continue").click()
    page.wait_for_url("**/en/admin/")
    expect(page.get_by_role("link", name="What waits for the secretariat")).to_be_visible()

    # 2. Sam logs out; the password alone no longer opens the back office.
    page.locator("#logout-form [type=submit]").click()
    password(page, base, sam.email, admin=True)
    page.wait_for_url("**/en/accounts/two-factor/?next=%2Fen%2Fadmin%2F")
    for closed in ("/en/admin/grants/initiative/", "/en/secretariat/", "/en/review/"):
        page.goto(base + closed)
        page.wait_for_url("**/en/accounts/two-factor/?next=**")
    expect(page.get_by_role("heading", name="Two-factor authentication")).to_be_visible()
    accessibility["verify"] = axe_violations(page)
    shot(page, artifacts, "04-verify")

    # The code the app shows next (each code works once: the set-up took this period's).
    device = TOTPDevice.objects.get(user=sam)
    page.locator("main").get_by_label("Code").fill(fresh_code(device))
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url("**/en/review/")
    page.goto(f"{base}/en/secretariat/")
    expect(page.get_by_role("heading", name="What waits for the secretariat")).to_be_visible()
    page.goto(f"{base}/en/accounts/profile/")
    expect(page.get_by_text("On: you set up your authenticator app on")).to_be_visible()
    expect(page.get_by_text("10 recovery codes left")).to_be_visible()
    shot(page, artifacts, "05-profile")

    # 3. Sam loses the phone. Cleo, with her own code, resets it in the back office.
    authenticator(cleo)
    office = new_page(viewport={"width": 1400, "height": 900})
    password(office, base, cleo.email, admin=True)
    give_code_in_browser(office, cleo)
    office.wait_for_url("**/en/admin/")
    office.goto(f"{base}/en/admin/organisations/user/{sam.pk}/change/")
    expect(office.get_by_text("Recovery codes left: 10.")).to_be_visible()
    shot(office, artifacts, "06-user-page")
    office.goto(f"{base}/en/admin/organisations/user/?q=sam%40example.org")
    office.check("input[name=_selected_action]")
    office.select_option(
        "select[name=action]", label="Reset two-factor authentication (lost phone)"
    )
    office.click("button[name=index]")
    expect(office.get_by_text("Two-factor authentication reset for 1 person")).to_be_visible()
    shot(office, artifacts, "07-reset-by-a-colleague")
    office.goto(f"{base}/en/admin/organisations/user/{sam.pk}/history/")
    expect(office.get_by_text("Two-factor authentication reset by Cleo Colleague")).to_be_visible()
    shot(office, artifacts, "08-history")

    [email] = [m for m in mail.outbox if m.to == [sam.email]]
    assert email.subject == "Your two-factor authentication was reset"
    assert "Cleo Colleague of the secretariat reset" in email.body
    assert f"{base}/en/accounts/login/" in email.body

    # 4. Sam's session, verified with the lost phone, is over; the next login sets up anew.
    page.goto(f"{base}/en/secretariat/")
    page.wait_for_url("**/en/accounts/login/")
    expect(page.get_by_text("Your two-factor authentication was reset")).to_be_visible()
    shot(page, artifacts, "09-logged-out-after-reset")
    password(page, base, sam.email)
    page.wait_for_url("**/en/accounts/two-factor/setup/?next=**")
    new_key = key_shown(page)
    assert new_key != key
    # No code of the lost phone is asked for, nor would work: the recovery codes went too.
    page.goto(f"{base}/en/accounts/two-factor/")
    page.wait_for_url("**/en/accounts/two-factor/setup/**")
    page.locator("main").get_by_label("Code from the app").fill(code_for(new_key))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    page.get_by_role("link", name="I have kept them: continue").click()
    page.wait_for_url("**/en/portal/")
    assert accessibility == {"setup": [], "recovery codes": [], "verify": []}, accessibility
