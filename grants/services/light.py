"""The light track's writes: a small grant from the one-page form to the one-page report.

The applicant has no account: they apply with their email address, confirm it by the link
emailed to them, and come back through that link (``LightApplication.token``). One member of
the secretariat decides in bulk; approval plans the one payment and the report. Payments leave
in a file for the bank (``payment_file``), only to verified bank details unchanged since, and
are recorded paid one by one or from the bank's return file; a grant is never paid twice.

The bulk steps (deciding, verifying bank details, making a payment file, reading a return file)
take a fixed number of queries whatever the number of grants: rows are locked, checked, updated
and their history and emails written in one query each.
"""

from __future__ import annotations

import csv
import datetime
import io
import secrets
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation

import tablib
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.files import UploadRejected, check_upload
from core.money import amount_text
from core.staff import is_secretariat
from core.workflow import Role, lock, perform_transition
from notifications.services import notify, notify_addresses

from .. import notifications as kinds
from ..errors import LightError
from ..models import (
    LightApplication,
    LightDeclineReason,
    LightPhoto,
    LightStatusChange,
    PaymentBatch,
    PaymentFileLayout,
)
from ..models.light import PAYMENT_COLUMNS
from ..workflow import (
    LIGHT_APPLICATION_WORKFLOW,
    LIGHT_PAYMENT_WORKFLOW,
    LIGHT_REPORT_WORKFLOW,
    LightPaymentStatus,
    LightReportStatus,
    LightStatus,
)

# The report is due this long after the day of action.
REPORT_DELAY = datetime.timedelta(days=21)
# Applications waiting for their address to be confirmed, per address and edition: the form
# cannot be used to fill a stranger's mailbox.
MAX_UNCONFIRMED = 3
# Photos a one-page report may have.
MAX_PHOTOS = 5
# Fields of the one-page form (besides the email address and the language).
FORM_FIELDS = (
    "group_name",
    "country",
    "city",
    "planned_action",
    "action_date",
    "expected_participants",
    "amount",
    "account_holder",
    "bank_name",
    "account_number",
    "swift_bic",
)
PAYEE_FIELDS = ("account_holder", "bank_name", "account_number", "swift_bic")
RETURN_COLUMNS = ("reference", "bank_reference", "paid_on", "exchange_rate", "fees")


def _history(application: LightApplication, **fields) -> LightStatusChange:
    return LightStatusChange.objects.create(application=application, **fields)


def _link(application: LightApplication, name: str = "calls:light_application") -> str:
    with translation.override(application.language):
        return reverse(name, kwargs={"token": application.token})


def _require_secretariat(actor) -> None:
    if not is_secretariat(actor):
        raise LightError(_("Only the secretariat can do this."))


# --- applying ----------------------------------------------------------------------------------


def light_apply(*, edition, email: str, language: str, data: dict) -> LightApplication:
    """Record a one-page application (not yet confirmed) and email the confirmation link.

    Refused, with the problems by field in ``LightError.errors``, when the edition is not on
    the light track, its call is not open, the amount is above the edition's ceiling (shown
    in the active language's number format), or ``MAX_UNCONFIRMED`` applications from the
    address already wait for its confirmation."""
    if not edition.is_light:
        raise LightError(_("This edition does not take one-page applications."))
    if not edition.is_call_open():
        raise LightError(_("The call for applications is not open."))
    problem = edition.grant_problem(data.get("amount"))
    if problem:
        raise LightError(problem, errors={"amount": problem})
    waiting = LightApplication.objects.filter(
        edition=edition, email__iexact=email.strip(), status=LightStatus.UNCONFIRMED
    ).count()
    if waiting >= MAX_UNCONFIRMED:
        message = _(
            "Applications from this address wait for its confirmation: follow the link in the "
            "emails we sent to it first."
        )
        raise LightError(message, errors={"email": message})
    with transaction.atomic():
        application = LightApplication.objects.create(
            edition=edition,
            email=email.strip().lower(),
            language=language,
            currency=edition.currency,
            **{name: data[name] for name in FORM_FIELDS if name in data},
        )
        notify(
            kind=kinds.LIGHT_CONFIRM_EMAIL,
            key=f"light:{application.pk}:confirm",
            context={"group": application.group_name, "edition": str(edition)},
            path=_link(application, "calls:light_confirm"),
            email=application.email,
            language=language,
        )
    return application


