"""The secretariat's review of a submitted report."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.workflow import Role, perform_transition
from grants.models import Disbursement
from grants.services import disbursements_release, initiative_complete_if_done
from notifications.services import notify_many
from organisations.selectors import organisation_members
from programme.notifications import sender_of

from .. import notifications as kinds
from ..errors import ReportError
from ..models import (
    Report,
    ReportSection,
    ReviewComment,
)
from ..workflow import REPORT_WORKFLOW, ReportStatus
from .common import (
    check_secretariat,
    last_history,
    lock_report,
    notification_context,
    record_history,
)

# --- review -------------------------------------------------------------------------------------


@transaction.atomic
def report_accept(*, report: Report, actor, comment: str = "") -> Report:
    """The secretariat accepts a submitted report; it is read-only from then on.

    The oldest planned tranche waiting for this kind of report (interim or final) becomes
    payable. The organisation's members are notified after commit. An active grant whose
    tranches are all paid or cancelled is completed by the system when its final report is
    accepted.
    """
    check_secretariat(actor)
    locked = lock_report(report)
    locked = perform_transition(
        obj=locked,
        workflow=REPORT_WORKFLOW,
        target=ReportStatus.ACCEPTED,
        actor=actor,
        role=Role.SECRETARIAT,
        history=record_history,
        comment=comment.strip(),
        changes={"accepted_at": timezone.now(), "version": locked.version + 1},
    )
    locked = lock_report(locked)
    disbursements_release(
        initiative=locked.initiative,
        condition=Disbursement.Condition(locked.kind),
        actor=actor,
        count=1,
    )
    notify_many(
        recipients=organisation_members(locked.initiative.lead_organisation),
        kind=kinds.REPORT_ACCEPTED,
        sender=sender_of(locked.initiative.edition),
        key=f"report:{locked.pk}:accepted:{last_history(locked).pk}",
        context=notification_context(locked, comment=comment.strip()),
        url_name="portal:report",
        url_kwargs={"pk": locked.pk},
    )
    initiative_complete_if_done(initiative=locked.initiative)
    return locked


@transaction.atomic
def report_request_changes(
    *, report: Report, actor, comments: Mapping[str, str], comment: str = ""
) -> Report:
    """The secretariat sends a submitted report back with comments per section
    (``ReportSection`` keys) and an optional general comment; at least one is required.

    The comments are kept against the version that was reviewed. The organisation's members
    are notified after commit; they change the report and submit it again.
    """
    check_secretariat(actor)
    unknown = set(comments) - set(ReportSection.values)
    if unknown:
        raise ReportError(_("Unknown section: %(sections)s.") % {"sections": ", ".join(unknown)})
    written = {key: text.strip() for key, text in comments.items() if text and text.strip()}
    if not written and not comment.strip():
        raise ReportError(_("Say what should change: write at least one comment."))
    locked = lock_report(report)
    reviewed = locked.versions.order_by("-number").first()
    locked = perform_transition(
        obj=locked,
        workflow=REPORT_WORKFLOW,
        target=ReportStatus.CHANGES_REQUESTED,
        actor=actor,
        role=Role.SECRETARIAT,
        history=record_history,
        comment=comment.strip(),
        # Forms opened before the review are stale now.
        changes={"version": locked.version + 1},
    )
    locked = lock_report(locked)
    ReviewComment.objects.bulk_create(
        ReviewComment(report=locked, version=reviewed, section=key, text=text, author=actor)
        for key, text in written.items()
    )
    labels = dict(ReportSection.choices)
    paragraphs = [comment.strip()] if comment.strip() else []
    paragraphs += [f"{labels[key]}: {text}" for key, text in written.items()]
    summary = "\n\n".join(paragraphs)
    notify_many(
        recipients=organisation_members(locked.initiative.lead_organisation),
        kind=kinds.REPORT_CHANGES_REQUESTED,
        sender=sender_of(locked.initiative.edition),
        key=f"report:{locked.pk}:changes_requested:{last_history(locked).pk}",
        context=notification_context(locked, comment=summary),
        url_name="portal:report",
        url_kwargs={"pk": locked.pk},
    )
    return locked
