"""The back office's filters by edition, programme and theme keep their names for everyone
(``core.admin_filters``), and a change to a name, a new row or a deleted one shows at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from core import admin_filters
from grants.models import Application
from programme.models import Programme, Theme

from .dataset import admin_url, make_edition

pytestmark = pytest.mark.django_db


def application_list(client, language="en") -> str:
    with translation.override(language):
        response = client.get(admin_url(Application, "changelist"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def dataset(dataset):
    """With a second edition and theme: a filter of a single choice does not show."""
    make_edition(number=2)
    Theme.objects.create(name_en="Second theme", slug="second-theme")
    return dataset


def test_names_are_read_once_then_kept(secretariat_client, dataset):
    application_list(secretariat_client)
    with CaptureQueriesContext(connection) as queries:
        application_list(secretariat_client)
    tables = " ".join(query["sql"] for query in queries.captured_queries)
    assert 'FROM "programme_edition"' not in tables
    assert 'FROM "programme_theme"' not in tables


def test_a_renamed_programme_shows_at_once_in_its_language(secretariat_client, dataset):
    edition = dataset["edition"]
    programme = edition.programme
    before = application_list(secretariat_client)
    assert f">{edition}</a>" in before
    programme.name_en = "Renamed Programme"
    programme.name_fr = "Programme renommé"
    programme.save()
    edition.refresh_from_db()
    after = application_list(secretariat_client)
    assert f">Renamed Programme {edition.name}</a>" in after
    assert f">Programme renommé {edition.name}</a>" in application_list(secretariat_client, "fr")


def test_new_and_deleted_rows_show_at_once(secretariat_client, dataset):
    programme = dataset["edition"].programme
    application_list(secretariat_client)
    theme = Theme.objects.create(name_en="Brand-new theme", slug="brand-new-theme")
    edition = make_edition(number=79)
    assert edition.programme == programme
    page = application_list(secretariat_client)
    assert ">Brand-new theme</a>" in page
    assert f">{edition}</a>" in page
    theme.delete()
    assert ">Brand-new theme</a>" not in application_list(secretariat_client)


def test_without_a_cache_the_names_are_read_each_time(secretariat_client, dataset, monkeypatch):
    monkeypatch.setattr(admin_filters, "_version", lambda request: None)
    application_list(secretariat_client)
    edition = dataset["edition"]
    Programme.objects.filter(pk=edition.programme_id).update(name_en="Not kept")
    assert f">Not kept {edition.name}</a>" in application_list(secretariat_client)
