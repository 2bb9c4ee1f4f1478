"""Back-office ergonomics (issue 12), server side: editions named by their years everywhere,
the searchable countries selector, help texts saying where public texts appear, "Save and add
another" keeping what rows share. The browser side is in tests/e2e/test_back_office_widgets.py
and tests/e2e/test_data_entry_cost.py."""

import datetime

import pytest

from grants.models import Initiative
from programme.models import Edition
from tests.admin.dataset import admin_url, make_edition
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("year", "end", "name"),
    [
        (2024, datetime.date(2024, 12, 31), "2024"),
        (2024, datetime.date(2025, 6, 30), "2024/25"),
        (2099, datetime.date(2100, 3, 31), "2099/00"),
        (2024, datetime.date(2026, 6, 30), "2024–2026"),
    ],
)
def test_an_edition_is_named_by_its_years(year, end, name):
    edition = Edition(year=year, period_start=datetime.date(year, 7, 1), period_end=end)
    assert edition.name == name


def test_drop_downs_filters_and_messages_show_the_editions_name(secretariat_client, dataset):
    edition = dataset["edition"]
    edition.period_end = datetime.date(edition.year + 1, 6, 30)
    edition.save()
    name = f"Initiatives Programme {edition.year}/{(edition.year + 1) % 100:02d}"
    assert str(edition) == name
    form = secretariat_client.get(admin_url(Initiative, "change", dataset["initiative"].pk))
    assert f">{name}</option>" in form.content.decode()
    make_edition(number=9)  # a filter with one choice is not shown
    changelist = secretariat_client.get(admin_url(Initiative, "changelist")).content.decode()
    assert changelist.count(name) >= 2  # the filter by edition and the column
    # An action refused for a row names the row.
    for _attempt in range(2):
        response = secretariat_client.post(
            admin_url(Edition, "changelist"),
            {"action": "start_running", "_selected_action": [edition.pk]},
            follow=True,
        )
    assert [str(message) for message in response.context["messages"]][0].startswith(f"{name}: ")


def test_countries_are_a_searchable_selector_and_texts_say_where_they_appear(
    secretariat_client, dataset
):
    content = secretariat_client.get(admin_url(Initiative, "add")).content.decode()
    # Django's two-list selector with its search box (SelectFilter2), from our own files.
    assert 'class="selectfilter" data-field-name="countries"' in content
    assert "admin/js/SelectFilter2.js" in content
    assert "card in lists and search results" in content  # the summary's help text


def test_save_and_add_another_keeps_the_edition_and_the_period(secretariat_client, dataset):
    edition = make_edition(number=7)
    organisation = OrganisationFactory()
    data = {
        "edition": edition.pk,
        "lead_organisation": organisation.pk,
        "title_en": "Peer support",
        "slug": "peer-support",
        "countries": ["BO"],
        "amount_awarded": "5000",
        "currency": "EUR",
        "period_start": "2027-07-01",
        "period_end": "2028-06-30",
        "original_language": "fr",
        "order": "0",
        "_addanother": "1",
    }
    page = secretariat_client.get(admin_url(Initiative, "add"))
    for inline in page.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    response = secretariat_client.post(admin_url(Initiative, "add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    next_form = secretariat_client.get(response["Location"]).context["adminform"].form
    assert next_form.initial["edition"] == str(edition.pk)
    assert next_form.initial["period_start"] == "2027-07-01"
    assert next_form.initial["period_end"] == "2028-06-30"
    assert next_form.initial["currency"] == "EUR"
    assert next_form.initial["original_language"] == "fr"
