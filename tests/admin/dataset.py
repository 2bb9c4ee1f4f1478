"""The back office's test data: one row of every model, and staff users of each group."""

import datetime
import importlib
from decimal import Decimal

from django.apps import apps as global_apps
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from grants.models import (
    Activity,
    Agreement,
    AgreementStatusChange,
    Application,
    ApplicationAttachment,
    ApplicationStatusChange,
    BudgetLine,
    Disbursement,
    DisbursementStatusChange,
    Indicator,
    Initiative,
    InitiativeExtension,
    InitiativeStatusChange,
    LightApplication,
    LightDeclineReason,
    LightPhoto,
    LightStatusChange,
    LineOfAction,
    PaymentBatch,
    PaymentFileLayout,
    PublicLineOfAction,
    Review,
    ReviewAssignment,
    ReviewScore,
)
from notifications.models import Notification, StaffNote
from organisations.models import (
    Invitation,
    Membership,
    Organisation,
    OrganisationChange,
    OrganisationRelation,
    PayeeDetails,
    PayeeDetailsVersion,
    PublicProfileChange,
    PublicProfileChangeStatusChange,
    User,
)
from programme.models import (
    AgreementTemplate,
    Edition,
    EditionFunder,
    EditionStatusChange,
    EligibilityQuestion,
    Funder,
    Programme,
    ReportingDeadline,
    ReviewCriterion,
    Theme,
    ThemeSector,
    TranchePlanLine,
)
from reports.models import (
    ActivityProgress,
    Attachment,
    IndicatorValue,
    Narrative,
    PublicResult,
    Reminder,
    Report,
    ReportStatusChange,
    ReportVersion,
    ReviewComment,
    Spending,
)
from secretariat.models import Export, PersonalDataRequest, RetentionRun

# Rows the application writes and nobody edits: read-only in the back office.
HISTORY_MODELS = {
    EditionStatusChange,
    ApplicationStatusChange,
    InitiativeStatusChange,
    DisbursementStatusChange,
    Agreement,
    AgreementStatusChange,
    ReportStatusChange,
    ReportVersion,
    Reminder,
    Notification,
    OrganisationChange,
    ReviewComment,
    PublicProfileChangeStatusChange,
    PublicLineOfAction,
    # Bank details are entered in the portal and verified on their own page; extensions are
    # made by their action.
    PayeeDetails,
    PayeeDetailsVersion,
    InitiativeExtension,
    LightStatusChange,
    # Lists exported, personal data requests and the retention schedule's runs: what was
    # done, by whom.
    Export,
    PersonalDataRequest,
    RetentionRun,
}
# Rows made on another page (a proposal in the portal, a result on the report's results page)
# that the secretariat decides on or translates in the back office, but does not add there.
# Small-grant applications and their photos come from the one-page pages; payment files from
# the applications' action.
# Staff notes are written under their object's page (the thread's form), never added alone.
MADE_ELSEWHERE = {
    PublicProfileChange,
    PublicResult,
    LightApplication,
    LightPhoto,
    PaymentBatch,
    StaffNote,
}

TODAY = datetime.date(2024, 6, 1)


def staff_group(name: str) -> Group:
    """The group made by organisations/0002_groups, remade if a transactional test flushed it."""
    if not Group.objects.filter(name=name).exists():
        migration = importlib.import_module("organisations.migrations.0002_groups")
        migration.create_groups(global_apps, None)
    return Group.objects.get(name=name)


def staff_user(email: str, group: str) -> User:
    user = User.objects.create_user(email=email, password="a-long-test-password", is_staff=True)
    user.groups.add(staff_group(group))
    return user


def make_edition(number: int = 1, **texts) -> Edition:
    programme, _ = Programme.objects.get_or_create(
        slug="initiatives-programme", defaults={"name_en": "Initiatives Programme"}
    )
    texts.setdefault("title_en", f"Initiatives Programme {2020 + number}")
    return Edition.objects.create(
        programme=programme,
        number=number,
        year=2020 + number,
        slug=str(2020 + number),
        period_start=datetime.date(2020 + number, 1, 1),
        period_end=datetime.date(2020 + number, 12, 31),
        **texts,
    )


