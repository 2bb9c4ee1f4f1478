"""Programmes, their yearly editions, funders, themes, review criteria and report schedules."""

from __future__ import annotations

import datetime
import re
import zoneinfo
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.files import PhotoField
from core.models import ContentLanguage, StatusChangeBase
from core.money import currency_field, range_problem, range_text
from core.timezones import validate_time_zone, zone_or_utc

from .branding import (
    PALETTES,
    palette_help,
    validate_hex_colour,
    validate_primary_colour,
    validate_tint_colour,
)
from .workflow import EditionStatus

# Without a reporting schedule on the edition, the final report is due this long after the end.
FINAL_REPORT_DELAY = datetime.timedelta(days=30)


class CallState(models.TextChoices):
    """Where an edition's call for applications stands at a given moment."""

    NONE = "none", _("No call")
    UPCOMING = "upcoming", _("Opens soon")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Track(models.TextChoices):
    """How an edition's grants are given: the full pipeline (review, workplan, agreement,
    tranches, interim and final reports) or the light track for small grants (a one-page form,
    one decision, one payment, a one-page report; ``grants.services.light``)."""

    FULL = "full", _("Full: review, workplan, tranches and reports")
    LIGHT = "light", _("Light: one-page form, one payment, one-page report")


# First parts of the public site's addresses (``config.urls``, ``public.urls``): a programme
# named like one of them would be hidden behind that page.
RESERVED_SLUGS = frozenset(
    [
        "accounts",
        "admin",
        "api",
        "calls",
        "countries",
        "data",
        "editions",
        "funding",
        "i18n",
        "initiatives",
        "media",
        "opendata",
        "organisations",
        "programme-style",
        "portal",
        "programmes",
        "review",
        "search",
        "secretariat",
        "sitemap",
        "themes",
    ]
)


