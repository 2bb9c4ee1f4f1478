"""The back office's widgets work under the Content-Security-Policy: translation tabs, slug
prefilling, date pickers, the two-list selector, autocomplete, "add another" inline rows, the
actions, the related-object popup and the secretariat's screens. The listener of conftest.py
fails the test on any policy violation or console error."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.admin.dataset import build_dataset, staff_user
from tests.twofactor import Client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def office(page, live_server):
    """The secretariat's browser, logged in (past the second factor, tests/twofactor.py), and a
    row of every model."""
    secretary = staff_user("secretary@example.org", "Secretariat")
    dataset = build_dataset(1, staff_user("reviewer@example.org", "Reviewer"))
    client = Client()
    client.force_login(secretary)
    session = client.cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])

    def visit(name: str, *args, query: str = "") -> None:
        page.goto(live_server.url + reverse(name, args=args) + query)

    return page, visit, dataset


def add_inline_row(page, group: str, row: str) -> None:
    rows = page.locator(f"#{group}-group {row}")
    before = rows.count()
    page.locator(f"#{group}-group .add-row a").click()
    expect(rows).to_have_count(before + 1)


def test_form_widgets(office, artifacts):
    page, visit, dataset = office
    visit("admin:grants_initiative_add")
    # The translation tabs (modeltranslation with jQuery UI).
    page.get_by_role("tab", name="FR").first.click()
    page.get_by_role("tab", name="EN").first.click()
    # The slug, prefilled from the title as it is typed.
    page.locator("#id_title_en").press_sequentially("Peer support in Cochabamba")
    expect(page.locator("#id_slug")).to_have_value("peer-support-in-cochabamba")
    # The date picker.
    page.locator("#calendarlink0").click()
    page.locator("#calendarbox0").get_by_role("button", name=re.compile("^Today")).click()
    expect(page.locator(".vDateField").first).not_to_have_value("")
    # The two-list selector of the themes.
    page.locator("#id_themes_from option").first.click()
    page.locator("#id_themes_add").click()
    expect(page.locator("#id_themes_to option")).to_have_count(1)
    # Autocomplete: select2 asks the back office for organisations.
    page.locator("#id_lead_organisation + .select2").click()
    page.locator(".select2-search__field").fill("Acción")
    option = page.locator(".select2-results__option").first
    expect(option).to_contain_text("Acción Andina 1")
    option.click()
    page.screenshot(path=str(artifacts / "admin-initiative-add.png"), full_page=True)

    visit("admin:grants_initiative_change", dataset["initiative"].pk)
    add_inline_row(page, "activities", "tr.form-row")
    visit("admin:grants_application_change", dataset["application"].pk)
    visit("admin:programme_edition_change", dataset["edition"].pk)
    add_inline_row(page, "criteria", ".inline-related")


def test_lists_actions_popups_and_screens(office):
    page, visit, dataset = office
    visit("admin:index")
    visit("admin:grants_initiative_changelist", query="?q=Initiative")
    page.locator("#changelist-filter").get_by_role("link").nth(1).click()
    visit("admin:grants_disbursement_changelist")
    page.check("input[name=_selected_action]")
    page.select_option("select[name=action]", "record_payments")
    page.click("button[name=index]")
    expect(page.get_by_role("button", name="Record the payments")).to_be_visible()
    visit("admin:programme_edition_history", dataset["edition"].pk)
    visit("admin:programme_edition_delete", dataset["edition"].pk)

    # The related-object popup, and its answer (a script with its data in attributes).
    visit("admin:grants_initiative_change", dataset["initiative"].pk)
    with page.expect_popup() as opened:
        page.locator("#add_id_lead_organisation").click()
    popup = opened.value
    popup.locator("#id_name").fill("Colectivo Nueva Luz")
    popup.locator("#id_slug").fill("colectivo-nueva-luz")
    popup.select_option("#id_country", "BO")
    with popup.expect_event("close"):
        popup.locator("input[name=_save]").click()
    expect(page.locator("#id_lead_organisation")).to_contain_text("Colectivo Nueva Luz")

    visit("secretariat:home")
    visit("secretariat:ranking", query=f"?edition={dataset['edition'].pk}")
    for name in ("screen", "more_info", "assign", "decide"):
        visit(f"secretariat:{name}", query=f"?ids={dataset['application'].pk}")
