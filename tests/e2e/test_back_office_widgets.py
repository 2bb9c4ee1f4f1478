"""The back office's widgets work under the Content-Security-Policy: translation tabs, slug
prefilling, date pickers, the two-list selector, autocomplete, "add another" inline rows, the
actions, the related-object popup and the secretariat's screens. The listener of conftest.py
fails the test on any policy violation or console error."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.admin.dataset import build_dataset, staff_user
from tests.e2e.axe import AXE
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


def test_countries_are_searched_and_a_click_keeps_earlier_choices(office, artifacts):
    page, visit, dataset = office
    visit("admin:grants_initiative_change", dataset["initiative"].pk)
    chosen = page.locator("#id_countries_to option")
    before = chosen.all_text_contents()
    search = page.locator("#id_countries_input")
    search.press_sequentially("Keny")
    expect(page.locator("#id_countries_from option")).to_have_text(["Kenya"])
    search.press("Enter")
    # A plain click in the list of countries left to choose picks one more, keeps the others.
    search.fill("")
    search.press_sequentially("Urug")
    page.locator("#id_countries_from option", has_text="Uruguay").dblclick()
    expect(chosen).to_have_text([*before, "Kenya", "Uruguay"])
    page.screenshot(path=str(artifacts / "admin-countries-1280.png"), full_page=False)
    with page.expect_navigation():
        page.locator("input[name=_continue]").click()
    dataset["initiative"].refresh_from_db()
    assert {"KE", "UY"} <= {country.code for country in dataset["initiative"].countries}


def test_one_language_tab_strip_per_form(office, artifacts):
    page, visit, dataset = office
    dataset["edition"].period_end = dataset["edition"].period_end.replace(
        year=dataset["edition"].period_start.year + 1
    )
    dataset["edition"].save()
    visit("admin:programme_edition_change", dataset["edition"].pk)
    strip = page.locator(".mt-strip")
    expect(strip).to_have_count(1)
    tabs = strip.get_by_role("tab")
    # The original language first and shown; the others are missing the texts English has.
    expect(tabs).to_have_text([re.compile(f"^{code}") for code in ("EN", "FR", "ES", "PT", "RU")])
    expect(tabs.first).to_have_attribute("aria-selected", "true")
    expect(strip.get_by_role("tab", name="FR missing")).to_have_count(1)
    expect(page.locator("#id_title_en")).to_be_visible()
    expect(page.locator("#id_title_fr")).to_be_hidden()
    # The keyboard moves along the strip, and every box of the form follows.
    tabs.first.focus()
    page.keyboard.press("ArrowRight")
    expect(strip.get_by_role("tab", name="FR")).to_be_focused()
    expect(strip.get_by_role("tab", name="FR")).to_have_attribute("aria-selected", "true")
    expect(page.locator("#id_title_fr")).to_be_visible()
    expect(page.locator("#id_introduction_fr")).to_be_visible()
    expect(page.locator("#id_funders-0-acknowledgement_fr")).to_be_visible()
    expect(page.locator("#id_title_en")).to_be_hidden()
    # A new inline row opens on the language shown, not on another one.
    add_inline_row(page, "funders", ".inline-related")
    expect(page.locator("#id_funders-1-acknowledgement_fr")).to_be_visible()
    expect(page.locator("#id_funders-1-acknowledgement_en")).to_be_hidden()
    # Typing the missing texts takes the mark away.
    written = page.eval_on_selector_all(
        ".mt[name$='_en']:not([name*='__prefix__'])",
        "boxes => boxes.filter(box => box.value.trim()).map(box => box.id.slice(0, -3))",
    )
    assert {"id_title", "id_introduction", "id_funders-0-acknowledgement"} <= set(written)
    for box in written:
        page.locator(f"#{box}_fr").fill("Texte en français")
    expect(strip.get_by_role("tab", name="FR missing")).to_have_count(0)
    expect(strip.get_by_role("tab", name="ES missing")).to_have_count(1)
    page.screenshot(path=str(artifacts / "admin-edition-strip-1280.png"), full_page=False)
    page.evaluate(AXE.read_text() + "\n;0")
    problems = page.evaluate(
        """async () => (await axe.run('.mt-strip', {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})).violations
            .map(v => `${v.id}: ${v.nodes.map(n => n.target).join(' ')}`)"""
    )
    assert problems == []
    # Choosing French as the original language puts it first.
    page.keyboard.press("Home")
    page.select_option("#id_original_language", "fr")
    expect(tabs.first).to_contain_text("FR")
    # The edition is named by its own years in messages and drop-downs.
    with page.expect_navigation():
        page.locator("input[name=_continue]").click()
    name = dataset["edition"].name
    assert name.count("/") == 1
    expect(page.locator(".messagelist")).to_contain_text(name)
    visit("admin:grants_initiative_change", dataset["initiative"].pk)
    expect(page.locator("#id_edition option:checked")).to_contain_text(name)


def test_without_javascript_every_language_shows(browser, live_server):
    secretary = staff_user("secretary@example.org", "Secretariat")
    dataset = build_dataset(1, staff_user("reviewer@example.org", "Reviewer"))
    client = Client()
    client.force_login(secretary)
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.goto(
        live_server.url + reverse("admin:grants_initiative_change", args=[dataset["initiative"].pk])
    )
    for language in ("en", "fr", "es", "pt", "ru"):
        expect(page.locator(f"#id_summary_{language}")).to_be_visible()
    expect(page.locator(".mt-strip")).to_have_count(0)
    expect(page.locator("#id_countries")).to_be_visible()


CHANGELISTS = (
    "programme_edition",
    "grants_initiative",
    "grants_application",
    "organisations_organisation",
    "grants_disbursement",
    "reports_report",
    "grants_activity",
    "organisations_invitation",
)


def test_no_list_is_cut_off_at_1280_pixels(office, artifacts):
    """Every list of the back office, with a row of every model, at 1280 px: no column is
    cut off (screenshots of the main ones in test-artifacts/)."""
    from django.contrib import admin

    page, visit, _dataset = office
    cut_off = {}
    for model in admin.site._registry:
        name = f"{model._meta.app_label}_{model._meta.model_name}"
        visit(f"admin:{name}_changelist")
        results = page.locator("#changelist .results")
        if name in CHANGELISTS:
            page.screenshot(path=str(artifacts / f"admin-list-{name}-1280.png"))
        if results.count():
            overflow = results.evaluate("box => box.scrollWidth - box.clientWidth")
            if overflow > 0:
                cut_off[name] = overflow
    assert cut_off == {}


def test_a_refused_save_opens_on_the_language_with_the_error(office):
    page, visit, _dataset = office
    visit("admin:programme_programme_add")
    strip = page.locator(".mt-strip")
    page.select_option("#id_original_language", "fr")
    expect(strip.get_by_role("tab").first).to_contain_text("FR")
    page.locator("#id_name_fr").fill("Petites subventions")
    page.locator("#id_slug").fill("petites-subventions")
    with page.expect_navigation():
        page.locator("input[name=_save]").click()
    # The English name is required: the page comes back on English (French still first),
    # marked, and the French kept.
    expect(strip.get_by_role("tab").first).to_contain_text("FR")
    english = strip.get_by_role("tab", name="EN")
    expect(english).to_have_accessible_name(re.compile("has errors"))
    expect(english).to_have_attribute("aria-selected", "true")
    expect(page.locator("#id_name_en")).to_be_visible()
    strip.get_by_role("tab", name="FR").click()
    expect(page.locator("#id_name_fr")).to_have_value("Petites subventions")
