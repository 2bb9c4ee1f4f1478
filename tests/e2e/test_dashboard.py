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
