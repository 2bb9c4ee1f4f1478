"""The audit dossier of an initiative (or of several, from the back office's action): a ZIP
built in a temporary file (``secretariat.dossiers``) and sent from it, for the secretariat."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language

from ..dossiers import build_dossier, dossier_filename, dossier_initiatives
from .access import secretariat_required
from .applications import selected_ids


def _send(request, initiatives) -> FileResponse:
    handle = build_dossier(initiatives, language=get_language(), by=request.user.email)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=dossier_filename(initiatives),
        content_type="application/zip",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@secretariat_required(hold=False)
def dossier(request, pk: int):
    """The audit dossier of initiative ``pk``."""
    initiative = get_object_or_404(dossier_initiatives([pk]), pk=pk)
    return _send(request, [initiative])


@secretariat_required(hold=False)
def dossiers(request):
    """The audit dossiers of the initiatives ``?ids=1,2,3``, in one ZIP."""
    initiatives = list(dossier_initiatives(selected_ids(request)))
    if not initiatives:
        raise Http404
    return _send(request, initiatives)
