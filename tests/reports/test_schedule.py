"""Awarding a grant creates its reports: from the edition's schedule, or interim and final."""

import datetime

import pytest
from django.db import IntegrityError

from programme.models import ReportingDeadline
from reports.models import Report
from reports.services import schedule_reports
from tests.factories import EditionFactory, InitiativeFactory

pytestmark = pytest.mark.django_db


def test_default_schedule_is_interim_at_mid_period_and_final_a_month_after_the_end():
    initiative = InitiativeFactory(
        period_start=datetime.date(2024, 1, 1), period_end=datetime.date(2024, 12, 31)
    )
    interim, final = schedule_reports(initiative=initiative)
    assert (interim.kind, final.kind) == ("interim", "final")
    assert interim.period_start == datetime.date(2024, 1, 1)
    assert interim.period_end == interim.due_on == datetime.date(2024, 7, 1)
    assert (final.period_start, final.period_end) == (
        datetime.date(2024, 1, 1),
        datetime.date(2024, 12, 31),
    )
    assert final.due_on == datetime.date(2025, 1, 30)
    assert {r.status for r in (interim, final)} == {"scheduled"}


def test_the_editions_schedule_wins():
    edition = EditionFactory()
    for kind, start, end, due in [
        ("interim", (2024, 1, 1), (2024, 4, 30), (2024, 5, 15)),
        ("interim", (2024, 5, 1), (2024, 8, 31), (2024, 9, 15)),
        ("final", (2024, 1, 1), (2024, 12, 31), (2025, 1, 31)),
    ]:
        ReportingDeadline.objects.create(
            edition=edition,
            kind=kind,
            period_start=datetime.date(*start),
            period_end=datetime.date(*end),
            due_on=datetime.date(*due),
        )
    initiative = InitiativeFactory(edition=edition)
    reports = schedule_reports(initiative=initiative)
    assert [(r.kind, r.due_on) for r in reports] == [
        ("interim", datetime.date(2024, 5, 15)),
        ("interim", datetime.date(2024, 9, 15)),
        ("final", datetime.date(2025, 1, 31)),
    ]


def test_scheduling_twice_creates_nothing_more_and_keeps_work_done(member, initiative):
    first = schedule_reports(initiative=initiative)
    Report.objects.filter(pk=first[0].pk).update(challenges="Written already.")
    again = schedule_reports(initiative=initiative)
    assert [r.pk for r in again] == [r.pk for r in first]
    assert Report.objects.filter(initiative=initiative).count() == 2
    assert Report.objects.get(pk=first[0].pk).challenges == "Written already."


def test_the_database_refuses_a_duplicate_report(initiative):
    report = schedule_reports(initiative=initiative)[0]
    with pytest.raises(IntegrityError):
        Report.objects.create(
            initiative=initiative,
            kind=report.kind,
            period_start=report.period_start,
            period_end=report.period_end,
            due_on=report.due_on,
        )
