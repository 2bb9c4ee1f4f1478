"""The secretariat imports past editions in the browser (a file with an error, then a good
one, confirmed) and opens an organisation's personal data from the back office's list. axe
finds nothing on either page; the listener of conftest.py fails on any console error."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from grants.models import Initiative
from tests.admin.dataset import staff_user
from tests.e2e.axe import axe_violations
from tests.factories import ProgrammeFactory, ThemeFactory
from tests.secretariat.test_import import ROWS, sheet
from tests.twofactor import Client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def office(page, live_server):
    secretary = staff_user("secretary@example.org", "Secretariat")
    ProgrammeFactory()
    ThemeFactory(slug="mobilisation", name_en="Community mobilisation")
    ThemeFactory(slug="advocacy", name_en="Policy advocacy")
    client = Client()
    client.force_login(secretary)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return page


def test_import_then_personal_data(office, live_server, artifacts, tmp_path):
    page = office
    bad = tmp_path / "editions-bad.xlsx"
    bad.write_bytes(sheet([ROWS[0], {**ROWS[1], "countries": "BR, XX"}]))
    good = tmp_path / "editions.xlsx"
    good.write_bytes(sheet(ROWS))

    page.goto(live_server.url + reverse("admin:index"))
    page.get_by_role("link", name="Import past editions").click()
    page.set_input_files("input[type=file]", str(bad))
    page.get_by_role("button", name="Check the file (dry run)").click()
    expect(page.locator("#import-errors")).to_contain_text("Unknown country code “XX”.")
    expect(page.locator("input[name=confirm]")).to_have_count(0)
    page.screenshot(path=str(artifacts / "import-dry-run-errors.png"), full_page=True)
    assert axe_violations(page) == []

    page.set_input_files("input[type=file]", str(good))
    page.get_by_role("button", name="Check the file (dry run)").click()
    expect(page.locator("#import-counts")).to_be_visible()
    page.screenshot(path=str(artifacts / "import-dry-run.png"), full_page=True)
    assert axe_violations(page) == []
    page.get_by_role("button", name="Import").click()
    expect(page.locator(".messagelist")).to_contain_text("2 initiatives created")
    assert Initiative.objects.count() == 2

    page.goto(live_server.url + reverse("admin:organisations_organisation_changelist"))
    page.get_by_role("link", name="Escola Livre").locator("xpath=ancestor::tr").locator(
        "input[name=_selected_action]"
    ).check()
    page.select_option("select[name=action]", label="Export or erase personal data")
    page.click("button[name=index]")
    expect(page.locator("#held-rows")).to_contain_text("Initiatives")
    page.screenshot(path=str(artifacts / "personal-data.png"), full_page=True)
    assert axe_violations(page) == []
