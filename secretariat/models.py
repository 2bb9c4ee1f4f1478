"""What the secretariat's screens record: exports of the back office's lists made by the worker
(``secretariat.exports``: who asked, for which list and filters, and the file, kept private and
for a few days), requests about personal data (exports and erasures, by whom and when) and the
runs of the retention schedule."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.files import PrivatePath


class Export(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Being prepared")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="exports",
    )
    model = models.CharField(_("list"), max_length=100)  # "app_label.model_name"
    query = models.TextField(_("filters"), blank=True)
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    language = models.CharField(_("language"), max_length=5)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    file = models.FileField(
        _("file"), upload_to=PrivatePath("exports", "requested_by_id"), blank=True, max_length=300
    )
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")

    def __str__(self) -> str:
        return self.filename or f"{self.model} ({self.format})"

    def get_absolute_url(self) -> str:
        return reverse("secretariat:export_download", kwargs={"pk": self.pk})

    @property
    def is_available(self) -> bool:
        return (
            self.status == self.Status.DONE
            and bool(self.file)
            and self.expires_at is not None
            and self.expires_at > timezone.now()
        )


class PersonalDataRequest(models.Model):
    """One export or erasure of what is held about a person or an organisation (or, by the
    retention schedule, one declined application anonymised). ``subject_label`` is the
    subject's name when it was exported; the erasure replaces it, in every request about the
    subject, by the name that replaced it."""

    class Kind(models.TextChoices):
        EXPORT = "export", _("export")
        ERASURE = "erasure", _("erasure")

    class Subject(models.TextChoices):
        PERSON = "person", _("person")
        ORGANISATION = "organisation", _("organisation")
        APPLICATION = "application", _("application")

    kind = models.CharField(_("request"), max_length=10, choices=Kind.choices)
    subject_type = models.CharField(_("about"), max_length=15, choices=Subject.choices)
    subject_id = models.PositiveIntegerField(_("number"))
    subject_label = models.CharField(_("subject"), max_length=200)
    # None: the retention schedule (the system).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    counts = models.JSONField(_("rows"), default=dict, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("personal data request")
        verbose_name_plural = _("personal data requests")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.subject_label}"


class RetentionRun(models.Model):
    """One run of the retention schedule, with what it did."""

    started_at = models.DateTimeField(_("started at"), auto_now_add=True, db_index=True)
    declined_before = models.DateTimeField(_("declined before"))
    drafts_before = models.DateTimeField(_("drafts untouched since"))
    applications_anonymised = models.PositiveIntegerField(
        _("declined applications anonymised"), default=0
    )
    drafts_deleted = models.PositiveIntegerField(_("drafts deleted"), default=0)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")

    def __str__(self) -> str:
        return str(self.started_at)
