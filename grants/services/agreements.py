"""The grant agreement of an initiative and the initiative's activation.

The secretariat issues the agreement from the back office (the edition's template may need
editing first, so awarding a grant does not draw it up). Each issue makes a new version: its
text in the grantee's language, its PDF and the PDF's SHA-256, kept as they were. A version not
yet countersigned becomes void when a newer one is issued, and a void version cannot be signed.
A signatory of the organisation (the membership role; an administrator does not sign by being
one) accepts it in the portal, with their full name typed, or sends a signed scan; then the
secretariat countersigns. Countersigning releases the tranche paid on signature and, once the
workplan is approved too, makes the initiative active.

Every step locks the agreement's row and checks its status again, so a second click finds the
step taken and changes nothing.
"""

from __future__ import annotations

import hashlib
import ipaddress

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.files import UploadRejected, check_upload
from core.workflow import Role, TransitionNotAllowed, lock, perform_transition
from notifications.services import notify_many
from organisations.selectors import (
    is_secretariat,
    is_signatory,
    organisation_members,
    organisation_signatories,
    secretariat_users,
)
from programme.notifications import sender_of

from .. import notifications as kinds
from ..documents import agreement_document, agreement_pdf
from ..errors import AgreementError
from ..models import (
    Agreement,
    AgreementStatusChange,
    Disbursement,
    Initiative,
    InitiativeStatusChange,
)
from ..workflow import AGREEMENT_WORKFLOW, INITIATIVE_WORKFLOW, AgreementStatus, InitiativeStatus
from .closing import initiative_complete_if_done
from .payments import disbursements_release

G = AgreementStatus
# What a signed scan may be (content types of ``core.files.TYPES``).
SCAN_TYPES = ("application/pdf", "image/jpeg", "image/png")
# A grant that ended keeps the agreement it had.
ENDED = (InitiativeStatus.COMPLETED, InitiativeStatus.TERMINATED)


def _history(agreement: Agreement, **fields) -> AgreementStatusChange:
    return AgreementStatusChange.objects.create(agreement=agreement, **fields)


def _initiative_history(initiative: Initiative, **fields) -> InitiativeStatusChange:
    return InitiativeStatusChange.objects.create(initiative=initiative, **fields)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _address(value: str | None) -> str | None:
    """The signer's IP address as recorded (None when the request gave no valid one)."""
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


def _moment(value) -> str:
    return date_format(timezone.localtime(value), "DATETIME_FORMAT")


def _context(initiative: Initiative) -> dict:
    return {"initiative": initiative.title, "organisation": initiative.lead_organisation.name}


# --- issuing ------------------------------------------------------------------------------------


@transaction.atomic
def agreement_issue(*, initiative: Initiative, actor) -> Agreement:
    """The secretariat issues a new version of the agreement of ``initiative``.

    The text is drawn up from the edition's template (or the default text) with the grant's
    data as it is now, in the grantee's language, and kept with its PDF and the PDF's SHA-256.
    The version before, if the secretariat has not countersigned it, becomes void (signed by
    the organisation or not): only the newest version can be signed. The organisation's
    signatories are told after commit. Refused (``AgreementError``) once an agreement is
    countersigned, or when the grant has ended; only the secretariat may issue.
    """
    if not is_secretariat(actor):
        raise TransitionNotAllowed(_("Only the secretariat can issue grant agreements."))
    # The initiative's row serialises two issues of the same agreement.
    locked = lock(initiative, related=("lead_organisation",))
    if locked.status in ENDED:
        raise AgreementError(
            _("The grant is %(status)s: its agreement cannot change now.")
            % {"status": locked.get_status_display().lower()}
        )
    versions = list(Agreement.objects.select_for_update().filter(initiative=locked))
    current = next((a for a in versions if a.status != G.VOID), None)
    if current is not None and current.status == G.COUNTERSIGNED:
        raise AgreementError(
            _(
                "Version %(version)s of the agreement was countersigned on %(date)s: it cannot "
                "change any more."
            )
            % {"version": current.version, "date": _moment(current.countersigned_at)}
        )
    number = max((a.version for a in versions), default=0) + 1
    document = agreement_document(locked, version=number)
    pdf = agreement_pdf(document)
    if current is not None:
        perform_transition(
            obj=current,
            workflow=AGREEMENT_WORKFLOW,
            target=G.VOID,
            actor=actor,
            role=Role.SECRETARIAT,
            history=_history,
            comment=_("Replaced by version %(version)s.") % {"version": number},
        )
    agreement = Agreement(
        initiative=locked,
        version=number,
        language=document.language,
        title=document.title[:200],
        body_html=document.body_html,
        pdf_sha256=digest(pdf),
        created_by=actor,
    )
    # Written now, under the name the row keeps; a rollback leaves an unreferenced file in the
    # private folder, never a row without its file.
    agreement.pdf.save(agreement.filename, ContentFile(pdf), save=False)
    agreement.save()
    issued = perform_transition(
        obj=agreement,
        workflow=AGREEMENT_WORKFLOW,
        target=G.ISSUED,
        actor=actor,
        role=Role.SECRETARIAT,
        history=_history,
    )
    notify_many(
        recipients=organisation_signatories(locked.lead_organisation),
        kind=kinds.AGREEMENT_ISSUED,
        sender=sender_of(locked.edition),
        key=f"agreement:{issued.pk}:issued",
        context=_context(locked),
        url_name="portal:agreement",
        url_kwargs={"pk": locked.pk},
    )
    return issued


