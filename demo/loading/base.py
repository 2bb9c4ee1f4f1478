"""What every part of the demo loader shares: the tally of what a run did, and the upsert that
finds a row by its natural key and changes only what differs."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from modeltranslation.translator import NotRegistered, translator

LANGUAGES = [code for code, _name in settings.LANGUAGES]
# Texts the demo always gives in these languages: a text removed from the data is emptied.
BASE_LANGUAGES = ("en", "fr")


def translations(data: dict, *names: str) -> dict:
    """The ``<name>_<lang>`` values of ``data`` for each of ``names``: English and French always
    (empty where missing, so removals propagate) and every other language ``data`` gives."""
    values = {}
    for name in names:
        for language in LANGUAGES:
            key = f"{name}_{language}"
            if language in BASE_LANGUAGES or key in data:
                values[key] = data.get(key, "")
    return values


def base_fields(model: type[models.Model], names: list[str]) -> list[str]:
    """The untranslated columns behind the changed ``title_en``-style fields.

    modeltranslation keeps the original column (``title``) and fills it from the active language
    on save; saving with ``update_fields`` must name it too or it keeps the old text.
    """
    try:
        registered = translator.get_options_for_model(model).all_fields
    except NotRegistered:
        return []
    return sorted(
        base for base in registered if any(f"{base}_{code}" in names for code in LANGUAGES)
    )


def normalised(model: type[models.Model], values: dict) -> dict:
    """``values`` as the model's fields hold them, so that comparing finds no false change:
    amounts (written as text or numbers in YAML) as ``Decimal``."""
    result = dict(values)
    for name, value in values.items():
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if isinstance(model_field, models.DecimalField) and value is not None:
            result[name] = Decimal(str(value))
    return result


@dataclass
class Loader:
    """One run of the loader: the load day, what was found, and the tally of what changed."""

    reset_passwords: bool = False
    now: datetime.datetime = field(default_factory=timezone.now)
    tally: dict[str, Counter] = field(default_factory=dict)
    passwords: list[tuple[str, str | None]] = field(default_factory=list)
    contacts: list[str] = field(default_factory=list)
    # Rows by the keys the data files use.
    themes: dict = field(default_factory=dict)
    funders: dict = field(default_factory=dict)
    editions: dict = field(default_factory=dict)
    organisations: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)

    @property
    def today(self) -> datetime.date:
        """The load day, in the site's time zone: relative dates count from it."""
        return timezone.localdate(self.now)

    def count(self, model: type[models.Model], what: str, n: int = 1) -> None:
        key = str(model._meta.verbose_name_plural)
        self.tally.setdefault(key, Counter())[what] += n

    def upsert(
        self,
        model: type[models.Model],
        lookup: dict,
        values: dict,
        *,
        on_create: dict | None = None,
    ) -> tuple[models.Model, bool]:
        """Find the row by ``lookup``; create it, or save only the ``values`` that differ.

        Like ``update_or_create`` (and returns the same pair), but leaves unchanged rows
        untouched, ``updated_at`` included, so the summary can say what a run really changed.
        ``on_create`` values (relative dates, first passwords) are used only to create the row.
        """
        values = normalised(model, values)
        obj = model._default_manager.select_for_update().filter(**lookup).first()
        if obj is None:
            obj = model._default_manager.create(
                **lookup, **values, **normalised(model, on_create or {})
            )
            self.count(model, "created")
            return obj, True
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if not changed:
            self.count(model, "unchanged")
            return obj, False
        for name in changed:
            setattr(obj, name, values[name])
        auto_now = [f.name for f in model._meta.concrete_fields if getattr(f, "auto_now", False)]
        obj.save(update_fields=changed + base_fields(model, changed) + auto_now)
        self.count(model, "changed")
        return obj, False

    def ensure_published_at(self, obj: models.Model) -> None:
        # Kept from the first run: re-running the loader must not move the publication date.
        if obj.published_at is None:
            obj.published_at = self.now
            obj.save(update_fields=["published_at"])
