"""``{{ report|label:"status" }}`` and ``{% status_badge value label %}``: a row's status as
words and as a badge, cheap enough for the portal's lists (a grantee's home shows a badge for
every report and payment of every initiative)."""

from __future__ import annotations

from functools import cache

from django import template
from django.utils.encoding import force_str
from django.utils.html import format_html

register = template.Library()


@cache
def _labels(field) -> dict:
    return dict(field.flatchoices)


@register.filter
def label(instance, field_name: str) -> str:
    """``instance.get_<field_name>_display()``, without what Django's costs on every call: a
    dictionary of the field's choices made again, hashing each translated label (which
    translates it)."""
    field = instance._meta.get_field(field_name)
    value = getattr(instance, field.attname)
    return force_str(_labels(field).get(value, value), strings_only=True)


# The badge's colour for a status value; every other value is a light badge.
BADGE_CLASSES = {
    "accepted": "text-bg-success",
    "approved": "text-bg-success",
    "paid": "text-bg-success",
    "submitted": "text-bg-primary",
    "payable": "text-bg-primary",
    "changes_requested": "text-bg-warning",
    "cancelled": "text-bg-secondary",
}


@register.simple_tag
def status_badge(value, label) -> str:
    return format_html(
        '<span class="badge {}">{}</span>', BADGE_CLASSES.get(value, "text-bg-light border"), label
    )