def validate_programme_slug(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(
            _("“%(slug)s” is an address the site already uses; choose another.") % {"slug": value},
            code="reserved",
        )


class Programme(models.Model):
    """A grant scheme the secretariat runs, with its own editions, branding and sender."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=80,
        unique=True,
        validators=[validate_programme_slug],
        help_text=_("The first part of the programme's addresses, for example initiatives."),
    )
    short_description = models.CharField(
        _("short description"),
        max_length=300,
        blank=True,
        help_text=_("One or two sentences, shown in the list of programmes."),
    )
    description = models.TextField(_("description"), blank=True)
    logo = PhotoField(_("logo"), upload_to="public/programmes/", blank=True)
    primary_colour = models.CharField(
        _("primary colour"),
        max_length=7,
        default=PALETTES["navy"][0],
        validators=[validate_hex_colour, validate_primary_colour],
        help_text=format_lazy(
            _(
                "Behind white text and for links on white: it needs a contrast of 4.5:1 with "
                "white. Suggested palettes (primary / tint): {palettes}."
            ),
            palettes=palette_help(),
        ),
    )
    tint_colour = models.CharField(
        _("tint colour"),
        max_length=7,
        default=PALETTES["navy"][1],
        validators=[validate_hex_colour, validate_tint_colour],
        help_text=_("A light background behind dark text: a contrast of 4.5:1 with #212529."),
    )
    contact_email = models.EmailField(
        _("contact address"),
        blank=True,
        help_text=_("Shown on its pages; replies to its emails go there."),
    )
    sender_name = models.CharField(
        _("sender name"),
        max_length=120,
        blank=True,
        help_text=_("The name its emails come from; the programme's name when empty."),
    )
    original_language = models.CharField(
        _("original language"), max_length=5, choices=ContentLanguage.choices, default="en"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("public:programme", kwargs={"programme": self.slug})

    @property
    def style_version(self) -> str:
        """Changes with the colours: the pages link the stylesheet with it, so a browser that
        keeps the stylesheet a day never shows colours the secretariat has since changed."""
        return f"{self.primary_colour}{self.tint_colour}".replace("#", "")

    @property
    def sender(self) -> str:
        """The display name of its emails, in the active language."""
        return self.sender_name or self.name


class Funder(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    website = models.URLField(_("website"), blank=True)
    identifier = models.CharField(
        _("organisation identifier"),
        max_length=100,
        blank=True,
        help_text=_("An org-id.guide identifier, used in open data exports."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("funder")
        verbose_name_plural = _("funders")

    def __str__(self) -> str:
        return self.name


class Theme(models.Model):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.name

    @property
    def original_language(self) -> str:
        return settings.MODELTRANSLATION_DEFAULT_LANGUAGE


class ThemeSector(models.Model):
    """The IATI sector a theme stands for, in the IATI exports (a theme may have several)."""

    class Vocabulary(models.TextChoices):
        # IATI's SectorVocabulary codelist: the two OECD DAC lists most funders use.
        DAC_5 = "1", _("OECD DAC CRS purpose code (5 digits)")
        DAC_3 = "2", _("OECD DAC CRS purpose code (3 digits)")

    theme = models.ForeignKey(
        Theme, verbose_name=_("theme"), on_delete=models.CASCADE, related_name="sectors"
    )
    vocabulary = models.CharField(
        _("vocabulary"), max_length=2, choices=Vocabulary.choices, default=Vocabulary.DAC_5
    )
    code = models.CharField(
        _("sector code"),
        max_length=5,
        validators=[
            RegexValidator(r"^[0-9]{3}([0-9]{2})?$", _("A sector code has 3 or 5 digits."))
        ],
        help_text=_("For example 12263 (STD control including HIV/AIDS) or 15160 (human rights)."),
    )

    class Meta:
        ordering = ["theme", "vocabulary", "code"]
        verbose_name = _("IATI sector")
        verbose_name_plural = _("IATI sectors")
        constraints = [
            models.UniqueConstraint(
                fields=["theme", "vocabulary", "code"],
                name="themesector_unique",
                violation_error_message=_("This theme already has this sector."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_vocabulary_display()} {self.code}"

    def clean(self) -> None:
        digits = 5 if self.vocabulary == self.Vocabulary.DAC_5 else 3
        if self.code and len(self.code) != digits:
            raise ValidationError(
                {"code": _("This vocabulary's codes have %(digits)s digits.") % {"digits": digits}}
            )


class EditionQuerySet(models.QuerySet):
    def published(self) -> EditionQuerySet:
        return self.filter(is_published=True)


class Edition(models.Model):
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="editions"
    )
    number = models.PositiveSmallIntegerField(_("edition number"))
    year = models.PositiveSmallIntegerField(_("year"))
    slug = models.SlugField(
        _("slug"),
        max_length=80,
        unique=True,
        help_text=_("Used in the address, for example 2023."),
    )
    title = models.CharField(_("title"), max_length=250)
    introduction = models.TextField(_("introduction"), blank=True)
    original_language = models.CharField(
        _("original language"),
        max_length=5,
        choices=ContentLanguage.choices,
        default="en",
        help_text=_("The language the texts were written in; missing translations show it."),
    )
    period_start = models.DateField(_("project period starts on"))
    period_end = models.DateField(_("project period ends on"))
    application_opens_at = models.DateTimeField(_("applications open at"), null=True, blank=True)
    application_closes_at = models.DateTimeField(_("applications close at"), null=True, blank=True)
    application_time_zone = models.CharField(
        _("time zone of the call"),
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text=_(
            "The application window is entered and shown in this time zone, "
            "for example Europe/Paris."
        ),
    )
    eligibility_rules = models.TextField(
        _("eligibility rules"),
        blank=True,
        help_text=_("Who may apply, as published on the call page."),
    )
    application_guidance = models.TextField(
        _("guidance for applicants"),
        blank=True,
        help_text=_("How to apply and what a good application says, shown on the call page."),
    )
    allow_multiple_applications = models.BooleanField(
        _("several applications per organisation"),
        default=False,
        help_text=_("Unticked: an organisation may send one application to this edition."),
    )
    hide_applicant_identity = models.BooleanField(
        _("hide applicants from reviewers"),
        default=False,
        help_text=_("Reviewers read the applications without the applicant organisation's name."),
    )
    min_reviewers_per_application = models.PositiveSmallIntegerField(
        _("reviewers per application"),
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_("Bulk assignment gives each application at least this many reviewers."),
    )
    grant_minimum = models.DecimalField(
        _("smallest grant"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    grant_maximum = models.DecimalField(
        _("largest grant"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    currency = currency_field()
    max_grants = models.PositiveSmallIntegerField(
        _("number of grants at most"), null=True, blank=True
    )
    track = models.CharField(
        _("track"),
        max_length=10,
        choices=Track.choices,
        default=Track.FULL,
        help_text=_(
            "Light: small grants with a one-page form, one payment on approval and a one-page "
            "report; the largest grant is the ceiling of a request."
        ),
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), blank=True, related_name="editions"
    )
    # The phase the secretariat moves the edition through (``programme.services``); the
    # call's window above is written with it and never decides on its own.
    status = models.CharField(
        _("status"), max_length=20, choices=EditionStatus.choices, default=EditionStatus.DRAFT
    )
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = EditionQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-number"]
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="edition_unique_number"),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="edition_period_in_order",
                violation_error_message=_("The project period must end after it starts."),
                violation_error_code="dates_out_of_order",
            ),
            models.CheckConstraint(
                condition=Q(application_closes_at__isnull=True)
                | Q(application_opens_at__isnull=True)
                | Q(application_closes_at__gt=F("application_opens_at")),
                name="edition_window_in_order",
                violation_error_message=_("Applications must close after they open."),
                violation_error_code="dates_out_of_order",
            ),
            models.CheckConstraint(
                condition=Q(grant_minimum__isnull=True) | Q(grant_minimum__gt=0),
                name="edition_grant_minimum_positive",
                violation_error_message=_("The smallest grant must be more than zero."),
                violation_error_code="amount_not_positive",
            ),
            models.CheckConstraint(
                condition=Q(grant_maximum__isnull=True)
                | Q(grant_minimum__isnull=True)
                | Q(grant_maximum__gte=F("grant_minimum")),
                name="edition_grant_range_in_order",
                violation_error_message=_(
                    "The largest grant cannot be smaller than the smallest grant."
                ),
                violation_error_code="amounts_out_of_order",
            ),
            models.CheckConstraint(
                condition=Q(min_reviewers_per_application__gte=1),
                name="edition_at_least_one_reviewer",
                violation_error_message=_("Each application needs at least one reviewer."),
                violation_error_code="out_of_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse(
            "public:edition", kwargs={"programme": self.programme.slug, "edition": self.slug}
        )

    @property
    def name(self) -> str:
        """The edition's own name, from its year and the end of its project period: "2024",
        or "2024/25" for one that runs into the next year ("2024–2026" further). Drop-downs,
        filters and messages show it, not the year alone."""
        if self.year is None:
            return ""
        last = self.period_end.year if self.period_end else self.year
        if last <= self.year:
            return str(self.year)
        if last == self.year + 1:
            return f"{self.year}/{last % 100:02d}"
        return f"{self.year}–{last}"

    def clean(self) -> None:
        super().clean()
        errors = {}
        opens, closes = self.application_opens_at, self.application_closes_at
        if opens and closes and closes <= opens:
            errors["application_closes_at"] = _("The call must close after it opens.")
        if (opens is None) != (closes is None):
            field = "application_closes_at" if closes is None else "application_opens_at"
            errors[field] = _("Set both the opening and the closing of the call, or neither.")
        low, high = self.grant_minimum, self.grant_maximum
        if low is not None and high is not None and high < low:
            errors["grant_maximum"] = _("The largest grant cannot be smaller than the smallest.")
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = _("The project period must end after it starts.")
        if errors:
            raise ValidationError(errors)

    # --- the call for applications ---------------------------------------------------------

    @property
    def has_call(self) -> bool:
        """True where the edition has (or had) a call: opening it set its window."""
        return self.application_opens_at is not None and self.application_closes_at is not None

    @property
    def call_time_zone(self) -> zoneinfo.ZoneInfo:
        return zone_or_utc(self.application_time_zone)

    @property
    def is_light(self) -> bool:
        return self.track == Track.LIGHT

    # --- the grant range -------------------------------------------------------------------

    @property
    def grant_range_text(self) -> str:
        """ "Between 4,000 and 5,000 USD." in the active language, or "" without a range."""
        return range_text(self.grant_minimum, self.grant_maximum, self.currency)

    def grant_problem(self, amount) -> str | None:
        """Why ``amount`` cannot be a grant of this edition (missing, not positive, outside the
        range of grants), or None."""
        return range_problem(
            amount, low=self.grant_minimum, high=self.grant_maximum, currency=self.currency
        )

    def call_state(self, now: datetime.datetime | None = None) -> str:
        """``CallState`` of the call at ``now``, from the status first (the one source of truth,
        see ``programme.workflow``): an edition in preparation has no call; while its call is
        open, the window the opening service set says when (opening soon, open up to but not at
        its deadline, then closed until the daily job moves the edition to review); in review
        and after, a call it had is closed, whatever its dates say."""
        if not self.has_call or self.status == EditionStatus.DRAFT:
            return CallState.NONE
        if self.status != EditionStatus.CALL_OPEN:
            return CallState.CLOSED
        now = now or timezone.now()
        if now < self.application_opens_at:
            return CallState.UPCOMING
        if now < self.application_closes_at:
            return CallState.OPEN
        return CallState.CLOSED

    def is_call_open(self, now: datetime.datetime | None = None) -> bool:
        return self.call_state(now) == CallState.OPEN

    @property
    def call_opens_local(self) -> datetime.datetime | None:
        """The opening in the call's own time zone (what applicants are told)."""
        if self.application_opens_at is None:
            return None
        return timezone.localtime(self.application_opens_at, self.call_time_zone)

    @property
    def call_closes_local(self) -> datetime.datetime | None:
        """The deadline in the call's own time zone (what applicants are told)."""
        if self.application_closes_at is None:
            return None
        return timezone.localtime(self.application_closes_at, self.call_time_zone)

    def get_call_url(self) -> str:
        return reverse("public:call", kwargs={"slug": self.slug})

    def reporting_plan(
        self, period_start: datetime.date, period_end: datetime.date
    ) -> list[tuple[str, datetime.date, datetime.date, datetime.date]]:
        """The reports a grant of this edition running from ``period_start`` to ``period_end``
        owes, as (kind, period start, period end, due on): one per ``ReportingDeadline`` of the
        edition; without any, an interim report for the first half, due at mid-period, and a
        final report for the whole period, due ``FINAL_REPORT_DELAY`` after its end."""
        deadlines = list(self.reporting_deadlines.all())
        if deadlines:
            return [(d.kind, d.period_start, d.period_end, d.due_on) for d in deadlines]
        middle = period_start + (period_end - period_start) / 2
        return [
            (ReportKind.INTERIM, period_start, middle, middle),
            (ReportKind.FINAL, period_start, period_end, period_end + FINAL_REPORT_DELAY),
        ]

    def tranche_plan(self) -> list[tuple[Decimal, str]]:
        """The edition's payments of a grant, as (percent, ``TrancheCondition``) in order: its
        ``TranchePlanLine`` rows, or ``DEFAULT_TRANCHE_PLAN`` (70 % on signature, 30 % when the
        final report is accepted) where it has none."""
        lines = [(line.percent, line.condition) for line in self.tranche_plan_lines.all()]
        return lines or list(DEFAULT_TRANCHE_PLAN)

    def previous_edition(self) -> Edition | None:
        return (
            Edition.objects.published()
            .select_related("programme")
            .filter(programme_id=self.programme_id, number__lt=self.number)
            .order_by("-number")
            .first()
        )


class EditionStatusChange(StatusChangeBase):
    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="history"
    )

    class Meta(StatusChangeBase.Meta):
        verbose_name = _("edition status change")
        verbose_name_plural = _("edition status changes")


