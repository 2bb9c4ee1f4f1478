"""Country fields that hold several countries (django-countries stores them as "BO,BR")."""

from __future__ import annotations

from django.core.signals import setting_changed
from django.db import connection
from django.db.models import CharField, F, Func, QuerySet, Value
from django.dispatch import receiver
from django.utils.translation import get_language
from django_countries import countries


def distinct_codes(queryset: QuerySet, field: str = "countries") -> list[str]:
    """The country codes found in ``field`` over ``queryset``, each once, sorted: one query,
    and on PostgreSQL the codes are split and made distinct in the database, so the answer is
    a few hundred codes at most however many rows there are."""
    queryset = queryset.order_by()
    if connection.vendor != "postgresql":
        codes: set[str] = set()
        for value in queryset.values_list(field, flat=True):
            codes.update(code for code in (value or "").split(",") if code)
        return sorted(codes)
    split = Func(F(field), Value(","), function="string_to_array")
    return sorted(
        queryset.annotate(country_code=Func(split, function="unnest", output_field=CharField()))
        .values_list("country_code", flat=True)
        .distinct()
    )


_names: dict[tuple[str | None, str], str] = {}


def country_name(code: str) -> str:
    """django-countries' name of ``code`` in the active language (``Country(code).name``),
    worked out once per language and code: a list of a hundred initiatives names each of their
    countries, and each name costs a lookup and a translation."""
    key = (get_language(), code)
    name = _names.get(key)
    if name is None:
        name = _names[key] = countries.name(code)
    return name


@receiver(setting_changed)
def _forget_names(*, setting, **kwargs) -> None:
    if setting.startswith("COUNTRIES_"):
        _names.clear()
