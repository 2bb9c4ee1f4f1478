"""The world map of the funding explorer, drawn on the server as an inline ``<svg>`` that fits
the site's Content-Security-Policy: no script, no style, nothing from another address.

The countries come from pygal's world map (pygal_maps_world), simplified once to the size the
map is drawn at and kept in ``world-map.json`` (``public.map_shapes``, rebuilt by
``manage.py build_world_map``): 68 KB instead of 778 KB, read once per process. A request only
joins the countries' paths. Colours come from the site's style sheet (``.funding-map`` in
static/css/site.css), each shaded country's shade from a ``fill-opacity`` attribute (pygal's
scale: 0.3 for the smallest amount to 1 for the largest), and each shaded country says its
name and amount in a ``<title>`` (the browser's own tooltip). The picture has a title and a
description for assistive technology; the page puts the same figures in a table next to it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from decimal import Decimal
from functools import cache

from django.utils.html import escape

from core.money import format_money

from .map_shapes import SHAPES_FILE, VIEWBOX


@cache
def country_paths() -> tuple[tuple[str, str], ...]:
    """Each country's ISO code (lower case) and its path data, in the file's order."""
    return tuple(json.loads(SHAPES_FILE.read_text()).items())


def world_map(
    amounts: Iterable[tuple[str, Decimal]],
    *,
    currency: str,
    title: str,
    description: str,
    names: dict[str, str],
    element_id: str = "funding-map",
) -> str:
    """An inline ``<svg>`` of the world where each country of ``amounts`` (ISO code, amount in
    ``currency``) is shaded by its amount; ``names`` gives each code's name in the visitor's
    language. No script, no style, no outside address in it."""
    exact = {code.lower(): amount for code, amount in amounts if amount}
    smallest = min(exact.values(), default=0)
    spread = max(exact.values(), default=0) - smallest
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="funding-map" viewBox="{VIEWBOX}" '
        f'role="img" aria-labelledby="{element_id}-title {element_id}-desc" id="{element_id}">'
        f'<title id="{element_id}-title">{escape(title)}</title>'
        f'<desc id="{element_id}-desc">{escape(description)}</desc>'
    ]
    for code, d in country_paths():
        amount = exact.get(code)
        if amount is None:
            parts.append(f'<path class="country" d="{d}"/>')
            continue
        shade = 0.3 + 0.7 * float((amount - smallest) / spread) if spread else 1.0
        label = f"{names.get(code.upper(), code.upper())}: {format_money(amount, currency)}"
        parts.append(
            f'<path class="country funded {code}" fill-opacity="{shade:.2f}" d="{d}">'
            f"<title>{escape(label)}</title></path>"
        )
    parts.append("</svg>")
    return "".join(parts)
