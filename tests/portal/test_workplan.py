"""The workplan: its workflow walked step by step with who may take each, its editing rules,
and its pages."""

from __future__ import annotations

import itertools
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.workflow import Role, TransitionNotAllowed
from grants.errors import WorkplanError
from grants.models import Disbursement, InitiativeStatusChange, LineOfAction
from grants.services import (
    workplan_approve,
    workplan_request_changes,
    workplan_section_save,
    workplan_submit,
)
from grants.workflow import WORKPLAN_WORKFLOW, InitiativeStatus, WorkplanStatus
from notifications.models import Notification
from organisations.models import Membership
from reports.services import schedule_reports
from tests.portal.factories import (
    current_version,
    fill_workplan,
    make_initiative,
    make_member,
    make_organisation,
    make_reviewer,
    saved_report,
)

pytestmark = pytest.mark.django_db


W = WorkplanStatus
ACTORS = ("member", "other_member", "secretary", "reviewer")
ROLE_OF = {"member": Role.MEMBER, "secretary": Role.SECRETARIAT}
SERVICES = {
    W.SUBMITTED: lambda initiative, actor: workplan_submit(initiative=initiative, actor=actor),
    W.APPROVED: lambda initiative, actor: workplan_approve(initiative=initiative, actor=actor),
    W.CHANGES_REQUESTED: lambda initiative, actor: workplan_request_changes(
        initiative=initiative, actor=actor, comment="Please add a budget line for travel."
    ),
}
WALK = [
    (source, target, who)
    for source, target in itertools.product(W.values, SERVICES)
    for who in ACTORS
]


@pytest.fixture
def actors(member, secretary):
    return {
        "member": member,
        "other_member": make_member(make_organisation(name="Another organisation")),
        "secretary": secretary,
        "reviewer": make_reviewer(),
    }


@pytest.fixture
def draft(organisation, member):
    initiative = make_initiative(organisation)
    fill_workplan(initiative, member)
    return initiative


def reach(initiative, status, member, secretary):
    if status == W.DRAFT:
        return initiative
    initiative = workplan_submit(initiative=initiative, actor=member)
    if status == W.SUBMITTED:
        return initiative
    if status == W.APPROVED:
        return workplan_approve(initiative=initiative, actor=secretary)
    return workplan_request_changes(initiative=initiative, actor=secretary, comment="Redo.")


@pytest.mark.parametrize(("source", "target", "who"), WALK)
def test_every_transition_follows_the_table(source, target, who, draft, member, secretary, actors):
    initiative = reach(draft, source, member, secretary)
    actor = actors[who]
    allowed = WORKPLAN_WORKFLOW.is_allowed(source, target, ROLE_OF.get(who, "nobody"))
    rows = InitiativeStatusChange.objects.filter(initiative=initiative, workflow="workplan")
    before = rows.count()
    if allowed:
        moved = SERVICES[target](initiative, actor)
        assert moved.workplan_status == target
        row = rows.order_by("-pk").first()
        assert (row.from_status, row.to_status, row.actor, row.role) == (
            source,
            target,
            actor,
            ROLE_OF[who],
        )
    else:
        with pytest.raises((TransitionNotAllowed, WorkplanError)) as refused:
            SERVICES[target](initiative, actor)
        assert refused.value.message
        initiative.refresh_from_db()
        assert initiative.workplan_status == source
        assert rows.count() == before


def test_the_walk_covers_the_whole_table():
    allowed = {
        (source, target)
        for source, target, who in WALK
        if WORKPLAN_WORKFLOW.is_allowed(source, target, ROLE_OF.get(who, "nobody"))
    }
    assert allowed == set(WORKPLAN_WORKFLOW.transitions)


