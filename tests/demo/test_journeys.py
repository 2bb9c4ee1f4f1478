"""After ``load_demo`` every journey can be tried: an open call with applications in each status
and a review panel, a grantee with an approved workplan, reports and payments, a public site
that says what is true of each edition. Every status was reached through the services."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone, translation

from core.images import thumbnail_name
from grants.models import Agreement, Application, Initiative, Review, ReviewAssignment
from grants.services import budget_total
from notifications.models import Notification
from organisations.models import Membership
from programme.models import Edition
from reports.models import Report

from .support import REVIEWERS, load_demo

pytestmark = pytest.mark.django_db

User = get_user_model()

CALL_STATUSES = {
    "draft",
    "submitted",
    "more_info",
    "ineligible",
    "under_review",
    "shortlisted",
    "withdrawn",
}


@pytest.fixture
def open_call(demo) -> Edition:
    return Edition.objects.get(number=5)


@pytest.fixture
def grant(demo) -> Initiative:
    """The demo grantee's current grant."""
    return Initiative.objects.get(
        lead_organisation__slug="accion-andina", application__isnull=False
    )


def test_an_edition_has_its_call_open_now(open_call):
    now = timezone.now()
    today = timezone.localdate()

    assert open_call.is_published and open_call.published_at
    assert open_call.is_call_open()
    assert open_call.status == "call_open"
    assert now - datetime.timedelta(days=7) < open_call.application_opens_at < now
    assert 25 <= (open_call.call_closes_local.date() - today).days <= 35
    assert (open_call.grant_minimum, open_call.grant_maximum) == (4000, 5000)
    assert open_call.currency == "USD"
    assert open_call.themes.count() == 4
    assert [(c.name_en, c.weight) for c in open_call.criteria.all()] == [
        ("Relevance", Decimal("2")),
        ("Community leadership", Decimal("1.5")),
        ("Feasibility", Decimal("1")),
    ]
    assert open_call.eligibility_questions.count() == 2
    assert open_call.period_start > today
    assert open_call.year == today.year + 1
    assert open_call.slug == str(open_call.year)


def test_the_open_call_has_applications_in_every_status(open_call):
    applications = Application.objects.filter(edition=open_call)
    statuses = set(applications.values_list("status", flat=True))

    assert applications.count() >= 12
    assert statuses == CALL_STATUSES
    assert applications.filter(status="under_review").count() >= 3
    # The demo grantee can start an application of its own.
    assert not applications.filter(organisation__slug="accion-andina").exists()


def test_every_status_was_reached_through_the_services(demo):
    """Each application's history is an unbroken chain from "draft" to its status, each step
    taken by someone in the role the workflow table allows."""
    for application in Application.objects.all():
        steps = list(application.history.order_by("pk"))
        if application.status == "draft":
            assert steps == []
            continue
        assert steps, application
        assert steps[0].from_status == "draft"
        for before, after in zip(steps, steps[1:], strict=False):
            assert after.from_status == before.to_status
        assert steps[-1].to_status == application.status
        assert all(step.actor_id for step in steps)
    submitted = Application.objects.exclude(status="draft")
    assert not submitted.filter(submitted_at__isnull=True).exists()


def test_the_applicants_and_the_secretariat_were_notified(demo):
    more_info = Application.objects.get(status="more_info")
    ineligible = Application.objects.get(status="ineligible")

    assert Notification.objects.filter(
        email="escola-livre@example.org", kind="more_info_requested"
    ).exists()
    assert Notification.objects.filter(
        email="sahel@example.org", kind="application_ineligible"
    ).exists()
    assert Notification.objects.filter(
        email="secretariat@example.org", key=f"application:{more_info.pk}:received"
    ).exists()
    assert ineligible.history.get(to_status="ineligible").comment


def test_the_panel_has_three_reviewers_and_work_in_each_state(open_call):
    reviewers = User.objects.filter(groups__name="Reviewer")
    assignments = ReviewAssignment.objects.filter(application__edition=open_call)
    mine = assignments.filter(reviewer__email="reviewer@example.org")

    assert sorted(reviewers.values_list("email", flat=True)) == sorted(REVIEWERS)
    assert set(assignments.values_list("reviewer__email", flat=True)) == set(REVIEWERS)
    # The demo reviewer has one to read, one draft and one submitted.
    assert mine.filter(conflict="undeclared").count() == 1
    assert mine.filter(review__submitted_at__isnull=True, review__isnull=False).count() == 1
    assert mine.filter(review__submitted_at__isnull=False).count() == 1
    assert assignments.filter(is_recused=True, conflict="conflict").count() == 1
    # An application under review with nobody yet, for the bulk assignment.
    assert (
        Application.objects.filter(edition=open_call, status="under_review")
        .filter(assignments__isnull=True)
        .exists()
    )


