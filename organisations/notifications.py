"""The one notification dispatcher and the one list of notification types.

A flow calls ``notify`` inside its transaction; the notification is recorded at once (unique per
address, kind and event key, so a flow or task that runs twice records it once) and sent after
commit by the ``send_notification`` task, in the recipient's language, as an HTML email with a
plain-text alternative and a link back to the right page.

Sending (``notification_send``) holds the notification's row lock while the mail server takes
the message and marks it sent in the same transaction: a second copy of the task (a redelivery
after a worker died, a duplicate from the stale-notification sweep) waits for the lock, then sees
"sent" and does nothing. A worker that dies mid-send rolls its transaction back, so the
redelivered task sends it again: the message reaches the server once, except in the instant
between the server's "250 accepted" and our commit, which no protocol closes; the stable
Message-ID lets mail clients fold even that duplicate.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import smtplib
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import Notification

logger = logging.getLogger(__name__)

SECRETARIAT_GROUP = "Secretariat"


class Kind(models.TextChoices):
    INVITATION = "invitation", _("Invitation to join an organisation")
    APPLICATION_RECEIVED = "application_received", _("Application received")
    APPLICATION_RECEIVED_SECRETARIAT = (
        "application_received_secretariat",
        _("New application (secretariat)"),
    )
    MORE_INFO_REQUESTED = "more_info_requested", _("More information requested")
    APPLICATION_INELIGIBLE = "application_ineligible", _("Application not eligible")
    APPLICATION_WITHDRAWN = "application_withdrawn", _("Application withdrawn (secretariat)")
    APPLICATION_DECISION = "application_decision", _("Decision on an application")
    WORKPLAN_SUBMITTED = "workplan_submitted", _("Workplan submitted (secretariat)")
    WORKPLAN_APPROVED = "workplan_approved", _("Workplan approved")
    WORKPLAN_CHANGES_REQUESTED = "workplan_changes_requested", _("Changes requested to a workplan")
    REPORT_DUE_14 = "report_due_14", _("Report due in 14 days")
    REPORT_DUE_3 = "report_due_3", _("Report due in 3 days")
    REPORT_OVERDUE = "report_overdue", _("Report overdue")
    REPORT_SUBMITTED = "report_submitted", _("Report submitted (secretariat)")
    REPORT_ACCEPTED = "report_accepted", _("Report accepted")
    REPORT_CHANGES_REQUESTED = "report_changes_requested", _("Changes requested to a report")
    DISBURSEMENT_PAID = "disbursement_paid", _("Payment made")


# The context each kind's templates are written against: flows pass exactly these keys.
CONTEXT_KEYS: dict[str, tuple[str, ...]] = {
    Kind.INVITATION: ("organisation", "inviter", "expires_on"),
    Kind.APPLICATION_RECEIVED: ("title", "organisation", "edition"),
    Kind.APPLICATION_RECEIVED_SECRETARIAT: ("title", "organisation", "edition"),
    Kind.MORE_INFO_REQUESTED: ("title", "organisation", "comment"),
    Kind.APPLICATION_INELIGIBLE: ("title", "organisation", "comment"),
    Kind.APPLICATION_WITHDRAWN: ("title", "organisation", "comment"),
    Kind.APPLICATION_DECISION: (
        "title",
        "organisation",
        "decision",
        "amount",
        "currency",
        "message",
    ),
    Kind.WORKPLAN_SUBMITTED: ("initiative", "organisation"),
    Kind.WORKPLAN_APPROVED: ("initiative", "organisation", "comment"),
    Kind.WORKPLAN_CHANGES_REQUESTED: ("initiative", "organisation", "comment"),
    Kind.REPORT_DUE_14: ("initiative", "organisation", "report_kind", "due_on"),
    Kind.REPORT_DUE_3: ("initiative", "organisation", "report_kind", "due_on"),
    Kind.REPORT_OVERDUE: ("initiative", "organisation", "report_kind", "due_on"),
    Kind.REPORT_SUBMITTED: ("initiative", "organisation", "report_kind"),
    Kind.REPORT_ACCEPTED: ("initiative", "organisation", "report_kind", "comment"),
    Kind.REPORT_CHANGES_REQUESTED: ("initiative", "organisation", "report_kind", "comment"),
    Kind.DISBURSEMENT_PAID: (
        "initiative",
        "organisation",
        "tranche",
        "amount",
        "currency",
        "paid_on",
    ),
}

# Dates travel as "YYYY-MM-DD" text (JSON); the templates show them in the reader's format.
DATE_KEYS = ("due_on", "paid_on", "expires_on")
REPORT_LABELS = {"interim": _("interim report"), "final": _("final report")}


class Outcome(models.TextChoices):
    """What one sending attempt came to."""

    SENT = "sent"
    SKIPPED = "skipped"  # already sent or failed, or gone: nothing to do
    RETRY = "retry"  # the mail server failed for now: try again later
    FAILED = "failed"  # recorded as failed: no more attempts


def secretariat_users():
    """Active people of the Secretariat group: they receive the secretariat's notifications."""
    return get_user_model().objects.filter(is_active=True, groups__name=SECRETARIAT_GROUP)