def test_approval_moves_the_initiative_and_releases_the_workplan_tranche(draft, member, secretary):
    tranche = Disbursement.objects.create(
        initiative=draft, tranche=1, amount=Decimal("2500"), condition="workplan"
    )
    later = Disbursement.objects.create(
        initiative=draft, tranche=2, amount=Decimal("2500"), condition="interim"
    )
    assert draft.status == InitiativeStatus.AWARDED
    initiative = reach(draft, W.APPROVED, member, secretary)
    assert initiative.status == InitiativeStatus.WORKPLAN_APPROVED
    moves = list(
        InitiativeStatusChange.objects.filter(initiative=initiative)
        .order_by("pk")
        .values_list("workflow", "from_status", "to_status")
    )
    assert moves == [
        ("workplan", "draft", "submitted"),
        ("workplan", "submitted", "approved"),
        ("initiative", "awarded", "workplan_approved"),
    ]
    tranche.refresh_from_db()
    later.refresh_from_db()
    assert (tranche.status, later.status) == ("payable", "planned")
    # Reopened and approved again: the initiative stays where it is.
    workplan_request_changes(initiative=initiative, actor=secretary, comment="One more line.")
    workplan_submit(initiative=initiative, actor=member)
    initiative = workplan_approve(initiative=initiative, actor=secretary)
    assert initiative.status == InitiativeStatus.WORKPLAN_APPROVED


def test_a_budget_over_the_award_cannot_be_submitted(organisation, member):
    initiative = make_initiative(organisation, amount_awarded=Decimal("4000.00"))
    fill_workplan(initiative, member, budget=("3000.00", "1500.50"))
    with pytest.raises(WorkplanError) as refused:
        workplan_submit(initiative=initiative, actor=member)
    assert "The budget totals 4,500.50\xa0USD, more than the 4,000\xa0USD awarded" in (
        refused.value.message
    )
    assert "reduce it by 500.50\xa0USD" in refused.value.message
    initiative.refresh_from_db()
    assert initiative.workplan_status == W.DRAFT


def test_an_empty_workplan_cannot_be_submitted(organisation, member):
    initiative = make_initiative(organisation)
    with pytest.raises(WorkplanError) as refused:
        workplan_submit(initiative=initiative, actor=member)
    assert "line of action" in refused.value.message
    assert "activity" in refused.value.message


def test_the_workplan_is_edited_only_while_draft_or_sent_back(draft, member, secretary):
    initiative = reach(draft, W.SUBMITTED, member, secretary)
    with pytest.raises(WorkplanError):
        workplan_section_save(
            initiative=initiative,
            actor=member,
            section="lines",
            rows=[{"id": None, "title": "Late line"}],
            language="en",
            read_version=current_version(initiative, "lines"),
        )
    workplan_request_changes(initiative=initiative, actor=secretary, comment="Add a line.")
    workplan_section_save(
        initiative=initiative,
        actor=member,
        section="lines",
        rows=[{"id": None, "title": "Late line"}],
        language="en",
        read_version=current_version(initiative, "lines"),
    )
    assert initiative.lines_of_action.filter(title_en="Late line").exists()


def test_lines_are_written_in_the_members_language(organisation):
    spanish = make_member(organisation, language="es")
    initiative = make_initiative(organisation)
    workplan_section_save(
        initiative=initiative,
        actor=spanish,
        section="lines",
        rows=[{"id": None, "title": "Formación", "description": "Talleres."}],
        language="es",
        read_version=current_version(initiative, "lines"),
    )
    line = LineOfAction.objects.get(initiative=initiative)
    assert (line.title_es, line.description_es) == ("Formación", "Talleres.")
    assert line.title_fr is None


def test_rows_of_another_initiative_cannot_be_reached(draft, member, organisation):
    other = make_initiative(organisation)
    fill_workplan(other, member)
    foreign_line = other.lines_of_action.first()
    with pytest.raises(WorkplanError):
        workplan_section_save(
            initiative=draft,
            actor=member,
            section="lines",
            rows=[{"id": foreign_line.pk, "title": "Hijacked"}],
            language="en",
            read_version=current_version(draft, "lines"),
        )
    with pytest.raises(WorkplanError):
        workplan_section_save(
            initiative=draft,
            actor=member,
            section="budget",
            rows=[{"id": None, "category": "X", "amount": 1, "line_of_action": foreign_line.pk}],
            language="en",
            read_version=current_version(draft, "budget"),
        )
    foreign_line.refresh_from_db()
    assert foreign_line.title_en != "Hijacked"


def test_a_row_used_in_a_report_cannot_be_removed(initiative, member, secretary):
    report = schedule_reports(initiative=initiative)[0]
    saved_report(report, member)
    workplan_request_changes(initiative=initiative, actor=secretary, comment="Revise.")
    line = initiative.lines_of_action.first()
    with pytest.raises(WorkplanError) as refused:
        workplan_section_save(
            initiative=initiative,
            actor=member,
            section="lines",
            rows=[{"id": line.pk, "delete": True}],
            language="en",
            read_version=current_version(initiative, "lines"),
        )
    assert "is used in a report" in refused.value.message
    assert LineOfAction.objects.filter(pk=line.pk).exists()


