"""The edition's call settings: the window typed and shown in the call's time zone, the rules
of one row, translatable texts, and the back office's edition page."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from programme.admin import EditionAdminForm
from programme.models import Edition, EligibilityQuestion
from tests.factories import EditionFactory

from .factories import open_edition, secretariat_user

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


class WindowForm(EditionAdminForm):
    class Meta:
        model = Edition
        fields = [
            "application_opens_at",
            "application_closes_at",
            "application_time_zone",
            "period_start",
            "period_end",
        ]


def test_the_window_is_typed_in_the_calls_time_zone():
    edition = EditionFactory()
    form = WindowForm(
        {
            "application_opens_at": "2030-03-01 09:00",
            "application_closes_at": "2030-03-31 23:59",
            "application_time_zone": "Europe/Paris",
            "period_start": "2030-06-01",
            "period_end": "2030-12-31",
        },
        instance=edition,
    )
    assert form.is_valid(), form.errors
    form.save()
    edition.refresh_from_db()
    assert edition.application_closes_at == datetime.datetime(
        2030, 3, 31, 21, 59, tzinfo=datetime.UTC
    )
    assert edition.application_opens_at == datetime.datetime(2030, 3, 1, 8, 0, tzinfo=datetime.UTC)
    # Opened again, the form shows what was typed, not the UTC time.
    again = WindowForm(instance=edition)
    assert again.initial["application_closes_at"] == datetime.datetime(2030, 3, 31, 23, 59)


def test_an_unknown_time_zone_is_refused():
    form = WindowForm(
        {
            "application_time_zone": "Mars/Olympus",
            "period_start": "2030-06-01",
            "period_end": "2030-12-31",
        },
        instance=EditionFactory(),
    )
    assert not form.is_valid()
    assert "not a time zone name" in form.errors["application_time_zone"][0]


def test_row_rules():
    edition = open_edition()
    edition.application_closes_at = edition.application_opens_at
    with pytest.raises(ValidationError) as error:
        edition.full_clean()
    assert "application_closes_at" in error.value.message_dict
    edition = open_edition()
    edition.application_closes_at = None
    with pytest.raises(ValidationError, match="or neither"):
        edition.full_clean()
    edition = open_edition()
    with pytest.raises(IntegrityError), transaction.atomic():
        Edition.objects.filter(pk=edition.pk).update(min_reviewers_per_application=0)


def test_call_texts_are_translatable_with_the_original_language_fallback():
    edition = open_edition(
        original_language="fr",
        eligibility_rules_en="",
        eligibility_rules_fr="Les groupes communautaires.",
        application_guidance_es="Cuéntenos.",
    )
    question = EligibilityQuestion.objects.create(edition=edition, text_fr="Êtes-vous un groupe ?")
    with translation.override("es"):
        assert edition.eligibility_rules == "Les groupes communautaires."
        assert edition.application_guidance == "Cuéntenos."
        assert question.text == "Êtes-vous un groupe ?"


def test_edition_admin_page_has_the_call_settings(client):
    edition = open_edition()
    client.force_login(secretariat_user())
    content = client.get(reverse("admin:programme_edition_change", args=[edition.pk])).content
    content = content.decode()
    for name in (
        "application_time_zone",
        "eligibility_rules_fr",
        "application_guidance_ru",
        "allow_multiple_applications",
        "hide_applicant_identity",
        "min_reviewers_per_application",
        "tranche_plan_lines-TOTAL_FORMS",
        "eligibility_questions-0-text_en",
        "eligibility_questions-0-failure_reason_es",
    ):
        assert f'name="{name}"' in content, name
    # The stored window is shown in the call's time zone.
    local = edition.application_closes_at.astimezone(PARIS)
    assert f'value="{local:%Y-%m-%d}"' in content
    assert f'value="{local:%H:%M:%S}"' in content
