"""Applications to a call: what the applicant writes, its documents and its status history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.files import PrivatePath
from core.models import ContentLanguage, StatusChangeBase
from core.money import currency_field, money_field
from organisations.models import Organisation
from programme.models import Edition, Theme

from ..workflow import ApplicationStatus


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
    # The applicant's request to be published as "a community organisation in <country>":
    # the initiative awarded from this application starts at risk (``initiative_award``).
    is_at_risk_requested = models.BooleanField(
        _("asks not to be named in public"),
        default=False,
        help_text=_(
            "Tick this if naming your organisation in public could put your people in danger. "
            "If the grant is awarded, the public site, the open-data files and the API will "
            "not show your organisation's name, city, website, people or photos, nor the "
            "project's texts: only “A community organisation in” your country, with the "
            "amount, countries and themes of the grant. The secretariat still knows who you "
            "are."
        ),
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
        # The back office's list, newest first (and its pages), read in index order.
        indexes = [models.Index(fields=["-created_at", "-id"], name="application_newest_first")]
        constraints = [
            models.CheckConstraint(
                condition=Q(requested_amount__isnull=True) | Q(requested_amount__gt=0),
                name="application_amount_positive",
                violation_error_message=_("The requested amount must be more than zero."),
                violation_error_code="amount_not_positive",
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


class ApplicationAttachment(models.Model):
    """A document sent with an application (PDF, Word or Excel), checked by its content."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(
        _("file"), upload_to=PrivatePath("applications", "application_id"), max_length=300
    )
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
