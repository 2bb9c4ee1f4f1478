"""The funded initiatives (the grants) and their workplans: lines of action, activities,
indicators and budget lines."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.countries import country_name
from core.files import PhotoField
from core.models import ContentLanguage, StatusChangeBase
from core.money import currency_field, money_field
from organisations.models import Organisation
from programme.models import Edition, Theme

from ..workflow import InitiativeStatus, WorkplanStatus
from .applications import Application


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
    # Optimistic locking of the workplan, per part ("lines", "activities", …): a member's save
    # carries the number they read; one made meanwhile by a colleague moves it on.
    workplan_versions = models.JSONField(
        _("workplan versions"), default=dict, blank=True, editable=False
    )
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    is_at_risk = models.BooleanField(
        _("at risk"),
        default=False,
        help_text=_(
            "Publishing who carries out this grant would put them in danger. On the public "
            "site (pages, search, sitemap), in the open-data files and in the API, the "
            "recipient's name, city, website, people and photos, and the grant's texts, are "
            "replaced by a neutral label such as “A community organisation in Brazil”, and the "
            "grant has no page; the country, amount and themes still count. Ticked at the "
            "award when the applicant asked for it in the application."
        ),
    )
    # JPEG, PNG or WebP of at most UPLOAD_MAX_PIXELS, refused from its header before the
    # thumbnail task (or anything else) decodes it.
    cover_photo = PhotoField(_("cover photo"), upload_to="public/initiatives/", blank=True)
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
                condition=Q(amount_awarded__gt=0),
                name="initiative_amount_positive",
                violation_error_message=_("The amount awarded must be more than zero."),
                violation_error_code="amount_not_positive",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="initiative_period_in_order",
                violation_error_message=_("The project period must end after it starts."),
                violation_error_code="dates_out_of_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        edition = self.edition
        return reverse(
            "public:initiative",
            kwargs={
                "programme": edition.programme.slug,
                "edition": edition.slug,
                "slug": self.slug,
            },
        )

    @property
    def coverage(self) -> str:
        """“International / Russia” where the secretariat set a label, else the country names."""
        return self.coverage_label or ", ".join(country_name(c.code) for c in self.countries)


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


class PublicLineOfAction(models.Model):
    """A line of action as the public pages show it: the workplan's lines copied when the
    secretariat approves the workplan (``grants.services.public_lines_refresh``), so that a
    grantee's draft of a new workplan reaches the public only once it is approved."""

    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("initiative"),
        on_delete=models.CASCADE,
        related_name="public_lines_of_action",
    )
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["initiative", "order", "pk"]
        verbose_name = _("line of action on the public page")
        verbose_name_plural = _("lines of action on the public page")

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
                violation_error_message=_("An activity must end after it starts."),
                violation_error_code="dates_out_of_order",
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0),
                name="activity_budget_not_negative",
                violation_error_message=_("An activity's budget cannot be negative."),
                violation_error_code="amount_negative",
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
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="budgetline_amount_positive",
                violation_error_message=_("A budget line's amount must be more than zero."),
                violation_error_code="amount_not_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category}: {self.amount}"


class InitiativeExtension(models.Model):
    """A no-cost extension of a grant: its end moved from ``old_end`` to ``new_end`` (and the
    due dates of the reports not yet submitted with it), why, by whom and when."""

    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("initiative"),
        on_delete=models.PROTECT,
        related_name="extensions",
    )
    old_end = models.DateField(_("ended on"))
    new_end = models.DateField(_("now ends on"))
    reason = models.TextField(_("reason"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["initiative", "-created_at", "-pk"]
        verbose_name = _("no-cost extension")
        verbose_name_plural = _("no-cost extensions")
        constraints = [
            models.CheckConstraint(
                condition=Q(new_end__gt=F("old_end")),
                name="extension_moves_the_end_later",
                violation_error_message=_("An extension must end after the current end date."),
                violation_error_code="dates_out_of_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.initiative}: {self.old_end} → {self.new_end}"
