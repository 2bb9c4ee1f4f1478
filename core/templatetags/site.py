"""Template helpers of every page: language links, the translation-fallback note, money and
responsive photos."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language_info

from core.images import make_thumbnails
from core.money import format_money
from core.translation import active_language, resolve_translation

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


@register.filter
def money(amount, currency: str = "") -> str:
    """An amount in the visitor's number format, followed by its currency code."""
    return format_money(amount, currency)


@register.inclusion_tag("includes/responsive_image.html")
def responsive_image(image_file, alt: str, sizes: str = "(min-width: 992px) 50vw, 100vw"):
    """<img> with a WebP srcset made from an upload; nothing when there is no image."""
    if not image_file:
        return {"thumbnails": []}
    try:
        thumbnails = make_thumbnails(image_file.name)
    except (OSError, ValueError):
        # A missing or broken file must not take the page down: show no photo.
        return {"thumbnails": []}
    return {"thumbnails": thumbnails, "alt": alt, "sizes": sizes, "fallback": thumbnails[-1]}


@register.simple_tag(takes_context=True)
def image_share_url(context, image_file) -> str:
    """Absolute address of an upload's largest thumbnail, for Open Graph previews."""
    if not image_file:
        return ""
    try:
        largest = make_thumbnails(image_file.name)[-1]
    except (OSError, ValueError):
        return ""
    return context["request"].build_absolute_uri(largest.url)
