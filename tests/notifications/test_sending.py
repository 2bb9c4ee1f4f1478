"""The dispatcher and the send service, in-process: once per event, retried, then failed."""

import datetime
import smtplib

import pytest
from django.core import mail
from django.utils import timezone
from kombu.exceptions import OperationalError

from notifications import tasks
from notifications.models import Notification
from notifications.services import (
    Outcome,
    notification_resend,
    notification_send,
    notifications_requeue_stale,
    notify,
    notify_many,
)
from notifications.services.sending import NotificationError
from tests.factories import UserFactory

from .backends import FlakyBackend

pytestmark = pytest.mark.django_db

CONTEXT = {"initiative": "Harm reduction in Bolivia", "organisation": "ACME"}


@pytest.fixture
def flaky(settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.notifications.backends.FlakyBackend"}}
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    FlakyBackend.failures, FlakyBackend.tried = 0, 0
    FlakyBackend.error = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
    yield FlakyBackend
    FlakyBackend.failures, FlakyBackend.tried = 0, 0


def submit(user, key="event", **kwargs):
    return notify(
        kind="workplan_submitted",
        key=key,
        recipient=user,
        context=CONTEXT,
        path="/en/portal/",
        **kwargs,
    )


def test_a_notification_goes_out_after_commit_in_the_recipients_language(
    django_capture_on_commit_callbacks,
):
    user = UserFactory(email="Ana@Example.org", language="fr")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = submit(user)
        assert mail.outbox == []  # nothing before commit
    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.email == "ana@example.org"
    assert notification.language == "fr"
    assert notification.attempts == 1
    assert notification.subject == mail.outbox[0].subject
    assert mail.outbox[0].extra_headers["Content-Language"] == "fr"


def test_the_same_event_reaches_each_person_once(django_capture_on_commit_callbacks):
    users = [UserFactory(), UserFactory()]
    with django_capture_on_commit_callbacks(execute=True):
        made = notify_many(recipients=users, kind="workplan_submitted", key="k", context=CONTEXT)
        again = notify_many(recipients=users, kind="workplan_submitted", key="k", context=CONTEXT)
    assert len(made) == 2 and again == []
    assert len(mail.outbox) == 2


def test_an_unknown_kind_or_no_address_is_a_programming_error():
    with pytest.raises(LookupError, match="Unknown notification kind"):
        notify(kind="nope", key="k", context={}, email="a@example.org")
    with pytest.raises(ValueError, match="takes"):
        notify(kind="invitation", key="k", context={}, email="a@example.org")
    context = {"organisation": "ACME", "inviter": "Ana", "expires_on": "2026-12-31"}
    with pytest.raises(ValueError, match="needs a recipient"):
        notify(kind="invitation", key="k", context=context, email=" ")


def test_a_mail_server_that_fails_for_a_while_is_retried_until_it_works(
    flaky, django_capture_on_commit_callbacks
):
    flaky.failures = 2
    with django_capture_on_commit_callbacks(execute=True):
        notification = submit(UserFactory())
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.attempts == 3
    assert notification.error == ""
    assert len(mail.outbox) == 1


def test_after_the_last_retry_the_failure_is_recorded(flaky, django_capture_on_commit_callbacks):
    flaky.failures = None
    with django_capture_on_commit_callbacks(execute=True):
        notification = submit(UserFactory())
    notification.refresh_from_db()
    assert notification.status == Notification.Status.FAILED
    assert notification.attempts == 3
    assert notification.error == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert mail.outbox == []
    # A late copy of the task does nothing more.
    assert notification_send(notification_id=notification.pk) == Outcome.SKIPPED


def test_an_address_refused_for_good_is_not_retried(flaky):
    flaky.failures = None
    flaky.error = smtplib.SMTPRecipientsRefused({"x@example.org": (550, b"No such user")})
    notification = submit(UserFactory(), key="refused")
    assert notification_send(notification_id=notification.pk) == Outcome.FAILED
    notification.refresh_from_db()
    assert notification.attempts == 1
    assert "No such user" in notification.error


def test_a_busy_server_is_temporary(flaky):
    flaky.failures = None
    flaky.error = smtplib.SMTPSenderRefused(451, b"busy", "noreply@localhost")
    notification = submit(UserFactory(), key="busy")
    assert notification_send(notification_id=notification.pk) == Outcome.RETRY
    notification.refresh_from_db()
    assert notification.status == Notification.Status.QUEUED
    assert notification.attempts == 1


def test_a_broken_template_fails_at_once_without_retrying(monkeypatch):
    def broken(notification):
        raise KeyError("oops")

    monkeypatch.setattr("notifications.services.sending.render_notification", broken)
    notification = submit(UserFactory(), key="broken")
    assert notification_send(notification_id=notification.pk) == Outcome.FAILED
    notification.refresh_from_db()
    assert notification.status == Notification.Status.FAILED
    assert notification.attempts == 1


def test_sending_again_is_a_no_op():
    notification = submit(UserFactory(), key="twice")
    assert notification_send(notification_id=notification.pk) == Outcome.SENT
    assert notification_send(notification_id=notification.pk) == Outcome.SKIPPED
    assert notification_send(notification_id=0) == Outcome.SKIPPED
    assert len(mail.outbox) == 1


def test_the_retry_back_off_doubles_up_to_an_hour(settings):
    settings.NOTIFICATION_RETRY_BACKOFF = 30
    assert [tasks.retry_countdown(n) for n in range(3)] == [30, 60, 120]
    assert tasks.retry_countdown(20) == 3600


def test_a_broker_that_does_not_answer_does_not_break_the_flow(
    monkeypatch, django_capture_on_commit_callbacks
):
    def down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.send_notification, "delay", down)
    with django_capture_on_commit_callbacks(execute=True):
        notification = submit(UserFactory(), key="no-broker")
    notification.refresh_from_db()
    assert notification.status == Notification.Status.QUEUED
    assert notification.attempts == 0
    monkeypatch.undo()

    # The sweep hands it over once it is old enough.
    assert notifications_requeue_stale(older_than=datetime.timedelta(minutes=30)) == 0
    Notification.objects.filter(pk=notification.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=1)
    )
    assert notifications_requeue_stale(older_than=datetime.timedelta(minutes=30)) == 1
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert len(mail.outbox) == 1


