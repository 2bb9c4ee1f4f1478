"""Recording a payment (amount sent, currency, exchange rate, fees, reference) to verified bank
details only, by the secretariat, once; the grantee confirms what it received, and a difference
beyond the tolerance is flagged for the secretariat."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from core.workflow import TransitionNotAllowed
from grants.errors import PaymentError
from grants.models import Disbursement
from grants.services import (
    disbursement_confirm_received,
    disbursements_release,
)
from grants.workflow import DisbursementStatus
from notifications.models import Notification
from organisations.models import Membership, PayeeDetails
from organisations.services import payee_details_save
from tests.factories import InitiativeFactory, UserFactory
from tests.grants.factories import secretariat_user
from tests.grants.lifecycle import PAYEE, pay, verified_details

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


@pytest.fixture
def secretariat():
    return secretariat_user("sam@example.org")


@pytest.fixture
def verifier():
    return secretariat_user("vera@example.org")


@pytest.fixture
def member(tranche):
    user = UserFactory(language="fr")
    Membership.objects.create(
        user=user, organisation=tranche.initiative.lead_organisation, role="admin"
    )
    return user


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
def payable(tranche, member, verifier):
    """The tranche payable, to bank details the organisation entered and a second person
    verified."""
    verified_details(tranche.initiative.lead_organisation, entered_by=member, verifier=verifier)
    disbursements_release(initiative=tranche.initiative, condition=tranche.condition)
    tranche.refresh_from_db()
    return tranche


def test_a_payment_records_what_was_sent_and_the_members_are_told(
    payable, secretariat, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        paid = pay(
            payable,
            secretariat,
            amount_sent=Decimal("3220.00"),
            currency="eur",
            exchange_rate=Decimal("0.92"),
            fees=Decimal("12.50"),
            reference="Wire 2023-118",
        )
    assert paid.status == DisbursementStatus.PAID
    assert (paid.paid_on, paid.reference, paid.recorded_by) == (TODAY, "Wire 2023-118", secretariat)
    assert (paid.amount_sent, paid.sent_currency, paid.exchange_rate, paid.fees) == (
        Decimal("3220.00"),
        "EUR",
        Decimal("0.92"),
        Decimal("12.50"),
    )
    assert paid.payee.account_holder == "Acción Andina" and paid.payee.is_verified
    change = paid.history.order_by("-pk").first()
    assert (change.from_status, change.to_status, change.actor) == ("payable", "paid", secretariat)
    notification = Notification.objects.get(kind="disbursement_paid")
    assert notification.recipient == member and notification.language == "fr"
    assert notification.context["amount"] == "3220.00" and notification.context["currency"] == "EUR"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [member.email]
    assert f"/fr/portal/payments/{paid.pk}/received/" in mail.outbox[0].body


def test_no_payment_without_verified_bank_details(tranche, secretariat, member, verifier):
    disbursements_release(initiative=tranche.initiative, condition=tranche.condition)
    with pytest.raises(PaymentError, match="has not given its bank details"):
        pay(tranche, secretariat)
    organisation = tranche.initiative.lead_organisation
    verified_details(organisation, entered_by=member, verifier=verifier)
    # Changed since the verification: refused again until verified again.
    verified = PayeeDetails.objects.get(organisation=organisation)
    payee_details_save(
        organisation=organisation,
        actor=member,
        values={**PAYEE, "bank_name": "Banco Nuevo"},
        read_version=verified.version,
    )
    with pytest.raises(PaymentError, match="not verified yet"):
        pay(tranche, secretariat)
    tranche.refresh_from_db()
    assert tranche.status == DisbursementStatus.PAYABLE and tranche.paid_on is None


def test_a_planned_tranche_cannot_be_paid(tranche, secretariat, member, verifier):
    verified_details(tranche.initiative.lead_organisation, entered_by=member, verifier=verifier)
    with pytest.raises(TransitionNotAllowed):
        pay(tranche, secretariat)
    tranche.refresh_from_db()
    assert tranche.status == DisbursementStatus.PLANNED and tranche.paid_on is None


def test_only_the_secretariat_records_payments(payable, member):
    with pytest.raises(TransitionNotAllowed):
        pay(payable, member)
    payable.refresh_from_db()
    assert payable.status == DisbursementStatus.PAYABLE


def test_paying_twice_has_one_effect(payable, secretariat):
    pay(payable, secretariat)
    with pytest.raises(TransitionNotAllowed):
        pay(payable, secretariat)
    assert payable.history.filter(to_status="paid").count() == 1
    assert Notification.objects.filter(kind="disbursement_paid").count() == 1


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"amount_sent": Decimal("0")}, "amount_sent", "more than zero"),
        ({"amount_sent": Decimal("-5")}, "amount_sent", "more than zero"),
        ({"amount_sent": None}, "amount_sent", "Give the amount"),
        ({"currency": "EUR", "exchange_rate": Decimal("0")}, "exchange_rate", "more than zero"),
        ({"currency": "EUR", "exchange_rate": Decimal("-1")}, "exchange_rate", "more than zero"),
        ({"exchange_rate": Decimal("0.9")}, "exchange_rate", "the exchange rate is 1"),
        ({"fees": Decimal("-1")}, "fees", "cannot be negative"),
        ({"currency": "dollars"}, "currency", "three-letter"),
        ({"paid_on": TODAY + datetime.timedelta(days=3)}, "paid_on", "future"),
    ],
)
def test_bad_payments_are_refused_with_a_message(payable, secretariat, values, field, message):
    with pytest.raises(PaymentError) as error:
        pay(payable, secretariat, **values)
    assert message in error.value.errors[field]
    payable.refresh_from_db()
    assert payable.status == DisbursementStatus.PAYABLE and payable.amount_sent is None


def test_fees_may_be_zero(payable, secretariat):
    assert pay(payable, secretariat, fees=Decimal("0")).fees == Decimal("0")


# --- the back office's page --------------------------------------------------------------------

URL = "/en/admin/grants/disbursement/"


def form_data(tranche, **values) -> dict:
    data = {
        "action": "record_payments",
        "_selected_action": [tranche.pk],
        "apply": "1",
        "payments-TOTAL_FORMS": "1",
        "payments-INITIAL_FORMS": "1",
        "payments-0-disbursement": str(tranche.pk),
        "payments-0-paid_on": TODAY.isoformat(),
        "payments-0-amount_sent": "3220.00",
        "payments-0-currency": "EUR",
        "payments-0-exchange_rate": "0.92",
        "payments-0-fees": "12.50",
        "payments-0-reference": "Wire 2023-118",
    }
    data.update({f"payments-0-{name}": value for name, value in values.items()})
    return data


def test_the_secretariat_records_a_payment_on_its_page(client, payable, secretariat):
    client.force_login(secretariat)
    page = client.post(URL, {"action": "record_payments", "_selected_action": [payable.pk]})
    content = page.content.decode()
    assert page.status_code == 200
    for name in ("amount_sent", "currency", "exchange_rate", "fees", "reference", "paid_on"):
        assert f'name="payments-0-{name}"' in content
    assert "•••• 3000" in content  # the bank details it goes to, masked
    done = client.post(URL, form_data(payable))
    assert done.status_code == 302
    payable.refresh_from_db()
    assert payable.status == DisbursementStatus.PAID
    assert (payable.amount_sent, payable.exchange_rate, payable.fees) == (
        Decimal("3220.00"),
        Decimal("0.92"),
        Decimal("12.50"),
    )
    # A second click: one effect, and a message.
    again = client.post(URL, form_data(payable), follow=True)
    assert "None of the selected tranches is payable" in again.content.decode()
    assert payable.history.filter(to_status="paid").count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("amount_sent", "-10", "more than zero"),
        ("exchange_rate", "0", "more than zero"),
        ("fees", "-1", "cannot be negative"),
        ("amount_sent", "lots", "Enter a number"),
    ],
)
def test_bad_values_on_the_page_show_messages_and_record_nothing(
    client, payable, secretariat, field, value, message
):
    client.force_login(secretariat)
    response = client.post(URL, form_data(payable, **{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    payable.refresh_from_db()
    assert payable.status == DisbursementStatus.PAYABLE


def test_the_page_refuses_without_verified_details_with_a_message(client, tranche, secretariat):
    disbursements_release(initiative=tranche.initiative, condition=tranche.condition)
    client.force_login(secretariat)
    page = client.post(URL, {"action": "record_payments", "_selected_action": [tranche.pk]})
    assert "has not given its bank details" in page.content.decode()
    response = client.post(URL, form_data(tranche), follow=True)
    assert "has not given its bank details" in response.content.decode()
    tranche.refresh_from_db()
    assert tranche.status == DisbursementStatus.PAYABLE


# --- the amount received ---------------------------------------------------------------------


def paid_in_euros(payable, secretariat):
    return pay(
        payable,
        secretariat,
        amount_sent=Decimal("3220.00"),
        currency="EUR",
        exchange_rate=Decimal("0.92"),
        fees=Decimal("12.50"),
    )


def confirm(tranche, member, amount, currency="EUR"):
    return disbursement_confirm_received(
        disbursement=tranche,
        actor=member,
        amount=Decimal(amount),
        currency=currency,
        received_on=TODAY,
    )


def test_an_amount_within_the_tolerance_is_not_flagged(payable, secretariat, member):
    paid = paid_in_euros(payable, secretariat)
    confirmed = confirm(paid, member, "3180.00")  # 1.2 % less: within 2 %
    assert confirmed.amount_received == Decimal("3180.00")
    assert confirmed.received_confirmed_by == member and confirmed.received_confirmed_at
    assert not confirmed.has_received_difference
    assert not Notification.objects.filter(kind="payment_received_difference").exists()


def test_a_difference_beyond_the_tolerance_is_flagged_and_the_secretariat_told(
    payable, secretariat, member
):
    paid = paid_in_euros(payable, secretariat)
    confirmed = confirm(paid, member, "3100.00")  # 3.7 % less
    assert confirmed.has_received_difference
    told = Notification.objects.get(kind="payment_received_difference", recipient=secretariat)
    assert told.context["amount_received"] == "3100.00"
    assert f"/admin/grants/disbursement/{paid.pk}/change/" in told.path


def test_the_tolerance_is_a_setting(payable, secretariat, member, settings):
    settings.PAYMENT_RECEIVED_TOLERANCE_PERCENT = Decimal("5")
    paid = paid_in_euros(payable, secretariat)
    assert not confirm(paid, member, "3100.00").has_received_difference


def test_the_grant_currency_is_compared_with_the_tranche_and_another_is_flagged(
    payable, secretariat, member
):
    paid = paid_in_euros(payable, secretariat)
    assert not confirm(paid, member, "3480.00", currency="USD").has_received_difference
    Disbursement.objects.filter(pk=paid.pk).update(received_confirmed_at=None)
    paid.refresh_from_db()
    assert confirm(paid, member, "4000000", currency="COP").has_received_difference


def test_the_amount_received_is_confirmed_once_by_a_member(payable, secretariat, member):
    with pytest.raises(PaymentError, match="not been paid"):
        confirm(payable, member, "3220.00")
    paid = paid_in_euros(payable, secretariat)
    with pytest.raises(PaymentError, match="Only members"):
        confirm(paid, UserFactory(), "3220.00")
    with pytest.raises(PaymentError) as error:
        confirm(paid, member, "-3")
    assert "more than zero" in error.value.errors["amount"]
    confirm(paid, member, "3220.00")
    with pytest.raises(PaymentError, match="confirmed already"):
        confirm(paid, member, "3000.00")
    paid.refresh_from_db()
    assert paid.amount_received == Decimal("3220.00")


def test_the_back_office_lists_flagged_payments_with_a_filter(client, payable, secretariat, member):
    confirm(paid_in_euros(payable, secretariat), member, "3000.00")
    client.force_login(secretariat)
    flagged = client.get(URL, {"has_received_difference__exact": "1"}).content.decode()
    assert "Art Speaks Justice" in flagged
    fine = client.get(URL, {"has_received_difference__exact": "0"}).content.decode()
    assert "Art Speaks Justice" not in fine


# --- the amount received, in the portal --------------------------------------------------------


def received_url(tranche) -> str:
    return reverse("portal:payment_received", kwargs={"pk": tranche.pk})


def test_a_member_confirms_the_amount_in_the_portal(client, payable, secretariat, member):
    paid = paid_in_euros(payable, secretariat)
    client.force_login(member)
    page = client.get(received_url(paid)).content.decode()
    assert 'name="amount"' in page and 'value="3220.00"' in page
    data = {"amount": "3000.00", "currency": "EUR", "received_on": TODAY.isoformat()}
    response = client.post(received_url(paid), data, follow=True)
    assert "differs from what was sent" in response.content.decode()
    paid.refresh_from_db()
    assert paid.amount_received == Decimal("3000.00") and paid.has_received_difference
    # A second submission: one effect, and a message.
    again = client.post(received_url(paid), {**data, "amount": "3220.00"}, follow=True)
    assert "confirmed already" in again.content.decode()
    paid.refresh_from_db()
    assert paid.amount_received == Decimal("3000.00")


def test_bad_amounts_in_the_portal_show_a_message(client, payable, secretariat, member):
    paid = paid_in_euros(payable, secretariat)
    client.force_login(member)
    data = {"amount": "-1", "currency": "EUR", "received_on": TODAY.isoformat()}
    response = client.post(received_url(paid), data)
    assert response.status_code == 200
    assert "more than zero" in response.content.decode()
    paid.refresh_from_db()
    assert paid.amount_received is None


def test_another_organisation_gets_a_404(client, payable, secretariat):
    paid = paid_in_euros(payable, secretariat)
    outsider = UserFactory()
    Membership.objects.create(user=outsider, organisation=InitiativeFactory().lead_organisation)
    client.force_login(outsider)
    assert client.get(received_url(paid)).status_code == 404
    data = {"amount": "1", "currency": "EUR", "received_on": TODAY.isoformat()}
    assert client.post(received_url(paid), data).status_code == 404
    paid.refresh_from_db()
    assert paid.amount_received is None
