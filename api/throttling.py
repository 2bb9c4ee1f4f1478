"""The API's throttle: so many requests per client address (``core.network``, through the
proxies we trust) and period (``API_THROTTLE_RATE``, e.g. ``120/m``), counted in the cache."""

from __future__ import annotations

from django.conf import settings
from ninja.throttling import SimpleRateThrottle

from core.network import client_ip


class ClientRateThrottle(SimpleRateThrottle):
    scope = "api"

    def __init__(self) -> None:
        super().__init__(rate=settings.API_THROTTLE_RATE)

    def allow_request(self, request) -> bool:
        # Read the rate at each request, so that a changed setting (a test's) applies.
        self.rate = settings.API_THROTTLE_RATE
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request) -> str:
        return f"api:throttle:{client_ip(request)}"
