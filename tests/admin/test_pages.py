"""The back office: every model reachable by the secretariat, history read-only, no status
input, missing translations shown."""

import re

import pytest
from django.apps import apps as global_apps
from django.contrib import admin
from django.contrib.auth.models import Group

from core.admin import missing_translation_languages
from grants.models import (
    Application,
    Initiative,
)
from organisations.models import (
    Organisation,
    User,
)
from programme.models import (
    Edition,
    Theme,
)

from .dataset import (
    HISTORY_MODELS,
    MADE_ELSEWHERE,
    admin_url,
    build_dataset,
    make_edition,
    request_as,
)

pytestmark = pytest.mark.django_db


# --- the secretariat reaches every model ------------------------------------------------------


def test_every_model_of_the_domain_apps_is_registered():
    registered = set(admin.site._registry)
    for label in (
        "notifications",
        "programme",
        "organisations",
        "grants",
        "reports",
        "secretariat",
    ):
        for model in global_apps.get_app_config(label).get_models():
            assert model in registered, model


@pytest.mark.parametrize("with_data", [False, True], ids=["empty", "with-data"])
def test_secretariat_opens_every_changelist(request, secretariat_client, with_data):
    if with_data:
        request.getfixturevalue("dataset")
    failures = {
        model.__name__: response.status_code
        for model in admin.site._registry
        if (response := secretariat_client.get(admin_url(model, "changelist"))).status_code != 200
    }
    assert failures == {}


def test_secretariat_opens_every_add_page_but_not_history(secretariat_client, secretary):
    request = request_as(secretary)
    not_addable = set()
    failures = {}
    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_add_permission(request):
            not_addable.add(model)
            assert secretariat_client.get(admin_url(model, "add")).status_code == 403, model
            continue
        response = secretariat_client.get(admin_url(model, "add"))
        if response.status_code != 200:
            failures[model.__name__] = response.status_code
    assert failures == {}
    # Users arrive through invitations and groups are set up by migrations: the secretariat
    # manages both but creates neither.
    assert not_addable == HISTORY_MODELS | MADE_ELSEWHERE | {User, Group}


def test_only_history_is_read_only_for_everyone():
    superuser = User.objects.create_superuser(email="root@example.org", password="x-long-password")
    request = request_as(superuser)
    read_only = {
        model
        for model, model_admin in admin.site._registry.items()
        if not model_admin.has_add_permission(request)
    }
    assert read_only == HISTORY_MODELS | MADE_ELSEWHERE
    for model in HISTORY_MODELS:
        model_admin = admin.site._registry[model]
        assert not model_admin.has_change_permission(request)
        assert not model_admin.has_delete_permission(request)


def test_secretariat_opens_every_change_page(secretariat_client, dataset):
    failures = {}
    for model in admin.site._registry:
        obj = model._default_manager.first()
        assert obj is not None, f"the data set has no {model.__name__}"
        response = secretariat_client.get(admin_url(model, "change", obj.pk))
        if response.status_code != 200:
            failures[model.__name__] = response.status_code
    assert failures == {}


def test_edition_page_lists_its_inlines(secretariat_client, dataset):
    response = secretariat_client.get(admin_url(Edition, "change", dataset["edition"].pk))
    content = response.content.decode()
    for prefix in ("funders", "criteria", "reporting_deadlines", "history"):
        assert f'id="{prefix}-group"' in content, prefix
    # The funder's acknowledgement is translatable, one input per language.
    for language in ("en", "fr", "es", "pt", "ru"):
        assert f'name="funders-0-acknowledgement_{language}"' in content


def test_translation_tabs_are_one_strip_from_our_own_files(secretariat_client, dataset):
    response = secretariat_client.get(admin_url(Initiative, "change", dataset["initiative"].pk))
    content = response.content.decode()
    assert "admin/translation-strip.js" in content
    assert 'class="mt-strip-texts"' in content
    # modeltranslation's tabs on every field (and their jQuery UI) are gone.
    assert "tabbed_translation_fields.js" not in content
    assert not re.search(r'src="(https?:)?//', content)


# --- statuses belong to the workflow services ------------------------------------------------


def test_initiative_status_is_shown_but_not_editable(secretariat_client, secretary, dataset):
    initiative = dataset["initiative"]
    response = secretariat_client.get(admin_url(Initiative, "change", initiative.pk))
    content = response.content.decode()
    assert response.status_code == 200
    assert 'name="status"' not in content
    assert 'name="workplan_status"' not in content
    assert "Awarded" in content

    model_admin = admin.site._registry[Initiative]
    form = model_admin.get_form(request_as(secretary), initiative)
    assert "status" not in form.base_fields
    assert "workplan_status" not in form.base_fields


def test_no_admin_form_edits_a_status(secretary, dataset):
    """No model admin or inline offers an input for a field named status."""
    request = request_as(secretary)
    for model, model_admin in admin.site._registry.items():
        obj = model._default_manager.first()
        if model_admin.has_change_permission(request, obj):
            form = model_admin.get_form(request, obj)
            assert "status" not in form.base_fields, model
        for inline in model_admin.get_inline_instances(request, obj):
            formset = inline.get_formset(request, obj)
            assert "status" not in formset.form.base_fields, (model, inline)


def test_workplan_inlines_offer_only_the_initiatives_own_lines(
    secretariat_client, reviewer, dataset
):
    build_dataset(2, reviewer)
    page = secretariat_client.get(admin_url(Initiative, "change", dataset["initiative"].pk))
    content = page.content.decode()
    assert 'name="activities-0-line_of_action"' in content
    assert "Training 1" in content
    assert "Training 2" not in content


def test_versioned_rows_carry_their_version_in_the_form(secretariat_client, dataset):
    page = secretariat_client.get(admin_url(Application, "change", dataset["application"].pk))
    assert re.search(r'<input type="hidden" name="read_version" value="1"', page.content.decode())


def test_history_inline_under_initiative_is_read_only(secretariat_client, dataset):
    response = secretariat_client.get(admin_url(Initiative, "change", dataset["initiative"].pk))
    content = response.content.decode()
    assert 'id="history-group"' in content
    assert 'name="history-0-comment"' not in content
    assert "Submitted" in content  # the workplan's status label, not its code


# --- missing translations --------------------------------------------------------------------


def test_missing_translations_column_on_edition_changelist(secretariat_client):
    make_edition(title_en="Initiatives Programme 2021")
    response = secretariat_client.get(admin_url(Edition, "changelist"))
    cell = re.search(
        r'<td class="field-missing_translations">(.*?)</td>', response.content.decode()
    )
    assert cell is not None
    assert cell.group(1) == "fr, es, pt, ru"


def test_missing_translations_counts_only_fields_written_in_the_original_language():
    edition = make_edition(
        title_en="Programme 2021",
        title_fr="Programme 2021",
        title_es="Programa 2021",
        introduction_en="",
    )
    assert missing_translation_languages(edition) == ["pt", "ru"]

    edition.introduction_en = "An introduction."
    edition.introduction_es = "Una introducción."
    assert missing_translation_languages(edition) == ["fr", "pt", "ru"]

    edition.original_language = "es"
    edition.title_pt = edition.title_ru = "x"
    edition.introduction_pt = edition.introduction_ru = edition.introduction_fr = "x"
    assert missing_translation_languages(edition) == []


def test_missing_translations_on_the_other_changelists(secretariat_client, dataset):
    for model in (Initiative, Organisation, Theme):
        response = secretariat_client.get(admin_url(model, "changelist"))
        assert '<td class="field-missing_translations">fr, es, pt, ru</td>' in (
            response.content.decode()
        ), model
