"""The outbox of emails to people, and the secretariat's daily schedule of background jobs."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from core.models import ContentLanguage
from core.timezones import validate_time_zone


class Notification(models.Model):
    """One email to one person about one event: the outbox and the log of what was sent.

    ``key`` names the event (for example ``report:12:due_14``); with the kind and the address it
    is unique, so the same notification is recorded, and sent, once whatever runs twice.
    ``kind`` is one of the kinds the apps register (``notifications.registry``).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=50)
    key = models.CharField(_("event"), max_length=200)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    email = models.EmailField(_("email address"))
    language = models.CharField(
        _("language"), max_length=5, choices=ContentLanguage.choices, default="en"
    )
    context = models.JSONField(_("content"), default=dict, blank=True)
    path = models.CharField(_("link"), max_length=500, blank=True)
    # Who the email speaks for ("programme:3", ``notifications.registry.resolve_sender``);
    # empty: the site itself.
    sender = models.CharField(_("sender"), max_length=50, blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                Lower("email"), "kind", "key", name="notification_once_per_event"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="notification_status_created")
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.email}"


def default_time_zone() -> str:
    return settings.TIME_ZONE


def default_run_at() -> datetime.time:
    return datetime.time(7, 0)


class ScheduledJob(models.Model):
    """A job Celery beat starts once a day at a time the secretariat chooses, in a time zone.

    ``job`` is the key of a job an app registered (``notifications.registry.ScheduledTask``).
    Beat ticks every few minutes (SCHEDULE_TICK_SECONDS); a tick starts the job when its local
    time has come and ``last_run_on`` is before today, claiming the day with one conditional
    UPDATE, so overlapping ticks start it once.
    """

    job = models.CharField(_("job"), max_length=100, unique=True)
    is_enabled = models.BooleanField(_("enabled"), default=True)
    run_at = models.TimeField(
        _("runs at"), default=default_run_at, help_text=_("Time of day, in the time zone below.")
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=default_time_zone,
        validators=[validate_time_zone],
        help_text=_("For example Europe/Paris, America/Bogota or UTC."),
    )
    last_run_on = models.DateField(
        _("last run on"),
        null=True,
        blank=True,
        help_text=_("The day (in the time zone above) the job last started."),
    )
    last_run_at = models.DateTimeField(_("last started at"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("last finished at"), null=True, blank=True)
    last_result = models.CharField(_("last result"), max_length=300, blank=True)

    class Meta:
        ordering = ["job"]
        verbose_name = _("scheduled job")
        verbose_name_plural = _("scheduled jobs")

    def __str__(self) -> str:
        from .registry import job_label

        return job_label(self.job)


class StaffNote(models.Model):
    """An internal note of the secretariat on an application, an initiative or a report.

    One generic model in this low layer (a content type and an id) rather than a model per
    domain app: the thread, its form, its mentions and their emails are the same for every
    kind of object, and the notifications app already sends the mentions; the domain apps only
    show the thread on their back-office pages (``notifications.admin.StaffNotesMixin``), and
    the reviewer's page shows the notes marked for reviewers. No domain model points back
    here, so no grantee page, public page, API or export can reach a note by a relation.
    """

    content_type = models.ForeignKey(
        "contenttypes.ContentType",
        verbose_name=_("kind of object"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    object_id = models.PositiveBigIntegerField(_("object id"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="staff_notes",
    )
    text = models.TextField(_("note"))
    is_for_reviewers = models.BooleanField(
        _("for reviewers"),
        default=False,
        help_text=_("Reviewers of the application read it on their review page."),
    )
    mentioned = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("people notified"),
        blank=True,
        related_name="staff_note_mentions",
    )
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("staff note")
        verbose_name_plural = _("staff notes")
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "created_at"], name="staffnote_thread"
            )
        ]

    def __str__(self) -> str:
        return f"{self.author} – {self.created_at:%Y-%m-%d %H:%M}" if self.created_at else ""
