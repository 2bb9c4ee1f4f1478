"""The audit dossier of initiatives: one ZIP with, for each initiative, everything an auditor
asks for, and a manifest of every file's SHA-256.

Layout (one folder per initiative, ``initiative-<id>-<slug>/``)::

    application/application.pdf        the application with its answers and its reviews
    application/documents/<id>-<name>  the documents sent with it
    decision.json                      the decision: status, date, who, comment, the grant
    agreement/agreement-v<n>.pdf       each version issued, as issued
    agreement/signed-scan-v<n>.<ext>   the signed scan, where the organisation sent one
    agreement/agreements.json          each version's status, signature and countersignature
    payments/payments.csv, .json       the tranches and what was paid, sent and received
    reports/report-<id>-<kind>.pdf     each report started, as a PDF
    reports/<id>/<attachment id>-<name> the report's files and photos
    history/history.csv, .json         every status change of the application, the
                                       initiative, its agreement versions, tranches and reports
    manifest.json                      (at the top) path, size and SHA-256 of every file above

The ZIP is written to a temporary file, a file at a time, streaming the stored files through
(never whole in memory); the view sends that file and it is deleted when closed. From
``settings.DOSSIER_BACKGROUND_FROM`` initiatives on, the worker builds it instead
(``dossier_store``), keeps it in private storage under a random name and emails the link to
the person who asked; a daily job deletes those files after ``KEEP_DAYS`` days. Staff notes
are the secretariat's internal thread and never go into a dossier.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
import mimetypes
import re
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy

from grants.models import (
    Agreement,
    AgreementStatusChange,
    ApplicationStatusChange,
    Disbursement,
    DisbursementStatusChange,
    Initiative,
    InitiativeStatusChange,
)
from grants.printouts import application_pdf
from notifications.registry import NotificationKind
from notifications.services import notify
from reports.models import Report, ReportStatusChange
from reports.printouts import report_pdf

CHUNK = 1024 * 1024
PAYMENT_FIELDS = (
    "tranche",
    "amount",
    "currency",
    "condition",
    "status",
    "due_on",
    "paid_on",
    "amount_sent",
    "sent_currency",
    "exchange_rate",
    "fees",
    "reference",
    "amount_received",
    "received_currency",
    "received_on",
    "received_confirmed_at",
    "has_received_difference",
    "cancel_reason",
)
HISTORY_COLUMNS = (
    "at",
    "object",
    "object_id",
    "workflow",
    "from_status",
    "to_status",
    "actor",
    "role",
    "comment",
)


def safe_name(name: str) -> str:
    return get_valid_filename(PurePosixPath(name or "file").name) or "file"


class DossierWriter:
    """Writes files into the ZIP and remembers each one's size and SHA-256."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.files: list[dict] = []

    def _record(self, path: str, size: int, digest: str) -> None:
        self.files.append({"path": path, "size": size, "sha256": digest})

    def add_bytes(self, path: str, data: bytes) -> None:
        self.archive.writestr(path, data)
        self._record(path, len(data), hashlib.sha256(data).hexdigest())

    def add_json(self, path: str, value) -> None:
        text = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        self.add_bytes(path, text.encode())

    def add_csv(self, path: str, columns: Iterable[str], rows: Iterable[dict]) -> None:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
        self.add_bytes(path, buffer.getvalue().encode("utf-8-sig"))

    def add_stored(self, path: str, field_file) -> bool:
        """Copy a stored file in chunks; False (and nothing written) if it is missing."""
        try:
            source = field_file.open("rb")
        except (FileNotFoundError, OSError, ValueError):
            return False
        digest, size = hashlib.sha256(), 0
        with source, self.archive.open(path, "w", force_zip64=True) as target:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                target.write(chunk)
        self._record(path, size, digest.hexdigest())
        return True


def _history(model, parent: str, label: str, **filters) -> list[dict]:
    return [
        {
            "at": change.created_at,
            "object": label,
            "object_id": getattr(change, f"{parent}_id"),
            "workflow": change.workflow,
            "from_status": change.from_status,
            "to_status": change.to_status,
            "actor": change.actor.email if change.actor else "",
            "role": change.role,
            "comment": change.comment,
        }
        for change in model.objects.filter(**filters).select_related("actor")
    ]


