"""What the secretariat's screens record: requests about personal data (exports and erasures,
by whom and when) and the runs of the retention schedule."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
