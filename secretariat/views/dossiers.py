"""The audit dossier of an initiative (or of several, from the back office's action): a ZIP
built in a temporary file (``secretariat.dossiers``) and sent from it, for the secretariat.
Many initiatives at once are built by the worker, whose email links to ``dossier_file``."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import get_language, ngettext

from ..dossiers import TOKEN, build_dossier, dossier_filename, dossier_initiatives, stored_name
from ..tasks import build_dossiers
from .access import secretariat_required
from .applications import selected_ids


def _zip_response(handle, filename: str) -> FileResponse:
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type="application/zip"
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _send(request, initiatives) -> FileResponse:
    handle = build_dossier(initiatives, language=get_language(), by=request.user.email)
    return _zip_response(handle, dossier_filename(initiatives))


@secretariat_required(hold=False)
def dossier(request, pk: int):
    """The audit dossier of initiative ``pk``."""
    initiative = get_object_or_404(dossier_initiatives([pk]), pk=pk)
    return _send(request, [initiative])


@secretariat_required(hold=False)
def dossiers(request):
    """The audit dossiers of the initiatives ``?ids=1,2,3``, in one ZIP: sent now, or, from
    ``DOSSIER_BACKGROUND_FROM`` initiatives on, built by the worker and the link emailed."""
    initiatives = list(dossier_initiatives(selected_ids(request)))
    if not initiatives:
        raise Http404
    if len(initiatives) < settings.DOSSIER_BACKGROUND_FROM:
        return _send(request, initiatives)
    ids = [initiative.pk for initiative in initiatives]
    token = uuid.uuid4().hex
    language = get_language()
    user_id = request.user.pk
    transaction.on_commit(lambda: build_dossiers.delay(user_id, ids, language, token))
    messages.info(
        request,
        ngettext(
            "The audit dossier of %(count)s initiative is being prepared: you will receive an "
            "email with its link.",
            "The audit dossiers of %(count)s initiatives are being prepared: you will receive "
            "an email with their link.",
            len(ids),
        )
        % {"count": len(ids)},
    )
    return redirect("admin:grants_initiative_changelist")


@secretariat_required(hold=False)
def dossier_file(request, token: str):
    """A ZIP of audit dossiers the worker built (the link of its email)."""
    if not TOKEN.fullmatch(token):
        raise Http404
    try:
        handle = default_storage.open(stored_name(token), "rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404 from error
    return _zip_response(handle, f"dossiers-{token[:8]}.zip")
