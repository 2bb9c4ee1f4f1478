"""A form posted after the session expired: the person logs in again and finds their text."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from reports.services import report_submit
from tests.portal.factories import PASSWORD, saved_report
from tests.portal.test_reports import edit_url, form_data
from tests.twofactor import give_code

pytestmark = pytest.mark.django_db


LOGIN = "/en/accounts/login/"


def log_in(client: Client, login_url: str, email: str):
    return client.post(login_url, {"username": email, "password": PASSWORD})


def logged_in_before(client: Client, email: str) -> None:
    """This browser logged in through the login page (so it carries the known-browser cookie)
    and its session then ended on the server (expiry, clearsessions, a restart of the store)."""
    assert log_in(client, LOGIN, email).status_code == 302
    Session.objects.all().delete()


def test_the_text_typed_survives_an_expired_session(client, report, member):
    assert log_in(client, LOGIN, member.email).status_code == 302
    assert client.get(edit_url(report)).status_code == 200
    # The session ends on the server (expiry, clearsessions, a restart of the session store).
    Session.objects.all().delete()

    typed = form_data(report, challenges="Typed for an hour on a shared laptop.")
    response = client.post(edit_url(report), {**typed, "save": "1"})
    assert response.status_code == 302
    login_url = response["Location"]
    assert login_url.startswith("/en/accounts/login/")
    next_url = parse_qs(urlsplit(login_url).query)["next"][0]
    assert next_url.startswith(edit_url(report) + "?held=")
    report.refresh_from_db()
    assert report.challenges == ""  # nothing saved without a login

    login_page = client.get(login_url).content.decode()
    assert "what you typed will be waiting for you" in login_page
    back = log_in(client, login_url, member.email)
    assert back.status_code == 302 and back["Location"] == next_url
    page = client.get(next_url)
    html = page.content.decode()
    assert "Here is what you typed before you were logged out" in html
    assert "Typed for an hour on a shared laptop." in html

    # Saving from there keeps it for good, and the kept copy is let go.
    saved = client.post(next_url, {**typed, "save": "1"})
    assert saved.status_code == 302
    report.refresh_from_db()
    assert report.challenges == "Typed for an hour on a shared laptop."
    assert "Here is what you typed" not in client.get(next_url).content.decode()
    assert client.session.get("portal_held_posts") == {}


def test_the_kept_text_belongs_to_the_browser_that_typed_it(client, report, member):
    logged_in_before(client, member.email)
    response = client.post(
        edit_url(report), {**form_data(report, challenges="Private words."), "save": "1"}
    )
    next_url = parse_qs(urlsplit(response["Location"]).query)["next"][0]
    # Kept in this browser's session only: another browser, even logged in as a member, gets
    # the saved report for the same address, not the words typed here.
    other = Client()
    other.force_login(member)
    html = other.get(next_url).content.decode()
    assert "Private words." not in html and "Here is what you typed" not in html


def test_an_expired_session_on_other_forms_keeps_their_text_too(client, organisation, member):
    logged_in_before(client, member.email)
    url = f"/en/portal/organisations/{organisation.pk}/"
    response = client.post(url, {"description": "Who we are, typed at length.", "website": ""})
    next_url = parse_qs(urlsplit(response["Location"]).query)["next"][0]
    log_in(client, response["Location"], member.email)
    assert "Who we are, typed at length." in client.get(next_url).content.decode()


def test_an_expired_session_on_an_action_returns_to_the_page_it_came_from(client, initiative):
    workplan = f"/en/portal/initiatives/{initiative.pk}/workplan/"
    response = client.post(workplan + "submit/", HTTP_REFERER=f"http://testserver{workplan}")
    assert parse_qs(urlsplit(response["Location"]).query)["next"] == [workplan]
    # A referer from elsewhere is not followed.
    response = client.post(workplan + "submit/", HTTP_REFERER="https://evil.example/")
    assert parse_qs(urlsplit(response["Location"]).query)["next"] == ["/en/portal/"]


def test_the_secretariats_comments_survive_too(client, report, member, secretary):
    report_submit(report=saved_report(report, member), actor=member)
    logged_in_before(client, secretary.email)
    url = f"/en/secretariat/reports/{report.pk}/review/"
    response = client.post(url, {"section_spending": "Which receipts?", "request_changes": "1"})
    next_url = parse_qs(urlsplit(response["Location"]).query)["next"][0]
    log_in(client, response["Location"], secretary.email)
    give_code(client, secretary, next_url=next_url)  # staff give a code after the password
    assert "Which receipts?" in client.get(next_url).content.decode()
    report.refresh_from_db()
    assert report.status == "submitted"


def test_a_browser_that_never_logged_in_fills_no_session(client, report):
    """Anonymous posts to portal forms are not kept: otherwise anyone could fill the session
    store with rows of their own text."""
    for _ in range(3):
        response = client.post(
            edit_url(report), {**form_data(report, challenges="x" * 5000), "save": "1"}
        )
        assert response.status_code == 302
        assert "held=" not in response["Location"]
    assert not Session.objects.exists()
    # The login page says nothing will be waiting: nothing was kept.
    page = client.get(response["Location"]).content.decode()
    assert "what you typed will be waiting for you" not in page


def test_a_form_larger_than_any_of_ours_is_not_kept(client, report, member):
    logged_in_before(client, member.email)
    huge = {**form_data(report), "challenges": "x" * (300 * 1024), "save": "1"}
    response = client.post(edit_url(report), huge)
    assert "held=" not in response["Location"]
    assert all("portal_held_posts" not in s.get_decoded() for s in Session.objects.all())
