"""Cache of anonymous public pages, per path (the path carries the language) and the query
parameters the page uses — nothing else, so ``?utm=…`` variants share one entry.

Every page is stored under the current *content generation*. Publishing or editing public
content bumps the generation (``public.signals``), so every cached page is stale at once
without having to know which pages showed the object.

The cache is a help, never a need: when it does not answer (Redis down, ``core.cache``), pages
are served uncached and a change to public content still saves (its invalidation is skipped;
a Redis that restarts comes back empty, and entries live a day at most).
"""

from __future__ import annotations

import functools
import hashlib
import math

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Model
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone

from core import versions
from core.translation import active_language, reads_for_a_person

GENERATION_KEY = "public:generation"
TIMEOUT = 60 * 60 * 24
# A query value longer than this is cut: no page uses more (a search is cut at 200 too).
MAX_VALUE = 200


def generation(request: HttpRequest | None = None) -> int:
    """The current content generation; read once per ``request`` when one is given."""
    if request is not None:
        value = getattr(request, "_public_generation", None)
        if value is None:
            value = request._public_generation = generation()
        return value
    return versions.current(GENERATION_KEY)


def shared_data(request: HttpRequest, name: str, function):
    """What ``function()`` returns (rows for every visitor alike: pickled model instances, in
    every language), kept in the cache under ``name`` until public content changes."""
    key = f"data:{generation(request)}:{name}"
    kept = cache.get(key)  # (value,): a None found is kept too
    if kept is None:
        kept = (function(),)
        cache.set(key, kept, TIMEOUT)
    return kept[0]


@functools.cache
def settings_mark() -> str:
    """A short mark of the settings that change what a page says for the same content (the
    fallback chains of translated content): a restart with other settings starts afresh."""
    chains = sorted(settings.CONTENT_FALLBACK_LANGUAGES.items())
    return hashlib.sha256(repr(chains).encode()).hexdigest()[:8]


def fragment_key(name: str, vary, *, request: HttpRequest | None = None) -> str:
    """The cache key of a shared fragment of the public pages (``{% shared %}`` of the
    ``fragments`` template library): the same for every visitor who reads it in the same language
    while public content and the settings stay the same. ``vary`` is what else the fragment
    depends on (objects count by their primary key)."""
    parts = [
        f"{value._meta.label_lower}:{value.pk}" if isinstance(value, Model) else str(value)
        for value in vary
    ]
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]
    reader = "person" if reads_for_a_person() else "visitor"
    language = active_language()
    return f"fragment:{generation(request)}:{settings_mark()}:{language}:{reader}:{name}:{digest}"


class later:  # noqa: N801 (used like a function: ``later(countries_of, initiatives)``)
    """A value of a page's context worked out only when the template first reads it (and then
    kept): inside a shared fragment read from the cache, never."""

    def __init__(self, function, *args, **kwargs):
        self.function, self.args, self.kwargs = function, args, kwargs

    def __call__(self):
        if self.function is not None:
            self.value = self.function(*self.args, **self.kwargs)
            self.function = self.args = self.kwargs = None
        return self.value


def _next_generation() -> None:
    versions.renew(GENERATION_KEY)


def invalidate_public_pages(**_kwargs) -> None:
    """Signal receiver: any change to public content makes every cached page stale — at once,
    and again when the change is committed: a page read between the save and the commit still
    shows the old content, and would otherwise be kept under the new generation."""
    _next_generation()
    transaction.on_commit(_next_generation)


def used_query(request: HttpRequest, params: tuple[str, ...]) -> QueryDict:
    """The query parameters the page uses (the first value of each, cut to ``MAX_VALUE``),
    in a fixed order; every other parameter is dropped."""
    query = QueryDict(mutable=True)
    for name in params:
        value = request.GET.get(name)
        if value is not None:
            query[name] = value[:MAX_VALUE]
    return query


def shared_fragment(name: str, request: HttpRequest, make) -> str:
    """A part of a page that is the same for every visitor, signed in or not: ``make()``'s
    text, kept like the fragments of ``{% shared %}`` (``fragment_key``) for the path and
    ``request.GET``, cut to what the page uses by ``used_query``. For the pages that say who
    is signed in around content that does not depend on it."""
    key = fragment_key(name, (request.path, request.GET.urlencode()), request=request)
    text = cache.get(key)
    if text is None:
        text = make()
        cache.set(key, text, TIMEOUT)
    return text


def keep_until(response: HttpResponse, moments) -> HttpResponse:
    """Let ``cache_public_page`` keep ``response`` no later than the first of ``moments`` still
    to come (the next time a call opens or closes, when the page says whether it is open): a
    page that depends on the clock is never served stale."""
    now = timezone.now()
    coming = [moment for moment in moments if moment is not None and moment > now]
    if coming:
        response.cache_seconds = max(1, math.ceil((min(coming) - now).total_seconds()))
    return response


def call_moments(editions) -> list:
    """When the calls of ``editions`` open and close."""
    return [m for e in editions for m in (e.application_opens_at, e.application_closes_at)]


def call_states(editions) -> str:
    """What the calls of ``editions`` are now (open, closed…): a shared fragment that shows
    them varies with it."""
    return " ".join(f"{edition.pk}:{edition.call_state()}" for edition in editions)


def cache_public_page(view=None, *, params: tuple[str, ...] = (), personal: bool = True):
    """Serve anonymous GET requests from the cache; never cache for logged-in people.

    ``personal=False`` is for responses that never depend on who asks (the sitemap's XML: no
    header, no account link): they come from the cache for everyone, session or not.

    ``params`` names the query parameters the page reads; the view sees only those, with or
    without a session (so the links it draws, and its shared fragments, carry nothing else), and
    the cache key is the path and their values. A page
    stays in the cache until public content changes, for a day at most, or less when the view
    says so (``keep_until``).
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method not in {"GET", "HEAD"}:
                return view(request, *args, **kwargs)
            # Whoever reads the page, its links and shared fragments see only the parameters it
            # uses.
            query = used_query(request, params)
            request.GET = query
            request.META["QUERY_STRING"] = query.urlencode()
            if personal and settings.SESSION_COOKIE_NAME in request.COOKIES:
                return view(request, *args, **kwargs)
            digest = hashlib.sha256(request.META["QUERY_STRING"].encode()).hexdigest()[:32]
            key = f"public:{generation()}:{settings_mark()}:{request.path}:{digest}"
            cached = cache.get(key)
            if cached is not None:
                content, content_type = cached
                response = HttpResponse(content, content_type=content_type)
                response["X-Page-Cache"] = "hit"
                return response
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            if response.status_code == 200:
                timeout = min(TIMEOUT, getattr(response, "cache_seconds", TIMEOUT))
                cache.set(key, (response.content, response["Content-Type"]), timeout)
                response["X-Page-Cache"] = "miss"
            return response

        return wrapper

    return decorator(view) if view is not None else decorator