@transaction.atomic
def light_confirm(*, application: LightApplication) -> LightApplication:
    """The applicant followed the emailed link: the application reaches the secretariat's list.
    Another application to the edition from the same group and address flags both as possible
    duplicates. Following the link again changes nothing."""
    locked = lock(application)
    if locked.status != LightStatus.UNCONFIRMED:
        return locked
    locked = perform_transition(
        obj=locked,
        workflow=LIGHT_APPLICATION_WORKFLOW,
        target=LightStatus.RECEIVED,
        actor=None,
        role=Role.MEMBER,
        history=_history,
        changes={"received_at": timezone.now()},
    )
    twins = (
        LightApplication.objects.filter(
            edition_id=locked.edition_id,
            email__iexact=locked.email,
            group_name__iexact=locked.group_name.strip(),
        )
        .exclude(pk=locked.pk)
        .exclude(status=LightStatus.UNCONFIRMED)
    )
    if twins.exists():
        twins.update(is_duplicate=True)
        LightApplication.objects.filter(pk=locked.pk).update(is_duplicate=True)
        locked.is_duplicate = True
    return locked


def light_update_payee(*, application: LightApplication, data: dict) -> LightApplication:
    """The applicant changes their bank details: allowed until the payment leaves in a file; the
    new details need verifying again."""
    with transaction.atomic():
        locked = lock(application)
        if locked.payment_status in (LightPaymentStatus.IN_FILE, LightPaymentStatus.PAID):
            raise LightError(_("The payment has already been sent to the bank."))
        for name in PAYEE_FIELDS:
            setattr(locked, name, (data.get(name) or "").strip())
        locked.payee_verified_by = None
        locked.payee_verified_at = None
        locked.payee_verified_hash = ""
        locked.save(
            update_fields=[*PAYEE_FIELDS, "payee_verified_by", "payee_verified_at",
                           "payee_verified_hash"]
        )  # fmt: skip
    return locked


def light_accept_agreement(*, application: LightApplication) -> LightApplication:
    """The applicant accepts the short grant agreement of an approved grant (once)."""
    with transaction.atomic():
        locked = lock(application)
        if locked.status != LightStatus.APPROVED:
            raise LightError(_("Only an approved grant has an agreement to accept."))
        if locked.agreement_accepted_at is None:
            locked.agreement_accepted_at = timezone.now()
            locked.save(update_fields=["agreement_accepted_at"])
    return locked


# --- deciding, in bulk -------------------------------------------------------------------------


def _locked_batch(ids: Iterable[int]) -> list[LightApplication]:
    return list(
        LightApplication.objects.select_for_update(of=("self",))
        .select_related("edition__programme")
        .filter(pk__in=list(ids))
        .order_by("pk")
    )


def _refuse(rows: Sequence[LightApplication], message: str) -> None:
    if rows:
        names = ", ".join(str(row) for row in rows[:10])
        more = len(rows) - 10
        raise LightError(
            f"{message} {names}" + (f" (+{more})" if more > 0 else ""),
        )


def _histories(rows, *, workflow, source: str, target: str, actor, role: str, comment=""):
    LightStatusChange.objects.bulk_create(
        LightStatusChange(
            application=row,
            workflow=workflow.name,
            from_status=source,
            to_status=target,
            actor=actor,
            role=role,
            comment=comment,
        )
        for row in rows
    )


