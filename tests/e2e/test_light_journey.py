"""A small grant of the light track from end to end in headless Chromium: a group applies in
Portuguese on the one-page form and confirms its address by the emailed link; one member of the
secretariat approves it in bulk from the list; the group accepts the short agreement; its bank
details are verified, the payment file downloaded and recorded as paid from the bank's return
file; the group sends its one-page report with a photo; once accepted, the action is on the
public map of the day."""

import csv
import io
import re

import pytest
from django.core import mail
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from grants.models import LightApplication
from grants.workflow import LightPaymentStatus, LightReportStatus, LightStatus
from organisations.models import User
from tests.e2e.axe import axe_violations
from tests.grants.factories import PASSWORD, secretariat_user
from tests.grants.light import layout, light_edition
from tests.twofactor import authenticator, give_code_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def edition(live_server, settings):
    settings.SITE_URL = live_server.url
    edition = light_edition(title_en="Global Day of Action 2026", slug="gda-2026")
    secretary = secretariat_user(email="secretariat@example.org")
    secretary.set_password(PASSWORD)
    secretary.save()
    authenticator(secretary)
    layout("csv")
    return edition


def log_in_to_admin(page, base: str) -> None:
    page.goto(f"{base}/en/admin/login/")
    page.fill("input[name=username]", "secretariat@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit]")
    give_code_in_browser(page, User.objects.get(email="secretariat@example.org"))
    page.wait_for_url("**/en/admin/")


def run_action(page, base: str, label: str) -> None:
    page.goto(f"{base}/en/admin/grants/lightapplication/")
    page.check("input[name=_selected_action]")
    page.select_option("select[name=action]", label=label)
    page.click("button[name=index]")


def photo(tmp_path):
    path = tmp_path / "acao.jpg"
    image = Image.new("RGB", (640, 400), (184, 0, 46))
    for x in range(0, 640, 40):
        for y in range(0, 400, 40):
            if (x + y) % 80 == 0:
                image.paste((255, 220, 0), (x, y, x + 40, y + 40))
    image.save(path, "JPEG")
    return path


