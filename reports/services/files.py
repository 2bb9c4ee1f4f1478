"""Files and photos attached to a report."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from core.files import check_upload

from ..errors import ReportError
from ..models import Attachment, Report
from .common import check_member, lock_report

# --- attachments --------------------------------------------------------------------------------


@transaction.atomic
def attachment_add(
    *, report: Report, actor, upload, caption: str = "", is_publishable: bool = False
) -> Attachment:
    """Attach a file or a photo to a report a member is writing.

    The file is checked by ``core.files.check_upload`` first (size, type by content,
    extension; photos re-encoded without metadata): a rejected file raises ``UploadRejected``
    and nothing is written to storage. Stored under a random name below ``private/``. The
    consent to publish only applies to photos.
    """
    locked = lock_report(report)
    check_member(actor, locked)
    if not locked.is_editable:
        raise ReportError(_("Files can no longer be added to this report."))
    checked = check_upload(upload)
    kind = Attachment.Kind.PHOTO if checked.type.is_image else Attachment.Kind.FILE
    attachment = Attachment(
        report=locked,
        kind=kind,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        caption=caption.strip(),
        is_publishable=bool(is_publishable) and kind == Attachment.Kind.PHOTO,
        uploaded_by=actor,
    )
    checked.store(attachment.file)
    try:
        attachment.save()
    except Exception:
        # No row, no file: storage keeps nothing that no attachment points to.
        attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: Attachment, actor) -> None:
    """Remove a file from a report a member is writing; the stored file is deleted after
    commit. Earlier versions of the report keep its name and caption."""
    locked = lock_report(attachment.report)
    check_member(actor, locked)
    if not locked.is_editable:
        raise ReportError(_("Files can no longer be removed from this report."))
    storage, name = attachment.file.storage, attachment.file.name
    Attachment.objects.filter(pk=attachment.pk).delete()
    transaction.on_commit(lambda: storage.delete(name))
