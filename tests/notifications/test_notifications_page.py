"""The portal's list of the notifications a person received: their own only."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications.models import Notification
from notifications.services import notification_send, notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/en/accounts/notifications/"


def received(user, n, **kw):
    notification = notify(
        kind="report_accepted",
        key=f"event-{n}",
        recipient=user,
        path="/en/portal/",
        context={
            "initiative": f"Initiative {n}",
            "organisation": "ACME",
            "report_kind": "interim",
            "comment": "",
        },
        **kw,
    )
    notification_send(notification_id=notification.pk)
    return notification


def test_logging_in_is_required(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_person_sees_their_own_notifications_only(client):
    ana = UserFactory(email="ana@example.org")
    other = UserFactory(email="other@example.org")
    received(ana, 1)
    received(other, 2)
    # Sent to Ana's address before she had an account (her invitation).
    notify(
        kind="invitation",
        key="invitation:1",
        email="ana@example.org",
        language="en",
        context={"organisation": "ACME", "inviter": "Bo", "expires_on": "2026-12-31"},
    )
    client.force_login(ana)

    response = client.get(URL)

    assert response.status_code == 200
    text = response.text
    assert "Report accepted: interim report of Initiative 1" in text
    assert "Initiative 2" not in text
    assert "Invitation to join an organisation" in text
    assert "Being sent" in text and "Sent" in text
    assert '<a href="/en/portal/">' in text


def test_an_empty_list_says_so(client):
    client.force_login(UserFactory())
    assert "You have not received any notification yet." in client.get(URL).text


def test_the_queries_do_not_grow_with_the_notifications(client):
    ana = UserFactory()
    client.force_login(ana)
    received(ana, 0)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for n in range(1, 30):
        received(ana, n)
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL)
    assert len(many) == len(few)
    assert response.text.count("<tr>") == 1 + 25  # header row + one page
    assert "Page 1 of 2" in response.text
    assert Notification.objects.filter(recipient=ana).count() == 30
