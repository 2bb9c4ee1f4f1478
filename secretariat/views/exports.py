"""The download of a large export (``secretariat.exports``): only the person who asked for it,
still signed in as staff, while it is kept; a private file, never a public address."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from core.exports import FORMATS
from core.files import private_file_response
from core.views import login_required_keeping_input

from ..models import Export


@login_required_keeping_input(hold=False)
def export_download(request, pk: int):
    export = get_object_or_404(Export, pk=pk, requested_by=request.user)
    if not request.user.is_staff or not request.user.is_active or not export.is_available:
        raise Http404
    return private_file_response(
        export.file, filename=export.filename, content_type=FORMATS[export.format]
    )
