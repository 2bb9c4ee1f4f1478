"""The results of a grant on its public page.

In the final report the grantee writes highlights "the secretariat may publish" and marks the
photos the people shown agreed to publish (``Attachment.is_publishable``). Once the report is
accepted, the secretariat chooses among those what the public reads (``PublicResult``): who and
when are recorded, a photo is copied to a public file (the report's own stays private), and
withdrawing a result deletes that copy.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.images import WIDTHS, thumbnail_name
from programme.models import ReportKind

from ..errors import ReportError
from ..models import Attachment, PublicResult, Report
from ..workflow import ReportStatus
from .common import check_secretariat, lock_report


def can_publish_results(report: Report) -> bool:
    return report.kind == ReportKind.FINAL and report.status == ReportStatus.ACCEPTED


@transaction.atomic
def results_publish(
    *, report: Report, actor, highlights: bool, photos: Iterable[int]
) -> list[PublicResult]:
    """Set what the public page of the report's initiative shows of it: its highlights (when
    ``highlights``) and the photos whose ids are in ``photos``; anything published before and
    not chosen now is withdrawn.

    Only the secretariat, only for an accepted final report, only highlights that were written
    and photos of this report the people shown agreed to publish: otherwise ``ReportError`` (or
    ``TransitionNotAllowed``) and nothing changes. The same choice sent twice changes nothing.
    The public page's cache is cleared when a result is saved (``public.signals``). Returns
    the results published now.
    """
    check_secretariat(actor)
    locked = lock_report(report)
    if not can_publish_results(locked):
        raise ReportError(_("Only the results of an accepted final report can be published."))
    chosen = {int(pk) for pk in photos}
    attachments = {
        attachment.pk: attachment
        for attachment in locked.attachments.filter(kind=Attachment.Kind.PHOTO).order_by("pk")
    }
    if chosen - set(attachments):
        raise ReportError(_("Choose photos of this report."))
    refused = [attachments[pk] for pk in sorted(chosen) if not attachments[pk].is_publishable]
    if refused:
        raise ReportError(
            _("“%(name)s” cannot be published: the people shown did not agree to its publication.")
            % {"name": refused[0].original_name}
        )
    if highlights and not locked.highlights.strip():
        raise ReportError(_("The report has no highlights to publish."))
    existing = {
        (row.kind, row.attachment_id): row
        for row in PublicResult.objects.select_for_update().filter(report=locked)
    }
    now = timezone.now()
    row = existing.get((PublicResult.Kind.HIGHLIGHTS, None))
    if highlights:
        if row is None:
            row = _new_result(locked, PublicResult.Kind.HIGHLIGHTS)
            setattr(row, f"text_{locked.language}", locked.highlights.strip())
        _publish(row, actor, now)
    elif row is not None:
        _withdraw(row, actor, now)
    for pk, attachment in attachments.items():
        row = existing.get((PublicResult.Kind.PHOTO, pk))
        if pk in chosen:
            if row is None:
                row = _new_result(locked, PublicResult.Kind.PHOTO, attachment=attachment)
                setattr(row, f"caption_{locked.language}", attachment.caption)
            _publish(row, actor, now, attachment=attachment)
        elif row is not None:
            _withdraw(row, actor, now)
    return list(PublicResult.objects.filter(report=locked, is_published=True))


def _new_result(report: Report, kind: str, attachment: Attachment | None = None) -> PublicResult:
    return PublicResult(
        report=report,
        initiative_id=report.initiative_id,
        kind=kind,
        attachment=attachment,
        original_language=report.language,
    )


def _publish(row: PublicResult, actor, now, attachment: Attachment | None = None) -> None:
    if row.pk is not None and row.is_published:
        return
    if attachment is not None and not row.photo:
        _copy_photo(row, attachment)
    row.is_published = True
    row.published_at, row.published_by = now, actor
    row.withdrawn_at, row.withdrawn_by = None, None
    row.save()


def _withdraw(row: PublicResult, actor, now) -> None:
    if not row.is_published:
        return
    name = row.photo.name if row.photo else ""
    row.is_published = False
    row.withdrawn_at, row.withdrawn_by = now, actor
    row.photo = ""
    row.save()
    if name:
        transaction.on_commit(lambda: delete_public_copy(name))


def _copy_photo(row: PublicResult, attachment: Attachment) -> None:
    """A public copy of the report's photo under a new random name (the photo was re-encoded
    without its metadata when it was uploaded). Should the transaction fail afterwards, the copy
    stays under a name nobody was given."""
    with attachment.file.open("rb") as handle:
        data = handle.read()
    extension = PurePosixPath(attachment.file.name).suffix.lower() or ".jpg"
    row.photo.save(f"{secrets.token_urlsafe(16)}{extension}", ContentFile(data), save=False)


def delete_public_copy(name: str) -> None:
    """Delete a withdrawn photo's public copy and its thumbnails."""
    default_storage.delete(name)
    for width in WIDTHS:
        default_storage.delete(thumbnail_name(name, width))
