"""The secretariat's dashboard in a browser: the charts draw under the Content-Security-Policy
(no violation, no console error: conftest.py's listener), the page passes axe's WCAG 2.1 AA
checks and the Nu HTML Checker, and a chart's bar leads to the filtered list it counts."""

import pytest
from django.urls import reverse

from bench import dataset
from tests.e2e.axe import axe_violations
from tests.html_checker import vnu_errors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SMALL = {"organisations": 40, "applications": 30, "initiatives": 18, "reviewers": 6}


def test_dashboard_draws_its_charts_and_leads_to_the_lists(page, live_server, artifacts, tmp_path):
    dataset.generate(1, sizes=SMALL)
    session = dataset.persona_sessions()["secretariat"]
    page.context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + reverse("secretariat:dashboard"))
    assert page.locator("svg.pygal-chart").count() >= 5
    # The style sheet reached the charts: the bars are coloured, not black.
    fill = page.locator("svg.pygal-chart .color-0 rect.reactive").first.evaluate(
        "el => getComputedStyle(el).fill"
    )
    assert fill not in ("rgb(0, 0, 0)", "")
    page.screenshot(path=str(artifacts / "secretariat-dashboard.png"), full_page=True)
    assert axe_violations(page) == []
    html = tmp_path / "dashboard.html"
    html.write_text(page.content())
    assert vnu_errors([html]) == []

    # The chosen edition, then a bar of the first chart: the list it counts.
    page.select_option("#dashboard-edition", index=1)
    page.get_by_role("button", name="Show").click()
    assert "edition=" in page.url
    page.locator("#dashboard-applications svg a").first.click()
    assert "/admin/grants/application/" in page.url and "status__exact=" in page.url


def test_dashboard_of_the_light_programme_in_a_browser(page, live_server, artifacts, tmp_path):
    """The programme chooser, the small grants' charts and tables (axe, Nu checker), and a
    bar of the small grants' chart leads to their filtered list."""
    from django.utils import timezone

    from tests.secretariat.test_dashboard import light_track

    dataset.generate(1, sizes=SMALL)
    light = light_track(timezone.localdate())
    session = dataset.persona_sessions()["secretariat"]
    page.context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + reverse("secretariat:dashboard"))
    page.select_option("#dashboard-programme", value=str(light.programme_id))
    page.get_by_role("button", name="Show").click()
    assert f"programme={light.programme_id}" in page.url
    options = page.locator("#dashboard-edition option").all_inner_texts()
    assert options[1:] == [str(light)]
    assert page.locator("#dashboard-light svg.pygal-chart").count() == 1
    assert page.locator("#dashboard-light-money tbody tr").count() == 2
    page.screenshot(path=str(artifacts / "secretariat-dashboard-light.png"), full_page=True)
    assert axe_violations(page) == []
    html = tmp_path / "dashboard-light.html"
    html.write_text(page.content())
    assert vnu_errors([html]) == []
    page.locator("#dashboard-light svg a").first.click()
    assert "/admin/grants/lightapplication/" in page.url and "status__exact=" in page.url
    assert f"edition__programme__id__exact={light.programme_id}" in page.url
