"""The import of past editions from a spreadsheet, in the back office's look: upload, dry run
(what each row would create or change, and every error), then confirm.

Between the dry run and the confirmation the file waits in the person's session (its bytes and
their digest); the confirmation imports exactly the file the dry run read, planned again
against the database as it is then.
"""

from __future__ import annotations

import base64
import hashlib

from django.contrib import messages
from django.db import IntegrityError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from core.errors import DomainError
from programme.models import Edition

from ..forms import ImportForm
from ..services.imports import MAX_BYTES, ImportRefused, import_apply, import_plan, template_dataset
from .access import back_office_page, secretariat_required

SESSION_KEY = "secretariat_import"
TEMPLATE_FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def _page(request, form, **context):
    return back_office_page(
        request,
        "secretariat/import.html",
        _("Import past editions"),
        opts=Edition._meta,
        form=form,
        **context,
    )


@secretariat_required
def import_page(request):
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return _page(request, form)
    upload = form.cleaned_data["file"]
    data = upload.read(MAX_BYTES + 1)
    try:
        plan = import_plan(data=data, filename=upload.name)
    except ImportRefused as error:
        form.add_error("file", error.message)
        return _page(request, form)
    digest = hashlib.sha256(data).hexdigest()
    if not plan.errors:
        request.session[SESSION_KEY] = {
            "name": upload.name,
            "data": base64.b64encode(data).decode(),
            "digest": digest,
        }
    return _page(
        request, ImportForm(), plan=plan, counts=plan.counts(), digest=digest, name=upload.name
    )


def _confirm(request):
    kept = request.session.get(SESSION_KEY)
    if not kept or kept["digest"] != request.POST.get("digest"):
        messages.error(request, _("Upload the file again: the dry run you confirmed has expired."))
        return HttpResponseRedirect(reverse("secretariat:import"))
    data = base64.b64decode(kept["data"])
    try:
        plan = import_apply(data=data, filename=kept["name"], actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return HttpResponseRedirect(reverse("secretariat:import"))
    except IntegrityError:
        # Someone saved the same edition, organisation or initiative meanwhile.
        messages.error(
            request, _("The data changed while importing: nothing was imported. Try again.")
        )
        return HttpResponseRedirect(reverse("secretariat:import"))
    del request.session[SESSION_KEY]
    counts = plan.counts()
    messages.success(
        request,
        _(
            "Imported “%(name)s”: %(editions)s editions, %(organisations)s organisations and "
            "%(initiatives)s initiatives created; %(updated)s updated."
        )
        % {
            "name": kept["name"],
            "editions": counts["edition"]["create"],
            "organisations": counts["organisation"]["create"],
            "initiatives": counts["initiative"]["create"],
            "updated": sum(group["update"] for group in counts.values()),
        },
    )
    return HttpResponseRedirect(reverse("admin:programme_edition_changelist"))


@secretariat_required
def import_template(request, fmt: str):
    """The template: the headers of every column, as XLSX or CSV."""
    if fmt not in TEMPLATE_FORMATS:
        raise Http404
    content = template_dataset().export(fmt)
    if isinstance(content, str):
        content = content.encode()
    response = HttpResponse(content, content_type=TEMPLATE_FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="import-template.{fmt}"'
    return response
