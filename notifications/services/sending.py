"""The one notification dispatcher: every email the site sends goes through it.

A flow calls ``notify`` inside its transaction, with one of the kinds the apps registered
(``notifications.registry``); the notification is recorded at once (unique per
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
from decimal import Decimal
from email.headerregistry import Address
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from core.errors import DomainError
from core.money import format_amount

from ..models import Notification
from ..registry import NotificationKind, get_kind, resolve_sender

logger = logging.getLogger(__name__)


class NotificationError(DomainError):
    """A notification cannot be handled as asked."""


class Outcome(models.TextChoices):
    """What one sending attempt came to."""

    SENT = "sent"
    SKIPPED = "skipped"  # already sent or failed, or gone: nothing to do
    RETRY = "retry"  # the mail server failed for now: try again later
    FAILED = "failed"  # recorded as failed: no more attempts


def notify(
    *,
    kind: NotificationKind | str,
    key: str,
    context: dict,
    path: str = "",
    recipient=None,
    email: str = "",
    language: str = "",
    sender: str = "",
) -> Notification | None:
    """Record a notification for one person (a user, or an address with no account yet) and
    queue its sending after commit. Returns None when this event was already notified to them.

    ``context`` holds only JSON values (ids, names, dates as text) under exactly the keys the
    kind declares; ``path`` is the site path the email links to (made absolute with SITE_URL);
    ``sender`` who it speaks for ("programme:3", see ``notifications.registry``), else the site.
    An unknown kind or other keys are a programming error (``LookupError``, ``ValueError``).
    """
    declared = get_kind(kind.key if isinstance(kind, NotificationKind) else kind)
    if set(context) != set(declared.context):
        raise ValueError(
            f"A {declared.key} notification takes {sorted(declared.context)}, "
            f"not {sorted(context)}."
        )
    kind = declared.key
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
                sender=sender,
            )
    except IntegrityError:
        return None  # Already recorded: this event reaches this person once.
    transaction.on_commit(lambda: enqueue(notification.pk))
    return notification


def notify_many(
    *,
    recipients: Iterable,
    kind: NotificationKind | str,
    key: str,
    context: dict,
    url_name: str = "",
    url_kwargs: dict | None = None,
    sender: str = "",
):
    """``notify`` each of ``recipients`` (users), each with a link to ``url_name`` in their own
    language; returns the notifications recorded now (not those recorded before)."""
    made = []
    for recipient in recipients:
        path = ""
        if url_name:
            with translation.override(recipient.language or settings.LANGUAGE_CODE):
                path = reverse(url_name, kwargs=url_kwargs)
        notification = notify(
            kind=kind, key=key, context=context, path=path, recipient=recipient, sender=sender
        )
        if notification is not None:
            made.append(notification)
    return made


def notify_addresses(*, kind: NotificationKind | str, messages: Iterable[dict]) -> int:
    """``notify`` many people at once, in a fixed number of queries whatever their number (a
    secretariat deciding 150 small grants in one action): each message is a dict with ``key``,
    ``context``, ``email``, ``language`` and ``path``. Messages already recorded (same address,
    kind and key) are skipped, as with ``notify``. Returns how many were recorded now."""
    declared = get_kind(kind.key if isinstance(kind, NotificationKind) else kind)
    rows = []
    for message in messages:
        if set(message["context"]) != set(declared.context):
            raise ValueError(
                f"A {declared.key} notification takes {sorted(declared.context)}, "
                f"not {sorted(message['context'])}."
            )
        rows.append(
            Notification(
                kind=declared.key,
                key=message["key"],
                email=message["email"].strip().lower(),
                language=message.get("language") or settings.LANGUAGE_CODE,
                context=message["context"],
                path=message.get("path", ""),
            )
        )
    if not rows:
        return 0
    started = timezone.now()
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    # PostgreSQL does not return the ids of rows inserted with ON CONFLICT DO NOTHING: read back
    # the ones recorded by this call (still queued, created from now on).
    ids = list(
        Notification.objects.filter(
            kind=declared.key,
            key__in={row.key for row in rows},
            status=Notification.Status.QUEUED,
            created_at__gte=started,
        ).values_list("pk", flat=True)
    )
    if ids:
        transaction.on_commit(lambda: enqueue_many(ids))
    return len(ids)


def enqueue(notification_id: int) -> None:
    """Hand one notification to the worker. A broker that does not answer must not break the
    request that caused the notification (it is committed by now): the row stays queued and
    the stale-notification sweep hands it over again later."""
    from ..tasks import send_notification

    try:
        send_notification.delay(notification_id)
    except Exception:  # kombu's OperationalError, a refused connection: the sweep retries.
        logger.exception("Could not queue notification %s; the sweep will.", notification_id)


def enqueue_many(notification_ids: list[int]) -> None:
    """Hand many notifications to the worker in one message (``send_notifications`` fans them
    out); a broker that does not answer leaves them to the stale-notification sweep."""
    from ..tasks import send_notifications

    try:
        send_notifications.delay(notification_ids)
    except Exception:  # kombu's OperationalError, a refused connection: the sweep retries.
        logger.exception("Could not queue %s notifications; the sweep will.", len(notification_ids))


def email_context(notification: Notification) -> dict:
    """The template context of a notification, in the active language (the reader's): what the
    flow passed, dates as dates, amounts in the reader's number format, what the kind adds, and
    the absolute link."""
    kind = get_kind(notification.kind)
    context = dict(notification.context)
    for key in kind.dates:
        if isinstance(context.get(key), str):
            with contextlib.suppress(ValueError):  # not a date: shown as given
                context[key] = datetime.date.fromisoformat(context[key])
    for key in kind.amounts:
        if context.get(key) not in (None, ""):
            with contextlib.suppress(ArithmeticError, ValueError):  # not a number: as given
                context[key] = format_amount(Decimal(str(context[key])))
    if kind.more_context is not None:
        context.update(kind.more_context(notification.context))
    context["url"] = f"{settings.SITE_URL}{notification.path}" if notification.path else ""
    context["site_url"] = settings.SITE_URL
    context["recipient"] = notification.recipient
    sender = resolve_sender(notification.sender)
    context["site_name"] = gettext(settings.SITE_NAME)
    # Who the email speaks for, at its top and in its footer: the programme, or the site.
    context["brand"] = sender.name if sender is not None else context["site_name"]
    return context


def render_notification(notification: Notification) -> tuple[str, str, str]:
    """(subject, text, html) of a notification, in its recipient's language (English when the
    language has no catalogue or a message has no translation yet)."""
    with translation.override(notification.language or settings.LANGUAGE_CODE):
        context = email_context(notification)
        folder = get_kind(notification.kind).template_dir
        subject = render_to_string(f"{folder}/subject.txt", context)
        text = render_to_string(f"{folder}/body.txt", context)
        html = render_to_string(f"{folder}/body.html", context)
    return " ".join(subject.split()), text.strip() + "\n", html


def message_id(notification: Notification) -> str:
    """The same Message-ID on every attempt, so that a copy that slipped through (server took
    it, worker died before recording it) is recognised as a duplicate by mail clients."""
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<notification-{notification.pk}@{domain}>"


def sender_headers(notification: Notification) -> dict:
    """``from_email`` and ``reply_to`` of a notification: a programme's sender name on the
    site's own address (DEFAULT_FROM_EMAIL: mail servers sign and accept that one), replies
    to the programme's contact address; the site's defaults for the site's own emails."""
    with translation.override(notification.language or settings.LANGUAGE_CODE):
        sender = resolve_sender(notification.sender)
        if sender is None:
            return {"from_email": settings.DEFAULT_FROM_EMAIL, "reply_to": None}
        _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
        return {
            # Quoted where it needs to be; Django encodes a non-ASCII name when it sends.
            "from_email": str(Address(display_name=str(sender.display_name), addr_spec=address)),
            "reply_to": [sender.reply_to] if sender.reply_to else None,
        }


def build_message(notification: Notification) -> EmailMultiAlternatives:
    subject, text, html = render_notification(notification)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        **sender_headers(notification),
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
    server). A sent one is never sent again: raises ``NotificationError``."""
    locked = Notification.objects.select_for_update().get(pk=notification.pk)
    if locked.status != Notification.Status.FAILED:
        raise NotificationError(gettext("Only a failed notification can be sent again."))
    locked.status = Notification.Status.QUEUED
    locked.attempts = 0
    locked.save(update_fields=["status", "attempts"])
    transaction.on_commit(lambda: enqueue(locked.pk))
    return locked
