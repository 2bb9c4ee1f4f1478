"""Version counters kept in the shared cache: what a cached thing was made from is stale once
its counter moves on (the public pages' content generation, the dashboard's figures).

A counter that is missing (a cache emptied or restarted) starts again at 1; every key that
carries a counter's value then changes with it, so nothing stale is read. Without a working
cache (``core.cache``) reads give the starting value and nothing is kept anyway.
"""

from __future__ import annotations

from django.core.cache import cache


def current(key: str) -> int:
    """The counter's value, 1 when it is not there yet."""
    value = cache.get(key)
    if value is None:
        cache.add(key, 1, timeout=None)
        value = cache.get(key, 1)
    return value


def renew(key: str) -> None:
    """Move the counter on (from 1 when it is not there)."""
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 2, timeout=None)
