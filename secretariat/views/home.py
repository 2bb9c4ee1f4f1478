"""What waits for the secretariat: applications to screen, workplans and reports to review,
reports overdue, agreements to countersign, bank details to verify, tranches to pay, changes
to public profiles to approve and emails that failed, each linked to where it is done."""

from django.conf import settings
from django.db.models import Count, Window
from django.utils import timezone
from django.utils.translation import gettext as _

from grants.models import Agreement, Application, Disbursement, Initiative
from grants.workflow import AgreementStatus, ApplicationStatus, DisbursementStatus, WorkplanStatus
from notifications.models import Notification
from organisations.models import PayeeDetails, PublicProfileChange
from organisations.workflow import PublicChangeStatus
from reports.models import EDITABLE_STATUSES, Report
from reports.workflow import ReportStatus

from .access import back_office_page, secretariat_required

LIMIT = 50  # rows shown per list; the count says how many there are

# What the lists show of an initiative: its title (in every language, for the fallback) and
# its organisation's name. Reading only these keeps each list's sort narrow: sorting whole
# reports with their initiatives' texts took most of the page's time with 50,000 reports.
TITLES = [f"title_{code}" for code, _name in settings.LANGUAGES]


def initiative_columns(path: str = "") -> list[str]:
    prefix = f"{path}__" if path else ""
    return [
        f"{prefix}{column}"
        for column in ("title", *TITLES, "original_language", "lead_organisation__name")
    ]


def _first_and_count(queryset) -> tuple[list, int]:
    """The first ``LIMIT`` rows and how many there are, in one query: each row carries the
    count of the whole list (a window over it), not a second query per list (issue 14)."""
    rows = list(queryset.annotate(waiting_total=Window(Count("pk")))[:LIMIT])
    return rows, (rows[0].waiting_total if rows else 0)


# What the list of applications shows of their edition: its name (the programme's name, in
# every language for the fallback, and the edition's years), not its long texts.
EDITION_COLUMNS = [
    "edition__year",
    "edition__period_end",
    *(
        f"edition__programme__{column}"
        for column in ("name", *(f"name_{code}" for code, _name in settings.LANGUAGES))
    ),
    "edition__programme__original_language",
]


@secretariat_required
def home(request):
    """A fixed number of queries, whatever the number of rows waiting."""
    today = timezone.localdate()
    waiting = {
        "to_screen": Application.objects.filter(status=ApplicationStatus.SUBMITTED)
        .select_related("organisation", "edition__programme")
        .only("title", "submitted_at", "organisation__name", *EDITION_COLUMNS)
        .order_by("submitted_at", "pk"),
        "workplans": Initiative.objects.filter(workplan_status=WorkplanStatus.SUBMITTED)
        .select_related("lead_organisation")
        .only(*initiative_columns())
        .order_by("pk"),
        "reports": Report.objects.filter(status=ReportStatus.SUBMITTED)
        .select_related("initiative__lead_organisation")
        .only("kind", "submitted_at", *initiative_columns("initiative"))
        .order_by("submitted_at", "pk"),
        "overdue": Report.objects.filter(due_on__lt=today, status__in=EDITABLE_STATUSES)
        .select_related("initiative__lead_organisation")
        .only("kind", "due_on", *initiative_columns("initiative"))
        .order_by("due_on", "pk"),
        "to_countersign": Agreement.objects.filter(status=AgreementStatus.SIGNED)
        .select_related("initiative__lead_organisation")
        .order_by("signed_at", "pk"),
        "to_verify": PayeeDetails.objects.filter(
            current__isnull=False, current__verified_at__isnull=True
        )
        .select_related("organisation", "current")
        .order_by("current__created_at", "pk"),
        "payable": Disbursement.objects.filter(status=DisbursementStatus.PAYABLE)
        .select_related("initiative__lead_organisation")
        .only("tranche", "amount", "currency", "due_on", *initiative_columns("initiative"))
        .order_by("due_on", "pk"),
        "public_changes": PublicProfileChange.objects.filter(status=PublicChangeStatus.PENDING)
        .select_related("organisation")
        .order_by("updated_at", "pk"),
        "failed": Notification.objects.filter(status=Notification.Status.FAILED).order_by(
            "-created_at"
        ),
    }
    lists, counts = {}, {}
    for name, queryset in waiting.items():
        lists[name], counts[name] = _first_and_count(queryset)
    return back_office_page(
        request,
        "secretariat/home.html",
        _("What waits for the secretariat"),
        opts=None,
        lists=lists,
        counts=counts,
        today=today,
    )
