"""A programme's colours: WCAG contrast computed right, and colours that would make text hard
to read refused with the reason, in the secretariat's language; reserved slugs refused."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from programme.branding import (
    BODY_TEXT,
    PALETTES,
    WHITE,
    contrast_ratio,
    relative_luminance,
)
from programme.models import Programme


def test_contrast_ratio_matches_wcag_reference_values():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1)
    # Order does not matter, and the WCAG examples: #767676 on white is just AA (4.54:1),
    # #777777 just fails (4.48:1).
    assert contrast_ratio("#ffffff", "#767676") == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert relative_luminance("#ffffff") == pytest.approx(1)


@pytest.mark.parametrize("name", sorted(PALETTES))
def test_every_suggested_palette_passes_aa(name):
    primary, tint = PALETTES[name]
    assert contrast_ratio(primary, WHITE) >= 4.5
    assert contrast_ratio(tint, BODY_TEXT) >= 4.5


def programme(**values) -> Programme:
    return Programme(name_en="Small grants", slug="small-grants", **values)


def errors_of(instance) -> dict:
    with pytest.raises(ValidationError) as raised:
        instance.full_clean()
    return raised.value.message_dict


@pytest.mark.django_db
def test_accessible_colours_are_accepted():
    programme(primary_colour="#0b5d5b", tint_colour="#e6f4f3").full_clean()


@pytest.mark.django_db
def test_a_primary_colour_too_light_for_white_text_is_refused_with_its_ratio():
    errors = errors_of(programme(primary_colour="#777777"))
    assert list(errors) == ["primary_colour"]
    # Cut, not rounded: a ratio just under 4.5 never shows as "4.50".
    assert "4.47:1" in errors["primary_colour"][0]
    assert "4.5:1" in errors["primary_colour"][0]


@pytest.mark.django_db
def test_a_tint_too_dark_for_body_text_is_refused():
    errors = errors_of(programme(tint_colour="#5a6b7c"))
    assert list(errors) == ["tint_colour"]


@pytest.mark.django_db
def test_a_colour_that_is_not_hex_is_refused_in_the_users_language():
    with translation.override("en"):
        errors = errors_of(programme(primary_colour="navy"))
    assert errors["primary_colour"] == [
        "Enter a colour as # followed by six hexadecimal digits, for example #1f4e79."
    ]
    # No CSS can be slipped in through a colour: the stylesheet only ever gets "#rrggbb".
    errors = errors_of(programme(tint_colour="#fff;}body{x"))
    assert "tint_colour" in errors


@pytest.mark.django_db
def test_a_slug_the_site_uses_is_refused():
    errors = errors_of(Programme(name_en="Editions", slug="editions"))
    assert list(errors) == ["slug"]
