"""The funding explorer in a real browser: filtered and sorted without JavaScript, the map
drawn inline, readable on a desktop and on a phone (screenshots in test-artifacts/)."""

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_site(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", force=True, verbosity=0)


def test_the_explorer_filters_and_sorts_without_javascript(browser, live_server, demo_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/en/funding/")
        everything = page.locator("table.funding-grants tbody tr").count()
        assert everything > 1
        page.select_option("#id_country", "BR")
        page.get_by_role("button", name="Show").click()
        page.wait_for_url("**country=BR**")
        rows = page.locator("table.funding-grants tbody tr")
        assert 0 < rows.count() < everything
        assert all("Brazil" in text for text in rows.locator("td:nth-child(4)").all_inner_texts())
        page.get_by_role("link", name="Amount").click()
        page.wait_for_url("**sort=-amount**")
        assert "country=BR" in page.url
        assert page.locator("th[aria-sort=descending]").inner_text().startswith("Amount")
        page.get_by_role("link", name="Clear").click()
        assert page.locator("table.funding-grants tbody tr").count() == everything
    finally:
        context.close()


@pytest.mark.parametrize(("width", "height", "mobile"), [(1280, 900, False), (375, 812, True)])
def test_the_explorer_fits_the_screen(
    browser, live_server, demo_site, artifacts, width, height, mobile
):
    context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=mobile)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/fr/funding/")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        map_box = page.locator("svg.funding-map").bounding_box()
        assert map_box["width"] > width * 0.6 and map_box["height"] > 0
        assert page.locator("svg.funding-map .country.funded").count() > 0
        page.screenshot(path=str(artifacts / f"funding-fr-{width}.png"), full_page=True)
    finally:
        context.close()