def test_submitted_reviews_score_every_criterion(open_call):
    criteria = open_call.criteria.count()
    submitted = Review.objects.filter(
        assignment__application__edition=open_call, submitted_at__isnull=False
    )

    assert submitted.count() >= 5
    for review in submitted:
        assert review.scores.count() == criteria
        assert review.recommendation
    shortlisted = Application.objects.get(edition=open_call, status="shortlisted")
    assert shortlisted.assignments.filter(review__submitted_at__isnull=False).count() == 2


def test_the_demo_grantee_has_an_approved_workplan(grant):
    member = User.objects.get(email="accion-andina@example.org")

    assert grant.edition.status == "running"
    assert grant.lead_organisation.memberships.filter(user=member).exists()
    assert grant.application.status == "approved"
    assert grant.status == "active"  # its agreement is countersigned too
    assert grant.workplan_status == "approved"
    assert grant.lines_of_action.count() == 3
    assert grant.activities.count() >= 3
    assert grant.activities.filter(line_of_action__isnull=False).count() == grant.activities.count()
    assert grant.budget_lines.count() >= 3
    assert grant.indicators.count() >= 2
    assert 0 < budget_total(grant) <= grant.amount_awarded
    steps = list(grant.history.order_by("pk").values_list("workflow", "to_status"))
    assert steps == [
        ("workplan", "submitted"),
        ("workplan", "approved"),
        ("initiative", "workplan_approved"),
        ("initiative", "active"),
    ]
    assert grant.period_start < timezone.localdate() < grant.period_end


def test_the_interim_report_is_due_within_two_weeks(grant):
    today = timezone.localdate()
    interim = Report.objects.get(initiative=grant, kind="interim")
    final = Report.objects.get(initiative=grant, kind="final")

    assert today <= interim.due_on <= today + datetime.timedelta(days=14)
    assert interim.is_editable
    assert final.status == "scheduled"
    assert final.due_on > interim.due_on
    assert final.due_on > grant.period_end
    # Started through the services: the first save made it a draft, with a version.
    assert interim.status == "draft"
    assert interim.history.get().to_status == "draft"
    assert interim.versions.count() == 1


def test_one_tranche_is_paid_and_one_is_waiting(grant):
    first, second = grant.disbursements.order_by("tranche")

    assert first.status == "paid" and first.paid_on
    assert [h.to_status for h in first.history.order_by("pk")] == ["payable", "paid"]
    # Paid to bank details the grantee entered and a second person verified, with fees.
    assert first.payee.created_by.email == "accion-andina@example.org"
    assert first.payee.verified_by.email == "secretariat2@example.org"
    assert (first.amount_sent, first.sent_currency, first.fees) == (first.amount, "USD", 25)
    assert second.status == "planned"
    assert second.condition == "final"
    assert first.amount + second.amount == grant.amount_awarded
    assert Notification.objects.filter(
        email="accion-andina@example.org", kind="disbursement_paid"
    ).exists()


def test_the_demo_grantee_s_agreement_is_signed_and_countersigned(grant):
    """Issued by the secretariat, signed in the portal by the organisation's signatory,
    countersigned: that released the first tranche and made the grant active."""
    agreement = Agreement.objects.get(initiative=grant)

    assert agreement.status == "countersigned"
    assert agreement.language == "es"  # the grantee's language; the template has Spanish
    assert "Acción Andina" in agreement.body_html
    assert agreement.signed_by.email == "accion-andina-signatory@example.org"
    assert agreement.signer_name == "Demo signatory of Acción Andina"
    assert agreement.signed_sha256 == agreement.pdf_sha256
    assert agreement.countersigned_by.email == "secretariat@example.org"
    assert [h.to_status for h in agreement.history.order_by("pk")] == [
        "issued",
        "signed",
        "countersigned",
    ]
    activation = grant.history.get(workflow="initiative", to_status="active")
    assert activation.role == "system"
    assert Membership.objects.filter(
        user__email="accion-andina-signatory@example.org",
        organisation=grant.lead_organisation,
        role=Membership.Role.SIGNATORY,
    ).exists()


