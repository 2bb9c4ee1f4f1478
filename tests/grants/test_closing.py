"""Closing a grant: completed by the system once its final report is accepted and every
tranche is paid or cancelled; terminated by the secretariat with a reason; extended at no cost;
a tranche cancelled with a reason. Each step × who may take it."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from core.workflow import TransitionNotAllowed
from grants.errors import InitiativeError, PaymentError
from grants.models import Initiative, InitiativeExtension
from grants.services import (
    disbursement_cancel,
    initiative_complete_if_done,
    initiative_extend,
    initiative_terminate,
)
from grants.workflow import DisbursementStatus, InitiativeStatus
from notifications.models import Notification
from reports.models import Reminder
from reports.services import reminders_send
from tests.grants.factories import open_edition, reviewer_user, secretariat_user
from tests.grants.lifecycle import (
    accept_final_report,
    activate,
    approve_workplan,
    award,
    grantee,
    pay,
    plan,
    verified_details,
)

pytestmark = pytest.mark.django_db

D, I = DisbursementStatus, InitiativeStatus  # noqa: E741


@pytest.fixture
def secretary():
    return secretariat_user("sam@example.org")


@pytest.fixture
def verifier():
    return secretariat_user("vera@example.org")


@pytest.fixture
def initiative(secretary, verifier):
    """A grant of 4,500 USD: 50 % on the workplan's approval, 50 % on the final report; its
    workplan approved (the first tranche payable), its bank details verified."""
    edition = plan(open_edition(), ("50", "workplan"), ("50", "final"))
    initiative = approve_workplan(award(secretary, edition), secretary)
    verified_details(
        initiative.lead_organisation, entered_by=grantee(initiative), verifier=verifier
    )
    return initiative


def tranche(initiative, number):
    return initiative.disbursements.get(tranche=number)


def status(initiative) -> str:
    return Initiative.objects.get(pk=initiative.pk).status


# --- completion -------------------------------------------------------------------------------


def test_the_last_payment_completes_an_active_grant(initiative, secretary):
    activate(initiative)
    pay(tranche(initiative, 1), secretary)
    accept_final_report(initiative, secretary)
    assert status(initiative) == I.ACTIVE  # the last tranche is payable, not paid
    pay(tranche(initiative, 2), secretary)
    assert status(initiative) == I.COMPLETED
    change = initiative.history.filter(workflow="initiative").order_by("-pk").first()
    assert (change.from_status, change.to_status, change.role, change.actor) == (
        "active",
        "completed",
        "system",
        None,
    )
    # Each member of the organisation is told once (its administrator and its signatory).
    told = Notification.objects.filter(kind="initiative_completed")
    assert sorted(told.values_list("recipient", flat=True)) == sorted(
        initiative.lead_organisation.memberships.values_list("user", flat=True)
    )


def test_accepting_the_final_report_completes_a_paid_grant(initiative, secretary):
    activate(initiative)
    pay(tranche(initiative, 1), secretary)
    disbursement_cancel(disbursement=tranche(initiative, 2), actor=secretary, reason="Merged.")
    assert status(initiative) == I.ACTIVE  # the final report is not accepted yet
    accept_final_report(initiative, secretary)
    assert status(initiative) == I.COMPLETED


def test_cancelling_the_last_tranche_completes_the_grant(initiative, secretary):
    activate(initiative)
    pay(tranche(initiative, 1), secretary)
    accept_final_report(initiative, secretary)
    disbursement_cancel(disbursement=tranche(initiative, 2), actor=secretary, reason="Underspent.")
    assert status(initiative) == I.COMPLETED


def test_a_grant_not_active_is_not_completed(initiative, secretary):
    pay(tranche(initiative, 1), secretary)
    accept_final_report(initiative, secretary)
    pay(tranche(initiative, 2), secretary)
    assert status(initiative) == I.WORKPLAN_APPROVED
    assert initiative_complete_if_done(initiative=initiative) is None


def test_completing_twice_has_one_effect(initiative, secretary):
    activate(initiative)
    pay(tranche(initiative, 1), secretary)
    accept_final_report(initiative, secretary)
    pay(tranche(initiative, 2), secretary)
    assert initiative_complete_if_done(initiative=initiative) is None
    assert initiative.history.filter(to_status="completed").count() == 1


# --- cancelling a tranche ---------------------------------------------------------------------


def test_the_secretariat_cancels_a_tranche_with_a_reason(initiative, secretary):
    member = grantee(initiative)
    for actor in (member, reviewer_user("rita@example.org", is_staff=True)):
        with pytest.raises(TransitionNotAllowed):
            disbursement_cancel(disbursement=tranche(initiative, 1), actor=actor, reason="No.")
    with pytest.raises(PaymentError, match="reason"):
        disbursement_cancel(disbursement=tranche(initiative, 1), actor=secretary, reason="  ")
    assert tranche(initiative, 1).status == D.PAYABLE
    cancelled = disbursement_cancel(
        disbursement=tranche(initiative, 1), actor=secretary, reason="Paid by another funder."
    )
    assert (cancelled.status, cancelled.cancel_reason) == (D.CANCELLED, "Paid by another funder.")
    change = cancelled.history.order_by("-pk").first()
    assert (change.from_status, change.to_status, change.comment) == (
        "payable",
        "cancelled",
        "Paid by another funder.",
    )
    told = Notification.objects.get(kind="disbursement_cancelled", recipient=member)
    assert told.context["reason"] == "Paid by another funder."
    # Planned → cancelled too; a cancelled or paid tranche cannot be cancelled (a second click).
    disbursement_cancel(disbursement=tranche(initiative, 2), actor=secretary, reason="Ended.")
    with pytest.raises(TransitionNotAllowed):
        disbursement_cancel(disbursement=tranche(initiative, 2), actor=secretary, reason="Again")
    assert tranche(initiative, 2).history.filter(to_status="cancelled").count() == 1


def test_a_paid_tranche_cannot_be_cancelled(initiative, secretary):
    pay(tranche(initiative, 1), secretary)
    with pytest.raises(TransitionNotAllowed):
        disbursement_cancel(disbursement=tranche(initiative, 1), actor=secretary, reason="Oops")


def test_the_back_office_cancels_tranches_with_a_reason(client, initiative, secretary):
    client.force_login(secretary)
    url = reverse("admin:grants_disbursement_changelist")
    selected = {"action": "cancel_tranches", "_selected_action": [tranche(initiative, 2).pk]}
    page = client.post(url, selected)
    assert "Reason for cancelling" in page.content.decode()
    client.post(url, {**selected, "apply": "1", "comment": "Grant reduced."})
    assert tranche(initiative, 2).status == D.CANCELLED


# --- termination ------------------------------------------------------------------------------


@pytest.mark.parametrize("reach", ["awarded", "workplan_approved", "active"])
def test_the_secretariat_terminates_a_running_grant(secretary, verifier, reach):
    edition = plan(open_edition(), ("50", "workplan"), ("50", "final"))
    initiative = award(secretary, edition)
    if reach != "awarded":
        initiative = approve_workplan(initiative, secretary)
    if reach == "active":
        initiative = activate(initiative)
    member = grantee(initiative)
    terminated = initiative_terminate(
        initiative=initiative, actor=secretary, reason="The organisation closed."
    )
    assert terminated.status == I.TERMINATED
    change = initiative.history.filter(workflow="initiative").order_by("-pk").first()
    assert (change.from_status, change.to_status, change.actor, change.comment) == (
        reach,
        "terminated",
        secretary,
        "The organisation closed.",
    )
    # Its planned and payable tranches are cancelled, with the reason.
    assert set(initiative.disbursements.values_list("status", "cancel_reason")) == {
        (D.CANCELLED, "The organisation closed.")
    }
    assert Notification.objects.filter(kind="initiative_terminated", recipient=member).exists()


def test_termination_keeps_paid_tranches(initiative, secretary):
    pay(tranche(initiative, 1), secretary)
    initiative_terminate(initiative=initiative, actor=secretary, reason="Fraud.")
    assert tranche(initiative, 1).status == D.PAID
    assert tranche(initiative, 2).status == D.CANCELLED


def test_only_the_secretariat_terminates_with_a_reason_and_once(initiative, secretary):
    with pytest.raises(TransitionNotAllowed):
        initiative_terminate(initiative=initiative, actor=grantee(initiative), reason="We stop.")
    with pytest.raises(InitiativeError, match="reason"):
        initiative_terminate(initiative=initiative, actor=secretary, reason=" ")
    assert status(initiative) == I.WORKPLAN_APPROVED
    initiative_terminate(initiative=initiative, actor=secretary, reason="Closed.")
    with pytest.raises(TransitionNotAllowed):  # a second click
        initiative_terminate(initiative=initiative, actor=secretary, reason="Closed.")
    assert initiative.history.filter(to_status="terminated").count() == 1


def test_a_completed_grant_cannot_be_terminated(initiative, secretary):
    activate(initiative)
    pay(tranche(initiative, 1), secretary)
    accept_final_report(initiative, secretary)
    pay(tranche(initiative, 2), secretary)
    with pytest.raises(TransitionNotAllowed):
        initiative_terminate(initiative=initiative, actor=secretary, reason="Late.")


@pytest.mark.parametrize("closed", ["terminated", "completed"])
def test_reports_of_closed_grants_are_not_reminded(initiative, secretary, closed):
    report = initiative.reports.get(kind="interim")
    today = report.due_on - datetime.timedelta(days=2)  # due in two days: a reminder is due
    if closed == "terminated":
        initiative_terminate(initiative=initiative, actor=secretary, reason="Closed.")
    else:
        activate(initiative)
        pay(tranche(initiative, 1), secretary)
        accept_final_report(initiative, secretary)
        pay(tranche(initiative, 2), secretary)
        assert status(initiative) == I.COMPLETED
    reminders_send(today=today)
    assert not Reminder.objects.filter(report=report).exists()


def test_reports_of_running_grants_are_reminded(initiative):
    report = initiative.reports.get(kind="interim")
    reminders_send(today=report.due_on - datetime.timedelta(days=2))
    assert Reminder.objects.filter(report=report).exists()


def test_the_back_office_terminates_with_a_reason(client, initiative, secretary):
    client.force_login(secretary)
    url = reverse("admin:grants_initiative_changelist")
    selected = {"action": "terminate_initiatives", "_selected_action": [initiative.pk]}
    assert "Reason for terminating" in client.post(url, selected).content.decode()
    empty = client.post(url, {**selected, "apply": "1", "comment": ""})
    assert empty.status_code == 200 and status(initiative) == I.WORKPLAN_APPROVED
    client.post(url, {**selected, "apply": "1", "comment": "Closed."})
    assert status(initiative) == I.TERMINATED


# --- extension --------------------------------------------------------------------------------


def test_an_extension_moves_the_end_the_reports_and_their_tranches(initiative, secretary):
    member = grantee(initiative)
    interim = initiative.reports.get(kind="interim")
    final = initiative.reports.get(kind="final")
    old_end = initiative.period_end
    second = tranche(initiative, 2)
    assert second.due_on == final.due_on
    new_end = old_end + datetime.timedelta(days=60)
    extension = initiative_extend(
        initiative=initiative, actor=secretary, new_end=new_end, reason="Elections."
    )
    assert (extension.old_end, extension.new_end, extension.reason, extension.actor) == (
        old_end,
        new_end,
        "Elections.",
        secretary,
    )
    assert Initiative.objects.get(pk=initiative.pk).period_end == new_end
    moved_final = initiative.reports.get(kind="final")
    assert moved_final.due_on == final.due_on + datetime.timedelta(days=60)
    assert moved_final.period_end == new_end
    assert initiative.reports.get(kind="interim").due_on == interim.due_on + datetime.timedelta(
        days=60
    )
    assert tranche(initiative, 2).due_on == moved_final.due_on
    # The payable tranche (paid on the workplan) keeps its date.
    assert tranche(initiative, 1).due_on == initiative.awarded_on
    told = Notification.objects.get(kind="initiative_extended", recipient=member)
    assert told.context["new_end"] == new_end.isoformat()


def test_an_extension_leaves_submitted_reports_alone(initiative, secretary):
    final = accept_final_report(initiative, secretary)
    initiative_extend(
        initiative=initiative,
        actor=secretary,
        new_end=initiative.period_end + datetime.timedelta(days=10),
        reason="Late activity.",
    )
    final.refresh_from_db()
    assert final.due_on == initiative.reports.get(kind="final").due_on
    assert final.period_end == initiative.period_end


def test_an_extension_must_move_the_end_later_with_a_reason_by_the_secretariat(
    initiative, secretary
):
    end = initiative.period_end
    for new_end in (end, end - datetime.timedelta(days=1), None):
        with pytest.raises(InitiativeError, match="after the current one"):
            initiative_extend(initiative=initiative, actor=secretary, new_end=new_end, reason="X")
    later = end + datetime.timedelta(days=5)
    with pytest.raises(InitiativeError, match="reason"):
        initiative_extend(initiative=initiative, actor=secretary, new_end=later, reason="")
    with pytest.raises(TransitionNotAllowed):
        initiative_extend(
            initiative=initiative, actor=grantee(initiative), new_end=later, reason="X"
        )
    assert not InitiativeExtension.objects.exists()
    assert Initiative.objects.get(pk=initiative.pk).period_end == end


def test_a_terminated_grant_cannot_be_extended(initiative, secretary):
    initiative_terminate(initiative=initiative, actor=secretary, reason="Closed.")
    with pytest.raises(InitiativeError, match="no longer be extended"):
        initiative_extend(
            initiative=initiative,
            actor=secretary,
            new_end=initiative.period_end + datetime.timedelta(days=5),
            reason="X",
        )


def test_the_back_office_extends_a_grant(client, initiative, secretary):
    client.force_login(secretary)
    url = reverse("admin:grants_initiative_changelist")
    selected = {"action": "extend_initiatives", "_selected_action": [initiative.pk]}
    page = client.post(url, selected).content.decode()
    assert 'name="new_end"' in page and 'name="reason"' in page
    too_early = client.post(
        url,
        {**selected, "apply": "1", "new_end": initiative.period_end.isoformat(), "reason": "X"},
        follow=True,
    )
    assert "after the current one" in too_early.content.decode()
    new_end = initiative.period_end + datetime.timedelta(days=30)
    client.post(url, {**selected, "apply": "1", "new_end": new_end.isoformat(), "reason": "X"})
    assert Initiative.objects.get(pk=initiative.pk).period_end == new_end
    change = client.get(reverse("admin:grants_initiative_change", args=[initiative.pk]))
    assert 'id="extensions-group"' in change.content.decode()


def test_amounts_stay_in_cents_after_a_plan_of_thirds(secretary):
    edition = plan(open_edition(), ("33.33", "signature"), ("33.33", "interim"), ("33.34", "final"))
    initiative = award(secretary, edition)
    amounts = list(initiative.disbursements.order_by("tranche").values_list("amount", flat=True))
    assert amounts == [Decimal("1499.85"), Decimal("1499.85"), Decimal("1500.30")]