def light_decide(
    *, ids: Iterable[int], actor, approve: bool, reason: LightDeclineReason | None = None
) -> int:
    """Approve or decline received applications in one step; returns how many.

    Approval plans the grant's one payment (payable) and its report (due ``REPORT_DELAY``
    after the day of action). A decline needs a reason from the list, sent to the applicant in
    their language. All or nothing: one application not waiting for a decision refuses the lot.
    """
    _require_secretariat(actor)
    if not approve and reason is None:
        raise LightError(_("Choose the reason for declining."))
    target = LightStatus.APPROVED if approve else LightStatus.DECLINED
    with transaction.atomic():
        rows = _locked_batch(ids)
        _refuse(
            [row for row in rows if row.status != LightStatus.RECEIVED],
            _("These applications are not waiting for a decision:"),
        )
        if not rows:
            return 0
        now = timezone.now()
        changes = {"status": target, "decided_at": now, "decided_by": actor}
        if approve:
            changes.update(
                payment_status=LightPaymentStatus.PAYABLE,
                report_status=LightReportStatus.DUE,
                report_due_on=F("action_date") + REPORT_DELAY,
            )
        else:
            changes["decline_reason"] = reason
        LightApplication.objects.filter(pk__in=[row.pk for row in rows]).update(**changes)
        history = {"actor": actor, "role": Role.SECRETARIAT}
        _histories(
            rows,
            workflow=LIGHT_APPLICATION_WORKFLOW,
            source=LightStatus.RECEIVED,
            target=target,
            comment="" if approve else reason.text,
            **history,
        )
        if approve:
            system = {"actor": actor, "role": Role.SYSTEM}
            _histories(
                rows,
                workflow=LIGHT_PAYMENT_WORKFLOW,
                source=LightPaymentStatus.NONE,
                target=LightPaymentStatus.PAYABLE,
                **system,
            )
            _histories(
                rows,
                workflow=LIGHT_REPORT_WORKFLOW,
                source=LightReportStatus.NOT_DUE,
                target=LightReportStatus.DUE,
                **system,
            )
        notify_addresses(
            kind=kinds.LIGHT_DECISION,
            messages=[
                {
                    "key": f"light:{row.pk}:decision",
                    "email": row.email,
                    "language": row.language,
                    "path": _link(row),
                    "context": {
                        "group": row.group_name,
                        "edition": str(row.edition),
                        "approved": approve,
                        "amount": amount_text(row.amount),
                        "currency": row.currency,
                        "reason_id": None if approve else reason.pk,
                    },
                }
                for row in rows
            ],
        )
    return len(rows)


def light_verify_payees(*, ids: Iterable[int], actor) -> int:
    """A member of the secretariat checked these bank details: the fingerprint of what they
    checked is kept, and a payment file refuses any line whose details changed since."""
    _require_secretariat(actor)
    with transaction.atomic():
        rows = _locked_batch(ids)
        _refuse(
            [row for row in rows if row.status != LightStatus.APPROVED],
            _("Only approved grants have bank details to verify:"),
        )
        now = timezone.now()
        for row in rows:
            row.payee_verified_by = actor
            row.payee_verified_at = now
            row.payee_verified_hash = row.payee_hash()
        LightApplication.objects.bulk_update(
            rows, ["payee_verified_by", "payee_verified_at", "payee_verified_hash"]
        )
    return len(rows)


# --- paying: the file for the bank, and its answer ---------------------------------------------


def payment_file_content(*, layout: PaymentFileLayout, rows: Sequence[LightApplication]) -> bytes:
    """The payment file of ``rows`` in ``layout``'s columns and format (one query-free pass)."""
    keys = layout.column_keys
    # The bank reads the same headings whoever makes the file: the site's default language.
    with translation.override(settings.LANGUAGE_CODE):
        data = tablib.Dataset(headers=[str(PAYMENT_COLUMNS[key]) for key in keys])
    for row in rows:
        values = {
            "reference": row.reference,
            "amount": amount_text(row.amount),
            "country": row.country.code,
        }
        data.append([values.get(key, getattr(row, key, "")) for key in keys])
    if layout.file_format == PaymentFileLayout.Format.XLSX:
        return data.export("xlsx")
    return data.export("csv").encode("utf-8")


