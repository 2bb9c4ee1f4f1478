"""The grant agreement of an initiative, in versions: each one rendered once (HTML and PDF, with
the PDF's SHA-256), signed by the organisation's signatory, countersigned by the secretariat, or
made void by a newer version."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.files import PrivatePath
from core.models import ContentLanguage, StatusChangeBase

from ..workflow import AgreementStatus
from .initiatives import Initiative


class Agreement(models.Model):
    """One version of an initiative's grant agreement, kept as it was issued.

    What the organisation signs is the stored PDF: its SHA-256 is recorded when it is made and
    again, as the signatory was shown it, when it is signed. Nothing of a version changes
    after it is issued but its status and the signatures.
    """

    class Method(models.TextChoices):
        ONLINE = "online", _("Accepted in the portal")
        SCAN = "scan", _("Signed scan uploaded")

    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("initiative"),
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    version = models.PositiveSmallIntegerField(_("version"))
    language = models.CharField(_("language"), max_length=5, choices=ContentLanguage.choices)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AgreementStatus.choices,
        default=AgreementStatus.DRAFT,
        db_index=True,
    )
    title = models.CharField(_("title"), max_length=200)
    body_html = models.TextField(_("text (HTML)"), editable=False)
    pdf = models.FileField(
        _("PDF"), upload_to=PrivatePath("agreements", "initiative_id"), editable=False
    )
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The organisation's signature.
    signature_method = models.CharField(
        _("signed by"), max_length=10, choices=Method.choices, blank=True
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signatory"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    signer_name = models.CharField(_("name typed by the signatory"), max_length=200, blank=True)
    signer_ip = models.GenericIPAddressField(_("signatory's IP address"), null=True, blank=True)
    signed_sha256 = models.CharField(_("SHA-256 of the PDF signed"), max_length=64, blank=True)
    signed_scan = models.FileField(
        _("signed scan"),
        upload_to=PrivatePath("agreements", "initiative_id"),
        blank=True,
        editable=False,
    )
    signed_scan_name = models.CharField(_("name of the scan"), max_length=255, blank=True)
    signed_scan_type = models.CharField(_("type of the scan"), max_length=100, blank=True)
    # The secretariat's.
    countersigned_at = models.DateTimeField(_("countersigned at"), null=True, blank=True)
    countersigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("countersigned by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["initiative", "-version"]
        verbose_name = _("grant agreement")
        verbose_name_plural = _("grant agreements")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "version"],
                name="agreement_unique_version",
                violation_error_message=_(
                    "This initiative already has an agreement version of this number."
                ),
            ),
            models.UniqueConstraint(
                fields=["initiative"],
                condition=~Q(status=AgreementStatus.VOID),
                name="agreement_one_current",
                violation_error_message=_(
                    "An initiative has one current agreement: issuing a new version voids the "
                    "one before."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status__in=[AgreementStatus.DRAFT, AgreementStatus.ISSUED])
                | Q(status=AgreementStatus.VOID)
                | Q(signed_at__isnull=False),
                name="agreement_signed_has_date",
                violation_error_message=_("A signed agreement needs the date it was signed."),
                violation_error_code="signed_without_date",
            ),
        ]

    def __str__(self) -> str:
        return str(
            _("%(initiative)s – agreement, version %(version)s")
            % {"initiative": self.initiative, "version": self.version}
        )

    @property
    def is_signable(self) -> bool:
        return self.status == AgreementStatus.ISSUED

    @property
    def filename(self) -> str:
        return f"agreement-{self.initiative_id}-v{self.version}.pdf"


class AgreementStatusChange(StatusChangeBase):
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("grant agreement"),
        on_delete=models.CASCADE,
        related_name="history",
    )

    class Meta(StatusChangeBase.Meta):
        verbose_name = _("agreement status change")
        verbose_name_plural = _("agreement status changes")
