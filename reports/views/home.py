"""The portal's home: the person's organisations, their initiatives, reports and payments."""

from django.db.models import Prefetch
from django.shortcuts import render

from grants.models import Disbursement, Initiative
from grants.workflow import WorkplanStatus
from organisations.models import Membership
from organisations.selectors import is_secretariat, member_organisations

from ..models import Report
from ..workflow import ReportStatus
from .access import portal_login_required


@portal_login_required
def portal_home(request):
    """A fixed number of queries whatever the number of organisations, initiatives, reports
    and payments."""
    organisations = list(
        member_organisations(request.user)
        .order_by("name")
        .prefetch_related(
            Prefetch(
                "initiatives",
                queryset=Initiative.objects.select_related("edition")
                .order_by("-edition__year", "order", "pk")
                .prefetch_related(
                    Prefetch("reports", queryset=Report.objects.order_by("due_on", "pk")),
                    Prefetch("disbursements", queryset=Disbursement.objects.order_by("tranche")),
                ),
            )
        )
    )
    roles = dict(
        Membership.objects.filter(user=request.user).values_list("organisation_id", "role")
    )
    for organisation in organisations:
        organisation.my_role = roles.get(organisation.pk)
        organisation.is_admin = organisation.my_role == Membership.Role.ADMIN
        for initiative in organisation.initiatives.all():
            reports = list(initiative.reports.all())
            initiative.open_reports = [r for r in reports if r.is_editable]
            initiative.next_report = initiative.open_reports[0] if initiative.open_reports else None
            initiative.overdue_reports = [r for r in reports if r.is_overdue]
    context = {"organisations": organisations}
    if is_secretariat(request.user):
        # The secretariat's queue: what waits for its review.
        context["reports_to_review"] = list(
            Report.objects.filter(status=ReportStatus.SUBMITTED)
            .select_related("initiative__lead_organisation")
            .order_by("submitted_at")
        )
        context["workplans_to_review"] = list(
            Initiative.objects.filter(workplan_status=WorkplanStatus.SUBMITTED)
            .select_related("lead_organisation")
            .order_by("pk")
        )
    return render(request, "portal/home.html", context)
