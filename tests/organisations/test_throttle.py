"""Password guessing is slowed down without anyone being able to lock a chosen person, or
everyone behind the proxy, out (finding 3)."""

import pytest
from django.core.cache import cache
from django.test import Client

from organisations import throttle
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"
URLS = ["/en/accounts/login/", "/en/admin/login/"]


def attempt(client, url, password, email="grantee@example.org", address=None):
    extra = {"HTTP_X_FORWARDED_FOR": address} if address else {}
    return client.post(url, {"username": email, "password": password}, **extra)


def refused(response) -> bool:
    return "Too many failed attempts" in response.content.decode()


@pytest.fixture(autouse=True)
def behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    cache.clear()


@pytest.fixture
def grantee():
    return UserFactory(email="grantee@example.org", is_staff=True)


@pytest.mark.parametrize("url", URLS)
def test_repeated_wrong_passwords_refuse_that_address_for_that_account(url, grantee):
    guesser = Client()
    for _n in range(throttle.PAIR_LIMIT):
        assert not refused(attempt(guesser, url, "nope", address="198.51.100.7"))
    # Even the right password is refused now: the guesser cannot tell it was right.
    locked = attempt(guesser, url, PASSWORD, email="Grantee@Example.org", address="198.51.100.7")
    assert refused(locked)
    assert "_auth_user_id" not in guesser.session
    # The owner, from their own address, logs in as always.
    assert attempt(Client(), url, PASSWORD, address="203.0.113.20").status_code == 302


@pytest.mark.parametrize("url", URLS)
def test_one_visitor_behind_the_proxy_does_not_lock_everyone_out(url, grantee):
    """Every request reaches the app from the proxy's address; the visitor's is read from
    X-Forwarded-For through the one trusted proxy."""
    UserFactory(email="other@example.org", is_staff=True)
    for n in range(throttle.ADDRESS_LIMIT):
        attempt(Client(), url, "nope", email=f"someone{n}@example.org", address="198.51.100.7")
    assert refused(attempt(Client(), url, PASSWORD, address="198.51.100.7"))
    ok = attempt(Client(), url, PASSWORD, email="other@example.org", address="203.0.113.20")
    assert ok.status_code == 302


def test_a_spoofed_forwarded_address_changes_nothing(grantee):
    """What a visitor writes in X-Forwarded-For stands left of what the proxy appends."""
    for n in range(throttle.PAIR_LIMIT):
        attempt(Client(), URLS[0], "nope", address=f"10.9.9.{n}, 198.51.100.7")
    assert refused(attempt(Client(), URLS[0], PASSWORD, address="1.2.3.4, 198.51.100.7"))


def test_guesses_from_many_addresses_do_not_lock_the_owner_out(grantee):
    owner = Client()
    assert attempt(owner, URLS[0], PASSWORD, address="203.0.113.20").status_code == 302
    owner.post("/en/accounts/logout/")  # as a browser: the other cookies stay
    for n in range(throttle.ACCOUNT_LIMIT):
        attempt(Client(), URLS[0], "nope", address=f"198.51.100.{n}")
    # A browser the account does not know is refused now, wherever it is...
    assert refused(attempt(Client(), URLS[0], PASSWORD, address="192.0.2.99"))
    # ...but the owner, in the browser they logged in with before, is not.
    assert attempt(owner, URLS[0], PASSWORD, address="203.0.113.77").status_code == 302


def test_without_a_trusted_proxy_the_connection_address_counts(settings, grantee):
    settings.TRUSTED_PROXY_COUNT = 0
    for _n in range(throttle.PAIR_LIMIT):
        # The header is ignored: anyone can write it.
        attempt(Client(), URLS[0], "nope", address="198.51.100.7")
    assert refused(attempt(Client(), URLS[0], PASSWORD, address="203.0.113.20"))