# --- the organisation's signature --------------------------------------------------------------


def _lock_for_signature(agreement: Agreement, actor, shown_sha256: str | None) -> Agreement:
    """The agreement locked, once it is known that ``actor`` may sign it now and that it is the
    version they were shown."""
    locked = lock(agreement, related=("initiative__lead_organisation",))
    organisation = locked.initiative.lead_organisation
    if not is_signatory(actor, organisation):
        raise TransitionNotAllowed(
            _("Only a signatory of %(organisation)s can sign its grant agreement.")
            % {"organisation": organisation.name}
        )
    if locked.status == G.VOID:
        newer = (
            Agreement.objects.filter(initiative_id=locked.initiative_id)
            .exclude(status=G.VOID)
            .first()
        )
        message = _("Version %(version)s of this agreement is void: it can no longer be signed.")
        if newer is not None:
            message = _(
                "Version %(version)s of this agreement is void: the secretariat issued version "
                "%(newer)s since. Read the new version, then sign it."
            )
        raise AgreementError(
            message % {"version": locked.version, "newer": newer.version if newer else ""}
        )
    if locked.status in (G.SIGNED, G.COUNTERSIGNED):
        raise AgreementError(
            _("This agreement was signed on %(date)s by %(name)s.")
            % {"date": _moment(locked.signed_at), "name": locked.signer_name}
        )
    AGREEMENT_WORKFLOW.check(locked.status, G.SIGNED, Role.MEMBER)
    if shown_sha256 is not None and shown_sha256.strip().lower() != locked.pdf_sha256:
        raise AgreementError(
            _(
                "The agreement you read is not the one issued now: reload the page, read it "
                "again, then sign."
            )
        )
    try:
        with locked.pdf.open("rb") as handle:
            stored = digest(handle.read())
    except (FileNotFoundError, OSError, ValueError):
        stored = ""
    if stored != locked.pdf_sha256:
        # The file on disk is not the one issued: nobody can sign what cannot be checked.
        raise AgreementError(
            _("The agreement's file cannot be checked. Ask the secretariat to issue it again.")
        )
    return locked


def _signed(locked: Agreement, actor, changes: dict, comment: str) -> Agreement:
    signed = perform_transition(
        obj=locked,
        workflow=AGREEMENT_WORKFLOW,
        target=G.SIGNED,
        actor=actor,
        role=Role.MEMBER,
        history=_history,
        comment=comment,
        changes={
            "signed_at": timezone.now(),
            "signed_by": actor,
            "signed_sha256": locked.pdf_sha256,
            **changes,
        },
    )
    initiative = locked.initiative
    notify_many(
        recipients=secretariat_users(),
        kind=kinds.AGREEMENT_SIGNED,
        sender=sender_of(initiative.edition),
        key=f"agreement:{signed.pk}:signed",
        context={**_context(initiative), "name": signed.signer_name},
        url_name="admin:grants_agreement_change",
        url_kwargs={"object_id": signed.pk},
    )
    return signed


@transaction.atomic
def agreement_sign(
    *, agreement: Agreement, actor, full_name: str, ip_address: str | None, sha256: str
) -> Agreement:
    """A signatory of the organisation accepts the agreement in the portal.

    Recorded with it: the full name they typed, the moment, their IP address and the SHA-256 of
    the PDF, which must be the one of the version they were shown (``sha256``, carried by the
    form). Refused with a message (nothing recorded) for anyone but a signatory of the
    organisation, for a void version (a newer one was issued), a version signed already, a
    name left empty or a version changed since the page was read. The secretariat is told
    after commit.
    """
    locked = _lock_for_signature(agreement, actor, sha256)
    name = " ".join((full_name or "").split())[:200]
    if not name:
        raise AgreementError(_("Type your full name to sign."), field="full_name")
    return _signed(
        locked,
        actor,
        {
            "signature_method": Agreement.Method.ONLINE,
            "signer_name": name,
            "signer_ip": _address(ip_address),
        },
        comment=_("Accepted in the portal by %(name)s.") % {"name": name},
    )


