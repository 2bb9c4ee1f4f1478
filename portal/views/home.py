"""The portal's home: the person's organisations, their initiatives, agreements, reports and
payments."""

from django.db.models import Prefetch
from django.shortcuts import render

from core.translation import with_translations
from core.views import login_required_keeping_input
from grants.models import Agreement, Disbursement, Initiative
from grants.workflow import AgreementStatus
from organisations.models import Membership
from organisations.selectors import is_secretariat, member_organisations
from reports.models import Report


@login_required_keeping_input
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
                # What the page shows: the initiatives' and editions' long texts in every
                # language would cost more to read than the page to render.
                .only(
                    "lead_organisation",
                    "original_language",
                    *with_translations("title"),
                    "amount_awarded",
                    "currency",
                    "status",
                    "workplan_status",
                    "edition__original_language",
                    *with_translations("edition__title"),
                )
                .order_by("-edition__year", "order", "pk")
                .prefetch_related(
                    Prefetch("reports", queryset=Report.objects.order_by("due_on", "pk")),
                    Prefetch("disbursements", queryset=Disbursement.objects.order_by("tranche")),
                    Prefetch(
                        "agreements",
                        queryset=Agreement.objects.exclude(status=AgreementStatus.VOID),
                        to_attr="current_agreements",
                    ),
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
        organisation.is_signatory = organisation.my_role == Membership.Role.SIGNATORY
        for initiative in organisation.initiatives.all():
            initiative.agreement = next(iter(initiative.current_agreements), None)
            reports = list(initiative.reports.all())
            initiative.open_reports = [r for r in reports if r.is_editable]
            initiative.next_report = initiative.open_reports[0] if initiative.open_reports else None
            initiative.overdue_reports = [r for r in reports if r.is_overdue]
    return render(
        request,
        "portal/home.html",
        {"organisations": organisations, "is_secretariat": is_secretariat(request.user)},
    )
