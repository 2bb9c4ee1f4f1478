"""Decisions: approving awards the grant (initiative, lines of action, reports, payments),
declining tells the applicant why; one by one or in batch, all or nothing."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from grants import services
from grants.errors import DecisionError
from grants.models import Application, Disbursement, Initiative
from grants.workflow import ApplicationStatus, InitiativeStatus
from notifications.models import Notification
from programme.models import ReportingDeadline, TranchePlanLine
from reports.models import Report

from .factories import applicant, open_edition, secretariat_user, under_review

pytestmark = pytest.mark.django_db

A = ApplicationStatus


@pytest.fixture
def edition():
    return open_edition()


@pytest.fixture
def secretary():
    return secretariat_user()


def approve(application, secretary, amount="4800", **extra):
    return services.application_approve(
        application=application,
        actor=secretary,
        amount=Decimal(amount),
        period_start=extra.pop("period_start", datetime.date(2026, 7, 1)),
        period_end=extra.pop("period_end", datetime.date(2027, 6, 30)),
        **extra,
    )


def test_approving_creates_the_initiative_ready_to_publish(edition, secretary):
    application = under_review(edition, secretary, language="es", title="Reducción de daños")
    initiative = approve(application, secretary, message="Congratulations.")

    application.refresh_from_db()
    assert application.status == A.APPROVED
    assert application.decided_at is not None
    assert initiative.application == application
    assert initiative.edition == edition
    assert initiative.lead_organisation == application.organisation
    assert initiative.status == InitiativeStatus.AWARDED
    assert not initiative.is_published
    assert initiative.amount_awarded == Decimal("4800")
    assert initiative.currency == "USD"
    assert (initiative.period_start, initiative.period_end) == (
        datetime.date(2026, 7, 1),
        datetime.date(2027, 6, 30),
    )
    assert sorted(c.code for c in initiative.countries) == ["BO", "PE"]
    assert initiative.places == "La Paz, Cusco"
    assert list(initiative.themes.all()) == list(application.themes.all())
    # The applicant's texts, stored in the language they wrote them in.
    assert initiative.original_language == "es"
    assert initiative.title_es == "Reducción de daños"
    assert initiative.expected_results_es == "Forty trained peers."
    with translation.override("fr"):
        assert initiative.title == "Reducción de daños"  # falls back to the original
    assert initiative.slug == "reduccion-de-danos"
    lines = list(initiative.lines_of_action.order_by("order"))
    assert [(line.title_es, line.description_es) for line in lines] == [
        ("Peer workshops", "Six workshops."),
        ("Campaign", "Posters and radio."),
    ]
    history = application.history.first()
    assert (history.to_status, history.comment, history.actor) == (
        A.APPROVED,
        "Congratulations.",
        secretary,
    )


def test_payments_follow_the_editions_split_and_add_up(edition, secretary):
    # No plan of its own: the default, 70 % on signature and 30 % on the final report.
    initiative = approve(under_review(edition, secretary), secretary, amount="4333.33")
    tranches = list(initiative.disbursements.order_by("tranche"))
    assert [(t.tranche, t.amount, t.condition, t.status) for t in tranches] == [
        (1, Decimal("3033.33"), Disbursement.Condition.ON_SIGNATURE, "planned"),
        (2, Decimal("1300.00"), Disbursement.Condition.FINAL_ACCEPTED, "planned"),
    ]
    assert sum(t.amount for t in tranches) == initiative.amount_awarded
    final = initiative.reports.get(kind="final")
    assert tranches[1].due_on == final.due_on


def test_one_tranche_at_a_hundred_percent(edition, secretary):
    TranchePlanLine.objects.create(edition=edition, percent=100, condition="signature")
    initiative = approve(under_review(edition, secretary), secretary)
    assert list(initiative.disbursements.values_list("amount", flat=True)) == [Decimal("4800")]


def test_reports_are_scheduled_from_the_editions_deadlines(edition, secretary):
    ReportingDeadline.objects.create(
        edition=edition,
        kind="interim",
        period_start=datetime.date(2026, 7, 1),
        period_end=datetime.date(2026, 12, 31),
        due_on=datetime.date(2027, 1, 15),
    )
    ReportingDeadline.objects.create(
        edition=edition,
        kind="final",
        period_start=datetime.date(2026, 7, 1),
        period_end=datetime.date(2027, 6, 30),
        due_on=datetime.date(2027, 7, 31),
    )
    initiative = approve(under_review(edition, secretary), secretary)
    assert list(
        Report.objects.filter(initiative=initiative).values_list("kind", "due_on", "status")
    ) == [
        ("interim", datetime.date(2027, 1, 15), "scheduled"),
        ("final", datetime.date(2027, 7, 31), "scheduled"),
    ]
    assert initiative.disbursements.get(tranche=2).due_on == datetime.date(2027, 7, 31)


@pytest.mark.parametrize("amount", ["3999.99", "5000.01"])
def test_amount_outside_the_range_is_refused(edition, secretary, amount):
    application = under_review(edition, secretary)
    with pytest.raises(DecisionError, match="must be between"):
        approve(application, secretary, amount=amount)
    application.refresh_from_db()
    assert application.status == A.UNDER_REVIEW
    assert not Initiative.objects.exists()


def test_period_must_be_in_order(edition, secretary):
    application = under_review(edition, secretary)
    with pytest.raises(DecisionError, match="period"):
        approve(
            application,
            secretary,
            period_start=datetime.date(2027, 1, 1),
            period_end=datetime.date(2026, 1, 1),
        )


def test_no_more_grants_than_the_edition_gives(edition, secretary):
    edition.max_grants = 1
    edition.save()
    approve(under_review(edition, secretary), secretary)
    second = under_review(edition, secretary)
    with pytest.raises(DecisionError, match="1 grants at most"):
        approve(second, secretary)
    assert Initiative.objects.count() == 1


def test_declining_needs_a_message_and_notifies(
    edition, secretary, django_capture_on_commit_callbacks
):
    application = under_review(edition, secretary)
    with pytest.raises(DecisionError):
        services.application_decline(application=application, actor=secretary, message=" ")
    with django_capture_on_commit_callbacks(execute=True):
        services.application_decline(
            application=application, actor=secretary, message="Strong, but outside our focus."
        )
    application.refresh_from_db()
    assert application.status == A.DECLINED
    notification = Notification.objects.get(kind="application_decision")
    assert notification.recipient == applicant(application)
    assert notification.context == {
        "title": application.title,
        "organisation": application.organisation.name,
        "decision": "declined",
        "amount": "",
        "currency": "",
        "message": "Strong, but outside our focus.",
    }
    assert notification.status == Notification.Status.SENT


def test_approval_notification_context(edition, secretary):
    application = under_review(edition, secretary)
    approve(application, secretary, amount="4800", message="Welcome.")
    notification = Notification.objects.get(kind="application_decision")
    assert notification.key == f"application:{application.pk}:decision"
    assert notification.context == {
        "title": application.title,
        "organisation": application.organisation.name,
        "decision": "approved",
        "amount": "4800.00",
        "currency": "USD",
        "message": "Welcome.",
    }


def test_batch_is_all_or_nothing(edition, secretary):
    good = under_review(edition, secretary)
    declined = under_review(edition, secretary)
    bad = under_review(edition, secretary)
    decisions = [
        services.Decision(good, True, Decimal("4500"), edition.period_start, edition.period_end),
        services.Decision(declined, False, message="Sorry."),
        services.Decision(bad, True, Decimal("9000"), edition.period_start, edition.period_end),
    ]
    with pytest.raises(DecisionError, match="Nothing was decided"):
        services.applications_decide(decisions=decisions, actor=secretary)
    assert set(Application.objects.values_list("status", flat=True)) == {A.UNDER_REVIEW}
    assert not Initiative.objects.exists()
    assert not Notification.objects.filter(kind="application_decision").exists()

    decisions[2] = services.Decision(bad, False, message="Over budget.")
    services.applications_decide(decisions=decisions, actor=secretary)
    assert dict(Application.objects.values_list("pk", "status")) == {
        good.pk: A.APPROVED,
        declined.pk: A.DECLINED,
        bad.pk: A.DECLINED,
    }
    assert Initiative.objects.get().application == good


# --- the back office pages ----------------------------------------------------------------------


def test_decide_page_in_batch(client, edition, secretary):
    first = under_review(edition, secretary, requested_amount=Decimal("4200"))
    second = under_review(edition, secretary)
    client.force_login(secretary)
    url = reverse("secretariat:decide")
    page = client.get(url, {"ids": f"{first.pk},{second.pk}"})
    assert page.status_code == 200
    content = page.content.decode()
    assert first.title in content and 'value="4200.00"' in content
    data = {
        "decisions-TOTAL_FORMS": "2",
        "decisions-INITIAL_FORMS": "2",
        "decisions-0-application": first.pk,
        "decisions-0-decision": "approve",
        "decisions-0-amount": "4200",
        "decisions-0-period_start": "2026-07-01",
        "decisions-0-period_end": "2027-06-30",
        "decisions-0-message": "",
        "decisions-1-application": second.pk,
        "decisions-1-decision": "decline",
        "decisions-1-message": "",
    }
    # Declining without a message: refused, nothing decided, what was typed is shown again.
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Required to decline" in response.content.decode()
    assert 'value="4200"' in response.content.decode()
    assert set(Application.objects.values_list("status", flat=True)) == {A.UNDER_REVIEW}

    response = client.post(url, {**data, "decisions-1-message": "Not this time."})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("secretariat:ranking"))
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (A.APPROVED, A.DECLINED)
    assert Initiative.objects.get().amount_awarded == Decimal("4200")


def test_decide_page_shows_a_refused_decision(client, edition, secretary):
    application = under_review(edition, secretary)
    client.force_login(secretary)
    response = client.post(
        reverse("secretariat:decide"),
        {
            "decisions-TOTAL_FORMS": "1",
            "decisions-INITIAL_FORMS": "1",
            "decisions-0-application": application.pk,
            "decisions-0-decision": "approve",
            "decisions-0-amount": "9000",
            "decisions-0-period_start": "2026-07-01",
            "decisions-0-period_end": "2027-06-30",
        },
        follow=True,
    )
    content = response.content.decode()
    assert "Nothing was decided" in content
    assert 'value="9000"' in content
    application.refresh_from_db()
    assert application.status == A.UNDER_REVIEW


def test_new_initiative_appears_in_the_back_office_unpublished(client, edition, secretary):
    initiative = approve(under_review(edition, secretary), secretary)
    client.force_login(secretary)
    page = client.get(reverse("admin:grants_initiative_changelist"))
    assert initiative.title in page.content.decode()
    change = client.get(reverse("admin:grants_initiative_change", args=[initiative.pk]))
    assert change.status_code == 200
    assert 'name="is_published"' in change.content.decode()


def test_reviewers_cannot_reach_the_decision_pages(client, edition, secretary):
    from .factories import reviewer_user

    reviewer = reviewer_user("panel@example.org", is_staff=True)
    client.force_login(reviewer)
    for name in ("ranking", "decide", "assign", "screen", "more_info"):
        response = client.get(reverse(f"secretariat:{name}"))
        assert response.status_code == 404, name
