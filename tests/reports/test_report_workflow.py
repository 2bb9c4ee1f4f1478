"""Every step of the report workflow, allowed and forbidden, and who may take it, through the
services; with their history, versions, comments, notifications and payments."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest

from core.workflow import Role, TransitionNotAllowed
from grants.models import Disbursement, DisbursementStatusChange
from notifications.models import Notification
from reports.models import ReportStatusChange, ReportVersion, ReviewComment
from reports.services import (
    ReportError,
    ReportIncomplete,
    StaleReport,
    report_accept,
    report_request_changes,
    report_save,
    report_submit,
)
from reports.workflow import REPORT_WORKFLOW, ReportStatus
from tests.portal.factories import (
    approved_initiative,
    complete_content,
    make_member,
    make_organisation,
    make_reviewer,
    make_secretary,
    saved_report,
)

pytestmark = pytest.mark.django_db

R = ReportStatus
ACTORS = ("member", "other_member", "secretary", "reviewer")
ROLE_OF = {"member": Role.MEMBER, "secretary": Role.SECRETARIAT}


@pytest.fixture
def actors(member, secretary):
    return {
        "member": member,
        "other_member": make_member(make_organisation(name="Another organisation")),
        "secretary": secretary,
        "reviewer": make_reviewer(),
    }


def reach(report, status: str, member, secretary):
    """Bring a scheduled report to ``status`` through the services."""
    if status == R.SCHEDULED:
        return report
    report = saved_report(report, member)
    if status == R.DRAFT:
        return report
    report = report_submit(report=report, actor=member)
    if status == R.SUBMITTED:
        return report
    if status == R.ACCEPTED:
        return report_accept(report=report, actor=secretary)
    return report_request_changes(report=report, actor=secretary, comments={"lessons": "Say more."})


def take(target: str, report, actor):
    """The service that moves a report to ``target``."""
    report.refresh_from_db()
    if target == R.DRAFT:
        return report_save(
            report=report,
            actor=actor,
            content=complete_content(report),
            read_version=report.version,
        )
    if target == R.SUBMITTED:
        return report_submit(report=report, actor=actor)
    if target == R.ACCEPTED:
        return report_accept(report=report, actor=actor)
    return report_request_changes(report=report, actor=actor, comments={}, comment="Redo.")


# Every (from, to, who): saving only moves a scheduled report (in other statuses it is an edit,
# tested below); nothing goes back to "scheduled".
WALK = [
    (source, target, who)
    for source, target in itertools.product(R.values, R.values)
    for who in ACTORS
    if target != R.SCHEDULED and not (target == R.DRAFT and source != R.SCHEDULED)
]


@pytest.mark.parametrize(("source", "target", "who"), WALK)
def test_every_transition_follows_the_table(source, target, who, report, member, secretary, actors):
    report = reach(report, source, member, secretary)
    actor = actors[who]
    allowed = REPORT_WORKFLOW.is_allowed(source, target, ROLE_OF.get(who, "nobody"))
    history = ReportStatusChange.objects.filter(report=report).count()
    if allowed:
        moved = take(target, report, actor)
        assert moved.status == target
        row = ReportStatusChange.objects.filter(report=report).order_by("-pk").first()
        assert (row.from_status, row.to_status, row.actor, row.role) == (
            source,
            target,
            actor,
            ROLE_OF[who],
        )
    else:
        with pytest.raises((TransitionNotAllowed, ReportError)) as refused:
            take(target, report, actor)
        assert refused.value.message
        report.refresh_from_db()
        assert report.status == source
        assert ReportStatusChange.objects.filter(report=report).count() == history


def test_the_walk_covers_the_whole_table():
    allowed = {
        (source, target)
        for source, target, who in WALK
        if REPORT_WORKFLOW.is_allowed(source, target, ROLE_OF.get(who, "nobody"))
    }
    assert allowed == set(REPORT_WORKFLOW.transitions)
    # and each step of the table is tried by everyone, allowed or not
    assert {(s, t) for s, t, _who in WALK} >= set(REPORT_WORKFLOW.transitions)


@pytest.mark.parametrize("source", R.values)
@pytest.mark.parametrize("who", ACTORS)
def test_only_members_write_and_only_while_the_report_is_open(
    source, who, report, member, secretary, actors
):
    report = reach(report, source, member, secretary)
    may_write = who == "member" and source in (R.SCHEDULED, R.DRAFT, R.CHANGES_REQUESTED)
    content = complete_content(report, challenges="Edited.")
    if may_write:
        saved = report_save(
            report=report, actor=actors[who], content=content, read_version=report.version
        )
        assert saved.challenges == "Edited."
        assert saved.status == (R.DRAFT if source == R.SCHEDULED else source)
    else:
        with pytest.raises((TransitionNotAllowed, ReportError)):
            report_save(
                report=report, actor=actors[who], content=content, read_version=report.version
            )
        report.refresh_from_db()
        assert report.challenges != "Edited."


def test_every_save_and_submission_is_a_version(report, member):
    report = saved_report(report, member, challenges="First.")
    report = saved_report(report, member, challenges="Second.")
    report = report_submit(report=report, actor=member)
    versions = list(ReportVersion.objects.filter(report=report).order_by("number"))
    assert [(v.number, v.status) for v in versions] == [
        (1, "draft"),
        (2, "draft"),
        (3, "submitted"),
    ]
    assert versions[0].content["challenges"] == "First."
    assert versions[2].content["challenges"] == "Second."
    assert versions[2].created_by == member
    assert report.version == 3


def test_a_stale_save_is_refused_and_changes_nothing(report, member):
    report = saved_report(report, member, challenges="Saved by a colleague.")
    with pytest.raises(StaleReport) as refused:
        report_save(
            report=report,
            actor=member,
            content=complete_content(report, challenges="Mine."),
            read_version=report.version - 1,
        )
    assert "Someone else saved this report" in refused.value.message
    report.refresh_from_db()
    assert report.challenges == "Saved by a colleague."
    assert report.versions.count() == 1


def test_an_incomplete_report_cannot_be_submitted(report, member):
    lines = list(report.initiative.lines_of_action.all())
    report = saved_report(
        report, member, narratives={lines[0].pk: "Done."}, lessons="", challenges=" "
    )
    with pytest.raises(ReportIncomplete) as refused:
        report_submit(report=report, actor=member)
    assert set(refused.value.problems) == {"narratives", "challenges", "lessons"}
    assert "“Advocacy”" in refused.value.problems["narratives"]
    report.refresh_from_db()
    assert report.status == R.DRAFT


def test_the_content_may_only_point_to_the_initiatives_own_workplan(report, member):
    other = make_organisation()
    foreign = approved_initiative(
        other, make_member(other), make_secretary(email="other-secretary@example.org")
    )
    foreign_line = foreign.lines_of_action.first()
    content = complete_content(report)
    content.narratives[foreign_line.pk] = "Into someone else's workplan."
    with pytest.raises(ReportError):
        report_save(report=report, actor=member, content=content, read_version=report.version)
    assert not foreign_line.narratives.exists()


def test_changes_are_requested_with_comments_per_section(report, member, secretary):
    report = reach(report, R.SUBMITTED, member, secretary)
    submitted = report.versions.order_by("-number").first()
    with pytest.raises(ReportError):
        report_request_changes(report=report, actor=secretary, comments={"lessons": "  "})
    with pytest.raises(ReportError):
        report_request_changes(report=report, actor=secretary, comments={"nonsense": "x"})
    report = report_request_changes(
        report=report,
        actor=secretary,
        comments={"lessons": "Say more.", "spending": "Receipts?"},
        comment="Nearly there.",
    )
    assert report.status == R.CHANGES_REQUESTED
    comments = {c.section: c for c in ReviewComment.objects.filter(report=report)}
    assert set(comments) == {"lessons", "spending"}
    assert all(c.version == submitted and c.author == secretary for c in comments.values())
    assert report.history.order_by("-pk").first().comment == "Nearly there."
    # The member changes it and submits again; then it is accepted and read-only.
    report = saved_report(report, member, lessons="Start earlier, and plan the rains.")
    report = report_submit(report=report, actor=member)
    report = report_accept(report=report, actor=secretary, comment="Thank you.")
    assert report.status == R.ACCEPTED and report.accepted_at is not None
    with pytest.raises(ReportError):
        saved_report(report, member, lessons="Too late.")


def test_accepting_a_report_makes_its_tranche_payable(report, member, secretary, initiative):
    first = Disbursement.objects.create(
        initiative=initiative, tranche=2, amount=Decimal("2000"), condition="interim"
    )
    second = Disbursement.objects.create(
        initiative=initiative, tranche=3, amount=Decimal("1000"), condition="interim"
    )
    final = Disbursement.objects.create(
        initiative=initiative, tranche=4, amount=Decimal("500"), condition="final"
    )
    report = reach(report, R.SUBMITTED, member, secretary)
    assert report.kind == "interim"
    report_accept(report=report, actor=secretary)
    statuses = {d.tranche: d.status for d in Disbursement.objects.filter(initiative=initiative)}
    assert statuses == {
        first.tranche: "payable",
        second.tranche: "planned",
        final.tranche: "planned",
    }
    row = DisbursementStatusChange.objects.get(disbursement=first)
    assert (row.from_status, row.to_status, row.role) == ("planned", "payable", Role.SYSTEM)


def test_notifications_carry_the_agreed_context(
    report, member, secretary, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = reach(report, R.SUBMITTED, member, secretary)
        report = report_request_changes(
            report=report, actor=secretary, comments={"lessons": "Say more."}, comment="Nearly."
        )
        report = saved_report(report, member)
        report = report_submit(report=report, actor=member)
        report_accept(report=report, actor=secretary, comment="Thanks.")
    submitted = Notification.objects.filter(kind="report_submitted")
    assert submitted.count() == 2  # two submissions, two events
    assert {n.email for n in submitted} == {secretary.email}
    first = submitted.order_by("pk").first()
    assert first.context == {
        "initiative": report.initiative.title,
        "organisation": "Acción Andina",
        "report_kind": "interim",
    }
    assert first.path == f"/en/secretariat/reports/{report.pk}/review/"
    changes = Notification.objects.get(kind="report_changes_requested")
    assert set(changes.context) == {"initiative", "organisation", "report_kind", "comment"}
    assert "Nearly." in changes.context["comment"] and "Say more." in changes.context["comment"]
    assert changes.email == member.email
    accepted = Notification.objects.get(kind="report_accepted")
    assert accepted.context["comment"] == "Thanks."
    assert accepted.path == f"/{member.language}/portal/reports/{report.pk}/"