def make_initiative(
    edition: Edition, organisation: Organisation, n: int = 1, **extra
) -> Initiative:
    return Initiative.objects.create(
        edition=edition,
        lead_organisation=organisation,
        title_en=f"Initiative {n}",
        slug=f"initiative-{n}",
        countries=["FR", "SN"],
        amount_awarded=Decimal("5000.00"),
        period_start=edition.period_start,
        period_end=edition.period_end,
        **extra,
    )


def build_dataset(n: int, reviewer: User) -> dict:
    """One row of every model, linked the way the application links them; ``n`` keeps it apart."""
    edition = make_edition(number=n, introduction_en="An edition.")
    theme = Theme.objects.create(name_en=f"Theme {n}", slug=f"theme-{n}")
    ThemeSector.objects.create(theme=theme, code="15160")
    edition.themes.add(theme)
    funder = Funder.objects.create(name=f"Foundation {n}")
    EditionFunder.objects.create(edition=edition, funder=funder, acknowledgement_en="Thanks.")
    criterion = ReviewCriterion.objects.create(edition=edition, name_en="Relevance")
    EligibilityQuestion.objects.create(edition=edition, text_en="Are you a registered group?")
    ReportingDeadline.objects.create(
        edition=edition,
        kind="interim",
        period_start=TODAY,
        period_end=TODAY,
        due_on=TODAY + datetime.timedelta(days=30),
    )
    EditionStatusChange.objects.create(
        edition=edition, workflow="edition", from_status="draft", to_status="call_open"
    )
    TranchePlanLine.objects.create(edition=edition, order=1, percent=60, condition="signature")
    TranchePlanLine.objects.create(edition=edition, order=2, percent=40, condition="final")

    organisation = Organisation.objects.create(
        name=f"Acción Andina {n}", slug=f"accion-andina-{n}", country="PE", description_en="Hi."
    )
    sister = Organisation.objects.create(name=f"Sister {n}", slug=f"sister-{n}", country="BO")
    OrganisationRelation.objects.create(organisation=organisation, related=sister, kind="sister")
    member = User.objects.create_user(email=f"member{n}@example.org", full_name="Ana Member")
    Membership.objects.create(user=member, organisation=organisation, role="admin")
    payee = PayeeDetails.objects.create(organisation=organisation)
    payee.current = PayeeDetailsVersion.objects.create(
        payee=payee,
        number=1,
        account_holder=f"Acción Andina {n}",
        bank_name="Banco Andino",
        account_number="PE12 3456 7890 1234",
        country="PE",
        currency="USD",
        created_by=member,
    )
    payee.version = 1
    payee.save()
    Invitation.objects.create(
        organisation=organisation,
        email=f"new{n}@example.org",
        expires_at=timezone.now() + datetime.timedelta(days=7),
    )

    application = Application.objects.create(
        edition=edition, organisation=organisation, title=f"Rights in the Andes {n}"
    )
    ApplicationStatusChange.objects.create(
        application=application, workflow="application", from_status="draft", to_status="submitted"
    )
    ApplicationAttachment.objects.create(
        application=application,
        file=f"private/applications/{application.pk}/budget.pdf",
        original_name="budget.pdf",
        content_type="application/pdf",
        size=1234,
    )
    assignment = ReviewAssignment.objects.create(
        application=application, reviewer=reviewer, conflict=ReviewAssignment.Conflict.NONE
    )
    review = Review.objects.create(assignment=assignment, recommendation="yes")
    ReviewScore.objects.create(review=review, criterion=criterion, score=4)

    initiative = make_initiative(edition, organisation, n=n, application=application)
    InitiativeStatusChange.objects.create(
        initiative=initiative, workflow="workplan", from_status="draft", to_status="submitted"
    )
    line = LineOfAction.objects.create(initiative=initiative, title_en=f"Training {n}")
    activity = Activity.objects.create(initiative=initiative, line_of_action=line, title="Workshop")
    indicator = Indicator.objects.create(
        initiative=initiative, line_of_action=line, name="People trained", target=20
    )
    budget_line = BudgetLine.objects.create(
        initiative=initiative, line_of_action=line, category="Venue", amount=Decimal("1000")
    )
    InitiativeExtension.objects.create(
        initiative=initiative,
        old_end=edition.period_end,
        new_end=edition.period_end + datetime.timedelta(days=30),
        reason="Elections postponed the campaign.",
        actor=member,
    )
    # Payable, as its history row says: the "record the payments" action has a form to show.
    disbursement = Disbursement.objects.create(
        initiative=initiative, tranche=1, amount=Decimal("2500"), status="payable"
    )
    DisbursementStatusChange.objects.create(
        disbursement=disbursement,
        workflow="disbursement",
        from_status="planned",
        to_status="payable",
    )
    AgreementTemplate.objects.create(
        edition=edition, title_en="Grant agreement", clauses_en="{organisation} agrees."
    )
    agreement = Agreement.objects.create(
        initiative=initiative,
        version=1,
        language="en",
        status="issued",
        title="Grant agreement",
        body_html="<p>The agreement.</p>",
        pdf=f"private/agreements/{initiative.pk}/agreement.pdf",
        pdf_sha256="0" * 64,
    )
    AgreementStatusChange.objects.create(
        agreement=agreement, workflow="agreement", from_status="draft", to_status="issued"
    )

    report = Report.objects.create(
        initiative=initiative,
        kind="interim",
        period_start=TODAY,
        period_end=TODAY,
        due_on=TODAY + datetime.timedelta(days=30),
    )
    ReportStatusChange.objects.create(
        report=report, workflow="report", from_status="scheduled", to_status="draft"
    )
    Narrative.objects.create(report=report, line_of_action=line, text="We trained people.")
    ActivityProgress.objects.create(report=report, activity=activity, percent_complete=50)
    IndicatorValue.objects.create(report=report, indicator=indicator, value=Decimal("12"))
    Spending.objects.create(report=report, budget_line=budget_line, amount=Decimal("400"))
    photo = Attachment.objects.create(
        report=report,
        file=f"private/reports/{report.pk}/photo.jpg",
        original_name="photo.jpg",
        content_type="image/jpeg",
        size=1234,
        uploaded_by=member,
    )
    version = ReportVersion.objects.create(
        report=report, number=1, content={}, status="draft", created_by=member
    )
    ReviewComment.objects.create(
        report=report, version=version, section="challenges", text="Say more.", author=member
    )
    OrganisationChange.objects.create(
        organisation=organisation, actor=member, field="website", new_value="https://a.example"
    )
    Reminder.objects.create(report=report, recipient=member, kind="due_14")
    PublicLineOfAction.objects.create(initiative=initiative, title_en=f"Training {n}")
    change = PublicProfileChange.objects.create(
        organisation=organisation, values={"city": "Sucre"}, proposed_by=member
    )
    PublicProfileChangeStatusChange.objects.create(
        change=change, workflow="public_change", from_status="pending", to_status="withdrawn"
    )
    PublicResult.objects.create(
        report=report,
        initiative=initiative,
        kind="photo",
        attachment=photo,
        caption_en="Peer educators",
    )
    Notification.objects.create(
        kind="invitation", key="invitation:admin-test", recipient=member, email=member.email
    )
    small = LightApplication.objects.create(
        edition=edition,
        email=f"small{n}@example.org",
        group_name=f"Small group {n}",
        country="PT",
        city="Porto",
        planned_action="A march.",
        action_date=TODAY,
        expected_participants=30,
        amount=450,
        account_holder="Small group",
        bank_name="Bank",
        account_number="PT50",
    )
    LightPhoto.objects.create(
        application=small, image=f"private/light/{small.pk}/x.png", has_consent=True
    )
    LightStatusChange.objects.create(
        application=small, workflow="light_application", from_status="unconfirmed",
        to_status="received",
    )  # fmt: skip
    LightDeclineReason.objects.create(text_en="Outside the day of action.")
    layout = PaymentFileLayout.objects.create(name=f"Bank {n}", columns="reference,amount")
    PaymentBatch.objects.create(edition=edition, layout=layout, created_by=member)
    for subject in (application, initiative, report):
        StaffNote.objects.create(
            content_type=ContentType.objects.get_for_model(subject),
            object_id=subject.pk,
            author=reviewer,
            text=f"A staff note {n}.",
        )
    PersonalDataRequest.objects.create(
        kind="export", subject_type="person", subject_id=member.pk, subject_label="Member"
    )
    RetentionRun.objects.create(declined_before=timezone.now(), drafts_before=timezone.now())
    Export.objects.create(requested_by=member, model="reports.report", format="xlsx", language="en")
    return {
        "edition": edition,
        "initiative": initiative,
        "application": application,
        "report": report,
        "member": member,
    }


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def request_as(user):
    request = RequestFactory().get("/")
    request.user = user
    return request
