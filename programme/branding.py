"""A programme's colours: hex values checked for WCAG 2.1 AA contrast (4.5:1 for normal text)
against the text they carry, so any colours the back office accepts keep the pages readable.

The primary colour is the programme's band behind white text and the colour of its links and
buttons on the white page; the tint is a light background behind the body text.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
WHITE = "#ffffff"
BODY_TEXT = "#212529"  # Bootstrap's body colour, the text the tint carries
AA_NORMAL_TEXT = 4.5

# Suggested palettes (primary, tint), each passing the checks below; shown in the back office.
PALETTES = {
    "indigo": ("#3b2f8f", "#eeecfa"),
    "teal": ("#0b5d5b", "#e6f4f3"),
    "crimson": ("#9b1c31", "#fbecee"),
    "forest": ("#2f5d1e", "#edf5e9"),
    "navy": ("#1f4e79", "#eaf2fa"),
}


def relative_luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of a "#rrggbb" colour."""

    def channel(hex_pair: str) -> float:
        value = int(hex_pair, 16) / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio of two colours, from 1 (same) to 21 (black on white)."""
    light, dark = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def validate_hex_colour(value: str) -> None:
    if not HEX.match(value or ""):
        raise ValidationError(
            _("Enter a colour as # followed by six hexadecimal digits, for example #1f4e79."),
            code="invalid_colour",
        )


def contrast_problem(colour: str, text: str) -> str | None:
    """Why ``colour`` cannot carry ``text`` (under AA contrast for normal text), or None."""
    if not HEX.match(colour or ""):
        return None  # the format check says why
    ratio = contrast_ratio(colour, text)
    if ratio >= AA_NORMAL_TEXT:
        return None
    return _(
        "The contrast of %(colour)s with %(text)s is %(ratio)s:1; at least 4.5:1 is needed "
        "(WCAG AA) for text to stay readable."
    ) % {"colour": colour, "text": text, "ratio": f"{int(ratio * 100) / 100:.2f}"}


def validate_primary_colour(value: str) -> None:
    """The primary colour carries white text and is the link colour on the white page."""
    problem = contrast_problem(value, WHITE)
    if problem:
        raise ValidationError(problem, code="low_contrast")


def validate_tint_colour(value: str) -> None:
    """The tint is a background behind the body text."""
    problem = contrast_problem(value, BODY_TEXT)
    if problem:
        raise ValidationError(problem, code="low_contrast")


def palette_help() -> str:
    return ", ".join(f"{name} {primary} / {tint}" for name, (primary, tint) in PALETTES.items())
