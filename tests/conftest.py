import pytest
from django.utils import translation

from tests.twofactor import Client


@pytest.fixture(autouse=True)
def _english_by_default():
    """Each test starts in English, whatever the previous one activated."""
    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture
def client() -> Client:
    """The test client; staff it logs in have given their second factor (tests/twofactor.py)."""
    return Client()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: no page cached, no failed logins counted."""
    from django.core.cache import cache

    cache.clear()
    yield
