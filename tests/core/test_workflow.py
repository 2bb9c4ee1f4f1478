"""The status tables and the one transition mechanism every workflow service uses."""

import itertools

import pytest

from core.management.commands.workflow_docs import render_workflows
from core.workflow import REGISTRY, Role, TransitionNotAllowed, perform_transition
from grants.models import InitiativeStatusChange
from grants.workflow import INITIATIVE_WORKFLOW, InitiativeStatus
from tests.factories import InitiativeFactory, UserFactory

ALL_WORKFLOWS = sorted(REGISTRY)


def test_every_workflow_is_registered():
    assert set(ALL_WORKFLOWS) >= {
        "application",
        "disbursement",
        "edition",
        "initiative",
        "report",
        "workplan",
    }


@pytest.mark.parametrize("name", ALL_WORKFLOWS)
def test_check_follows_the_table_for_every_pair_and_role(name):
    workflow = REGISTRY[name]
    for source, target in itertools.product(workflow.status.values, repeat=2):
        for role in Role.values:
            allowed = role in workflow.transitions.get((source, target), frozenset())
            if allowed:
                workflow.check(source, target, role)
            else:
                with pytest.raises(TransitionNotAllowed):
                    workflow.check(source, target, role)


@pytest.mark.parametrize("name", ALL_WORKFLOWS)
def test_every_status_appears_in_the_table(name):
    workflow = REGISTRY[name]
    targets = {target for _source, target in workflow.transitions}
    sources = {source for source, _target in workflow.transitions}
    # Every status is reachable or is the initial one, and the table names no dead status.
    assert set(workflow.status.values) <= targets | sources


@pytest.mark.django_db
def test_perform_transition_saves_and_records_history():
    initiative = InitiativeFactory()
    actor = UserFactory()
    moved = perform_transition(
        obj=initiative,
        workflow=INITIATIVE_WORKFLOW,
        target=InitiativeStatus.WORKPLAN_APPROVED,
        actor=actor,
        role=Role.SECRETARIAT,
        history=lambda obj, **fields: InitiativeStatusChange.objects.create(
            initiative=obj, **fields
        ),
        comment="Workplan approved at the panel meeting.",
    )
    initiative.refresh_from_db()
    assert moved.status == initiative.status == InitiativeStatus.WORKPLAN_APPROVED
    change = initiative.history.get()
    assert (change.from_status, change.to_status) == ("awarded", "workplan_approved")
    assert change.actor == actor
    assert change.role == Role.SECRETARIAT
    assert change.comment == "Workplan approved at the panel meeting."
    assert change.created_at is not None


@pytest.mark.django_db
def test_forbidden_transition_changes_nothing():
    initiative = InitiativeFactory()
    with pytest.raises(TransitionNotAllowed) as error:
        perform_transition(
            obj=initiative,
            workflow=INITIATIVE_WORKFLOW,
            target=InitiativeStatus.COMPLETED,
            actor=UserFactory(),
            role=Role.SECRETARIAT,
            history=lambda obj, **fields: InitiativeStatusChange.objects.create(
                initiative=obj, **fields
            ),
        )
    assert "Awarded" in error.value.message and "Completed" in error.value.message
    initiative.refresh_from_db()
    assert initiative.status == InitiativeStatus.AWARDED
    assert not initiative.history.exists()


@pytest.mark.django_db
def test_a_member_cannot_take_a_secretariat_step():
    initiative = InitiativeFactory()
    with pytest.raises(TransitionNotAllowed):
        perform_transition(
            obj=initiative,
            workflow=INITIATIVE_WORKFLOW,
            target=InitiativeStatus.TERMINATED,
            actor=UserFactory(),
            role=Role.MEMBER,
            history=lambda obj, **fields: InitiativeStatusChange.objects.create(
                initiative=obj, **fields
            ),
        )
    initiative.refresh_from_db()
    assert initiative.status == InitiativeStatus.AWARDED


def test_workflow_docs_are_up_to_date(settings):
    from pathlib import Path

    written = (Path(settings.BASE_DIR) / "docs" / "workflows.md").read_text(encoding="utf-8")
    assert written == render_workflows(), "Run `python manage.py workflow_docs`."
