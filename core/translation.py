"""Translated content (django-modeltranslation) with a fallback to the object's own language.

modeltranslation falls back through one global list of languages. Content here has an original
language per object (an edition written in French, an initiative in Spanish): where the
visitor's language has no text, the original is the best fallback, then the global list.
Fields registered with ``register_translated`` read in this order: the active language, the
object's ``original_language``, then the global fallback list.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import get_language
from modeltranslation.fields import TranslationFieldDescriptor
from modeltranslation.translator import TranslationOptions, translator
from modeltranslation.utils import build_localized_fieldname, fallbacks_enabled


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
    order = [getattr(instance, "original_language", None)]
    order += list(settings.MODELTRANSLATION_FALLBACK_LANGUAGES)
    seen = {current}
    for language in order:
        if not language or language in seen:
            continue
        seen.add(language)
        value = getattr(instance, build_localized_fieldname(field_name, language), None)
        if value not in (None, ""):
            return value, language
    return "", None


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
