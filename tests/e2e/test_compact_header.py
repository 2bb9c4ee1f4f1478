"""The compact header (issue 13): on a 375 px phone the header is one or two lines with a Menu
button that opens the languages, the navigation and the search without JavaScript (details and
summary), from the keyboard too; from 768 px everything shows and there is no button. Axe finds
nothing in either state. Screenshots at 375 and 1280 px go to test-artifacts/."""

import pytest
from django.core.management import call_command

from tests.e2e.axe import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}


@pytest.fixture
def site(transactional_db):
    call_command("load_demo", force=True, verbosity=0)


def header_height(page) -> float:
    return page.locator("body > header").bounding_box()["height"]


@pytest.mark.parametrize("language", ["en", "ru"])
def test_on_a_phone_the_header_is_compact_and_its_menu_works_without_javascript(
    browser, live_server, site, artifacts, language
):
    context = browser.new_context(viewport=PHONE, is_mobile=True, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/{language}/editions/2023/")
        assert page.locator("summary").is_visible()
        assert not page.locator("#site-search").is_visible()
        # At most two lines of title beside the button: a small part of the first screen.
        page.screenshot(path=str(artifacts / f"header-375-{language}-closed.png"))
        assert header_height(page) <= 0.15 * PHONE["height"], header_height(page)
        # From the keyboard: the skip link, the site's name, then the Menu button.
        for _ in range(3):
            page.keyboard.press("Tab")
        focused = page.locator("summary:focus")
        assert focused.count() == 1 and focused.get_attribute("class").startswith("btn")
        page.keyboard.press("Enter")
        assert page.locator("details.site-menu").get_attribute("open") is not None
        assert page.locator("#site-search").is_visible()
        assert page.locator("nav.site-languages a").count() == 5
        page.screenshot(path=str(artifacts / f"header-375-{language}-open.png"))
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        # The links work: to the list of initiatives.
        page.locator("header nav[aria-label] a[href$='/initiatives/']").first.click()
        page.wait_for_url(f"**/{language}/initiatives/")
        # Closed again with the keyboard on the new page (it starts closed).
        assert page.locator("details.site-menu").get_attribute("open") is None
        page.locator("summary").focus()
        page.keyboard.press("Space")
        assert page.locator("details.site-menu").get_attribute("open") is not None
        page.keyboard.press("Space")
        assert page.locator("details.site-menu").get_attribute("open") is None
    finally:
        context.close()


def test_the_header_passes_axe_closed_and_open_on_a_phone(browser, live_server, site):
    context = browser.new_context(viewport=PHONE, is_mobile=True)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/fr/")
        assert axe_violations(page) == []
        page.locator("summary").click()
        assert page.locator("#site-search").is_visible()
        assert axe_violations(page) == []
    finally:
        context.close()


def test_on_a_wide_screen_everything_shows_and_there_is_no_button(
    page, live_server, site, artifacts
):
    page.goto(f"{live_server.url}/en/editions/2023/")
    page.screenshot(path=str(artifacts / "header-1280-en.png"))
    assert not page.locator("summary").is_visible()
    assert page.locator("#site-search").is_visible()
    assert page.get_by_role("link", name="Initiatives", exact=True).is_visible()
    assert page.get_by_role("link", name="Русский", exact=True).is_visible()
    assert header_height(page) <= 120, header_height(page)
    assert axe_violations(page) == []