def write_initiative(writer: DossierWriter, initiative: Initiative, *, language: str) -> None:
    """Everything of ``initiative`` under its folder (see the module)."""
    folder = f"initiative-{initiative.pk}-{initiative.slug}"
    application = initiative.application
    missing: list[str] = []
    if application is not None:
        writer.add_bytes(
            f"{folder}/application/application.pdf",
            application_pdf(application, language=language, with_reviews=True),
        )
        for document in application.attachments.all():
            path = (
                f"{folder}/application/documents/{document.pk}-{safe_name(document.original_name)}"
            )
            if not writer.add_stored(path, document.file):
                missing.append(path)
    decision = (
        ApplicationStatusChange.objects.filter(
            application=application, to_status__in=("approved", "declined")
        )
        .select_related("actor")
        .order_by("-created_at", "-pk")
        .first()
        if application is not None
        else None
    )
    writer.add_json(
        f"{folder}/decision.json",
        {
            "initiative": initiative.title,
            "organisation": initiative.lead_organisation.name,
            "edition": initiative.edition.title,
            "application_id": application.pk if application else None,
            "application_status": application.status if application else None,
            "decided_at": application.decided_at if application else None,
            "decision": decision.to_status if decision else None,
            "decided_by": decision.actor.email if decision and decision.actor else None,
            "comment": decision.comment if decision else "",
            "amount_awarded": initiative.amount_awarded,
            "currency": initiative.currency,
            "awarded_on": initiative.awarded_on,
            "period_start": initiative.period_start,
            "period_end": initiative.period_end,
            "initiative_status": initiative.status,
        },
    )
    agreements = []
    for agreement in sorted(initiative.agreements.all(), key=lambda row: row.version):
        if agreement.pdf and not writer.add_stored(
            f"{folder}/agreement/agreement-v{agreement.version}.pdf", agreement.pdf
        ):
            missing.append(f"{folder}/agreement/agreement-v{agreement.version}.pdf")
        if agreement.signed_scan:
            extension = (
                PurePosixPath(agreement.signed_scan_name).suffix
                or mimetypes.guess_extension(agreement.signed_scan_type or "")
                or ""
            )
            path = f"{folder}/agreement/signed-scan-v{agreement.version}{extension}"
            if not writer.add_stored(path, agreement.signed_scan):
                missing.append(path)
        agreements.append(
            {
                "version": agreement.version,
                "status": agreement.status,
                "language": agreement.language,
                "issued_at": agreement.created_at,
                "pdf_sha256": agreement.pdf_sha256,
                "signature_method": agreement.signature_method,
                "signed_at": agreement.signed_at,
                "signer_name": agreement.signer_name,
                "signed_sha256": agreement.signed_sha256,
                "countersigned_at": agreement.countersigned_at,
                "countersigned_by": (
                    agreement.countersigned_by.email if agreement.countersigned_by else None
                ),
            }
        )
    writer.add_json(f"{folder}/agreement/agreements.json", agreements)
    payments = list(
        Disbursement.objects.filter(initiative=initiative)
        .order_by("tranche")
        .values(*PAYMENT_FIELDS)
    )
    writer.add_json(f"{folder}/payments/payments.json", payments)
    writer.add_csv(f"{folder}/payments/payments.csv", PAYMENT_FIELDS, payments)
    reports = list(
        Report.objects.filter(initiative=initiative)
        .exclude(status="scheduled")
        .prefetch_related("attachments")
        .order_by("due_on", "pk")
    )
    for report in reports:
        writer.add_bytes(
            f"{folder}/reports/report-{report.pk}-{report.kind}.pdf",
            report_pdf(report, language=language),
        )
        for attachment in report.attachments.all():
            path = (
                f"{folder}/reports/{report.pk}/{attachment.pk}-"
                f"{safe_name(attachment.original_name)}"
            )
            if not writer.add_stored(path, attachment.file):
                missing.append(path)
    history = [
        *(
            _history(ApplicationStatusChange, "application", "application", application=application)
            if application is not None
            else []
        ),
        *_history(InitiativeStatusChange, "initiative", "initiative", initiative=initiative),
        *_history(
            AgreementStatusChange, "agreement", "agreement", agreement__initiative=initiative
        ),
        *_history(
            DisbursementStatusChange,
            "disbursement",
            "payment",
            disbursement__initiative=initiative,
        ),
        *_history(ReportStatusChange, "report", "report", report__initiative=initiative),
    ]
    history.sort(key=lambda row: (row["at"], row["object"], row["object_id"]))
    writer.add_json(f"{folder}/history/history.json", history)
    writer.add_csv(f"{folder}/history/history.csv", HISTORY_COLUMNS, history)
    if missing:
        writer.add_json(f"{folder}/missing-files.json", missing)