def test_notifications_of_the_workplan(
    draft, member, secretary, organisation, django_capture_on_commit_callbacks
):
    colleague = make_member(organisation, role=Membership.Role.MEMBER, language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        workplan_submit(initiative=draft, actor=member)
        workplan_request_changes(initiative=draft, actor=secretary, comment="Travel costs?")
        workplan_submit(initiative=draft, actor=member)
        workplan_approve(initiative=draft, actor=secretary, comment="Good.")
    submitted = Notification.objects.filter(kind="workplan_submitted")
    assert submitted.count() == 2 and {n.email for n in submitted} == {secretary.email}
    assert submitted.first().context == {
        "initiative": draft.title,
        "organisation": organisation.name,
    }
    changes = Notification.objects.filter(kind="workplan_changes_requested")
    assert {n.email for n in changes} == {member.email, colleague.email}
    assert changes.get(email=colleague.email).context == {
        "initiative": draft.title,
        "organisation": organisation.name,
        "comment": "Travel costs?",
    }
    assert changes.get(email=colleague.email).path == f"/fr/portal/initiatives/{draft.pk}/workplan/"
    approved = Notification.objects.filter(kind="workplan_approved")
    assert approved.count() == 2
    assert approved.first().context["comment"] == "Good."


# --- pages ------------------------------------------------------------------------------------


def formset_data(prefix: str, rows: list[dict], initial: int, version: int = 0) -> dict:
    data = {
        "version": str(version),
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{index}-{key}"] = value
    return data


def test_a_member_writes_the_workplan_in_the_portal(client, organisation, member):
    initiative = make_initiative(organisation)
    client.force_login(member)
    url = f"/en/portal/initiatives/{initiative.pk}/workplan/edit/lines/"
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="lines-0-title"' in page.content.decode()
    response = client.post(
        url, formset_data("lines", [{"title": "Training", "description": "", "order": "1"}], 0)
    )
    assert response.status_code == 302
    line = initiative.lines_of_action.get()
    # Bad input: a clear message, nothing saved, nothing typed lost.
    url = f"/en/portal/initiatives/{initiative.pk}/workplan/edit/activities/"
    response = client.post(
        url,
        formset_data(
            "activities",
            [
                {
                    "title": "Workshop",
                    "line_of_action": str(line.pk),
                    "starts_on": "2024-05-10",
                    "ends_on": "2024-05-01",
                    "status": "planned",
                    "place": "El Alto",
                }
            ],
            0,
        ),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "The end comes before the start." in html
    assert 'value="El Alto"' in html
    assert not initiative.activities.exists()


def test_the_budget_over_the_award_is_shown_with_its_numbers(client, organisation, member):
    initiative = make_initiative(organisation)
    fill_workplan(initiative, member, budget=("4000", "2000"))
    client.force_login(member)
    page = client.get(f"/en/portal/initiatives/{initiative.pk}/workplan/").content.decode()
    assert "The budget totals 6,000\xa0USD, more than the 5,000\xa0USD awarded" in page
    assert "Submit the workplan" not in page
    response = client.post(f"/en/portal/initiatives/{initiative.pk}/workplan/submit/", follow=True)
    assert "The budget totals 6,000\xa0USD" in response.content.decode()
    initiative.refresh_from_db()
    assert initiative.workplan_status == W.DRAFT


def test_submit_and_review_in_the_portal(client, draft, member, secretary):
    client.force_login(member)
    response = client.post(f"/en/portal/initiatives/{draft.pk}/workplan/submit/", follow=True)
    assert "The workplan was sent to the secretariat" in response.content.decode()
    client.force_login(secretary)
    review = f"/en/secretariat/initiatives/{draft.pk}/workplan/review/"
    assert client.get(review).status_code == 200
    refused = client.post(review, {"comment": "", "request_changes": "1"})
    assert "the comment is required" in refused.content.decode()
    client.post(review, {"comment": "Add the travel costs.", "request_changes": "1"})
    draft.refresh_from_db()
    assert draft.workplan_status == W.CHANGES_REQUESTED
    client.force_login(member)
    page = client.get(f"/en/portal/initiatives/{draft.pk}/workplan/").content.decode()
    assert "Add the travel costs." in page


def test_the_workplan_page_queries_do_not_grow(client, organisation, member):
    initiative = make_initiative(organisation)
    fill_workplan(initiative, member)
    client.force_login(member)
    url = f"/en/portal/initiatives/{initiative.pk}/workplan/"

    def count(path) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    once = count(url), count(url + "edit/activities/")
    fill_workplan(initiative, member)  # twice the rows
    assert (count(url), count(url + "edit/activities/")) == once


def test_a_post_after_submission_shows_the_text_back(client, draft, member):
    client.force_login(member)
    url = f"/en/portal/initiatives/{draft.pk}/workplan/edit/lines/"
    workplan_submit(initiative=draft, actor=member)  # by a colleague, in another tab
    response = client.post(
        url, formset_data("lines", [{"title": "Typed meanwhile", "order": "3"}], 0)
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "The workplan is submitted: it cannot be changed now." in html
    assert 'value="Typed meanwhile"' in html
    assert not draft.lines_of_action.filter(title_en="Typed meanwhile").exists()


# --- lost updates ---------------------------------------------------------------------------


def hidden_version(html: str) -> int:
    match = re.search(r'name="version" value="(\d+)"', html)
    assert match, "the page carries the version it was read at"
    return int(match.group(1))


def test_a_stale_save_is_refused_and_the_text_typed_is_shown_back(
    client, draft, organisation, member
):
    """Two members open the lines of action; the second to save does not write over the first
    (finding 8: it did, silently)."""
    colleague = make_member(organisation, role=Membership.Role.MEMBER)
    first, second = client, type(client)()
    first.force_login(member)
    second.force_login(colleague)
    url = f"/en/portal/initiatives/{draft.pk}/workplan/edit/lines/"
    lines = list(draft.lines_of_action.order_by("order", "pk"))
    read_first = hidden_version(first.get(url).content.decode())
    read_second = hidden_version(second.get(url).content.decode())
    assert read_first == read_second

    def edit(title: str) -> list[dict]:
        return [
            {"id": str(lines[0].pk), "title": title, "description": "", "order": "1"},
            {"id": str(lines[1].pk), "title": lines[1].title, "description": "", "order": "2"},
        ]

    saved = first.post(url, formset_data("lines", edit("Peer training"), 2, read_first))
    assert saved.status_code == 302
    refused = second.post(url, formset_data("lines", edit("Legal support"), 2, read_second))
    assert refused.status_code == 409
    html = refused.content.decode()
    assert "Someone saved “Lines of action” after you opened this page" in html
    assert 'value="Legal support"' in html  # what the second member typed, not lost
    assert "What is saved now" in html and "Peer training" in html
    lines[0].refresh_from_db()
    assert lines[0].title == "Peer training"
    # Saving again from the page shown (it carries the current version) is an informed choice.
    again = second.post(url, formset_data("lines", edit("Legal support"), 2, hidden_version(html)))
    assert again.status_code == 302
    lines[0].refresh_from_db()
    assert lines[0].title == "Legal support"


def test_saving_one_part_does_not_refuse_a_colleague_on_another(client, draft, member):
    client.force_login(member)
    base = f"/en/portal/initiatives/{draft.pk}/workplan/edit/"
    budget_version = hidden_version(client.get(base + "budget/").content.decode())
    lines_version = hidden_version(client.get(base + "lines/").content.decode())
    added = {"title": "Legal aid", "description": "", "order": "9"}
    assert (
        client.post(base + "lines/", formset_data("lines", [added], 0, lines_version)).status_code
        == 302
    )
    budget = {"category": "Printing", "amount": "100.00", "description": "", "order": "9"}
    response = client.post(base + "budget/", formset_data("budget", [budget], 0, budget_version))
    assert response.status_code == 302
    assert draft.budget_lines.filter(category="Printing").exists()


def test_a_form_without_its_version_is_refused_not_applied(client, draft, member):
    client.force_login(member)
    url = f"/en/portal/initiatives/{draft.pk}/workplan/edit/lines/"
    data = formset_data("lines", [{"title": "Blind", "order": "5"}], 0)
    del data["version"]
    assert client.post(url, data).status_code == 409
    assert not draft.lines_of_action.filter(title_en="Blind").exists()