def test_an_agreement_waits_for_the_demo_signatory(demo, client):
    """A newcomer logs in as the signatory of Aksi Keadilan Indonesia and signs its agreement
    in the portal."""
    initiative = Initiative.objects.get(
        lead_organisation__slug="aksi-keadilan-indonesia", application__isnull=False
    )
    agreement = Agreement.objects.get(initiative=initiative)
    assert (agreement.status, initiative.status) == ("issued", "awarded")
    assert Notification.objects.filter(
        email="signatory@example.org", kind="agreement_issued"
    ).exists()
    signatory = User.objects.get(email="signatory@example.org")
    client.force_login(signatory)

    home = client.get("/en/portal/").content.decode()
    page = client.get(f"/en/portal/initiatives/{initiative.pk}/agreement/").content.decode()

    assert "waiting for your signature" in home
    assert "not issued yet" not in home  # its 2023 grant ended before agreements were in the app
    assert "Sign the agreement" in page and agreement.pdf_sha256 in page
    response = client.post(
        f"/en/portal/agreements/{agreement.pk}/sign/",
        {"full_name": "Dewi Lestari", "accept": "on", "sha256": agreement.pdf_sha256},
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert (agreement.status, agreement.signer_name) == ("signed", "Dewi Lestari")


def test_a_countersigned_agreement_leaves_a_tranche_to_pay(demo):
    initiative = Initiative.objects.get(
        lead_organisation__slug="escola-livre-de-reducao-de-danos", application__isnull=False
    )
    first, second = initiative.disbursements.order_by("tranche")

    assert Agreement.objects.get(initiative=initiative).status == "countersigned"
    assert (first.status, first.condition, second.status) == ("payable", "signature", "planned")
    # Its workplan waits for the secretariat: not active yet.
    assert (initiative.status, initiative.workplan_status) == ("awarded", "submitted")


def test_a_2023_initiative_shows_its_results(demo, client):
    """The final report of Acción Andina's 2023 grant, accepted; its highlights and photo
    published, translated into English and French; in other languages the original
    (Spanish) with the note."""
    initiative = Initiative.objects.get(edition__slug="2023", slug="accion-andina")
    report = initiative.reports.get()
    results = {r.kind: r for r in initiative.public_results.filter(is_published=True)}

    assert (report.kind, report.status, report.language) == ("final", "accepted", "es")
    assert [h.to_status for h in report.history.order_by("pk")] == [
        "draft",
        "submitted",
        "accepted",
    ]
    assert sorted(results) == ["highlights", "photo"]
    assert results["photo"].attachment.is_publishable
    assert results["photo"].photo.name.startswith("public/results/")
    assert results["photo"].photo.storage.exists(results["photo"].photo.name)
    assert results["highlights"].original_language == "es"

    pages = {}
    for language in ("en", "fr", "es", "pt"):
        with translation.override(language):
            pages[language] = client.get(initiative.get_absolute_url()).content.decode()
    assert "Seventy-two women now form the network" in pages["en"]
    assert "Résultats" in pages["fr"]
    assert "Soixante-douze femmes forment aujourd’hui le réseau" in pages["fr"]
    assert "L’exposition « Nuestras voces » à El Alto." in pages["fr"]
    assert "Setenta y dos mujeres forman hoy la red" in pages["es"]
    # No Portuguese yet: the English translation (CONTENT_FALLBACK_LANGUAGES: the visitor's
    # language, English, then the original), with the note.
    assert "Seventy-two women now form the network" in pages["pt"]
    assert pages["pt"].count("fst-italic") > pages["es"].count("fst-italic")
    # The edition page shows the initiative's published photo (as thumbnails of the copy).
    edition = client.get("/fr/initiatives-programme/editions/2023/").content.decode()
    assert thumbnail_name(results["photo"].photo.name, 480) in edition
    assert 'alt="L’exposition « Nuestras voces » à El Alto."' in edition


def test_the_secretariat_has_a_workplan_a_report_and_a_payment_waiting(demo):
    assert Initiative.objects.filter(workplan_status="submitted").exists()
    assert Report.objects.filter(status="submitted").exists()
    assert Initiative.objects.filter(disbursements__status="payable").exists()
    assert Application.objects.filter(status="declined").exists()


def test_the_edition_list_never_says_zero_initiatives(client, open_call):
    running = Edition.objects.get(number=4)

    english = client.get("/en/editions/").content.decode()
    french = client.get("/fr/editions/").content.decode()
    home = client.get("/en/").content.decode()

    for html in (english, french, home):
        assert "· 0 " not in html
        assert "its 0 " not in html
    assert "6 initiatives" in english
    assert f'href="/en/calls/{open_call.slug}/"' in english
    assert "Call for applications open until" in english
    assert f'href="/fr/calls/{open_call.slug}/"' in french
    assert "Initiatives to be announced" in english  # the running edition
    assert f'href="/en/initiatives-programme/editions/{running.slug}/"' in english
    assert "December 2022</p>" in english  # no call, no initiative, edition closed: the dates
    assert f'href="/en/calls/{open_call.slug}/"' in home


@pytest.mark.django_db(transaction=True)
def test_the_emails_are_kept_off_the_terminal(settings, capsys):
    """The quick start prints emails on the console: the loader's go to memory instead, and the
    notification rows say they were sent."""
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
    mail.outbox = []

    output = load_demo()

    printed = capsys.readouterr().out
    sent = Notification.objects.filter(status="sent").count()
    assert "Subject:" not in printed
    assert sent > 20
    assert sent == Notification.objects.count() == len(mail.outbox)
    assert f"emails: {sent} sent by the services" in output
    assert settings.MAILERS["default"]["BACKEND"].endswith("console.EmailBackend")
