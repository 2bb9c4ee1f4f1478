"""The back office's lists and autocompletes cost the same number of queries whatever the data."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grants.models import (
    Activity,
    BudgetLine,
    Disbursement,
    Indicator,
    Initiative,
    LineOfAction,
)
from organisations.models import (
    Organisation,
)

from .dataset import admin_url, build_dataset, make_edition, make_initiative

pytestmark = pytest.mark.django_db


# --- queries -----------------------------------------------------------------------------------


def changelist_queries(client, model) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("app_label", "model_name", "field_name"),
    [
        ("grants", "initiative", "application"),
        ("grants", "review", "assignment"),
        ("grants", "reviewscore", "review"),
        ("grants", "activity", "line_of_action"),
        ("reports", "narrative", "report"),
        ("organisations", "membership", "user"),
    ],
)
def test_autocomplete_does_not_grow_with_the_data(
    secretariat_client, reviewer, dataset, app_label, model_name, field_name
):
    url = reverse("admin:autocomplete")
    params = {"app_label": app_label, "model_name": model_name, "field_name": field_name}

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = secretariat_client.get(url, params)
        assert response.status_code == 200
        assert response.json()["results"]
        return len(captured)

    once = queries()
    build_dataset(2, reviewer)
    assert queries() == once


def test_initiative_changelist_queries_do_not_grow(secretariat_client):
    def add_initiatives(first: int, count: int) -> None:
        for n in range(first, first + count):
            organisation = Organisation.objects.create(name=f"Org {n}", slug=f"org-{n}")
            make_initiative(make_edition(number=n), organisation, n=n)

    add_initiatives(1, 1)
    one = changelist_queries(secretariat_client, Initiative)
    add_initiatives(2, 9)
    ten = changelist_queries(secretariat_client, Initiative)
    assert ten == one


def test_no_changelist_grows_with_the_data(secretariat_client, reviewer, dataset):
    """Every changelist costs the same number of queries with one or with two of everything."""
    once = {model: changelist_queries(secretariat_client, model) for model in admin.site._registry}
    build_dataset(2, reviewer)
    twice = {model: changelist_queries(secretariat_client, model) for model in admin.site._registry}
    assert {m.__name__: n for m, n in twice.items() if n != once[m]} == {}


def test_initiative_change_page_does_not_grow_with_its_workplan(secretariat_client, dataset):
    """The workplan inlines' selects read the lines of action once per inline, and each tranche
    row knows its initiative: more rows, no more queries."""
    initiative = dataset["initiative"]
    url = admin_url(Initiative, "change", initiative.pk)

    def queries() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as captured:
            response = secretariat_client.get(url)
        assert response.status_code == 200
        return len(captured), response.content.decode()

    once, _ = queries()
    line = LineOfAction.objects.create(initiative=initiative, title_en="Advocacy")
    for order in range(3):
        Activity.objects.create(initiative=initiative, line_of_action=line, title=f"Visit {order}")
        Indicator.objects.create(
            initiative=initiative, line_of_action=line, name=f"Visits {order}", target=5
        )
        BudgetLine.objects.create(initiative=initiative, category=f"Travel {order}", amount=10)
        Disbursement.objects.create(initiative=initiative, tranche=order + 2, amount=100)
    count, page = queries()
    assert count == once
    # Every row's select still offers both lines of action, the new one chosen where it is set.
    assert page.count(f'<option value="{line.pk}" selected>Advocacy</option>') == 6
    assert page.count(f'<option value="{line.pk}">Advocacy</option>') > 0
