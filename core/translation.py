"""Translated content (django-modeltranslation) with a fallback to the object's own language.

modeltranslation falls back through one global list of languages. Content here has an original
language per object (an edition written in French, an initiative in Spanish). Fields registered
with ``register_translated`` read, on the public site, in the order of the visitor's language's
chain in ``settings.CONTENT_FALLBACK_LANGUAGES`` (by default: the visitor's language, then
English, then the object's ``original_language``: a Russian reader of a French original that
has an English translation reads the English), then the global fallback list as a last resort.

The signed-in portal reads for a person rather than a visitor (``reading_for_a_person``, set by
``portal.middleware.PersonalReadingMiddleware``): the person's language (the page's, which they
land on in their own), else the global list in its order, without putting the original first. A
grantee who reads Spanish sees an English title, with the note, rather than the French one the
secretariat started from: the list's first language is the programme's working language, the one
every grantee shares with the secretariat.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.translation import get_language
from modeltranslation.fields import TranslationFieldDescriptor
from modeltranslation.translator import TranslationOptions, translator
from modeltranslation.utils import (
    build_localized_fieldname,
    fallbacks_enabled,
    get_translation_fields,
)

_for_a_person: ContextVar[bool] = ContextVar("translated_for_a_person", default=False)


@contextlib.contextmanager
def reading_for_a_person() -> Iterator[None]:
    """Within the block, translated content falls back through the global list only (see the
    module), not to each object's original language first."""
    token = _for_a_person.set(True)
    try:
        yield
    finally:
        _for_a_person.reset(token)


def reads_for_a_person() -> bool:
    """True within ``reading_for_a_person`` (a cache of rendered content keys on it)."""
    return _for_a_person.get()


def active_language() -> str:
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


def resolve_translation(instance, field_name: str) -> tuple[str, str | None]:
    """Return (value, language it is in) for the active language, following the fallbacks.

    The language is None where no language has a value.
    """
    current = active_language()
    value = getattr(instance, build_localized_fieldname(field_name, current), None)
    if value not in (None, ""):
        return value, current
    if not fallbacks_enabled():
        return "", None
    # Only now ask for the original language: for some models it is read from a related row.
    original = None if _for_a_person.get() else getattr(instance, "original_language", None)
    for language in reading_order(current, original)[1:]:
        value = getattr(instance, build_localized_fieldname(field_name, language), None)
        if value not in (None, ""):
            return value, language
    return "", None


def reading_order(current: str, original: str | None) -> tuple[str, ...]:
    """The languages to read a translated field in, in order, for ``current`` and content
    first written in ``original``: reading as a visitor, the chain of ``current`` in
    ``settings.CONTENT_FALLBACK_LANGUAGES`` ("original" standing for ``original``); then the
    global fallback list; each language once (see the module).

    Worked out once per combination (a page of cards asks it for each text of each card)."""
    if not fallbacks_enabled():
        return (current,)
    key = (current, original, _for_a_person.get())
    order = _reading_orders.get(key)
    if order is None:
        order = _reading_orders[key] = _reading_order(current, original, for_a_person=key[2])
    return order


_reading_orders: dict[tuple, tuple[str, ...]] = {}


def _reading_order(current: str, original: str | None, *, for_a_person: bool) -> tuple[str, ...]:
    order = [current]
    chain = (
        ()
        if for_a_person
        else settings.CONTENT_FALLBACK_LANGUAGES.get(current, (current, "original"))
    )
    candidates = [original if code == "original" else code for code in chain]
    for language in [*candidates, *settings.MODELTRANSLATION_FALLBACK_LANGUAGES]:
        if language and language not in order:
            order.append(language)
    return tuple(order)


@receiver(setting_changed)
def _forget_reading_orders(*, setting, **kwargs) -> None:
    if setting in {"CONTENT_FALLBACK_LANGUAGES", "MODELTRANSLATION_FALLBACK_LANGUAGES"}:
        _reading_orders.clear()


def with_translations(*names: str) -> list[str]:
    """``names`` of translated fields (``"edition__title"`` too) with the fields of their
    translations, for ``only()``: a page that reads a title reads it in every language."""
    return [*names, *get_translation_fields(*names)]


def is_translated(instance, field_name: str) -> bool:
    """True where the field has text in the active language (no fallback needed)."""
    value = getattr(instance, build_localized_fieldname(field_name, active_language()), None)
    return value not in (None, "")


class OriginalLanguageDescriptor(TranslationFieldDescriptor):
    def __get__(self, instance, owner):
        if instance is None:
            return self
        value, _language = resolve_translation(instance, self.field.name)
        return value


def register_translated(model, fields: tuple[str, ...]) -> None:
    """Register ``fields`` of ``model`` with modeltranslation, reading with our fallback."""
    options = type(f"{model.__name__}TranslationOptions", (TranslationOptions,), {"fields": fields})
    translator.register(model, options)
    for name in fields:
        setattr(model, name, OriginalLanguageDescriptor(model._meta.get_field(name)))
