"""The secretariat's call pages, in the back office's look: screening (not eligible, with the
reason), requests for more information, bulk reviewer assignment, the ranking and decisions
(one by one or in batch).

The back office's application list sends the selected applications here (``?ids=1,2,3``).
Each page is a thin view over a service; a refused step shows the service's message and
changes nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Exists, OuterRef
from django.http import HttpResponseRedirect
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.translation import gettext as _

from core.admin_rows import reverse_row
from core.errors import DomainError
from core.forms import CommentForm
from grants import services
from grants.models import Application
from grants.selectors.ranking import ranking_page as ranking_of
from grants.workflow import RANKED_STATUSES, ApplicationStatus
from organisations.selectors import reviewers
from programme.models import Edition

from ..forms import AssignReviewersForm, DecisionFormSet
from .access import back_office_page, secretariat_required

OPTS = Application._meta


def selected_ids(request) -> list[int]:
    """Ids from ``ids=1,2,3`` (actions, links) or repeated ``selected`` boxes (the ranking)."""
    raw = request.POST.get("ids") or request.GET.get("ids", "")
    parts = [*raw.split(","), *request.GET.getlist("selected")]
    return list(dict.fromkeys(int(part) for part in parts if part.strip().isdigit()))


def applications_of(request) -> list[Application]:
    return list(
        Application.objects.filter(pk__in=selected_ids(request))
        .select_related("organisation", "edition__programme")
        .order_by("submitted_at", "pk")
    )


def back(applications) -> HttpResponseRedirect:
    """To the application (one) or the list of applications (several) in the back office."""
    if len(applications) == 1:
        url = reverse("admin:grants_application_change", args=[applications[0].pk])
    else:
        url = reverse("admin:grants_application_changelist")
    return HttpResponseRedirect(url)


def _comment_page(request, *, title, label, submit, step, success, kind):
    """A page that asks for one text (the reason, the question), then takes ``step`` for each
    selected application; it reports how many were done and which were refused, and why."""
    applications = applications_of(request)
    form = CommentForm(request.POST or None, label=label)
    if request.method == "POST" and form.is_valid() and applications:
        done, problems = 0, []
        for application in applications:
            try:
                step(application, form.cleaned_data["comment"])
                done += 1
            except DomainError as error:
                problems.append(f"{application.display_title}: {error.message}")
        if done:
            messages.success(request, success % {"count": done})
        for problem in problems:
            messages.error(request, problem)
        return back(applications)
    return back_office_page(
        request,
        "secretariat/applications/comment.html",
        title,
        opts=OPTS,
        applications=applications,
        form=form,
        submit=submit,
        kind=kind,
        ids=",".join(str(a.pk) for a in applications),
    )


@secretariat_required
def screen(request):
    """Not eligible, with the reason the applicant reads."""
    return _comment_page(
        request,
        title=_("Screen: not eligible"),
        label=_("Reason (the applicant reads it)"),
        submit=_("Mark as not eligible"),
        step=lambda application, reason: services.application_screen(
            application=application, actor=request.user, is_eligible=False, reason=reason
        ),
        success=_("%(count)s application(s) marked as not eligible."),
        kind="ineligible",
    )


@secretariat_required
def more_info(request):
    return _comment_page(
        request,
        title=_("Request more information"),
        label=_("What do you need to know? (the applicant reads it)"),
        submit=_("Send the request"),
        step=lambda application, comment: services.application_request_more_info(
            application=application, actor=request.user, comment=comment
        ),
        success=_("%(count)s application(s) sent back to the applicant."),
        kind="more_info",
    )


@secretariat_required
def assign(request):
    """Bulk assignment: balanced, at least N per application, never an applicant's member."""
    applications = applications_of(request)
    editions = {application.edition for application in applications}
    minimum = max((e.min_reviewers_per_application for e in editions), default=3)
    pool = reviewers()
    form = AssignReviewersForm(
        request.POST or None,
        reviewers=pool,
        initial={"reviewers": list(pool), "per_application": minimum},
    )
    if request.method == "POST" and form.is_valid() and applications:
        try:
            result = services.reviewers_assign(
                applications=applications,
                reviewers=form.cleaned_data["reviewers"],
                per_application=form.cleaned_data["per_application"],
                actor=request.user,
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("%(count)s assignment(s) made.") % {"count": len(result.created)}
            )
            if result.short:
                messages.warning(
                    request,
                    _("Not enough reviewers for: %(titles)s.")
                    % {"titles": ", ".join(a.display_title for a in result.short)},
                )
            if result.skipped:
                messages.warning(
                    request,
                    _("Not under review, so nobody was assigned: %(titles)s.")
                    % {"titles": ", ".join(a.display_title for a in result.skipped)},
                )
            return back(applications)
    return back_office_page(
        request,
        "secretariat/applications/assign.html",
        _("Assign reviewers"),
        opts=OPTS,
        applications=applications,
        form=form,
        ids=",".join(str(a.pk) for a in applications),
    )