def notify(
    *,
    kind: str,
    key: str,
    context: dict,
    path: str = "",
    recipient=None,
    email: str = "",
    language: str = "",
) -> Notification | None:
    """Record a notification for one person (a user, or an address with no account yet) and
    queue its sending after commit. Returns None when this event was already notified to them.

    ``context`` holds only JSON values (ids, names, dates as text); ``path`` is the site path the
    email links to (made absolute with SITE_URL).
    """
    if kind not in Kind.values:
        raise ValueError(f"Unknown notification kind {kind!r}")
    address = (recipient.email if recipient is not None else email).strip().lower()
    if not address:
        raise ValueError("A notification needs a recipient or an email address.")
    language = (recipient.language if recipient is not None else language) or (
        settings.LANGUAGE_CODE
    )
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                kind=kind,
                key=key,
                recipient=recipient,
                email=address,
                language=language,
                context=context,
                path=path,
            )
    except IntegrityError:
        return None  # Already recorded: this event reaches this person once.
    transaction.on_commit(lambda: enqueue(notification.pk))
    return notification


def notify_many(
    *,
    recipients: Iterable,
    kind: str,
    key: str,
    context: dict,
    url_name: str = "",
    url_kwargs: dict | None = None,
):
    """``notify`` each of ``recipients`` (users), each with a link to ``url_name`` in their own
    language; returns the notifications recorded now (not those recorded before)."""
    made = []
    for recipient in recipients:
        path = ""
        if url_name:
            with translation.override(recipient.language or settings.LANGUAGE_CODE):
                path = reverse(url_name, kwargs=url_kwargs)
        notification = notify(kind=kind, key=key, context=context, path=path, recipient=recipient)
        if notification is not None:
            made.append(notification)
    return made


def enqueue(notification_id: int) -> None:
    """Hand one notification to the worker. A broker that does not answer must not break the
    request that caused the notification (it is committed by now): the row stays queued and
    the stale-notification sweep hands it over again later."""
    from .tasks import send_notification

    try:
        send_notification.delay(notification_id)
    except Exception:  # kombu's OperationalError, a refused connection: the sweep retries.
        logger.exception("Could not queue notification %s; the sweep will.", notification_id)


def email_context(notification: Notification) -> dict:
    """The template context of a notification: what the flow passed, dates as dates, the
    report kind as words, and the absolute link."""
    context = dict(notification.context)
    for key in DATE_KEYS:
        if isinstance(context.get(key), str):
            with contextlib.suppress(ValueError):  # not a date: shown as given
                context[key] = datetime.date.fromisoformat(context[key])
    if "report_kind" in context:
        context["report_label"] = REPORT_LABELS.get(context["report_kind"], context["report_kind"])
    context["url"] = f"{settings.SITE_URL}{notification.path}" if notification.path else ""
    context["site_url"] = settings.SITE_URL
    context["recipient"] = notification.recipient
    return context


