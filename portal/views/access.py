"""Who reaches what in the portal: every query starts from the person's organisations
(``member_organisations``), so another organisation's id is a 404. The secretariat reads the
reports and workplans here too; only members write."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from core.translation import with_translations
from grants.models import Initiative
from organisations.selectors import is_member, is_secretariat, member_organisations
from reports.models import Attachment, Report

# The long texts, in every language, of an initiative, its edition (and programme) and its
# organisation: no portal page of an initiative, a report or an application (as its reviewer
# or applicant reads it) shows them, and reading them (some fifty columns) cost more than the
# rest of such a page's queries. Deferred, not left out: read if ever asked.
LONG_TEXTS = ("summary", "description", "expected_results")
EDITION_LONG_TEXTS = ("introduction", "eligibility_rules", "application_guidance")
PROGRAMME_LONG_TEXTS = ("short_description", "description")


def edition_long_texts(edition: str) -> list[str]:
    """The long texts of the edition at ``edition`` (``"application__edition"``) and of its
    programme, for ``defer()``."""
    return with_translations(
        *(f"{edition}__{name}" for name in EDITION_LONG_TEXTS),
        *(f"{edition}__programme__{name}" for name in PROGRAMME_LONG_TEXTS),
    )


def _long_texts(initiative: str) -> list[str]:
    return with_translations(
        *(f"{initiative}{name}" for name in LONG_TEXTS),
        *(f"{initiative}edition__{name}" for name in EDITION_LONG_TEXTS),
        f"{initiative}lead_organisation__description",
    )


def member_initiatives(user):
    return Initiative.objects.filter(lead_organisation__in=member_organisations(user))


def member_reports(user):
    return Report.objects.filter(initiative__lead_organisation__in=member_organisations(user))


def get_initiative(request, pk: int, *, write: bool = False) -> Initiative:
    """The initiative ``pk`` if the person may see it (members; the secretariat reads too),
    else 404. ``write``: members only."""
    queryset = Initiative.objects.select_related("edition", "lead_organisation").defer(
        *_long_texts("")
    )
    if write or not is_secretariat(request.user):
        queryset = queryset.filter(lead_organisation__in=member_organisations(request.user))
    return get_object_or_404(queryset, pk=pk)


def get_report(request, pk: int, *, write: bool = False) -> Report:
    """The report ``pk`` if the person may see it (members; the secretariat reads too), else
    404. ``write``: members only."""
    queryset = Report.objects.select_related(
        "initiative__lead_organisation", "initiative__edition", "updated_by"
    ).defer(*_long_texts("initiative__"))
    if write or not is_secretariat(request.user):
        queryset = queryset.filter(
            initiative__lead_organisation__in=member_organisations(request.user)
        )
    return get_object_or_404(queryset, pk=pk)


def get_attachment(request, pk: int, *, write: bool = False) -> Attachment:
    queryset = Attachment.objects.select_related("report__initiative")
    if write or not is_secretariat(request.user):
        queryset = queryset.filter(
            report__initiative__lead_organisation__in=member_organisations(request.user)
        )
    return get_object_or_404(queryset, pk=pk)


def report_page(request, report: Report) -> dict:
    """What every page of a report shows in its header."""
    return {
        "report": report,
        "can_write": can_write(request, report.initiative.lead_organisation_id),
        "is_secretariat": is_secretariat(request.user),
    }


def can_write(request, organisation_id: int) -> bool:
    return is_member(request.user, organisation_id)