def light_payment_file(*, ids: Iterable[int], layout: PaymentFileLayout, actor) -> PaymentBatch:
    """Put the payable grants ``ids`` in a new payment file (a ``PaymentBatch``).

    Refused as a whole, before any file exists, when a grant is already paid or in a file (no
    second payment), its agreement is not accepted, or its bank details are unverified or
    changed since they were verified; all grants must belong to one edition."""
    _require_secretariat(actor)
    with transaction.atomic():
        rows = _locked_batch(ids)
        if not rows:
            raise LightError(_("Choose the grants to pay."))
        _refuse(
            [r for r in rows if r.payment_status in (LightPaymentStatus.PAID,)],
            _("These grants are already paid; a grant is paid once:"),
        )
        _refuse(
            [r for r in rows if r.payment_status == LightPaymentStatus.IN_FILE],
            _("These grants are already in a payment file:"),
        )
        _refuse(
            [r for r in rows if r.payment_status != LightPaymentStatus.PAYABLE],
            _("These applications are not approved grants:"),
        )
        _refuse(
            [r for r in rows if not r.payee_verified_hash],
            _("The bank details of these grants are not verified:"),
        )
        _refuse(
            [r for r in rows if r.payee_verified_hash != r.payee_hash()],
            _("The bank details of these grants changed since they were verified:"),
        )
        _refuse(
            [r for r in rows if r.agreement_accepted_at is None],
            _("These grantees have not accepted their agreement yet:"),
        )
        editions = {r.edition_id for r in rows}
        if len(editions) > 1:
            raise LightError(_("A payment file pays the grants of one edition."))
        batch = PaymentBatch.objects.create(
            edition=rows[0].edition,
            layout=layout,
            created_by=actor,
            lines=len(rows),
            total=sum((r.amount for r in rows), Decimal(0)),
            currency=rows[0].currency,
        )
        LightApplication.objects.filter(pk__in=[r.pk for r in rows]).update(
            payment_status=LightPaymentStatus.IN_FILE, batch=batch
        )
        _histories(
            rows,
            workflow=LIGHT_PAYMENT_WORKFLOW,
            source=LightPaymentStatus.PAYABLE,
            target=LightPaymentStatus.IN_FILE,
            actor=actor,
            role=Role.SECRETARIAT,
            comment=_("Payment file #%(number)s") % {"number": batch.pk},
        )
    return batch


def batch_rows(batch: PaymentBatch) -> list[LightApplication]:
    return list(batch.applications.order_by("pk"))


def payment_problems(
    *, paid_on, reference: str, exchange_rate, fees
) -> dict[str, str]:  # fmt: skip
    """What is wrong with a payment as the bank confirmed it (field -> message)."""
    problems = {}
    if paid_on is None:
        problems["paid_on"] = _("Give the date of the payment.")
    elif paid_on > timezone.localdate():
        problems["paid_on"] = _("The payment date cannot be in the future.")
    if not (reference or "").strip():
        problems["reference"] = _("Give the bank's reference.")
    if exchange_rate is None or exchange_rate <= 0:
        problems["exchange_rate"] = _("The exchange rate must be more than zero.")
    if fees is None or fees < 0:
        problems["fees"] = _("The fees cannot be negative.")
    return problems


def _mark_paid(rows, *, actor, paid: dict[int, dict]) -> None:
    for row in rows:
        for name, value in paid[row.pk].items():
            setattr(row, name, value)
        row.payment_status = LightPaymentStatus.PAID
    LightApplication.objects.bulk_update(
        rows, ["payment_status", "paid_on", "payment_reference", "exchange_rate", "fees"]
    )
    _histories(
        rows,
        workflow=LIGHT_PAYMENT_WORKFLOW,
        source=LightPaymentStatus.IN_FILE,
        target=LightPaymentStatus.PAID,
        actor=actor,
        role=Role.SECRETARIAT,
    )
    notify_addresses(
        kind=kinds.LIGHT_PAID,
        messages=[
            {
                "key": f"light:{row.pk}:paid",
                "email": row.email,
                "language": row.language,
                "path": _link(row),
                "context": {
                    "group": row.group_name,
                    "amount": amount_text(row.amount),
                    "currency": row.currency,
                    "paid_on": row.paid_on.isoformat(),
                },
            }
            for row in rows
        ],
    )


def _already_paid(row: LightApplication) -> None:
    if row.payment_status == LightPaymentStatus.PAID:
        raise LightError(
            _("%(grant)s is already paid (%(reference)s); a grant is paid once.")
            % {"grant": row, "reference": row.payment_reference}
        )
    if row.payment_status != LightPaymentStatus.IN_FILE:
        raise LightError(
            _("%(grant)s is not in a payment file: put it in one first.") % {"grant": row}
        )