def test_a_failed_notification_can_be_sent_again_once(flaky, django_capture_on_commit_callbacks):
    flaky.failures = None
    with django_capture_on_commit_callbacks(execute=True):
        notification = submit(UserFactory(), key="resend")
    flaky.failures = 0
    with django_capture_on_commit_callbacks(execute=True):
        notification_resend(notification=notification)
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert len(mail.outbox) == 1
    with pytest.raises(NotificationError, match="Only a failed notification"):
        notification_resend(notification=notification)


def test_the_secretariat_sends_failed_notifications_again_from_the_outbox(
    client, flaky, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import Group

    from core.staff import SECRETARIAT, sync_staff_groups

    flaky.failures = None
    with django_capture_on_commit_callbacks(execute=True):
        failed = submit(UserFactory(), key="outbox-failed")
    flaky.failures = 0
    with django_capture_on_commit_callbacks(execute=True):
        sent = submit(UserFactory(), key="outbox-sent")
    if not Group.objects.filter(name=SECRETARIAT).exists():
        sync_staff_groups()
    secretary = UserFactory(is_staff=True)
    secretary.groups.add(Group.objects.get(name=SECRETARIAT))
    client.force_login(secretary)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/en/admin/notifications/notification/",
            {"action": "send_again", "_selected_action": [failed.pk, sent.pk]},
            follow=True,
        )

    assert "1 notification queued again." in response.text
    failed.refresh_from_db()
    assert failed.status == Notification.Status.SENT
    assert len(mail.outbox) == 2  # the one sent before, and the failed one now
