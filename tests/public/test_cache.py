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


def cached_pages() -> int:
    from django.core.cache import cache

    return sum(1 for key in cache._cache if ":public:" in key and "generation" not in key)


def test_query_parameters_a_page_does_not_use_add_no_cache_entry(client):
    """Finding 5: random ``?utm=`` values added a cache entry each, for a day."""
    assert client.get("/en/initiatives/")["X-Page-Cache"] == "miss"
    for n in range(20):
        response = client.get(f"/en/initiatives/?utm_source=x{n}&fbclid={n}")
        assert response["X-Page-Cache"] == "hit"
    assert client.get("/en/?utm_campaign=spring")["X-Page-Cache"] == "miss"
    assert client.get("/en/?ref=mail")["X-Page-Cache"] == "hit"
    assert cached_pages() == 2


def test_the_parameters_a_page_uses_still_make_their_own_pages(client):
    assert client.get("/en/initiatives/?country=bo")["X-Page-Cache"] == "miss"
    # The same filter, whatever else is added, in any order: one entry.
    assert client.get("/en/initiatives/?utm=1&country=bo")["X-Page-Cache"] == "hit"
    assert client.get("/en/initiatives/?country=pl")["X-Page-Cache"] == "miss"
    assert client.get("/en/search/?q=harm")["X-Page-Cache"] == "miss"
    assert client.get("/en/search/?q=harm&x=1")["X-Page-Cache"] == "hit"
    assert cached_pages() == 3


def test_links_drawn_by_a_cached_page_carry_no_foreign_parameter(client):
    html = client.get("/en/initiatives/?country=BO&evil=%22onmouseover").text
    assert "evil" not in html


def test_a_change_makes_the_pages_stale_again_when_it_is_committed(
    django_capture_on_commit_callbacks,
):
    """A page read between a save and its commit shows the old content: kept under the
    generation the save started, it must not outlive the commit."""
    from public.cache import generation

    edition = open_edition()
    before = generation()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        edition.save()
        during = generation()
    assert during > before
    for callback in callbacks:
        callback()
    assert generation() > during


def test_the_sitemap_comes_from_the_cache_for_a_reader_with_a_session_and_pages_do_not(
    client, settings
):
    open_edition()
    client.cookies[settings.SESSION_COOKIE_NAME] = "any-session"
    for path in ("/sitemap.xml", "/sitemap-initiatives.xml"):
        first, second = client.get(path), client.get(path)
        assert first.status_code == second.status_code == 200
        assert second["X-Page-Cache"] == "hit" and second.content == first.content
    client.get("/en/")
    assert "X-Page-Cache" not in client.get("/en/")
