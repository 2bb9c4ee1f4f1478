"""Building grantee organisations, their initiatives, workplans and reports through the real
services (statuses are reached by transitions, never written)."""

from __future__ import annotations

import datetime
import importlib
from decimal import Decimal

from django.apps import apps as global_apps
from django.contrib.auth.models import Group

from grants.models import Initiative
from grants.services import (
    section_version,
    workplan_approve,
    workplan_section_save,
    workplan_submit,
)
from organisations.models import Membership, Organisation, User
from reports.models import Report
from reports.services import ReportContent, report_save, schedule_reports
from tests.factories import EditionFactory, InitiativeFactory, OrganisationFactory, UserFactory

PASSWORD = "a-long-test-password"


def staff_group(name: str) -> Group:
    """The group made by organisations/0002_groups, remade if a transactional test flushed it."""
    if not Group.objects.filter(name=name).exists():
        migration = importlib.import_module("organisations.migrations.0002_groups")
        migration.create_groups(global_apps, None)
    return Group.objects.get(name=name)


def make_secretary(email: str = "secretary@example.org", **extra) -> User:
    user = User.objects.create_user(
        email=email, password=PASSWORD, is_staff=True, full_name="Sam Secretariat", **extra
    )
    user.groups.add(staff_group("Secretariat"))
    return user


def make_reviewer(email: str = "reviewer@example.org") -> User:
    user = User.objects.create_user(
        email=email, password=PASSWORD, is_staff=True, full_name="Rita Reviewer"
    )
    user.groups.add(staff_group("Reviewer"))
    return user


def make_member(organisation: Organisation, role: str = Membership.Role.ADMIN, **extra) -> User:
    user = UserFactory(**extra)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


def make_organisation(**extra) -> Organisation:
    return OrganisationFactory(**extra)


def make_initiative(organisation: Organisation, **extra) -> Initiative:
    if "edition" not in extra:  # not setdefault: it would make an edition every time
        extra["edition"] = EditionFactory()
    return InitiativeFactory(lead_organisation=organisation, **extra)


def current_version(initiative: Initiative, section: str) -> int:
    """The version of one part of the workplan, as a page opened now would carry it."""
    return section_version(Initiative.objects.get(pk=initiative.pk), section)


def fill_workplan(initiative: Initiative, member: User, *, budget=("3000.00", "1500.00")) -> None:
    """Two lines of action, two activities, two budget lines, one indicator."""
    workplan_section_save(
        initiative=initiative,
        actor=member,
        section="lines",
        language=member.language,
        read_version=current_version(initiative, "lines"),
        rows=[
            {"id": None, "title": "Training", "description": "Peer trainings.", "order": 1},
            {"id": None, "title": "Advocacy", "description": "Meetings.", "order": 2},
        ],
    )
    lines = list(initiative.lines_of_action.order_by("order"))
    start = initiative.period_start
    workplan_section_save(
        initiative=initiative,
        actor=member,
        section="activities",
        language=member.language,
        read_version=current_version(initiative, "activities"),
        rows=[
            {
                "id": None,
                "title": "Workshop in La Paz",
                "line_of_action": lines[0].pk,
                "starts_on": start,
                "ends_on": start + datetime.timedelta(days=30),
                "place": "La Paz",
                "status": "planned",
                "order": 1,
            },
            {
                "id": None,
                "title": "Meeting with MPs",
                "line_of_action": lines[1].pk,
                "place": "Sucre",
                "status": "planned",
                "order": 2,
            },
        ],
    )
    workplan_section_save(
        initiative=initiative,
        actor=member,
        section="budget",
        language=member.language,
        read_version=current_version(initiative, "budget"),
        rows=[
            {"id": None, "category": "Venue", "amount": Decimal(budget[0]), "order": 1},
            {"id": None, "category": "Travel", "amount": Decimal(budget[1]), "order": 2},
        ],
    )
    workplan_section_save(
        initiative=initiative,
        actor=member,
        section="indicators",
        language=member.language,
        read_version=current_version(initiative, "indicators"),
        rows=[
            {
                "id": None,
                "name": "People trained",
                "line_of_action": lines[0].pk,
                "unit": "people",
                "target": Decimal("40"),
            }
        ],
    )


def approved_initiative(organisation: Organisation, member: User, secretary: User, **extra):
    initiative = make_initiative(organisation, **extra)
    fill_workplan(initiative, member)
    workplan_submit(initiative=initiative, actor=member)
    workplan_approve(initiative=initiative, actor=secretary)
    initiative.refresh_from_db()
    return initiative


def complete_content(report: Report, **overrides) -> ReportContent:
    initiative = report.initiative
    content = ReportContent(
        narratives={
            line.pk: f"We worked on {line.title}." for line in initiative.lines_of_action.all()
        },
        progress={
            a.pk: {"status": "done", "percent_complete": 100, "note": "Done."}
            for a in initiative.activities.all()
        },
        indicators={
            i.pk: {"value": Decimal("35"), "note": ""} for i in initiative.indicators.all()
        },
        spending={
            b.pk: {"amount": Decimal("1000"), "note": ""} for b in initiative.budget_lines.all()
        },
        challenges="Rain.",
        lessons="Start earlier.",
        highlights="Forty people trained.",
    )
    for name, value in overrides.items():
        setattr(content, name, value)
    return content


def first_report(initiative: Initiative) -> Report:
    return schedule_reports(initiative=initiative)[0]


def saved_report(report: Report, member: User, **overrides) -> Report:
    report.refresh_from_db()
    return report_save(
        report=report,
        actor=member,
        content=complete_content(report, **overrides),
        read_version=report.version,
    )
