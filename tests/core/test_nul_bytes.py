"""A NUL character in a request is refused with a 400 in the reader's language (finding 10:
each of these addresses was a server error, PostgreSQL refusing NUL in text)."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session

from organisations.models import User

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/en/search/?q=%00",
        "/en/search/?q=water%00",
        "/en/initiatives/?country=%00",
        "/en/initiatives/?theme=a%00b",
        "/en/accounts/invitations/%00/",
        "/en/accounts/password/reset/%00/x/",
        "/en/calls/%00/",
        "/en/%00/",
    ],
)
def test_a_nul_in_the_address_is_a_bad_request(client, url):
    response = client.get(url)
    assert response.status_code == 400
    html = response.content.decode()
    assert "contained a character that is not allowed" in html
    assert "Nothing was changed." in html


def test_the_refusal_is_in_the_readers_language(client):
    response = client.get("/fr/search/?q=%00")
    assert response.status_code == 400
    assert "Requête incorrecte" in response.content.decode()


def test_a_nul_in_a_posted_field_changes_nothing(client):
    users = User.objects.count()
    response = client.post(
        "/en/accounts/login/", {"username": "someone\x00@example.org", "password": "x"}
    )
    assert response.status_code == 400
    assert User.objects.count() == users
    assert not Session.objects.exists()


def test_ordinary_requests_pass(client):
    assert client.get("/en/search/?q=water").status_code == 200
    assert client.get("/en/initiatives/?country=BO").status_code == 200