def dossier_initiatives(ids: Iterable[int]):
    return (
        Initiative.objects.filter(pk__in=list(ids))
        .select_related("application", "lead_organisation", "edition")
        .prefetch_related(
            Prefetch("agreements", queryset=Agreement.objects.select_related("countersigned_by")),
            "application__attachments",
        )
        .order_by("pk")
    )


def build_dossier(initiatives: Iterable[Initiative], *, language: str, by: str = ""):
    """The audit dossier of ``initiatives`` as a ZIP in a temporary file (deleted on close),
    positioned at its start. PDFs are in ``language``."""
    handle = tempfile.TemporaryFile(suffix=".zip")  # noqa: SIM115 (closed by the response)
    with (
        translation.override(language),
        zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive,
    ):
        writer = DossierWriter(archive)
        listed = []
        for initiative in initiatives:
            write_initiative(writer, initiative, language=language)
            listed.append({"id": initiative.pk, "title": initiative.title})
        manifest = {
            "generated_at": timezone.now(),
            "generated_by": by,
            "language": language,
            "initiatives": listed,
            "algorithm": "sha256",
            "files": writer.files,
        }
        archive.writestr(
            "manifest.json",
            json.dumps(manifest, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        )
    handle.seek(0)
    return handle


def dossier_filename(initiatives: list[Initiative]) -> str:
    day = timezone.localdate().isoformat()
    if len(initiatives) == 1:
        return f"dossier-{initiatives[0].pk}-{initiatives[0].slug}-{day}.zip"
    return f"dossiers-{len(initiatives)}-{day}.zip"


# --- large dossiers: built by the worker, kept in private storage, the link emailed --------

STORE = "private/dossiers"
TOKEN = re.compile(r"[0-9a-f]{32}")

DOSSIERS_READY = NotificationKind(
    "dossiers_ready", gettext_lazy("Audit dossiers ready (secretariat)"), ("count",)
)


def stored_name(token: str) -> str:
    return f"{STORE}/{token}.zip"


def dossier_store(*, ids: list[int], language: str, requested_by, token: str) -> str:
    """Build the dossiers of the initiatives ``ids`` (PDFs in ``language``), keep the ZIP in
    private storage under the random ``token``, and email its link to ``requested_by``, once.
    Safe to run twice: a ZIP already stored is kept, and the email goes once (its event is the
    token). Returns the stored name."""
    name = stored_name(token)
    initiatives = list(dossier_initiatives(ids))
    if not default_storage.exists(name):
        with build_dossier(initiatives, language=language, by=requested_by.email) as handle:
            saved = default_storage.save(name, File(handle))
        if saved != name:  # another run stored it meanwhile: keep that one
            default_storage.delete(saved)
    with translation.override(requested_by.language or settings.LANGUAGE_CODE):
        path = reverse("secretariat:dossier_file", kwargs={"token": token})
    notify(
        kind=DOSSIERS_READY,
        key=f"dossiers:{token}",
        context={"count": len(initiatives)},
        path=path,
        recipient=requested_by,
    )
    return name


KEEP_DAYS = 7
CLEAN_JOB = "delete_old_dossiers"


def dossiers_delete_old(*, now=None) -> int:
    """Delete the dossiers the worker stored more than ``KEEP_DAYS`` days ago (their emailed
    links then answer "not found"); returns how many. Safe to run twice, or twice at once."""
    now = now or timezone.now()
    try:
        _folders, names = default_storage.listdir(STORE)
    except FileNotFoundError:
        return 0
    deleted = 0
    for name in names:
        path = f"{STORE}/{name}"
        try:
            if now - default_storage.get_modified_time(path) > datetime.timedelta(days=KEEP_DAYS):
                default_storage.delete(path)
                deleted += 1
        except FileNotFoundError:  # deleted meanwhile by another run
            continue
    return deleted
