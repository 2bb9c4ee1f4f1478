"""Pages that say whether a call is open are never served from the cache after it closes."""

import datetime
import time

import pytest
from django.utils import timezone

from tests.grants.factories import open_edition

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/en/", "/en/editions/"])
def test_a_page_that_says_a_call_is_open_expires_when_the_call_closes(client, url):
    open_edition(application_closes_at=timezone.now() + datetime.timedelta(seconds=2))
    first = client.get(url)
    assert first["X-Page-Cache"] == "miss"
    assert "Call for applications open until" in first.text
    assert client.get(url)["X-Page-Cache"] == "hit"
    time.sleep(2.5)  # the call has closed
    after = client.get(url)
    assert after["X-Page-Cache"] == "miss"
    assert "Call for applications open until" not in after.text


def test_pages_without_a_call_to_come_stay_cached_for_the_day(client):
    open_edition(
        application_opens_at=timezone.now() - datetime.timedelta(days=40),
        application_closes_at=timezone.now() - datetime.timedelta(days=10),
    )
    assert client.get("/en/editions/")["X-Page-Cache"] == "miss"
    time.sleep(1.1)
    assert client.get("/en/editions/")["X-Page-Cache"] == "hit"