def render_notification(notification: Notification) -> tuple[str, str, str]:
    """(subject, text, html) of a notification, in its recipient's language (English when the
    language has no catalogue or a message has no translation yet)."""
    with translation.override(notification.language or settings.LANGUAGE_CODE):
        context = email_context(notification)
        subject = render_to_string(f"emails/{notification.kind}/subject.txt", context)
        text = render_to_string(f"emails/{notification.kind}/body.txt", context)
        html = render_to_string(f"emails/{notification.kind}/body.html", context)
    return " ".join(subject.split()), text.strip() + "\n", html


def message_id(notification: Notification) -> str:
    """The same Message-ID on every attempt, so that a copy that slipped through (server took
    it, worker died before recording it) is recognised as a duplicate by mail clients."""
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<notification-{notification.pk}@{domain}>"


def build_message(notification: Notification) -> EmailMultiAlternatives:
    subject, text, html = render_notification(notification)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.email],
        headers={
            "Message-ID": message_id(notification),
            # RFC 3834: no out-of-office replies to an automatic message.
            "Auto-Submitted": "auto-generated",
            "Content-Language": notification.language,
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def is_temporary(error: Exception) -> bool:
    """A mail-server error worth retrying: the connection failed or the server answered 4xx.
    A 5xx answer (address refused for good) and our own errors (a template) are final."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code < 500 for code, _message in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code < 500
    return isinstance(error, smtplib.SMTPException | OSError)


def notification_send(*, notification_id: int) -> Outcome:
    """Send one queued notification, at most once.

    Guarantees: the row is locked while the message goes out and marked sent in the same
    transaction (a concurrent or redelivered copy waits, then skips); every attempt is counted;
    a temporary mail-server error leaves it queued (RETRY) until NOTIFICATION_MAX_ATTEMPTS,
    then records it FAILED with the last error, as does any permanent error at once.
    """
    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if notification is None or notification.status != Notification.Status.QUEUED:
            return Outcome.SKIPPED
        notification.attempts += 1
        try:
            message = build_message(notification)
            notification.subject = message.subject[:300]
            message.send()
        except Exception as error:
            notification.error = f"{type(error).__name__}: {error}"[:2000]
            if is_temporary(error) and notification.attempts < settings.NOTIFICATION_MAX_ATTEMPTS:
                outcome = Outcome.RETRY
            else:
                outcome = Outcome.FAILED
                notification.status = Notification.Status.FAILED
                logger.error(
                    "Notification %s to %s failed after %s attempt(s): %s",
                    notification.pk,
                    notification.email,
                    notification.attempts,
                    notification.error,
                )
            notification.save(update_fields=["attempts", "error", "status", "subject"])
            return outcome
        notification.status = Notification.Status.SENT
        notification.sent_at = timezone.now()
        notification.error = ""
        notification.save(update_fields=["attempts", "error", "status", "subject", "sent_at"])
        return Outcome.SENT


def notifications_requeue_stale(*, older_than: datetime.timedelta) -> int:
    """Hand the worker again every notification still queued and never tried after
    ``older_than`` (its task was lost: the broker was down at commit, or restarted without its
    data). Safe to run often: a copy of a task that is still on its way only finds it sent."""
    cutoff = timezone.now() - older_than
    ids = list(
        Notification.objects.filter(
            status=Notification.Status.QUEUED, attempts=0, created_at__lt=cutoff
        ).values_list("pk", flat=True)[:1000]
    )
    for pk in ids:
        enqueue(pk)
    return len(ids)


@transaction.atomic
def notification_resend(*, notification: Notification) -> Notification:
    """Queue a failed notification again (the secretariat fixed the address or the mail
    server). A sent one is never sent again: raises ValueError."""
    locked = Notification.objects.select_for_update().get(pk=notification.pk)
    if locked.status != Notification.Status.FAILED:
        raise ValueError(gettext("Only a failed notification can be sent again."))
    locked.status = Notification.Status.QUEUED
    locked.attempts = 0
    locked.save(update_fields=["status", "attempts"])
    transaction.on_commit(lambda: enqueue(locked.pk))
    return locked
