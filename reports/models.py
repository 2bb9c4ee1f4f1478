"""Progress reports on funded initiatives, their attachments and the reminder log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.files import PhotoField, PrivatePath
from core.models import ContentLanguage, StatusChangeBase
from grants.models import Activity, BudgetLine, Indicator, Initiative, LineOfAction
from programme.models import ReportKind

from .workflow import ReportStatus

# The statuses in which the grantee writes the report; it is "open" (and may be overdue) then.
EDITABLE_STATUSES = (
    ReportStatus.SCHEDULED,
    ReportStatus.DRAFT,
    ReportStatus.CHANGES_REQUESTED,
)


class Report(models.Model):
    initiative = models.ForeignKey(
        Initiative, verbose_name=_("initiative"), on_delete=models.PROTECT, related_name="reports"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ReportKind.choices)
    period_start = models.DateField(_("period starts on"))
    period_end = models.DateField(_("period ends on"))
    due_on = models.DateField(_("due on"), db_index=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ReportStatus.choices,
        default=ReportStatus.SCHEDULED,
        db_index=True,
    )
    challenges = models.TextField(_("challenges"), blank=True)
    lessons = models.TextField(_("lessons learned"), blank=True)
    highlights = models.TextField(
        _("highlights"), blank=True, help_text=_("What the secretariat may publish.")
    )
    language = models.CharField(
        _("written in"), max_length=5, choices=ContentLanguage.choices, default="en"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    # Optimistic locking: a save carries the version it was read at; a stale one is refused.
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "kind", "period_start"], name="report_unique_period"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="report_period_in_order",
                violation_error_message=_("The reporting period must end after it starts."),
                violation_error_code="dates_out_of_order",
            ),
        ]
        indexes = [
            # The dashboard's counts (due soon, overdue, submitted) and the overdue list
            # filter read the reports to act on by status and due date, not every report.
            models.Index(fields=["status", "due_on"], name="report_status_due_on"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.initiative}"

    def get_absolute_url(self) -> str:
        return reverse("portal:report", kwargs={"pk": self.pk})

    @property
    def is_editable(self) -> bool:
        """The grantee may still write in it (before submission, or when sent back)."""
        return self.status in EDITABLE_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_editable and self.due_on < timezone.localdate()


class ReportStatusChange(StatusChangeBase):
    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="history"
    )

    class Meta(StatusChangeBase.Meta):
        verbose_name = _("report status change")
        verbose_name_plural = _("report status changes")


class Narrative(models.Model):
    """What was done under one line of action during the period."""

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="narratives"
    )
    line_of_action = models.ForeignKey(
        LineOfAction,
        verbose_name=_("line of action"),
        on_delete=models.PROTECT,
        related_name="narratives",
    )
    text = models.TextField(_("narrative"), blank=True)

    class Meta:
        ordering = ["report", "line_of_action__order"]
        verbose_name = _("narrative")
        verbose_name_plural = _("narratives")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "line_of_action"], name="narrative_unique_line"
            ),
        ]

    def __str__(self) -> str:
        return str(self.line_of_action)


class ActivityProgress(models.Model):
    report = models.ForeignKey(
        Report,
        verbose_name=_("report"),
        on_delete=models.CASCADE,
        related_name="activity_progress",
    )
    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.PROTECT, related_name="progress"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Activity.Status.choices, default=Activity.Status.PLANNED
    )
    percent_complete = models.PositiveSmallIntegerField(_("percent complete"), default=0)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["report", "activity__order"]
        verbose_name = _("activity progress")
        verbose_name_plural = _("activity progress")
        constraints = [
            models.UniqueConstraint(fields=["report", "activity"], name="progress_unique_activity"),
            models.CheckConstraint(
                condition=Q(percent_complete__lte=100),
                name="progress_percent_at_most_100",
                violation_error_message=_("Progress cannot be more than 100 percent."),
                violation_error_code="out_of_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity}: {self.percent_complete}%"


class IndicatorValue(models.Model):
    report = models.ForeignKey(
        Report,
        verbose_name=_("report"),
        on_delete=models.CASCADE,
        related_name="indicator_values",
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="values"
    )
    value = models.DecimalField(
        _("value reached"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["report", "indicator__order"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="value_unique_indicator"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value}"


class Spending(models.Model):
    """Money spent on one budget line during the period, in the initiative's currency."""

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="spending"
    )
    budget_line = models.ForeignKey(
        BudgetLine, verbose_name=_("budget line"), on_delete=models.PROTECT, related_name="spending"
    )
    amount = models.DecimalField(_("amount spent"), max_digits=12, decimal_places=2, default=0)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["report", "budget_line__order"]
        verbose_name = _("spending")
        verbose_name_plural = _("spending")
        constraints = [
            models.UniqueConstraint(fields=["report", "budget_line"], name="spending_unique_line"),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="spending_not_negative",
                violation_error_message=_("Spending cannot be negative."),
                violation_error_code="amount_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.budget_line}: {self.amount}"


class ReportVersion(models.Model):
    """A frozen copy of a report as it was saved or submitted, for comparison and history."""

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    content = models.JSONField(_("content"))
    status = models.CharField(_("status"), max_length=20, choices=ReportStatus.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)

    class Meta:
        ordering = ["report", "-number"]
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="version_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.report} v{self.number}"


class ReportSection(models.TextChoices):
    """The parts of a report the secretariat can comment on, in the order of the form."""

    NARRATIVES = "narratives", _("Narrative per line of action")
    ACTIVITIES = "activities", _("Progress of activities")
    INDICATORS = "indicators", _("Indicators")
    SPENDING = "spending", _("Spending")
    CHALLENGES = "challenges", _("Challenges")
    LESSONS = "lessons", _("Lessons learned")
    HIGHLIGHTS = "highlights", _("Highlights")
    ATTACHMENTS = "attachments", _("Files and photos")


class ReviewComment(models.Model):
    """The secretariat's comment on one section of a submitted version, asking for changes."""

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="review_comments"
    )
    version = models.ForeignKey(
        ReportVersion,
        verbose_name=_("version reviewed"),
        on_delete=models.CASCADE,
        related_name="review_comments",
    )
    section = models.CharField(_("section"), max_length=20, choices=ReportSection.choices)
    text = models.TextField(_("comment"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["report", "-version__number", "pk"]
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "section"], name="review_comment_once_per_section"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} – {self.get_section_display()}"


