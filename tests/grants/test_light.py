"""The light track's services: applying within the ceiling, duplicates, bulk decisions in the
applicant's language, verified bank details, the payment file, paying once, the bank's return
file, the one-page report and its reminders; bulk steps in a fixed number of queries."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from core.money import format_money
from core.staff import is_secretariat
from grants.errors import LightError
from grants.models import LightApplication, LightStatusChange
from grants.services.light import (
    light_accept_agreement,
    light_decide,
    light_payment_file,
    light_record_paid,
    light_record_return_file,
    light_report_accept,
    light_report_submit,
    light_send_report_reminders,
    light_update_payee,
    light_verify_payees,
    payment_file_content,
)
from grants.workflow import LightPaymentStatus, LightReportStatus, LightStatus
from notifications.models import Notification
from notifications.services.sending import render_notification
from tests.grants.factories import secretariat_user
from tests.grants.light import (
    PNG,
    form_data,
    layout,
    light_edition,
    many_received,
    reason,
    received,
    refresh,
)

pytestmark = pytest.mark.django_db


def ready_to_pay(edition, secretary, count: int, start: int = 0) -> list[int]:
    """Approved, agreement accepted, bank details verified."""
    ids = many_received(edition, count, start)
    light_decide(ids=ids, actor=secretary, approve=True)
    for pk in ids:
        light_accept_agreement(application=refresh(pk))
    light_verify_payees(ids=ids, actor=secretary)
    return ids


def return_file(rows, **overrides) -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["reference", "bank_reference", "paid_on", "exchange_rate", "fees"])
    for row in rows:
        values = {
            "reference": row.reference,
            "bank_reference": f"BNK-{row.pk}",
            "paid_on": timezone.localdate().isoformat(),
            "exchange_rate": "1",
            "fees": "2.50",
        }
        values.update(overrides)
        writer.writerow([values[k] for k in ("reference", "bank_reference", "paid_on",
                                             "exchange_rate", "fees")])  # fmt: skip
    return SimpleUploadedFile("return.csv", out.getvalue().encode(), content_type="text/csv")


def test_an_application_over_the_ceiling_is_refused_with_the_ceiling_in_the_persons_format():
    edition = light_edition(grant_maximum=Decimal("1500"))
    with translation.override("fr"):
        with pytest.raises(LightError) as refused:
            received(edition, amount=Decimal("1600"))
        ceiling = format_money(Decimal("1500"), "USD")
    assert ceiling in refused.value.errors["amount"]
    assert ceiling != "1500\xa0USD"  # grouped the French way
    assert not LightApplication.objects.exists()


def test_an_address_cannot_pile_up_unconfirmed_applications():
    from grants.services.light import MAX_UNCONFIRMED, light_apply

    edition = light_edition()
    for n in range(MAX_UNCONFIRMED):
        light_apply(edition=edition, email="x@example.org", language="en", data=form_data(n))
    with pytest.raises(LightError) as refused:
        light_apply(edition=edition, email="X@example.org", language="en", data=form_data(9))
    assert "email" in refused.value.errors
    assert LightApplication.objects.count() == MAX_UNCONFIRMED


def test_a_full_track_edition_takes_no_one_page_application():
    edition = light_edition(track="full")
    with pytest.raises(LightError):
        received(edition)


def test_confirming_sends_the_application_to_the_list_once_and_flags_duplicates():
    edition = light_edition()
    first = received(edition, 1, email="same@example.org")
    assert first.status == LightStatus.RECEIVED and not first.is_duplicate
    second = received(edition, 1, email="SAME@example.org")
    other = received(edition, 2, email="same@example.org")
    assert second.is_duplicate and refresh(first.pk).is_duplicate
    assert not refresh(other.pk).is_duplicate  # another group from the same address
    history = list(LightStatusChange.objects.filter(application=first))
    assert [(h.from_status, h.to_status) for h in history] == [("unconfirmed", "received")]


def test_bulk_decisions_plan_the_payment_and_report_and_write_in_the_applicants_language():
    edition = light_edition()
    secretary = secretariat_user()
    approved = many_received(edition, 3)
    declined = many_received(edition, 2, start=3)
    assert light_decide(ids=approved, actor=secretary, approve=True) == 3
    assert light_decide(ids=declined, actor=secretary, approve=False, reason=reason()) == 2
    grant = refresh(approved[0])
    assert grant.status == LightStatus.APPROVED
    assert grant.payment_status == LightPaymentStatus.PAYABLE
    assert grant.report_status == LightReportStatus.DUE
    assert grant.report_due_on == grant.action_date + datetime.timedelta(days=21)
    rows = set(
        LightStatusChange.objects.filter(application_id=grant.pk).values_list(
            "workflow", "to_status", "actor"
        )
    )
    assert ("light_application", "approved", secretary.pk) in rows
    assert ("light_payment", "payable", secretary.pk) in rows
    assert ("light_report", "due", secretary.pk) in rows
    notice = Notification.objects.get(kind="light_decision", email="group3@example.org")
    subject, text, _html = render_notification(notice)
    assert notice.language == "pt"
    assert "A ação está fora do dia de ação." in text


def test_a_decided_application_cannot_be_decided_again_and_nothing_changes():
    edition = light_edition()
    secretary = secretariat_user()
    ids = many_received(edition, 2)
    light_decide(ids=ids[:1], actor=secretary, approve=True)
    with pytest.raises(LightError):
        light_decide(ids=ids, actor=secretary, approve=False, reason=reason())
    assert refresh(ids[1]).status == LightStatus.RECEIVED
    assert refresh(ids[0]).status == LightStatus.APPROVED


def test_only_the_secretariat_decides():
    from tests.factories import UserFactory

    edition = light_edition()
    ids = many_received(edition, 1)
    with pytest.raises(LightError):
        light_decide(ids=ids, actor=UserFactory(), approve=True)


def test_a_payment_file_refuses_unverified_and_changed_bank_details_before_it_is_made():
    edition = light_edition()
    secretary = secretariat_user()
    ids = ready_to_pay(edition, secretary, 3)
    unverified = received(edition, 9)
    light_decide(ids=[unverified.pk], actor=secretary, approve=True)
    light_accept_agreement(application=refresh(unverified.pk))
    with pytest.raises(LightError, match="not verified"):
        light_payment_file(ids=[*ids, unverified.pk], layout=layout(), actor=secretary)
    # The account changed after it was verified (here behind the services' back).
    LightApplication.objects.filter(pk=ids[0]).update(account_number="PT50999999999")
    with pytest.raises(LightError, match="changed since"):
        light_payment_file(ids=ids, layout=layout(), actor=secretary)
    assert not LightApplication.objects.filter(payment_status=LightPaymentStatus.IN_FILE).exists()
    # Changed through the applicant's page, the details need verifying again.
    light_update_payee(application=refresh(ids[1]), data=form_data(1, account_number="X1"))
    assert not refresh(ids[1]).is_payee_verified


def test_the_payment_file_follows_the_layout_and_a_grant_is_paid_once():
    edition = light_edition()
    secretary = secretariat_user()
    ids = ready_to_pay(edition, secretary, 2)
    chosen = layout("xlsx")
    batch = light_payment_file(ids=ids, layout=chosen, actor=secretary)
    assert (batch.lines, batch.total) == (2, Decimal("900"))
    rows = list(batch.applications.order_by("pk"))
    data = tablib.Dataset().load(payment_file_content(layout=chosen, rows=rows), format="xlsx")
    assert data.headers == [
        "Reference",
        "Account holder",
        "Account number or IBAN",
        "SWIFT/BIC",
        "Amount",
        "Currency",
    ]
    assert data[0][0] == rows[0].reference and data[0][4] == "450.00"
    with pytest.raises(LightError, match="already in a payment file"):
        light_payment_file(ids=ids[:1], layout=chosen, actor=secretary)
    light_record_paid(
        application=rows[0],
        actor=secretary,
        paid_on=timezone.localdate(),
        reference="BNK-1",
        exchange_rate=Decimal("1"),
        fees=Decimal("3"),
    )
    with pytest.raises(LightError, match="paid once"):
        light_record_paid(
            application=rows[0],
            actor=secretary,
            paid_on=timezone.localdate(),
            reference="BNK-2",
            exchange_rate=Decimal("1"),
            fees=Decimal("3"),
        )
    with pytest.raises(LightError, match="already paid"):
        light_payment_file(ids=ids[:1], layout=chosen, actor=secretary)
    assert refresh(rows[0].pk).payment_reference == "BNK-1"


def test_the_banks_return_file_records_payments_all_or_nothing():
    edition = light_edition()
    secretary = secretariat_user()
    ids = ready_to_pay(edition, secretary, 3)
    batch = light_payment_file(ids=ids, layout=layout(), actor=secretary)
    rows = list(batch.applications.order_by("pk"))
    with pytest.raises(LightError, match="Line 3"):
        light_record_return_file(
            batch=batch, upload=return_file(rows, exchange_rate="-1"), actor=secretary
        )
    assert not LightApplication.objects.filter(payment_status=LightPaymentStatus.PAID).exists()
    assert light_record_return_file(batch=batch, upload=return_file(rows), actor=secretary) == 3
    paid = refresh(rows[1].pk)
    assert (paid.payment_status, paid.payment_reference, paid.fees) == (
        LightPaymentStatus.PAID,
        f"BNK-{paid.pk}",
        Decimal("2.50"),
    )
    # The same file again: every grant is already paid, nothing is paid twice.
    with pytest.raises(LightError, match="paid once"):
        light_record_return_file(batch=batch, upload=return_file(rows), actor=secretary)
    assert Notification.objects.filter(kind="light_paid").count() == 3


def test_report_with_photo_accepted_publishes_the_consented_photo():
    edition = light_edition()
    secretary = secretariat_user()
    (pk,) = ready_to_pay(edition, secretary, 1)
    photos = [
        (SimpleUploadedFile("a.png", PNG, content_type="image/png"), "The march", True),
        (SimpleUploadedFile("b.png", PNG, content_type="image/png"), "Faces", False),
    ]
    light_report_submit(
        application=refresh(pk), text="We marched.", participants=80, link="", photos=photos
    )
    grant = light_report_accept(application=refresh(pk), actor=secretary)
    assert grant.report_status == LightReportStatus.ACCEPTED
    published = [bool(p.public_copy) for p in grant.photos.order_by("pk")]
    assert published == [True, False]
    assert grant.photos.first().public_copy.name.startswith("public/light/")


def test_a_report_photo_that_is_not_an_image_is_refused_and_nothing_is_kept():
    edition = light_edition()
    secretary = secretariat_user()
    (pk,) = ready_to_pay(edition, secretary, 1)
    pdf = SimpleUploadedFile("a.png", b"%PDF-1.4 nothing", content_type="image/png")
    with pytest.raises(LightError):
        light_report_submit(
            application=refresh(pk), text="x", participants=1, link="", photos=[(pdf, "", True)]
        )
    assert refresh(pk).report_status == LightReportStatus.DUE


def test_report_reminders_are_sent_once():
    edition = light_edition()
    secretary = secretariat_user()
    ids = many_received(edition, 2)
    light_decide(ids=ids, actor=secretary, approve=True)
    due = refresh(ids[0]).report_due_on
    assert light_send_report_reminders(today=due - datetime.timedelta(days=3)) == 2
    assert light_send_report_reminders(today=due - datetime.timedelta(days=2)) == 0
    assert light_send_report_reminders(today=due + datetime.timedelta(days=1)) == 2
    assert Notification.objects.filter(kind="light_report_reminder").count() == 4


def count_queries(step) -> int:
    with CaptureQueriesContext(connection) as queries:
        step()
    return len(queries)


def test_bulk_steps_take_the_same_number_of_queries_whatever_the_batch_size():
    edition = light_edition()
    secretary = secretariat_user()
    small, large = many_received(edition, 3), many_received(edition, 30, start=3)
    is_secretariat(secretary)  # remembered on the user for the request, as in a real one
    decide = [
        count_queries(lambda ids=ids: light_decide(ids=ids, actor=secretary, approve=True))
        for ids in (small, large)
    ]
    assert decide[0] == decide[1]
    for pk in small + large:
        light_accept_agreement(application=refresh(pk))
    verify = [
        count_queries(lambda ids=ids: light_verify_payees(ids=ids, actor=secretary))
        for ids in (small, large)
    ]
    assert verify[0] == verify[1]
    chosen = layout()
    files = [
        count_queries(lambda ids=ids: light_payment_file(ids=ids, layout=chosen, actor=secretary))
        for ids in (small, large)
    ]
    assert files[0] == files[1]
    batches = list(edition.payment_batches.order_by("pk"))
    returns = [
        count_queries(
            lambda b=b: light_record_return_file(
                batch=b, upload=return_file(list(b.applications.all())), actor=secretary
            )
        )
        for b in batches
    ]
    assert returns[0] == returns[1]
