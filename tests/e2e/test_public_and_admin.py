"""A visitor reads the 2023 edition in French; the secretariat reaches the back office."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from grants.models import Initiative
from organisations.models import User
from tests.twofactor import authenticator, give_code_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", force=True, verbosity=0)


def test_edition_page_in_french_and_english(page, live_server, demo, artifacts):
    page.goto(f"{live_server.url}/fr/initiatives-programme/editions/2023/")
    assert page.locator("html").get_attribute("lang") == "fr"
    headings = page.locator("h3.initiative-heading").all_inner_texts()
    assert len(headings) == 6
    assert headings[0].startswith("Bolivie | Organisée par Acción Andina")
    assert headings[-1].startswith("Internationale / Russie | Organisée par SKOSH")
    # Bootstrap is served by the site itself: the stylesheet applied.
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "system-ui" in font or "apple-system" in font
    page.screenshot(path=str(artifacts / "edition-2023-fr.png"), full_page=False)

    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/en/initiatives-programme/editions/2023/")
    headings = page.locator("h3.initiative-heading").all_inner_texts()
    assert headings[0].startswith("Bolivia | Led by Acción Andina")


def test_secretariat_logs_into_the_admin(page, live_server, demo, artifacts):
    user = User.objects.get(email="secretariat@example.org")
    user.set_password("a-browser-test-password")
    user.save()
    assert user.groups.filter(name="Secretariat").exists()
    assert Group.objects.filter(name="Reviewer").exists()
    authenticator(user)  # staff give a code from their app after the password

    page.goto(f"{live_server.url}/en/admin/login/")
    page.fill("input[name=username]", "secretariat@example.org")
    page.fill("input[name=password]", "a-browser-test-password")
    page.click("input[type=submit]")
    give_code_in_browser(page, user)
    page.wait_for_url("**/en/admin/")
    # The back office's home leads to what waits for the secretariat.
    page.get_by_role("link", name="What waits for the secretariat").click()
    page.wait_for_url("**/en/secretariat/")
    assert page.get_by_role("heading", name="What waits for the secretariat").is_visible()
    page.screenshot(path=str(artifacts / "admin-secretariat-home.png"), full_page=True)
    page.goto(f"{live_server.url}/en/admin/grants/initiative/")
    # The demo's initiatives: the 2023 edition's and the running edition's grants.
    assert page.locator("#result_list tbody tr").count() == Initiative.objects.count() > 6
    page.screenshot(path=str(artifacts / "admin-initiatives.png"))
