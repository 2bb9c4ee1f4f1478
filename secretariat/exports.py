"""Large exports of the back office's lists, written by the worker.

``core.exports`` sends small exports in the response and hands larger ones to
``export_request`` (registered in ``SecretariatConfig.ready``): it records an ``Export`` and
queues ``export_run``, which rebuilds the list exactly as the person saw it (their filters and
search, through the admin's own ``ChangeList``, as them: a reviewer's list stays theirs), writes
the file to private storage and notifies them (email and the in-app list) with a link that
only they can open, for ``EXPORT_KEEP_DAYS`` days.
"""

from __future__ import annotations

import datetime
import tempfile

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.http import HttpRequest, QueryDict
from django.utils import timezone, translation

from core import exports as core_exports
from notifications.services import notify

from .models import Export
from .notifications import EXPORT_READY


def export_request(*, user, model_admin, query: str, fmt: str) -> Export:
    """Record the export and queue it after commit."""
    from .tasks import export_run

    export = Export.objects.create(
        requested_by=user,
        model=model_admin.model._meta.label_lower,
        query=query,
        format=fmt,
        language=core_exports.person_language(user, translation.get_language()),
    )
    transaction.on_commit(lambda: export_run.delay(export.pk))
    return export


def export_write(*, export: Export) -> Export:
    """Write the file of ``export`` (once: a finished export is left as it is) and notify the
    person who asked for it."""
    if export.status != Export.Status.QUEUED:
        return export
    user = export.requested_by
    model_admin = core_exports.export_admin(apps.get_model(export.model))
    request = HttpRequest()  # the list's request, as the person made it
    request.method = "GET"
    request.GET = QueryDict(export.query)
    request.user = user
    with translation.override(export.language):
        queryset = core_exports.changelist_queryset(model_admin, request)
        title = str(model_admin.model._meta.verbose_name_plural)
        filename = core_exports.export_filename(model_admin.model, export.format)
        with tempfile.TemporaryFile() as handle:
            rows = core_exports.write_export(handle, export.format, model_admin, queryset, title)
            handle.seek(0)
            export.file.save(filename, File(handle), save=False)
    now = timezone.now()
    export.filename = filename
    export.row_count = rows
    export.status = Export.Status.DONE
    export.finished_at = now
    export.expires_at = now + datetime.timedelta(days=settings.EXPORT_KEEP_DAYS)
    with transaction.atomic():
        export.save()
        with translation.override(export.language):
            path = export.get_absolute_url()
        notify(
            kind=EXPORT_READY,
            key=f"export:{export.pk}",
            context={
                "list": title,
                "rows": rows,
                "file": filename,
                "expires_on": export.expires_at.date().isoformat(),
            },
            path=path,
            recipient=user,
        )
    return export


CLEAR_EXPORTS_JOB = "clear_exports"


def exports_clear_expired(*, now: datetime.datetime | None = None) -> int:
    """Delete the files of the exports past their time (they hold personal data), keeping the
    record of who exported what; returns how many files went. Safe to run twice."""
    now = now or timezone.now()
    cleared = 0
    for export in Export.objects.filter(expires_at__lte=now).exclude(file=""):
        export.file.delete(save=False)
        Export.objects.filter(pk=export.pk).update(file="")
        cleared += 1
    return cleared
