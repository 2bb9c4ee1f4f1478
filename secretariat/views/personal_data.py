"""Personal data of a person or an organisation, in the back office's look: what is held
(rows per model), the export (a ZIP) and the erasure. The back office's lists of users and
organisations lead here with their action "Export or erase personal data"."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from core.errors import DomainError
from organisations.models import Organisation, User

from ..forms import ErasureForm
from ..models import PersonalDataRequest
from ..services.personal_data import export_archive, held_rows, personal_data_erase
from .access import back_office_page, secretariat_required

SUBJECTS = {"person": User, "organisation": Organisation}


@secretariat_required
def personal_data(request, kind: str, pk: int):
    model = SUBJECTS.get(kind)
    if model is None:
        raise Http404
    subject = get_object_or_404(model, pk=pk)
    form = ErasureForm(request.POST if "erase" in request.POST else None)
    if request.method == "POST" and "export" in request.POST:
        archive, _record = export_archive(subject=subject, actor=request.user)
        response = HttpResponse(archive, content_type="application/zip")
        response["Content-Disposition"] = (
            f'attachment; filename="personal-data-{kind}-{subject.pk}.zip"'
        )
        return response
    if request.method == "POST" and form.is_valid():
        try:
            record = personal_data_erase(subject=subject, actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Erased: the name is now “%(label)s” everywhere.")
                % {"label": record.subject_label},
            )
            return HttpResponseRedirect(
                reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[pk])
            )
    held = sorted(
        ((str(m._meta.verbose_name_plural), len(pks)) for m, pks in held_rows(subject).items()),
        key=lambda item: item[0].lower(),
    )
    return back_office_page(
        request,
        "secretariat/personal_data.html",
        _("Personal data of “%(name)s”") % {"name": subject},
        opts=model._meta,
        subject=subject,
        held=held,
        form=form,
        requests=PersonalDataRequest.objects.filter(
            subject_type=kind, subject_id=subject.pk
        ).select_related("actor"),
    )
