"""The import and personal-data pages: valid HTML for the Nu checker (the dry run with its
errors and with its plan, the personal-data page), and queries that do not grow with what an
organisation holds."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from grants.models import Disbursement
from tests.factories import InitiativeFactory, OrganisationFactory
from tests.html_checker import vnu_errors
from tests.secretariat.test_import import ROWS, catalogue, sheet  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(client, secretary):
    client.force_login(secretary)
    return client


def upload(rows, name="editions.xlsx"):
    content = io.BytesIO(sheet(rows))
    content.name = name
    return content


def test_the_pages_are_valid_html(office, catalogue, tmp_path):  # noqa: F811
    import_url = reverse("secretariat:import")
    pages = {
        "import": office.get(import_url),
        "dry-run-errors": office.post(
            import_url, {"file": upload([ROWS[0], {**ROWS[1], "countries": "XX"}])}
        ),
        "dry-run": office.post(import_url, {"file": upload(ROWS)}),
    }
    organisation = OrganisationFactory()
    InitiativeFactory(lead_organisation=organisation)
    pages["personal-data"] = office.get(
        reverse("secretariat:personal_data", args=["organisation", organisation.pk])
    )
    files = []
    for name, response in pages.items():
        assert response.status_code == 200, name
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(path)
    assert vnu_errors(files) == []


def queries_of(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # what a process caches once is cached
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_personal_data_page_does_not_grow_with_the_data(office):
    organisation = OrganisationFactory()

    def grant():
        initiative = InitiativeFactory(lead_organisation=organisation)
        Disbursement.objects.create(
            initiative=initiative, tranche=1, amount="100.00", currency="USD"
        )

    grant()
    url = reverse("secretariat:personal_data", args=["organisation", organisation.pk])
    one = queries_of(office, url)
    for _ in range(5):
        grant()
    assert queries_of(office, url) == one
    assert queries_of(office, reverse("secretariat:import")) <= 12
