"""Slowing down password guessing without letting anyone lock a chosen person, or everyone, out.

Failures are counted for 15 minutes, in the cache (shared by every worker when ``REDIS_URL`` is
set), under three keys:

- the account *and* the visitor's address (``core.network.client_ip``, through the trusted
  proxies): after 5 failures that pair is refused — a stranger guessing locks only themselves;
- the visitor's address, whatever the accounts: after 50 failures that address is refused —
  the guesser's own address, never everyone behind the proxy;
- the account, from any address: after 20 failures the account refuses further attempts from
  browsers it does not know. A browser is known once someone logged into the account with it
  (a signed cookie, ``core.browsers``), so a stranger spreading guesses over many addresses
  slows down to a halt while the owner, in their usual browser, logs in as always.

When the cache does not answer (Redis down), it counts nothing (``core.cache``): logging in
still works, and the passwords (and the staff's second factor) still hold.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache

from core.browsers import account_key, known_accounts
from core.network import client_ip

WINDOW_SECONDS = 15 * 60
PAIR_LIMIT = 5
ADDRESS_LIMIT = 50
ACCOUNT_LIMIT = 20


@dataclass
class Attempt:
    """One login attempt: who it is for and where it comes from."""

    account: str
    address: str
    known_browser: bool

    @classmethod
    def of(cls, request, email: str) -> Attempt:
        account = account_key(email)
        return cls(
            account=account,
            address=client_ip(request) if request is not None else "",
            known_browser=request is not None and account in known_accounts(request),
        )

    def keys(self) -> list[tuple[str, int]]:
        keys = [
            (f"login-failures:pair:{self.account}:{self.address}", PAIR_LIMIT),
            (f"login-failures:address:{self.address}", ADDRESS_LIMIT),
        ]
        if not self.known_browser:
            keys.append((f"login-failures:account:{self.account}", ACCOUNT_LIMIT))
        return keys

    def is_refused(self) -> bool:
        counts = cache.get_many([key for key, _limit in self.keys()])
        return any(counts.get(key, 0) >= limit for key, limit in self.keys())

    def failed(self) -> None:
        # The account's counter counts from every browser, known or not.
        keys = [key for key, _limit in self.keys()]
        keys.append(f"login-failures:account:{self.account}")
        for key in dict.fromkeys(keys):
            cache.add(key, 0, WINDOW_SECONDS)
            cache.incr(key)

    def succeeded(self) -> None:
        cache.delete(f"login-failures:pair:{self.account}:{self.address}")
