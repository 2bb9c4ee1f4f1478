"""Template helpers of the public site: language links and the translation-fallback note."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language_info

from programme.translation import active_language, resolve_translation

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """One entry per site language: the current page's address in that language."""
    path = context["request"].get_full_path()
    current = active_language()
    return [
        {
            "code": code,
            "name": get_language_info(code)["name_local"],
            "url": translate_url(path, code),
            "is_current": code == current,
        }
        for code, _name in settings.LANGUAGES
    ]


@register.inclusion_tag("includes/fallback_note.html")
def fallback_note(instance, field_name: str) -> dict:
    """A short note where the text shown is in another language than the visitor's."""
    _value, language = resolve_translation(instance, field_name)
    if language is None or language == active_language():
        return {"language": None}
    return {"language": language, "language_name": get_language_info(language)["name_translated"]}