@transaction.atomic
def agreement_upload_signed_scan(
    *,
    agreement: Agreement,
    actor,
    file,
    ip_address: str | None = None,
    sha256: str | None = None,
) -> Agreement:
    """A signatory sends the agreement signed on paper, scanned (PDF, JPEG or PNG, checked by
    ``core.files.check_upload``), instead of accepting it in the portal. The same rules as
    ``agreement_sign``: a signatory only, not a void version, the version they were shown when
    ``sha256`` is given. Refused with ``UploadRejected`` for a file that is not a scan."""
    locked = _lock_for_signature(agreement, actor, sha256)
    checked = check_upload(file)
    if checked.content_type not in SCAN_TYPES:
        raise UploadRejected(
            _("“%(name)s” is a %(type)s: send the signed agreement as a PDF, JPEG or PNG file.")
            % {"name": checked.name, "type": checked.type.name}
        )
    checked.store(locked.signed_scan)
    name = actor.get_full_name()[:200]
    return _signed(
        locked,
        actor,
        {
            "signature_method": Agreement.Method.SCAN,
            "signer_name": name,
            "signer_ip": _address(ip_address),
            "signed_scan": locked.signed_scan.name,
            "signed_scan_name": checked.name,
            "signed_scan_type": checked.content_type,
        },
        comment=_("Signed scan sent by %(name)s.") % {"name": name},
    )


# --- the secretariat's ----------------------------------------------------------------------


@transaction.atomic
def agreement_countersign(*, agreement: Agreement, actor) -> Agreement:
    """The secretariat countersigns an agreement the organisation signed: the agreement is then
    final. The tranche paid on signature becomes payable, the initiative becomes active if its
    workplan is approved, and the organisation's members are told after commit. A second
    countersignature, of the same version or of a void one, is refused with a message and
    changes nothing."""
    if not is_secretariat(actor):
        raise TransitionNotAllowed(_("Only the secretariat can countersign grant agreements."))
    locked = lock(agreement, related=("initiative__lead_organisation",))
    if locked.status == G.COUNTERSIGNED:
        raise AgreementError(
            _("This agreement was countersigned on %(date)s.")
            % {"date": _moment(locked.countersigned_at)}
        )
    if locked.status == G.VOID:
        raise AgreementError(
            _("Version %(version)s of this agreement is void: countersign the current version.")
            % {"version": locked.version}
        )
    if locked.status != G.SIGNED:
        raise AgreementError(_("The organisation has not signed this agreement yet."))
    countersigned = perform_transition(
        obj=locked,
        workflow=AGREEMENT_WORKFLOW,
        target=G.COUNTERSIGNED,
        actor=actor,
        role=Role.SECRETARIAT,
        history=_history,
        changes={"countersigned_at": timezone.now(), "countersigned_by": actor},
    )
    initiative = locked.initiative
    disbursements_release(
        initiative=initiative, condition=Disbursement.Condition.ON_SIGNATURE, actor=actor
    )
    initiative_activate_if_ready(initiative=initiative, actor=actor)
    notify_many(
        recipients=organisation_members(initiative.lead_organisation),
        kind=kinds.AGREEMENT_COUNTERSIGNED,
        sender=sender_of(initiative.edition),
        key=f"agreement:{countersigned.pk}:countersigned",
        context=_context(initiative),
        url_name="portal:agreement",
        url_kwargs={"pk": initiative.pk},
    )
    return countersigned


# --- activation -------------------------------------------------------------------------------


def is_countersigned(initiative: Initiative) -> bool:
    return Agreement.objects.filter(initiative=initiative, status=G.COUNTERSIGNED).exists()


@transaction.atomic
def initiative_activate_if_ready(*, initiative: Initiative, actor=None) -> Initiative:
    """Make the initiative active once its agreement is countersigned and its workplan
    approved, whichever comes last: called by both steps. A step the system takes (recorded
    with ``actor``, the person whose step completed the pair). Does nothing otherwise, and
    nothing the second time. Once active, it is completed at once if nothing is left to do."""
    locked = lock(initiative)
    if locked.status != InitiativeStatus.WORKPLAN_APPROVED or not is_countersigned(locked):
        return locked
    active = perform_transition(
        obj=locked,
        workflow=INITIATIVE_WORKFLOW,
        target=InitiativeStatus.ACTIVE,
        actor=actor,
        role=Role.SYSTEM,
        history=_initiative_history,
        comment=_("Agreement countersigned and workplan approved."),
    )
    # Everything else may be done already (the final report accepted, every tranche paid).
    return initiative_complete_if_done(initiative=active, actor=actor) or active