def test_apply_in_portuguese_approve_pay_report_and_map(
    browser, new_page, live_server, edition, artifacts, tmp_path
):
    base = live_server.url
    accessibility = {}

    def check(name: str, on_page) -> None:
        if violations := axe_violations(on_page):
            accessibility[name] = violations

    # --- the group applies, in Portuguese -----------------------------------------------------
    group = new_page(locale="pt-BR")
    group.goto(f"{base}/pt/calls/{edition.slug}/")
    group.get_by_role("link", name=re.compile("Candidatar|Apply")).first.click()
    group.wait_for_url(f"**/pt/calls/{edition.slug}/apply-small/")
    check("form", group)
    group.fill("input[name=group_name]", "Coletivo Rua Viva")
    group.fill("input[name=email]", "rua-viva@example.org")
    group.select_option("select[name=language]", "pt")
    group.select_option("select[name=country]", "BR")
    group.fill("input[name=city]", "Recife")
    group.fill("textarea[name=planned_action]", "Uma roda de conversa e música na praça.")
    group.fill("input[name=action_date]", (timezone.localdate()).isoformat())
    group.fill("input[name=expected_participants]", "60")
    group.fill("input[name=amount]", "600")  # over the ceiling of 500
    group.fill("input[name=account_holder]", "Associação Rua Viva")
    group.fill("input[name=bank_name]", "Banco do Nordeste")
    group.fill("input[name=account_number]", "BR1500000000000010932840814P2")
    group.click("main form button[type=submit]")
    expect(group.locator("#error_1_id_amount, .invalid-feedback").first).to_contain_text("500")
    assert group.locator("input[name=group_name]").input_value() == "Coletivo Rua Viva"
    group.screenshot(path=str(artifacts / "light-form-over-ceiling.png"), full_page=True)
    group.fill("input[name=amount]", "450")
    group.click("main form button[type=submit]")
    expect(group.get_by_role("heading", level=1)).to_be_visible()
    application = LightApplication.objects.get()
    assert application.language == "pt"
    link = re.search(r"(http://\S+/pt/calls/small/\S+/confirm/)", mail.outbox[-1].body).group(1)
    group.goto(link)
    group.click("main form button[type=submit]")
    group.wait_for_url("**/pt/calls/small/**")
    expect(group.locator("#light-status")).to_be_visible()
    check("application page", group)
    assert LightApplication.objects.get().status == LightStatus.RECEIVED

    # --- one member of the secretariat approves in bulk --------------------------------------
    staff = new_page()
    log_in_to_admin(staff, base)
    run_action(staff, base, "Approve the selected applications")
    expect(staff.locator(".messagelist")).to_contain_text("1")
    staff.screenshot(path=str(artifacts / "light-admin-list.png"), full_page=True)
    assert LightApplication.objects.get().status == LightStatus.APPROVED
    decision = mail.outbox[-1]
    assert decision.to == ["rua-viva@example.org"] and "pt" in decision.extra_headers.get(
        "Content-Language", ""
    )

    # --- the group accepts the short agreement --------------------------------------------------
    page_link = link.replace("confirm/", "")
    group.goto(page_link)
    group.get_by_role("button", name=re.compile("accept|Aceito o acordo", re.I)).click()
    group.wait_for_url("**/pt/calls/small/**")
    assert LightApplication.objects.get().agreement_accepted_at is not None

    # --- bank details verified, payment file downloaded ---------------------------------------
    run_action(staff, base, "Mark the bank details of the selected grants as verified")
    expect(staff.locator(".messagelist")).to_contain_text("verified")
    run_action(staff, base, "Make the payment file of the selected grants…")
    with staff.expect_download() as download:
        staff.click("input[name=apply]")
    content = download.value.path().read_text()
    rows = list(csv.DictReader(io.StringIO(content)))
    assert rows[0]["Account holder"] == "Associação Rua Viva" and rows[0]["Amount"] == "450.00"
    assert LightApplication.objects.get().payment_status == LightPaymentStatus.IN_FILE

    # --- the bank's return file records it paid ------------------------------------------------
    returned = tmp_path / "retorno.csv"
    returned.write_text(
        "reference,bank_reference,paid_on,exchange_rate,fees\n"
        f"{rows[0]['Reference']},BNB-778812,{timezone.localdate().isoformat()},5.4321,12.50\n"
    )
    staff.goto(f"{base}/en/admin/grants/paymentbatch/")
    staff.get_by_role("link", name="Record the bank's return file").click()
    staff.set_input_files("input[name=file]", str(returned))
    staff.screenshot(path=str(artifacts / "light-return-file.png"), full_page=True)
    staff.get_by_role("button", name="Record the payments").click()
    expect(staff.locator(".messagelist")).to_contain_text("1")
    paid = LightApplication.objects.get()
    assert (paid.payment_status, paid.payment_reference) == (LightPaymentStatus.PAID, "BNB-778812")

    # --- the one-page report with a photo -------------------------------------------------------
    group.goto(page_link)
    group.fill("textarea[name=text]", "Sessenta pessoas vieram à praça; tocamos e conversamos.")
    group.fill("input[name=participants]", "62")
    group.fill("input[name=link]", "https://example.org/rua-viva")
    group.set_input_files("input[name=photo]", str(photo(tmp_path)))
    group.fill("input[name=caption]", "A roda de conversa na praça")
    group.check("input[name=consent]")
    group.get_by_role("button", name=re.compile("report|relat", re.I)).click()
    group.wait_for_url("**/pt/calls/small/**")
    assert LightApplication.objects.get().report_status == LightReportStatus.SUBMITTED
    group.screenshot(path=str(artifacts / "light-application-page.png"), full_page=True)
    run_action(staff, base, "Accept the reports of the selected grants")
    expect(staff.locator(".messagelist")).to_contain_text("1")

    # --- the action on the public map of the day -------------------------------------------------
    visitor = new_page(locale="pt-BR")
    visitor.goto(f"{base}/pt/editions/{edition.slug}/")
    actions = visitor.locator("#actions")
    expect(actions).to_contain_text("Recife")
    expect(actions).to_contain_text("Coletivo Rua Viva")
    expect(actions.locator("img")).to_have_attribute("alt", "A roda de conversa na praça")
    map_image = visitor.locator("img[src$='actions-map.svg']")
    expect(map_image).to_be_visible()
    assert visitor.evaluate(
        "() => [...document.images].every((img) => img.complete && img.naturalWidth > 0)"
    )
    visitor.locator("#day-of-action").scroll_into_view_if_needed()
    visitor.screenshot(path=str(artifacts / "light-public-map.png"), full_page=True)
    check("public map", visitor)
    assert accessibility == {}, accessibility