class Attachment(models.Model):
    class Kind(models.TextChoices):
        FILE = "file", _("File")
        PHOTO = "photo", _("Photo")

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.FILE)
    file = models.FileField(
        _("file"), upload_to=PrivatePath("reports", "report_id"), max_length=255
    )
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    caption = models.CharField(_("caption"), max_length=400, blank=True)
    is_publishable = models.BooleanField(
        _("may be published"),
        default=False,
        help_text=_("The people shown agreed that the photo may be published."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["report", "uploaded_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        constraints = [
            models.CheckConstraint(
                condition=Q(size__gt=0),
                name="attachment_not_empty",
                violation_error_message=_("A file cannot be empty."),
                violation_error_code="empty_file",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name


class PublicResultQuerySet(models.QuerySet):
    def shown(self) -> PublicResultQuerySet:
        """What the public pages show: published, and for a photo, still with consent."""
        return self.filter(is_published=True).filter(
            Q(kind=PublicResult.Kind.HIGHLIGHTS) | Q(attachment__is_publishable=True)
        )


class PublicResult(models.Model):
    """A result of a grant on its public page: the highlights of an accepted final report, or
    one of its photos the people shown agreed to publish, chosen by the secretariat.

    The text is the grantee's highlights (or the photo's caption) in the report's language; the
    secretariat may translate it. A photo is shown from a copy under ``MEDIA_ROOT/public/``
    made when it is published and deleted when it is withdrawn: the report's own file stays
    private.
    """

    class Kind(models.TextChoices):
        HIGHLIGHTS = "highlights", _("Highlights")
        PHOTO = "photo", _("Photo")

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.PROTECT, related_name="public_results"
    )
    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("initiative"),
        on_delete=models.PROTECT,
        related_name="public_results",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    attachment = models.OneToOneField(
        Attachment,
        verbose_name=_("photo of the report"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="public_result",
    )
    text = models.TextField(_("highlights"), blank=True)
    caption = models.CharField(_("caption"), max_length=400, blank=True)
    photo = PhotoField(_("published copy of the photo"), upload_to="public/results/", blank=True)
    original_language = models.CharField(
        _("original language"), max_length=5, choices=ContentLanguage.choices, default="en"
    )
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawn by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = PublicResultQuerySet.as_manager()

    class Meta:
        ordering = ["initiative", "kind", "pk"]
        verbose_name = _("published result")
        verbose_name_plural = _("published results")
        constraints = [
            models.UniqueConstraint(
                fields=["report"],
                condition=Q(kind="highlights"),
                name="public_result_one_highlights_per_report",
            ),
            models.CheckConstraint(
                condition=Q(kind="highlights", attachment__isnull=True)
                | Q(kind="photo", attachment__isnull=False),
                name="public_result_photo_has_attachment",
                violation_error_message=_("A published photo comes from a photo of the report."),
                violation_error_code="photo_without_attachment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.initiative}"


class Reminder(models.Model):
    """The log of reminders: one row per report, person, kind and sequence, sent once."""

    class Kind(models.TextChoices):
        DUE_14 = "due_14", _("Due in 14 days")
        DUE_3 = "due_3", _("Due in 3 days")
        OVERDUE = "overdue", _("Overdue")
        # Sent now by someone of the secretariat ("Send a reminder now"), not by the daily scan.
        MANUAL = "manual", _("Sent by the secretariat")

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="reminders"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    sequence = models.PositiveSmallIntegerField(
        _("sequence"), default=0, help_text=_("Overdue reminders repeat weekly: 0, 1, 2…")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # Who sent a manual reminder; empty for the daily scan's.
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "recipient", "kind", "sequence"], name="reminder_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.report}"