class EditionFunder(models.Model):
    """A funder of an edition, with the acknowledgement printed on the public page."""

    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="funders"
    )
    funder = models.ForeignKey(
        Funder, verbose_name=_("funder"), on_delete=models.PROTECT, related_name="editions"
    )
    acknowledgement = models.TextField(_("acknowledgement"), blank=True)
    amount = models.DecimalField(
        _("contribution"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    currency = currency_field()
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["edition", "order", "pk"]
        verbose_name = _("edition funder")
        verbose_name_plural = _("edition funders")
        constraints = [
            models.UniqueConstraint(fields=["edition", "funder"], name="editionfunder_unique"),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gt=0),
                name="editionfunder_amount_positive",
                violation_error_message=_("A funder's contribution must be more than zero."),
                violation_error_code="amount_not_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.funder} – {self.edition}"

    @property
    def original_language(self) -> str:
        return self.edition.original_language


class ReviewCriterion(models.Model):
    """A published criterion the panel scores each application against."""

    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="criteria"
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=1)
    max_score = models.PositiveSmallIntegerField(_("highest score"), default=5)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["edition", "order", "pk"]
        verbose_name = _("review criterion")
        verbose_name_plural = _("review criteria")
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gt=0),
                name="criterion_weight_positive",
                violation_error_message=_("A criterion's weight must be more than zero."),
                violation_error_code="out_of_range",
            ),
            models.CheckConstraint(
                condition=Q(max_score__gt=0),
                name="criterion_scale_positive",
                violation_error_message=_("A criterion's highest score must be more than zero."),
                violation_error_code="out_of_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def original_language(self) -> str:
        return self.edition.original_language


class EligibilityQuestion(models.Model):
    """A yes/no question an applicant answers before applying; the wrong answer stops them."""

    edition = models.ForeignKey(
        Edition,
        verbose_name=_("edition"),
        on_delete=models.CASCADE,
        related_name="eligibility_questions",
    )
    text = models.CharField(_("question"), max_length=500)
    required_answer = models.BooleanField(
        _("eligible answer is yes"),
        default=True,
        help_text=_("Ticked: applicants must answer yes to apply. Unticked: they must answer no."),
    )
    failure_reason = models.TextField(
        _("reason shown to an ineligible applicant"),
        blank=True,
        help_text=_("Why the other answer makes the organisation ineligible, said politely."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["edition", "order", "pk"]
        verbose_name = _("eligibility question")
        verbose_name_plural = _("eligibility questions")

    def __str__(self) -> str:
        return self.text

    @property
    def original_language(self) -> str:
        return self.edition.original_language

    def is_met_by(self, answer: bool | None) -> bool:
        return answer is not None and answer == self.required_answer


class ReportKind(models.TextChoices):
    INTERIM = "interim", _("Interim report")
    FINAL = "final", _("Final report")


class ReportingDeadline(models.Model):
    """The edition's reporting schedule: awarding a grant creates one report per row."""

    edition = models.ForeignKey(
        Edition,
        verbose_name=_("edition"),
        on_delete=models.CASCADE,
        related_name="reporting_deadlines",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ReportKind.choices)
    period_start = models.DateField(_("period starts on"))
    period_end = models.DateField(_("period ends on"))
    due_on = models.DateField(_("due on"))

    class Meta:
        ordering = ["edition", "due_on"]
        verbose_name = _("reporting deadline")
        verbose_name_plural = _("reporting deadlines")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "kind", "period_start"], name="deadline_unique_period"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="deadline_period_in_order",
                violation_error_message=_("The reporting period must end after it starts."),
                violation_error_code="dates_out_of_order",
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=F("period_end")),
                name="deadline_due_after_period",
                violation_error_message=_("A report cannot be due before its period ends."),
                violation_error_code="dates_out_of_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.due_on}"


class TrancheCondition(models.TextChoices):
    """What releases a tranche of a grant (makes it payable). Stored on the edition's tranche
    plan and on each tranche (``grants.Disbursement.Condition``)."""

    ON_SIGNATURE = "signature", _("On signature of the agreement")
    WORKPLAN_APPROVED = "workplan", _("When the workplan is approved")
    INTERIM_ACCEPTED = ReportKind.INTERIM.value, _("When the interim report is accepted")
    FINAL_ACCEPTED = ReportKind.FINAL.value, _("When the final report is accepted")


# Without a plan of its own, an edition pays 70 % on signature and the rest when the final
# report is accepted.
DEFAULT_TRANCHE_PLAN = (
    (Decimal("70"), TrancheCondition.ON_SIGNATURE),
    (Decimal("30"), TrancheCondition.FINAL_ACCEPTED),
)
HUNDRED = Decimal("100")


def tranche_plan_problem(percents: Iterable[Decimal | None]) -> str | None:
    """Why a tranche plan of these percentages cannot be used (a tranche of 0 % or less, or a
    total other than 100 %), or None. The one check of the back office and of the award."""
    values = [Decimal(p) for p in percents if p is not None]
    if not values:
        return gettext("The tranche plan needs at least one tranche.")
    if any(p <= 0 for p in values):
        return gettext("Each tranche must be more than zero percent of the grant.")
    total = sum(values, Decimal(0))
    if total != HUNDRED:
        return gettext(
            "The tranches add up to %(total)s percent of the grant; they must add up to 100."
        ) % {"total": f"{total.normalize():f}"}
    return None


class TranchePlanLine(models.Model):
    """One payment of every grant of an edition: a share of the amount awarded and the
    condition that makes it payable. The lines of an edition add up to 100 %."""

    edition = models.ForeignKey(
        Edition,
        verbose_name=_("edition"),
        on_delete=models.CASCADE,
        related_name="tranche_plan_lines",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    percent = models.DecimalField(
        # xgettext:no-python-format
        _("% of the grant"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(HUNDRED)],
        help_text=_(
            "The lines of an edition add up to 100. Without any line, a grant is paid 70 "
            "percent on signature and 30 percent when the final report is accepted."
        ),
    )
    condition = models.CharField(
        _("condition"),
        max_length=20,
        choices=TrancheCondition.choices,
        default=TrancheCondition.ON_SIGNATURE,
    )

    class Meta:
        ordering = ["edition", "order", "pk"]
        verbose_name = _("tranche of the plan")
        verbose_name_plural = _("tranche plan")
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__gt=0, percent__lte=100),
                name="trancheplanline_percent_in_range",
                violation_error_message=_(
                    "A tranche must be more than 0 and at most 100 percent of the grant."
                ),
                violation_error_code="out_of_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.percent.normalize():f} % – {self.get_condition_display()}"


# The values the secretariat may put in an agreement's texts, written {organisation}: each is
# replaced by the grant's own value, escaped. The texts are never run as templates.
AGREEMENT_PLACEHOLDERS = (
    "organisation",
    "initiative",
    "edition",
    "programme",
    "amount",
    "period_start",
    "period_end",
)
PLACEHOLDER = re.compile(r"\{([A-Za-z_]+)\}")


def validate_placeholders(value: str) -> None:
    unknown = sorted(
        {name for name in PLACEHOLDER.findall(value or "")} - set(AGREEMENT_PLACEHOLDERS)
    )
    if unknown:
        raise ValidationError(
            _("Unknown placeholder %(unknown)s: the texts can use %(known)s."),
            code="unknown_placeholder",
            params={
                "unknown": ", ".join(f"{{{name}}}" for name in unknown),
                "known": ", ".join(f"{{{name}}}" for name in AGREEMENT_PLACEHOLDERS),
            },
        )


class AgreementTemplate(models.Model):
    """The grant agreement of an edition, as the secretariat writes it: a title, the text before
    the grant's particulars and the clauses after them, in the five languages.

    The particulars (the parties, the amount, the tranches and their conditions, the period,
    the reporting dates, the lines of action) are laid out by the application for each grant;
    an edition without a template gets the default text (``grants.documents``).
    """

    edition = models.OneToOneField(
        Edition,
        verbose_name=_("edition"),
        on_delete=models.CASCADE,
        related_name="agreement_template",
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    preamble = models.TextField(
        _("text before the particulars"),
        blank=True,
        validators=[validate_placeholders],
        help_text=_(
            "Blank lines separate paragraphs. These placeholders are replaced by the grant's "
            "values: {organisation}, {initiative}, {edition}, {programme}, {amount}, "
            "{period_start}, {period_end}."
        ),
    )
    clauses = models.TextField(
        _("clauses"),
        blank=True,
        validators=[validate_placeholders],
        help_text=_(
            "The terms of the agreement, after the particulars. Blank lines separate "
            "paragraphs; the placeholders above can be used here too."
        ),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["edition"]
        verbose_name = _("agreement template")
        verbose_name_plural = _("agreement templates")

    def __str__(self) -> str:
        return str(_("Agreement of %(edition)s") % {"edition": self.edition})

    @property
    def original_language(self) -> str:
        return self.edition.original_language
