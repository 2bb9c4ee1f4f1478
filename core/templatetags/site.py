"""Template helpers of every page: language links, the translation-fallback note, money and
responsive photos."""

from urllib.parse import unquote, urlsplit, urlunsplit

from django import template
from django.conf import settings
from django.db.models import Model
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.html import format_html
from django.utils.translation import get_language_info, override

from core.images import page_thumbnails
from core.money import format_money
from core.translation import active_language, resolve_translation

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """One entry per site language: the current page's address in that language (Django's
    ``translate_url``, with the address resolved once rather than once per language)."""
    path = context["request"].get_full_path()
    current = active_language()
    parsed = urlsplit(path)
    try:
        match = resolve(unquote(parsed.path))
    except Resolver404:
        match = None
    return [
        {
            "code": code,
            "name": get_language_info(code)["name_local"],
            "url": _in_language(path, parsed, match, code),
            "is_current": code == current,
        }
        for code, _name in settings.LANGUAGES
    ]


def _in_language(path: str, parsed, match, code: str) -> str:
    if match is None:
        return path
    name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
    with override(code):
        try:
            url = reverse(name, args=match.args, kwargs=match.kwargs)
        except NoReverseMatch:
            return path
    return urlunsplit((parsed.scheme, parsed.netloc, url, parsed.query, parsed.fragment))


def shown_languages(args) -> list[str]:
    """The languages, other than the visitor's, that the texts named by ``args`` are shown in,
    in their order: ``args`` is objects (or lists of them) each followed by its field names."""
    current, objects, found = active_language(), [], []
    for arg in args:
        if isinstance(arg, str):
            for instance in objects:
                _value, language = resolve_translation(instance, arg)
                if language not in (None, current) and language not in found:
                    found.append(language)
        elif isinstance(arg, Model) or arg is None:
            objects = [arg] if arg is not None else []
        else:
            objects = list(arg)
    return found


@register.inclusion_tag("includes/fallback_note.html")
def fallback_note(*args) -> dict:
    """One note for a block of texts (``{% fallback_note edition "title" "introduction"
    edition.funders.all "acknowledgement" %}``) where some are shown in another language than
    the visitor's, naming the languages shown; nothing when every text is in the visitor's."""
    languages = shown_languages(args)
    names = ", ".join(str(get_language_info(code)["name_translated"]) for code in languages)
    return {"language": languages[0] if languages else None, "language_name": names}


@register.simple_tag
def lang_attr(instance, field_name: str) -> str:
    """` lang="xx"` for the element holding ``field_name`` of ``instance`` when that text is
    shown in another language than the page's (screen readers then read it in its own)."""
    _value, language = resolve_translation(instance, field_name)
    if language in (None, active_language()):
        return ""
    return format_html(' lang="{}"', language)


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
        thumbnails = page_thumbnails(image_file.name)
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
        largest = page_thumbnails(image_file.name)[-1]
    except (OSError, ValueError):
        return ""
    return context["request"].build_absolute_uri(largest.url)