def light_record_paid(
    *,
    application: LightApplication,
    actor,
    paid_on: datetime.date,
    reference: str,
    exchange_rate: Decimal,
    fees: Decimal,
) -> LightApplication:
    """Record one grant of a payment file as paid, as the bank confirmed it; a grant already
    paid is refused (a grant is paid once)."""
    _require_secretariat(actor)
    problems = payment_problems(
        paid_on=paid_on, reference=reference, exchange_rate=exchange_rate, fees=fees
    )
    if problems:
        raise LightError(" ".join(problems.values()), errors=problems)
    with transaction.atomic():
        rows = _locked_batch([application.pk])
        _already_paid(rows[0])
        paid = {
            "paid_on": paid_on,
            "payment_reference": reference.strip(),
            "exchange_rate": exchange_rate,
            "fees": fees,
        }
        _mark_paid(rows, actor=actor, paid={rows[0].pk: paid})
    return rows[0]


def _decimal(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        return None


def _date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None


def read_return_file(upload) -> list[dict]:
    """The lines of the bank's return file (CSV or XLSX) with the columns reference,
    bank_reference, paid_on (YYYY-MM-DD), exchange_rate and fees."""
    name = (upload.name or "").lower()
    if name.endswith(".xlsx"):
        try:
            checked = check_upload(upload)
        except UploadRejected as error:
            raise LightError(error.message) from error
        data = tablib.Dataset().load(checked.data, format="xlsx")
        lines = [dict(zip(data.headers, row, strict=False)) for row in data]
    else:
        upload.seek(0)
        raw = upload.read(settings.ATTACHMENT_MAX_BYTES + 1)
        if len(raw) > settings.ATTACHMENT_MAX_BYTES:
            raise LightError(_("The return file is too large."))
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise LightError(_("The return file is not a UTF-8 CSV or an XLSX file.")) from error
        lines = list(csv.DictReader(io.StringIO(text)))
    lines = [{str(k or "").strip().lower(): v for k, v in line.items()} for line in lines]
    missing = [c for c in RETURN_COLUMNS if not lines or c not in lines[0]]
    if missing:
        raise LightError(
            _("The return file needs the columns %(columns)s.")
            % {"columns": ", ".join(RETURN_COLUMNS)}
        )
    return lines


def light_record_return_file(*, batch: PaymentBatch, upload, actor) -> int:
    """Record as paid the grants of ``batch`` the bank's return file confirms (see
    ``read_return_file``). All or nothing: a line that names no grant of the batch, a grant
    already paid, or a missing or wrong value refuses the whole file, with every problem."""
    _require_secretariat(actor)
    lines = read_return_file(upload)
    with transaction.atomic():
        rows = list(
            LightApplication.objects.select_for_update()
            .filter(batch=batch)
            .order_by("pk")
        )  # fmt: skip
        by_reference = {row.reference: row for row in rows}
        problems, paid, seen = [], {}, []
        for number, line in enumerate(lines, start=2):
            reference = str(line.get("reference") or "").strip()
            row = by_reference.get(reference)
            if row is None:
                problems.append(
                    _("Line %(line)s: %(reference)s is not in this payment file.")
                    % {"line": number, "reference": reference}
                )
                continue
            if row.payment_status == LightPaymentStatus.PAID or row.pk in paid:
                problems.append(
                    _("Line %(line)s: %(reference)s is already paid; a grant is paid once.")
                    % {"line": number, "reference": reference}
                )
                continue
            values = {
                "paid_on": _date(line.get("paid_on")),
                "payment_reference": str(line.get("bank_reference") or "").strip(),
                "exchange_rate": _decimal(line.get("exchange_rate")),
                "fees": _decimal(line.get("fees")),
            }
            wrong = payment_problems(
                paid_on=values["paid_on"],
                reference=values["payment_reference"],
                exchange_rate=values["exchange_rate"],
                fees=values["fees"],
            )
            for message in wrong.values():
                problems.append(
                    _("Line %(line)s: %(message)s") % {"line": number, "message": message}
                )
            paid[row.pk] = values
            seen.append(row)
        if problems:
            raise LightError(" ".join(problems))
        if seen:
            _mark_paid(seen, actor=actor, paid=paid)
    return len(seen)


# --- the one-page report -----------------------------------------------------------------------


def light_report_submit(
    *,
    application: LightApplication,
    text: str,
    participants: int,
    link: str,
    photos: Sequence[tuple[object, str, bool]] = (),
) -> LightApplication:
    """The grantee sends their one-page report: what happened, how many took part, a link, and
    photos as (file, caption, the people shown agree to publication). Each photo is checked
    (type by content, size) before anything is kept."""
    checked = []
    for upload, caption, consent in photos:
        try:
            file = check_upload(upload)
        except UploadRejected as error:
            raise LightError(error.message, errors={"photos": error.message}) from error
        if not file.type.is_image:
            message = _("“%(name)s” is not a photo (JPEG, PNG or WebP).") % {"name": file.name}
            raise LightError(message, errors={"photos": message})
        checked.append((file, caption, consent))
    with transaction.atomic():
        locked = lock(application)
        if locked.photos.count() + len(checked) > MAX_PHOTOS:
            message = _("A report has %(count)s photos at most.") % {"count": MAX_PHOTOS}
            raise LightError(message, errors={"photos": message})
        locked = perform_transition(
            obj=locked,
            workflow=LIGHT_REPORT_WORKFLOW,
            field="report_status",
            target=LightReportStatus.SUBMITTED,
            actor=None,
            role=Role.MEMBER,
            history=_history,
            changes={
                "report_text": text,
                "report_participants": participants,
                "report_link": link,
                "report_submitted_at": timezone.now(),
            },
        )
        for file, caption, consent in checked:
            photo = LightPhoto(application=locked, caption=caption, has_consent=consent)
            file.store(photo.image)
            photo.save()
    return locked


def light_report_accept(*, application: LightApplication, actor) -> LightApplication:
    """Accept a one-page report: the action appears on the edition's public map, with a public
    copy of each photo whose people agreed to publication."""
    _require_secretariat(actor)
    with transaction.atomic():
        locked = perform_transition(
            obj=application,
            workflow=LIGHT_REPORT_WORKFLOW,
            field="report_status",
            target=LightReportStatus.ACCEPTED,
            actor=actor,
            role=Role.SECRETARIAT,
            history=_history,
        )
        for photo in locked.photos.filter(has_consent=True, public_copy=""):
            with photo.image.open("rb") as handle:
                # A random name: a number would let anyone count through every photo.
                photo.public_copy.save(
                    f"{secrets.token_urlsafe(16)}.jpg", ContentFile(handle.read()), save=False
                )
            photo.save(update_fields=["public_copy"])
    return locked


def light_report_request_changes(
    *, application: LightApplication, actor, comment: str
) -> LightApplication:
    """Send a one-page report back to the grantee with what to change."""
    _require_secretariat(actor)
    with transaction.atomic():
        locked = perform_transition(
            obj=application,
            workflow=LIGHT_REPORT_WORKFLOW,
            field="report_status",
            target=LightReportStatus.CHANGES_REQUESTED,
            actor=actor,
            role=Role.SECRETARIAT,
            history=_history,
            comment=comment,
        )
        notify(
            kind=kinds.LIGHT_REPORT_CHANGES,
            key=f"light:{locked.pk}:changes:{locked.history.count()}",
            context={"group": locked.group_name, "comment": comment},
            path=_link(locked),
            email=locked.email,
            language=locked.language,
        )
    return locked


def light_send_report_reminders(*, today: datetime.date | None = None) -> int:
    """Remind grantees of their one-page report, as for full grants: a week before it is due,
    and once it is overdue; each reminder is sent once however often this runs."""
    today = today or timezone.localdate()
    due = LightApplication.objects.filter(
        report_status__in=(LightReportStatus.DUE, LightReportStatus.CHANGES_REQUESTED),
        report_due_on__isnull=False,
        report_due_on__lte=today + datetime.timedelta(days=7),
    ).select_related("edition")
    messages = []
    for row in due:
        which = "overdue" if row.report_due_on < today else "due_7"
        messages.append(
            {
                "key": f"light:{row.pk}:report_{which}",
                "email": row.email,
                "language": row.language,
                "path": _link(row),
                "context": {
                    "group": row.group_name,
                    "due_on": row.report_due_on.isoformat(),
                    "overdue": which == "overdue",
                },
            }
        )
    with transaction.atomic():
        return notify_addresses(kind=kinds.LIGHT_REPORT_REMINDER, messages=messages)
