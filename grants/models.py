"""Applications to a call, their review, and the funded initiatives with their workplans."""

from __future__ import annotations

import pathlib
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from organisations.models import Organisation
from programme.models import (
    ContentLanguage,
    Edition,
    ReportKind,
    ReviewCriterion,
    StatusChangeBase,
    Theme,
    currency_field,
)

from .workflow import ApplicationStatus, DisbursementStatus, InitiativeStatus, WorkplanStatus


def money_field(verbose_name, **kwargs) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=12, decimal_places=2, **kwargs)


class Application(models.Model):
    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), on_delete=models.PROTECT, related_name="applications"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    title = models.CharField(_("project title"), max_length=250)
    summary = models.TextField(_("project summary"), blank=True)
    countries = CountryField(_("countries"), multiple=True, blank=True)
    places = models.CharField(_("places"), max_length=250, blank=True)
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), blank=True, related_name="applications"
    )
    lines_of_action = models.JSONField(
        _("lines of action"),
        default=list,
        blank=True,
        help_text=_("A list of {title, description}; copied to the initiative on approval."),
    )
    expected_results = models.TextField(_("expected results"), blank=True)
    requested_amount = money_field(_("requested amount"), null=True, blank=True)
    currency = currency_field()
    budget_outline = models.TextField(_("budget outline"), blank=True)
    language = models.CharField(
        _("written in"), max_length=5, choices=ContentLanguage.choices, default="en"
    )
    eligibility_answers = models.JSONField(
        _("eligibility answers"),
        default=dict,
        blank=True,
        help_text=_("The applicant's answer to each eligibility question, by question id."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
        db_index=True,
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications_created",
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.CheckConstraint(
                condition=Q(requested_amount__isnull=True) | Q(requested_amount__gt=0),
                name="application_amount_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.display_title}"

    def get_absolute_url(self) -> str:
        return reverse("calls:application", kwargs={"pk": self.pk})

    @property
    def display_title(self) -> str:
        return self.title or str(_("(untitled application)"))

    @property
    def is_editable(self) -> bool:
        """The applicant may change it: a draft, or sent back for more information."""
        return self.status in (ApplicationStatus.DRAFT, ApplicationStatus.MORE_INFO)


def attachment_path(instance: ApplicationAttachment, filename: str) -> str:
    # Private: never under media/public/, and a random name so the path reveals nothing.
    suffix = pathlib.Path(filename).suffix.lower()[:10]
    return f"private/applications/{instance.application_id}/{uuid.uuid4().hex}{suffix}"


class ApplicationAttachment(models.Model):
    """A document sent with an application (PDF, Word or Excel), checked by its content."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    description = models.CharField(_("description"), max_length=250, blank=True)
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
        ordering = ["application", "uploaded_at", "pk"]
        verbose_name = _("application attachment")
        verbose_name_plural = _("application attachments")

    def __str__(self) -> str:
        return self.original_name


class ApplicationStatusChange(StatusChangeBase):
    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="history",
    )

    class Meta(StatusChangeBase.Meta):
        verbose_name = _("application status change")
        verbose_name_plural = _("application status changes")


class ReviewAssignment(models.Model):
    class Conflict(models.TextChoices):
        UNDECLARED = "undeclared", _("Not declared yet")
        NONE = "none", _("No conflict of interest")
        CONFLICT = "conflict", _("Conflict of interest")

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        related_name="review_assignments",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    conflict = models.CharField(
        _("conflict of interest"),
        max_length=20,
        choices=Conflict.choices,
        default=Conflict.UNDECLARED,
    )
    conflict_note = models.TextField(_("conflict note"), blank=True)
    conflict_declared_at = models.DateTimeField(_("declared at"), null=True, blank=True)
    is_recused = models.BooleanField(_("recused"), default=False)

    class Meta:
        ordering = ["application", "reviewer"]
        verbose_name = _("review assignment")
        verbose_name_plural = _("review assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"], name="assignment_unique_reviewer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} – {self.application}"


class Review(models.Model):
    class Recommendation(models.TextChoices):
        YES = "yes", _("Fund")
        MAYBE = "maybe", _("Maybe")
        NO = "no", _("Do not fund")

    assignment = models.OneToOneField(
        ReviewAssignment,
        verbose_name=_("assignment"),
        on_delete=models.PROTECT,
        related_name="review",
    )
    recommendation = models.CharField(
        _("recommendation"), max_length=10, choices=Recommendation.choices, blank=True
    )
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["assignment"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return str(self.assignment)


class ReviewScore(models.Model):
    review = models.ForeignKey(
        Review, verbose_name=_("review"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        ReviewCriterion,
        verbose_name=_("criterion"),
        on_delete=models.PROTECT,
        related_name="scores",
    )
    score = models.PositiveSmallIntegerField(_("score"))

    class Meta:
        ordering = ["review", "criterion__order"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="score_unique_criterion"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"


class InitiativeQuerySet(models.QuerySet):
    def published(self) -> InitiativeQuerySet:
        return self.filter(is_published=True, edition__is_published=True)


class Initiative(models.Model):
    """A funded grant: what the public reads about and what the grantee reports on."""

    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), on_delete=models.PROTECT, related_name="initiatives"
    )
    lead_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("led by"),
        on_delete=models.PROTECT,
        related_name="initiatives",
    )
    application = models.OneToOneField(
        Application,
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="initiative",
    )
    title = models.CharField(_("title"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=100)
    countries = CountryField(_("countries"), multiple=True)
    coverage_label = models.CharField(
        _("coverage label"),
        max_length=120,
        blank=True,
        help_text=_("Shown instead of the country list, for example “International / Russia”."),
    )
    places = models.CharField(_("places"), max_length=250, blank=True)
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), blank=True, related_name="initiatives"
    )
    summary = models.TextField(_("summary"), blank=True)
    description = models.TextField(_("project description"), blank=True)
    expected_results = models.TextField(_("expected results"), blank=True)
    amount_awarded = money_field(_("amount awarded"))
    currency = currency_field()
    awarded_on = models.DateField(_("awarded on"), null=True, blank=True)
    period_start = models.DateField(_("starts on"))
    period_end = models.DateField(_("ends on"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=InitiativeStatus.choices,
        default=InitiativeStatus.AWARDED,
        db_index=True,
    )
    workplan_status = models.CharField(
        _("workplan status"),
        max_length=20,
        choices=WorkplanStatus.choices,
        default=WorkplanStatus.DRAFT,
    )
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    cover_photo = models.ImageField(_("cover photo"), upload_to="public/initiatives/", blank=True)
    cover_caption = models.CharField(_("cover caption"), max_length=400, blank=True)
    order = models.PositiveSmallIntegerField(_("order on the edition page"), default=0)
    original_language = models.CharField(
        _("original language"), max_length=5, choices=ContentLanguage.choices, default="en"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["edition", "order", "pk"]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        constraints = [
            models.UniqueConstraint(fields=["edition", "slug"], name="initiative_unique_slug"),
            models.CheckConstraint(
                condition=Q(amount_awarded__gt=0), name="initiative_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="initiative_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "public:initiative", kwargs={"edition": self.edition.slug, "slug": self.slug}
        )

    @property
    def coverage(self) -> str:
        """“International / Russia” where the secretariat set a label, else the country names."""
        return self.coverage_label or ", ".join(country.name for country in self.countries)


class InitiativeStatusChange(StatusChangeBase):
    """History of the initiative's status and of its workplan's (see ``workflow``)."""

    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("initiative"),
        on_delete=models.CASCADE,
        related_name="history",
    )

    class Meta(StatusChangeBase.Meta):
        verbose_name = _("initiative status change")
        verbose_name_plural = _("initiative status changes")


class LineOfAction(models.Model):
    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("initiative"),
        on_delete=models.CASCADE,
        related_name="lines_of_action",
    )
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["initiative", "order", "pk"]
        verbose_name = _("line of action")
        verbose_name_plural = _("lines of action")

    def __str__(self) -> str:
        return self.title

    @property
    def original_language(self) -> str:
        return self.initiative.original_language


class Activity(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("initiative"),
        on_delete=models.CASCADE,
        related_name="activities",
    )
    line_of_action = models.ForeignKey(
        LineOfAction,
        verbose_name=_("line of action"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
    )
    title = models.CharField(_("activity"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    budget = money_field(_("budget"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["initiative", "order", "starts_on", "pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="activity_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0),
                name="activity_budget_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Indicator(models.Model):
    """A workplan target that reports give values against."""

    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("initiative"),
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    line_of_action = models.ForeignKey(
        LineOfAction,
        verbose_name=_("line of action"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
    )
    name = models.CharField(_("indicator"), max_length=250)
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    baseline = models.DecimalField(
        _("baseline"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["initiative", "order", "pk"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.name


class BudgetLine(models.Model):
    """A line of the workplan budget, in the initiative's currency."""

    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("initiative"),
        on_delete=models.PROTECT,
        related_name="budget_lines",
    )
    line_of_action = models.ForeignKey(
        LineOfAction,
        verbose_name=_("line of action"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="budget_lines",
    )
    category = models.CharField(_("category"), max_length=120)
    description = models.CharField(_("description"), max_length=250, blank=True)
    amount = money_field(_("amount"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["initiative", "order", "pk"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="budgetline_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.category}: {self.amount}"


class Disbursement(models.Model):
    """A tranche of the grant: planned, payable once its condition is met, then paid."""

    class Condition(models.TextChoices):
        ON_SIGNATURE = "signature", _("On signature of the agreement")
        WORKPLAN_APPROVED = "workplan", _("When the workplan is approved")
        INTERIM_ACCEPTED = ReportKind.INTERIM.value, _("When the interim report is accepted")
        FINAL_ACCEPTED = ReportKind.FINAL.value, _("When the final report is accepted")

    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("initiative"),
        on_delete=models.PROTECT,
        related_name="disbursements",
    )
    tranche = models.PositiveSmallIntegerField(_("tranche"))
    amount = money_field(_("amount"))
    currency = currency_field()
    due_on = models.DateField(_("due on"), null=True, blank=True)
    condition = models.CharField(
        _("condition"), max_length=20, choices=Condition.choices, default=Condition.ON_SIGNATURE
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=DisbursementStatus.choices,
        default=DisbursementStatus.PLANNED,
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    reference = models.CharField(_("payment reference"), max_length=120, blank=True)

    class Meta:
        ordering = ["initiative", "tranche"]
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "tranche"], name="disbursement_unique_tranche"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="disbursement_amount_positive"),
            models.CheckConstraint(
                condition=~Q(status=DisbursementStatus.PAID) | Q(paid_on__isnull=False),
                name="disbursement_paid_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.initiative} – {self.tranche}"


class DisbursementStatusChange(StatusChangeBase):
    disbursement = models.ForeignKey(
        Disbursement,
        verbose_name=_("disbursement"),
        on_delete=models.CASCADE,
        related_name="history",
    )

    class Meta(StatusChangeBase.Meta):
        verbose_name = _("disbursement status change")
        verbose_name_plural = _("disbursement status changes")
