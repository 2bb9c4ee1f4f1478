"""The open data in a real browser: the API's documentation page (Swagger UI, served by the
app) works under the site's Content-Security-Policy with no console error, and the data page
passes axe."""

import pytest

from public.opendata.files import build_files
from tests.e2e.axe import axe_violations
from tests.public.opendata_data import build_programme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def published(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    build_programme()
    build_files()


def test_the_api_documentation_renders_and_calls_the_api(page, live_server, published, artifacts):
    page.goto(f"{live_server.url}/api/v1/docs")
    page.locator(".swagger-ui .info .title").wait_for()
    assert "Initiatives Programme API" in page.locator(".swagger-ui .info .title").inner_text()
    operation = page.locator("#operations-initiatives-api_views_initiative_list")
    operation.locator("button.opblock-summary-control").click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    body = page.locator(".responses-wrapper .live-responses-table .microlight").first
    body.wait_for()
    assert "Women organising" in body.inner_text()
    page.screenshot(path=str(artifacts / "api-docs.png"), full_page=False)
    # The browser_problems fixture fails the test on any console error or CSP violation.


def test_the_data_page_passes_axe(page, live_server, published, artifacts):
    page.goto(f"{live_server.url}/fr/data/")
    assert page.locator("table a[href='/opendata/grants-360giving.json']").count() == 1
    assert axe_violations(page) == []
    page.screenshot(path=str(artifacts / "data-page-fr.png"), full_page=True)
