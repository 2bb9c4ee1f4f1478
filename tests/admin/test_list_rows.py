"""Every back-office list's rows, written by ``core.admin_rows``, are Django's own HTML,
character for character: same cells, classes, links (with the list's filters carried along),
escaping and empty marks (issue 14)."""

import re

import pytest
from django.contrib import admin
from django.contrib.admin.templatetags.admin_list import results
from django.utils import translation

from core.templatetags import backoffice
from organisations.models import Organisation

from .dataset import admin_url

pytestmark = pytest.mark.django_db

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


def djangos_rows(cl):
    return list(results(cl))


def page(response) -> str:
    assert response.status_code == 200
    # Each response masks the CSRF token anew.
    return re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]+', r"\1", response.content.decode())


def both(client, monkeypatch, url, params=None):
    ours = page(client.get(url, params))
    with monkeypatch.context() as patch:
        patch.setattr(backoffice, "rows", djangos_rows)
        djangos = page(client.get(url, params))
    return ours, djangos


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_every_list_writes_djangos_rows(secretariat_client, dataset, monkeypatch, model):
    url = admin_url(model, "changelist")
    ours, djangos = both(secretariat_client, monkeypatch, url)
    assert ours == djangos
    if model._default_manager.exists() and admin.site._registry[model].list_display_links != ():
        assert 'id="result_list"' in ours


@pytest.mark.parametrize("language", ["fr", "ru"])
def test_filters_sorting_and_languages(secretariat_client, dataset, monkeypatch, language):
    Organisation.objects.create(name='Tom & "Jerry" <script>', slug="tom-jerry", country="PE")
    Organisation.objects.create(name="Nowhere", slug="nowhere", country="")
    url = admin_url(Organisation, "changelist")
    with translation.override(language):
        for params in ({}, {"o": "-2.1"}, {"q": "Tom"}, {"country__exact": "PE", "o": "3"}):
            ours, djangos = both(secretariat_client, monkeypatch, url, params)
            assert ours == djangos
    assert "Tom &amp; &quot;Jerry&quot; &lt;script&gt;" in ours
    assert "_changelist_filters=" in ours  # the links carry the list's filters


@pytest.mark.parametrize("language", ["en", "fr", "ru"])
def test_row_links_are_reversed_as_django_reverses_them(language):
    from django.urls import reverse

    from core.admin_rows import reverse_row

    with translation.override(language):
        for name in ("secretariat:workplan_review", "secretariat:report_review"):
            for pk in (1, 7, 12345):
                assert reverse_row(name, pk) == reverse(name, kwargs={"pk": pk})


def test_workplan_column_reads_as_before(dataset):
    from grants.models import Initiative

    initiative = Initiative.objects.get(pk=dataset["initiative"].pk)
    model_admin = admin.site._registry[Initiative]
    with translation.override("fr"):
        assert initiative.get_workplan_status_display() in model_admin.workplan_review(initiative)