@secretariat_required
def ranking_page(request):
    """The edition's applications by weighted score (see ``grants.selectors.ranking``), a page
    at a time."""
    editions = list(
        Edition.objects.filter(
            Exists(Application.objects.filter(edition=OuterRef("pk"), status__in=RANKED_STATUSES))
        )
        .select_related("programme")
        .order_by("-year", "-number")
    )
    chosen = request.GET.get("edition", "")
    edition = next((e for e in editions if str(e.pk) == chosen), editions[0] if editions else None)
    criteria, page = (
        ranking_of(edition=edition, number=request.GET.get("page")) if edition else ([], None)
    )
    rows = page.object_list if page else []
    for row in rows:
        _show(row)
    return back_office_page(
        request,
        "secretariat/applications/ranking.html",
        _("Ranking"),
        opts=OPTS,
        editions=editions,
        edition=edition,
        criteria=criteria,
        page=page,
        rows=rows,
    )


STATUS_LABELS = dict(ApplicationStatus.choices)


def _show(row) -> None:
    """What the ranking's template shows of a row that takes work (its link, its status's
    label, its figures to two decimals), worked out once here: the template's filters and tags
    cost more, row after row (issue 14). The same text as the tags and filters give."""
    application = row.application
    row.change_url = reverse_row("admin:grants_application_change", application.pk, "object_id")
    row.status_label = str(STATUS_LABELS.get(application.status, application.status))
    row.score_text = "—" if row.score is None else floatformat(row.score, "2")
    row.spread_text = "—" if row.spread is None else floatformat(row.spread, "2")
    for line in row.reviewers:
        line.weighted_text = floatformat(line.weighted, "2")


def _as_int(value) -> int | None:
    return int(value) if str(value).isdigit() else None


def decision_initial(application: Application) -> dict:
    """The amount asked (within the edition's range of grants) and the edition's period."""
    edition = application.edition
    amount = application.requested_amount
    if amount is not None and edition.grant_maximum is not None:
        amount = min(amount, edition.grant_maximum)
    if amount is not None and edition.grant_minimum is not None:
        amount = max(amount, edition.grant_minimum)
    return {
        "application": application.pk,
        "amount": amount,
        "period_start": edition.period_start,
        "period_end": edition.period_end,
    }


@secretariat_required
def decide(request):
    """Approve (amount, period) or decline (message) the selected applications at once."""
    if request.method == "POST":
        formset = DecisionFormSet(request.POST, prefix="decisions")
        ids = (
            [
                int(form["application"].value())
                for form in formset.forms
                if str(form["application"].value()).isdigit()
            ]
            if formset.is_bound and formset.management_form.is_valid()
            else []
        )
    else:
        formset = None
        ids = selected_ids(request)
    applications = {
        a.pk: a
        for a in Application.objects.filter(pk__in=ids).select_related(
            "organisation", "edition__programme"
        )
    }
    if formset is None:
        formset = DecisionFormSet(
            prefix="decisions",
            initial=[decision_initial(applications[pk]) for pk in ids if pk in applications],
        )
    elif formset.is_valid():
        decisions = []
        for form in formset.forms:
            data = form.cleaned_data
            application = applications.get(data.get("application"))
            if application is None or not data.get("decision"):
                continue
            decisions.append(
                services.Decision(
                    application=application,
                    approve=data["decision"] == "approve",
                    amount=data.get("amount"),
                    period_start=data.get("period_start"),
                    period_end=data.get("period_end"),
                    message=data.get("message", ""),
                )
            )
        if not decisions:
            messages.warning(request, _("No decision was chosen."))
        else:
            try:
                services.applications_decide(decisions=decisions, actor=request.user)
            except DomainError as error:
                messages.error(request, error.message)
            else:
                approved = sum(1 for d in decisions if d.approve)
                messages.success(
                    request,
                    _(
                        "%(approved)s approved, %(declined)s declined. The new initiatives "
                        "wait in Initiatives, unpublished."
                    )
                    % {"approved": approved, "declined": len(decisions) - approved},
                )
                edition = decisions[0].application.edition_id
                return HttpResponseRedirect(f"{reverse('secretariat:ranking')}?edition={edition}")
    rows = [
        (form, applications.get(_as_int(form["application"].value()))) for form in formset.forms
    ]
    return back_office_page(
        request,
        "secretariat/applications/decide.html",
        _("Decide"),
        opts=OPTS,
        formset=formset,
        rows=[(form, application) for form, application in rows if application],
    )
