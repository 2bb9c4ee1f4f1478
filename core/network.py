"""The address of the person behind a request, through the reverse proxies we trust.

Behind a proxy, ``REMOTE_ADDR`` is the proxy's address for every visitor. Each proxy appends the
address it received the connection from to ``X-Forwarded-For``, so with ``TRUSTED_PROXY_COUNT``
proxies in front of the app (1 for the nginx of docs/deployment.md), the visitor's address is
the ``TRUSTED_PROXY_COUNT``-th entry from the right: what a visitor writes in the header
themselves stands further left and is never read. (django-ipware's ``proxy_count`` counts the
entries differently — a lone nginx appending the client gives it nothing — so the rule is here,
in its few lines.)
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    """The visitor's address: ``REMOTE_ADDR`` with no trusted proxy, else the address the
    nearest trusted proxy saw; ``REMOTE_ADDR`` again when the header is missing or malformed
    (a request that did not come through the proxies)."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    if count <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < count:
        return remote
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
