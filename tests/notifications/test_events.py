"""Each event triggers its notification in the flow that causes it, through the real services:
to the right people, in their language, with the agreed context, and the email goes out."""

from decimal import Decimal

import pytest
from django.core import mail

from grants import services
from grants.services import workplan_approve, workplan_request_changes, workplan_submit
from notifications.models import Notification
from notifications.registry import KINDS
from organisations.services import invitation_create
from reports.services import report_accept, report_request_changes, report_submit
from tests.factories import OrganisationFactory
from tests.grants.factories import (
    applicant,
    draft,
    open_edition,
    secretariat_user,
    submitted,
    under_review,
)
from tests.portal.factories import (
    approved_initiative,
    fill_workplan,
    first_report,
    make_initiative,
    make_member,
    saved_report,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def secretary(db):
    return secretariat_user(language="en")


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    """Run the flow and send what it queued after commit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def notified(kind, **filters):
    """The notifications of ``kind``, each checked against the context contract and sent."""
    rows = list(Notification.objects.filter(kind=kind, **filters).order_by("pk"))
    for row in rows:
        assert set(row.context) == set(KINDS[kind].context), (kind, row.context)
        assert row.status == Notification.Status.SENT, (kind, row.error)
        assert row.path.startswith(f"/{row.language}/"), row.path
    return rows


def sent_to(address):
    return [message for message in mail.outbox if message.to == [address]]


def test_invitation(capture, secretary):
    organisation = OrganisationFactory(name="SKOSH")
    with capture():
        invitation_create(
            organisation=organisation,
            email="new@example.org",
            invited_by=secretary,
            language="fr",
        )
    [row] = notified("invitation")
    assert row.email == "new@example.org" and row.language == "fr"
    assert sent_to("new@example.org")[0].subject.startswith("Rejoignez SKOSH")


def test_application_received_by_the_applicant_and_the_secretariat(capture, secretary):
    edition = open_edition()
    with capture():
        application = submitted(edition)
    member = applicant(application)
    [to_applicant] = notified("application_received")
    assert to_applicant.recipient == member
    assert to_applicant.context["title"] == application.title
    [to_secretariat] = notified("application_received_secretariat")
    assert to_secretariat.recipient == secretary
    assert sent_to(member.email) and sent_to(secretary.email)


def test_more_information_requested(capture, secretary):
    application = submitted(open_edition())
    with capture():
        services.application_request_more_info(
            application=application, actor=secretary, comment="Which cities?"
        )
    [row] = notified("more_info_requested")
    assert row.recipient == applicant(application)
    assert row.context["comment"] == "Which cities?"
    assert "Which cities?" in sent_to(row.email)[0].body


def test_not_eligible_tells_the_applicant_why(capture, secretary):
    application = submitted(open_edition())
    with capture():
        services.application_screen(
            application=application,
            actor=secretary,
            is_eligible=False,
            reason="The organisation works outside the call's countries.",
        )
    [row] = notified("application_ineligible")
    assert row.recipient == applicant(application)
    assert "outside the call's countries" in sent_to(row.email)[0].body


def test_withdrawal_is_told_to_the_secretariat_but_not_for_a_draft(capture, secretary):
    edition = open_edition()
    application = submitted(edition)
    with capture():
        services.application_withdraw(
            application=application, actor=applicant(application), comment="We merged."
        )
    [row] = notified("application_withdrawn")
    assert row.recipient == secretary and row.context["comment"] == "We merged."
    assert sent_to(secretary.email)
    unsent = draft(edition)
    with capture():
        services.application_withdraw(application=unsent, actor=applicant(unsent))
    assert len(notified("application_withdrawn")) == 1


def test_decision_approved(capture, secretary):
    edition = open_edition()
    application = under_review(edition, secretary)
    with capture():
        services.application_approve(
            application=application,
            actor=secretary,
            amount=Decimal("4500"),
            period_start=edition.period_start,
            period_end=edition.period_end,
            message="Welcome aboard.",
        )
    [row] = notified("application_decision")
    assert row.context["decision"] == "approved"
    assert row.context["amount"] == "4500.00"
    assert "is approved" in sent_to(row.email)[0].subject


def test_decision_declined(capture, secretary):
    application = under_review(open_edition(), secretary)
    with capture():
        services.application_decline(application=application, actor=secretary, message="Sorry.")
    [row] = notified("application_decision")
    assert row.context["decision"] == "declined"
    assert "was not selected" in sent_to(row.email)[0].body


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Acción Andina")


@pytest.fixture
def member(organisation):
    return make_member(organisation, email="ana@example.org", language="es")


def test_workplan_submitted_approved_and_changes_requested(
    capture, secretary, organisation, member
):
    initiative = make_initiative(organisation)
    fill_workplan(initiative, member)
    with capture():
        workplan_submit(initiative=initiative, actor=member)
    [row] = notified("workplan_submitted")
    assert row.recipient == secretary

    with capture():
        workplan_request_changes(initiative=initiative, actor=secretary, comment="More detail.")
    [row] = notified("workplan_changes_requested")
    assert row.recipient == member and row.language == "es"
    assert row.context["comment"] == "More detail."

    with capture():
        workplan_submit(initiative=initiative, actor=member)
        workplan_approve(initiative=initiative, actor=secretary, comment="Thanks.")
    assert len(notified("workplan_submitted")) == 2  # a second submission, a second email
    [row] = notified("workplan_approved")
    assert row.recipient == member


def test_report_submitted_changes_requested_and_accepted(capture, secretary, organisation, member):
    initiative = approved_initiative(organisation, member, secretary)
    report = saved_report(first_report(initiative), member)
    with capture():
        report = report_submit(report=report, actor=member)
    [row] = notified("report_submitted")
    assert row.recipient == secretary
    assert row.context["report_kind"] == report.kind

    with capture():
        report = report_request_changes(
            report=report, actor=secretary, comments={}, comment="Add the receipts."
        )
    [row] = notified("report_changes_requested")
    assert row.recipient == member
    assert row.context["comment"] == "Add the receipts."

    with capture():
        report = report_submit(report=saved_report(report, member), actor=member)
        report_accept(report=report, actor=secretary, comment="Well done.")
    assert len(notified("report_submitted")) == 2
    [row] = notified("report_accepted")
    assert row.recipient == member and row.language == "es"
