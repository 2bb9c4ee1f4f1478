"""Time zones: validating a zone name, reading one safely, and saying a moment in a zone."""

from __future__ import annotations

import datetime
import zoneinfo

from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext_lazy as _


def validate_time_zone(value: str) -> None:
    """A name of the IANA time zone database, such as Europe/Paris or America/La_Paz."""
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
        raise ValidationError(
            _("“%(value)s” is not a time zone name such as Europe/Paris or America/La_Paz."),
            code="invalid_time_zone",
            params={"value": value},
        ) from error


def zone_or_utc(name: str | None) -> zoneinfo.ZoneInfo:
    """The zone named ``name``, or UTC when the name is empty or unknown."""
    try:
        return zoneinfo.ZoneInfo(name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def format_in_zone(moment: datetime.datetime, name: str) -> str:
    """The moment as people read it where ``name`` is, followed by the zone's name.
    (``date_format`` keeps the moment's own zone, unlike the template filter.)"""
    local = moment.astimezone(zone_or_utc(name))
    return f"{formats.date_format(local, 'DATETIME_FORMAT')} ({name})"
