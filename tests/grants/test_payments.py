"""Recording a payment: payable tranches only, by the secretariat, and the grantee is told."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from core.workflow import TransitionNotAllowed
from grants.errors import PaymentError
from grants.models import Disbursement
from grants.services import disbursement_mark_paid, disbursements_release
from grants.workflow import DisbursementStatus
from notifications.models import Notification
from organisations.models import Membership
from tests.factories import InitiativeFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tranche():
    initiative = InitiativeFactory(title_en="Art Speaks Justice")
    return Disbursement.objects.create(
        initiative=initiative,
        tranche=1,
        amount=Decimal("3500.00"),
        currency="USD",
        condition=Disbursement.Condition.ON_SIGNATURE,
    )


@pytest.fixture
def secretariat():
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Secretariat"))
    return user


def test_a_payable_tranche_is_paid_and_the_members_are_told(
    tranche, secretariat, django_capture_on_commit_callbacks
):
    member = UserFactory(language="fr")
    Membership.objects.create(user=member, organisation=tranche.initiative.lead_organisation)
    disbursements_release(initiative=tranche.initiative, condition=tranche.condition)
    with django_capture_on_commit_callbacks(execute=True):
        paid = disbursement_mark_paid(
            disbursement=tranche,
            actor=secretariat,
            paid_on=datetime.date.today(),
            reference="Wire 2023-118",
        )
    assert paid.status == DisbursementStatus.PAID
    assert paid.paid_on == datetime.date.today() and paid.reference == "Wire 2023-118"
    change = paid.history.order_by("-pk").first()
    assert (change.from_status, change.to_status, change.actor) == ("payable", "paid", secretariat)
    notification = Notification.objects.get(kind="disbursement_paid")
    assert notification.recipient == member and notification.language == "fr"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [member.email]
    assert "/fr/portal/" in mail.outbox[0].body


def test_a_planned_tranche_cannot_be_paid(tranche, secretariat):
    with pytest.raises(TransitionNotAllowed):
        disbursement_mark_paid(
            disbursement=tranche, actor=secretariat, paid_on=datetime.date.today()
        )
    tranche.refresh_from_db()
    assert tranche.status == DisbursementStatus.PLANNED and tranche.paid_on is None


def test_only_the_secretariat_records_payments(tranche):
    disbursements_release(initiative=tranche.initiative, condition=tranche.condition)
    member = UserFactory()
    Membership.objects.create(user=member, organisation=tranche.initiative.lead_organisation)
    with pytest.raises(TransitionNotAllowed):
        disbursement_mark_paid(disbursement=tranche, actor=member, paid_on=datetime.date.today())
    tranche.refresh_from_db()
    assert tranche.status == DisbursementStatus.PAYABLE


def test_a_payment_date_in_the_future_is_refused(tranche, secretariat):
    disbursements_release(initiative=tranche.initiative, condition=tranche.condition)
    with pytest.raises(PaymentError):
        disbursement_mark_paid(
            disbursement=tranche,
            actor=secretariat,
            paid_on=datetime.date.today() + datetime.timedelta(days=3),
        )
    tranche.refresh_from_db()
    assert tranche.status == DisbursementStatus.PAYABLE


def test_the_secretariat_records_a_payment_from_the_admin(client, tranche, secretariat):
    disbursements_release(initiative=tranche.initiative, condition=tranche.condition)
    client.force_login(secretariat)
    url = "/en/admin/grants/disbursement/"
    form = client.post(url, {"action": "record_payments", "_selected_action": [tranche.pk]})
    assert form.status_code == 200
    assert "Payment reference" in form.content.decode()
    done = client.post(
        url,
        {
            "action": "record_payments",
            "_selected_action": [tranche.pk],
            "apply": "1",
            "comment": "Wire 2023-118",
        },
    )
    assert done.status_code == 302
    tranche.refresh_from_db()
    assert tranche.status == DisbursementStatus.PAID
    assert tranche.reference == "Wire 2023-118"
    assert tranche.paid_on == datetime.date.today()
