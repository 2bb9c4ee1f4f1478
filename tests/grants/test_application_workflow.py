"""Every step of the application table, allowed and forbidden, and who may take each: the
applicant's members, the secretariat, a reviewer and a stranger, through the real services."""

from decimal import Decimal

import pytest

from core.workflow import Role, TransitionNotAllowed
from grants import services
from grants.errors import ApplicationError
from grants.models import Application, ApplicationStatusChange
from grants.workflow import APPLICATION_WORKFLOW, ApplicationStatus
from notifications.models import Notification
from tests.factories import UserFactory

from .factories import applicant, open_edition, reach, reviewer_user, secretariat_user

pytestmark = pytest.mark.django_db

A = ApplicationStatus
STATUSES = list(A.values)


def take(target: str, application: Application, actor):
    """Ask the service that leads to ``target``."""
    if target == A.SUBMITTED:
        return services.application_submit(application=application, actor=actor)
    if target == A.WITHDRAWN:
        return services.application_withdraw(application=application, actor=actor)
    if target in (A.UNDER_REVIEW, A.INELIGIBLE):
        return services.application_screen(
            application=application,
            actor=actor,
            is_eligible=target == A.UNDER_REVIEW,
            reason="Outside the call's scope.",
        )
    if target == A.MORE_INFO:
        return services.application_request_more_info(
            application=application, actor=actor, comment="Which cities?"
        )
    if target == A.SHORTLISTED:
        return services.application_shortlist(application=application, actor=actor)
    if target == A.APPROVED:
        return services.application_approve(
            application=application,
            actor=actor,
            amount=Decimal("4500"),
            period_start=application.edition.period_start,
            period_end=application.edition.period_end,
        )
    if target == A.DECLINED:
        return services.application_decline(
            application=application, actor=actor, message="Not this time."
        )
    raise ValueError(target)


TARGETS = [status for status in STATUSES if status != A.DRAFT]  # nothing leads back to draft


@pytest.mark.parametrize("source", STATUSES)
@pytest.mark.parametrize("target", TARGETS)
def test_every_step_and_who_may_take_it(source, target):
    edition = open_edition()
    secretary = secretariat_user()
    application = reach(source, edition, secretary)
    assert application.status == source
    actors = {
        Role.MEMBER: applicant(application),
        Role.SECRETARIAT: secretary,
        Role.REVIEWER: reviewer_user("reviewer@example.org"),
        "stranger": UserFactory(email="stranger@example.org"),
    }
    allowed_roles = APPLICATION_WORKFLOW.roles_for(source, target)
    # The forbidden actors first: each is refused and nothing changes.
    for role, actor in actors.items():
        if role in allowed_roles:
            continue
        history = ApplicationStatusChange.objects.count()
        with pytest.raises(TransitionNotAllowed):
            take(target, application, actor)
        application.refresh_from_db()
        assert application.status == source, (role, source, target)
        assert ApplicationStatusChange.objects.count() == history
    for role in allowed_roles:
        take(target, application, actors[role])
        application.refresh_from_db()
        assert application.status == target
        change = application.history.first()
        assert (change.from_status, change.to_status, change.role) == (source, target, role)
        assert change.actor == actors[role]
        break  # one allowed actor is enough: the step has been taken


def test_the_table_is_what_the_issue_describes():
    steps = set(APPLICATION_WORKFLOW.transitions)
    # Withdrawn by the applicant before any decision.
    for source in (A.DRAFT, A.SUBMITTED, A.MORE_INFO, A.UNDER_REVIEW, A.SHORTLISTED):
        assert APPLICATION_WORKFLOW.roles_for(source, A.WITHDRAWN) == {Role.MEMBER}
    for decided in (A.APPROVED, A.DECLINED, A.INELIGIBLE, A.WITHDRAWN):
        assert not [t for (s, t) in steps if s == decided], decided
    # More information goes back to the applicant, and returns to the secretariat.
    assert (A.MORE_INFO, A.SUBMITTED) in steps
    assert APPLICATION_WORKFLOW.roles_for(A.UNDER_REVIEW, A.MORE_INFO) == {Role.SECRETARIAT}


def test_submission_records_time_history_and_notifications(django_capture_on_commit_callbacks):
    edition = open_edition()
    secretary = secretariat_user()
    application = reach(A.DRAFT, edition, secretary)
    member = applicant(application)
    with django_capture_on_commit_callbacks(execute=True):
        application = services.application_submit(application=application, actor=member)
    assert application.status == A.SUBMITTED
    assert application.submitted_at is not None
    received = Notification.objects.get(kind="application_received")
    assert received.recipient == member
    assert received.key == f"application:{application.pk}:received"
    assert received.context == {
        "title": "Harm reduction in the Andes",
        "organisation": application.organisation.name,
        "edition": edition.title_en,
    }
    assert received.path == f"/en/calls/applications/{application.pk}/"
    to_secretariat = Notification.objects.get(kind="application_received_secretariat")
    assert to_secretariat.recipient == secretary
    assert to_secretariat.path == f"/en/admin/grants/application/{application.pk}/change/"
    assert received.status == Notification.Status.SENT


def test_more_information_goes_back_and_returns(django_capture_on_commit_callbacks):
    edition = open_edition()
    secretary = secretariat_user()
    application = reach(A.UNDER_REVIEW, edition, secretary)
    member = applicant(application)
    first_submitted_at = application.submitted_at
    application = services.application_request_more_info(
        application=application, actor=secretary, comment="Which cities exactly?"
    )
    asked = application.history.first()
    notification = Notification.objects.get(kind="more_info_requested")
    assert notification.recipient == member
    assert notification.key == f"application:{application.pk}:more_info:{asked.pk}"
    assert notification.context == {
        "title": application.title,
        "organisation": application.organisation.name,
        "comment": "Which cities exactly?",
    }
    # Past the deadline the applicant can still answer: only a first submission is refused.
    edition.application_closes_at = (
        edition.application_opens_at
        + (edition.application_closes_at - edition.application_opens_at) / 100
    )
    edition.save()
    application = services.application_submit(application=application, actor=member)
    assert application.status == A.SUBMITTED
    assert application.submitted_at == first_submitted_at
    assert Notification.objects.filter(kind="application_received_secretariat").count() == 2
    assert [c.to_status for c in application.history.order_by("created_at", "pk")] == [
        A.SUBMITTED,
        A.UNDER_REVIEW,
        A.MORE_INFO,
        A.SUBMITTED,
    ]


def test_screening_out_needs_a_reason():
    edition = open_edition()
    secretary = secretariat_user()
    application = reach(A.SUBMITTED, edition, secretary)
    with pytest.raises(ApplicationError, match="not eligible"):
        services.application_screen(
            application=application, actor=secretary, is_eligible=False, reason="  "
        )
    application.refresh_from_db()
    assert application.status == A.SUBMITTED
    services.application_screen(
        application=application, actor=secretary, is_eligible=False, reason="Not community-led."
    )
    assert application.history.first().comment == "Not community-led."
