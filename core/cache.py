"""A Redis cache that degrades instead of failing: with Redis stopped or unreachable, reads
miss, writes are dropped, and the page is served uncached rather than as a server error.

Everything the site keeps in its cache can be rebuilt (public pages, login-failure counts), so
losing it for a while costs speed, never data. After a failure the backend leaves Redis alone
for ``RETRY_AFTER`` seconds (OPTIONS ``retry_after``), so that a Redis that hangs rather than
refuses costs one short timeout per process, not one per cache call; then it tries again.
"""

from __future__ import annotations

import logging
import time
from functools import wraps

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_AFTER = 5.0


def _degrading(fallback):
    """Wrap a cache method: while Redis is out (or on a Redis error), return ``fallback(*args)``
    instead of raising."""

    def decorate(method):
        @wraps(method)
        def wrapper(self, *args, **kwargs):
            if time.monotonic() < self._out_until:
                return fallback(*args, **kwargs)
            try:
                return method(self, *args, **kwargs)
            except RedisError as error:
                self._went_out(error)
                return fallback(*args, **kwargs)

        return wrapper

    return decorate


class ReusedRedisClient(RedisCacheClient):
    """Django's client builds a ``redis.Redis`` (and its table of a few hundred response
    callbacks) for every cache call; one per connection pool serves every call the same (it is
    thread-safe), which is most of a cached page's own cost."""

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        if id(pool) not in clients:
            clients[id(pool)] = self._client(connection_pool=pool)
        return clients[id(pool)]


class FailSafeRedisCache(RedisCache):
    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        self.retry_after = float(options.pop("retry_after", RETRY_AFTER))
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._class = ReusedRedisClient
        self._out_until = 0.0

    def _went_out(self, error: Exception) -> None:
        # Said once per outage (not once per call): the next failure after a retry says it again.
        logger.warning(
            "The cache (Redis) does not answer (%s): serving without it for %s s.",
            error,
            self.retry_after,
        )
        self._out_until = time.monotonic() + self.retry_after

    @property
    def is_out(self) -> bool:
        return time.monotonic() < self._out_until

    @_degrading(lambda key, value, timeout=DEFAULT_TIMEOUT, version=None: False)
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return super().add(key, value, timeout, version)

    @_degrading(lambda key, default=None, version=None: default)
    def get(self, key, default=None, version=None):
        return super().get(key, default, version)

    @_degrading(lambda key, value, timeout=DEFAULT_TIMEOUT, version=None: None)
    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return super().set(key, value, timeout, version)

    @_degrading(lambda key, timeout=DEFAULT_TIMEOUT, version=None: False)
    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return super().touch(key, timeout, version)

    @_degrading(lambda key, version=None: False)
    def delete(self, key, version=None):
        return super().delete(key, version)

    @_degrading(lambda keys, version=None: {})
    def get_many(self, keys, version=None):
        return super().get_many(keys, version)

    @_degrading(lambda key, version=None: False)
    def has_key(self, key, version=None):
        return super().has_key(key, version)

    # Counted from nothing while Redis is out: a counter (login failures) starts again.
    @_degrading(lambda key, delta=1, version=None: delta)
    def incr(self, key, delta=1, version=None):
        return super().incr(key, delta, version)

    @_degrading(lambda data, timeout=DEFAULT_TIMEOUT, version=None: list(data))
    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return super().set_many(data, timeout, version)

    @_degrading(lambda keys, version=None: None)
    def delete_many(self, keys, version=None):
        return super().delete_many(keys, version)

    @_degrading(lambda: None)
    def clear(self):
        return super().clear()
