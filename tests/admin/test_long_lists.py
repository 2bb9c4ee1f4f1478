"""The long lists (``core.admin.LongListMixin``): 50 rows a page, and each row's selection box
written directly, the same HTML as Django's own (issue 14)."""

import pytest
from django.contrib import admin
from django.utils import translation

from core.admin import LongListMixin
from grants.models import Application, Disbursement, Initiative, Review
from organisations.models import Organisation
from reports.models import Report

from .dataset import admin_url

pytestmark = pytest.mark.django_db

LONG_LISTS = (Application, Initiative, Organisation, Report, Disbursement, Review)


@pytest.mark.parametrize("language", ["en", "fr", "ru"])
@pytest.mark.parametrize("model", LONG_LISTS, ids=lambda m: m.__name__)
def test_selection_boxes_are_djangos(secretariat_client, dataset, model, language):
    Organisation.objects.create(name='Tom & "Jerry" <script>', slug="tom-jerry")
    model_admin = admin.site._registry[model]
    assert isinstance(model_admin, LongListMixin)
    with translation.override(language):
        response = secretariat_client.get(admin_url(model, "changelist"))
        assert response.status_code == 200
        content = response.content.decode()
        objects = list(model.objects.all())
        assert objects
        for obj in objects:
            ours = model_admin.action_checkbox(obj)
            assert ours == admin.ModelAdmin.action_checkbox(model_admin, obj)
            assert ours in content
    if model is Organisation:
        assert "Tom &amp; &quot;Jerry&quot; &lt;script&gt;" in content
        assert "<script>" not in ours


def test_fifty_rows_a_page(secretariat_client):
    Organisation.objects.bulk_create(
        Organisation(name=f"Organisation {n:03}", slug=f"organisation-{n}") for n in range(51)
    )
    url = admin_url(Organisation, "changelist")
    first = secretariat_client.get(url).content.decode()
    assert first.count('class="action-select"') == 50
    assert "51 organisations" in first
    second = secretariat_client.get(url, {"p": 2}).content.decode()
    assert second.count('class="action-select"') == 1


@pytest.mark.parametrize("language", ["en", "fr", "ru"])
def test_organisations_countries_are_named_as_django_names_them(secretariat_client, language):
    from django.contrib.admin.utils import display_for_field

    peru = Organisation.objects.create(name="Peruvian", slug="peruvian", country="PE")
    nowhere = Organisation.objects.create(name="Nowhere", slug="nowhere", country="")
    field = Organisation._meta.get_field("country")
    model_admin = admin.site._registry[Organisation]
    with translation.override(language):
        content = secretariat_client.get(admin_url(Organisation, "changelist")).content.decode()
        empty = model_admin.get_empty_value_display()
        for organisation in (peru, nowhere):
            organisation.refresh_from_db()
            djangos = display_for_field(organisation.country, field, empty)
            assert (model_admin.country_name(organisation) or empty) == djangos
            assert f'<td class="field-country_name">{djangos}</td>' in content
    assert djangos == empty
