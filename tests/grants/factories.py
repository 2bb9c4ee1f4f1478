"""Builders for the call tests. Statuses are reached through the services, never by writing
``status=``; rows in their initial status come from the shared factories."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth.models import Group
from django.utils import timezone

from core.staff import REVIEWER, SECRETARIAT, sync_staff_groups
from grants import services
from grants.models import Application
from organisations.models import Membership, Organisation, User
from programme.models import Edition, EligibilityQuestion, ReviewCriterion
from programme.services import edition_open_call
from tests.factories import EditionFactory, OrganisationFactory, ThemeFactory, UserFactory

PASSWORD = "a-long-test-password"


def staff_group(name: str) -> Group:
    """The group made by the migrations, made again if a transactional test flushed it."""
    if not Group.objects.filter(name=name).exists():
        sync_staff_groups()
    return Group.objects.get(name=name)


def secretariat_user(email: str = "secretary@example.org", **extra) -> User:
    user = UserFactory(email=email, is_staff=True, **extra)
    user.groups.add(staff_group(SECRETARIAT))
    return user


def reviewer_user(email: str, **extra) -> User:
    user = UserFactory(email=email, **extra)
    user.groups.add(staff_group(REVIEWER))
    return user


def member_of(organisation: Organisation, email: str | None = None, **extra) -> User:
    user = UserFactory(**({"email": email} if email else {}), **extra)
    Membership.objects.create(user=user, organisation=organisation, role=Membership.Role.ADMIN)
    return user


def call_opener() -> User:
    """Who opens the calls of ``open_edition``: a superuser, so secretariat for the services
    but outside the Secretariat group, whose members the tests count among the notified."""
    return UserFactory(email="call-opener@example.org", is_staff=True, is_superuser=True)


def open_edition(**overrides) -> Edition:
    """A published edition whose call is open now, opened through its service (by default ten
    days ago, closing in twenty days): ``call_ready_edition`` with its call opened.

    A closing date already past in ``overrides`` gives a call whose deadline has passed but
    that the daily job has not moved to review yet (the service refuses to open a call that
    closes in the past: the call is opened, then its deadline is moved back); ``is_published``
    False, a call opened and then taken off the public site (the service opens published
    editions' calls only).
    """
    now = timezone.now()
    opens = overrides.pop("application_opens_at", now - datetime.timedelta(days=10))
    closes = overrides.pop("application_closes_at", now + datetime.timedelta(days=20))
    published = overrides.pop("is_published", True)
    edition = call_ready_edition(**overrides)
    edition_open_call(
        edition=edition,
        actor=call_opener(),
        opens_at=opens,
        closes_at=closes if closes > now else now + datetime.timedelta(minutes=1),
    )
    if closes <= now:
        Edition.objects.filter(pk=edition.pk).update(application_closes_at=closes)
    if not published:  # opened, then taken off the public site
        Edition.objects.filter(pk=edition.pk).update(is_published=False)
    edition.refresh_from_db()
    return edition


def call_ready_edition(**overrides) -> Edition:
    """A published edition in preparation, ready for its call: USD 4,000–5,000, two themes,
    two weighted criteria (relevance ×2, feasibility ×1, both scored 1–5) and two eligibility
    questions."""
    values = {
        "application_time_zone": "Europe/Paris",
        "grant_minimum": Decimal("4000"),
        "grant_maximum": Decimal("5000"),
        "max_grants": 7,
        "eligibility_rules_en": "Community groups working on drug policy.",
        "application_guidance_en": "Tell us what you will do.",
        "min_reviewers_per_application": 3,
    }
    values.update(overrides)
    edition = EditionFactory(**values)
    edition.themes.add(ThemeFactory(name_en="Policy advocacy"), ThemeFactory(name_en="Art"))
    ReviewCriterion.objects.create(
        edition=edition, name_en="Relevance", weight=Decimal("2"), max_score=5, order=1
    )
    ReviewCriterion.objects.create(
        edition=edition, name_en="Feasibility", weight=Decimal("1"), max_score=5, order=2
    )
    EligibilityQuestion.objects.create(
        edition=edition,
        text_en="Is your organisation led by the communities it serves?",
        required_answer=True,
        failure_reason_en="The call funds community-led organisations only.",
        order=1,
    )
    EligibilityQuestion.objects.create(
        edition=edition,
        text_en="Is your organisation a government body?",
        required_answer=False,
        failure_reason_en="Government bodies cannot apply.",
        order=2,
    )
    return edition


def eligible_answers(edition: Edition) -> dict[str, bool]:
    return {str(q.pk): q.required_answer for q in edition.eligibility_questions.all()}


def complete_data(edition: Edition, **overrides) -> dict:
    data = {
        "title": "Harm reduction in the Andes",
        "summary": "Peer workshops and a campaign.",
        "countries": ["BO", "PE"],
        "places": "La Paz, Cusco",
        "lines_of_action": [
            {"title": "Peer workshops", "description": "Six workshops."},
            {"title": "Campaign", "description": "Posters and radio."},
        ],
        "expected_results": "Forty trained peers.",
        "requested_amount": Decimal("4500.00"),
        "budget_outline": "Venue 1,000; travel 2,000; materials 1,500.",
        "language": "en",
    }
    data.update(overrides)
    return data


def draft(edition: Edition, organisation: Organisation | None = None, actor=None, **data):
    """A complete draft application (nothing submitted yet)."""
    organisation = organisation or OrganisationFactory()
    actor = actor or member_of(organisation)
    application = services.application_start(
        edition=edition,
        organisation=organisation,
        actor=actor,
        answers=eligible_answers(edition),
        title="Draft",
    )
    return services.application_update(
        application=application,
        actor=actor,
        data=complete_data(edition, **data),
        themes=list(edition.themes.all()[:1]),
        version=application.version,
    )


def applicant(application: Application) -> User:
    return User.objects.filter(memberships__organisation=application.organisation).first()


def submitted(edition: Edition, organisation=None, **data) -> Application:
    application = draft(edition, organisation, **data)
    return services.application_submit(application=application, actor=applicant(application))


def under_review(edition: Edition, secretary: User, organisation=None, **data) -> Application:
    application = submitted(edition, organisation, **data)
    return services.application_screen(application=application, actor=secretary, is_eligible=True)


def reach(status: str, edition: Edition, secretary: User) -> Application:
    """An application in ``status``, reached through the services."""
    if status == "draft":
        return draft(edition)
    if status == "submitted":
        return submitted(edition)
    if status == "ineligible":
        return services.application_screen(
            application=submitted(edition), actor=secretary, is_eligible=False, reason="No."
        )
    if status == "more_info":
        return services.application_request_more_info(
            application=submitted(edition), actor=secretary, comment="Which cities?"
        )
    if status == "withdrawn":
        application = draft(edition)
        return services.application_withdraw(application=application, actor=applicant(application))
    application = under_review(edition, secretary)
    if status == "under_review":
        return application
    if status == "shortlisted":
        return services.application_shortlist(application=application, actor=secretary)
    if status == "approved":
        services.application_approve(
            application=application,
            actor=secretary,
            amount=Decimal("4500"),
            period_start=edition.period_start,
            period_end=edition.period_end,
        )
        return Application.objects.get(pk=application.pk)
    if status == "declined":
        return services.application_decline(
            application=application, actor=secretary, message="Not this time."
        )
    raise ValueError(status)


def assign(application: Application, reviewer: User, secretary: User):
    """Give ``application`` to ``reviewer`` too (one more place than it has now)."""
    places = application.assignments.filter(is_recused=False).count() + 1
    result = services.reviewers_assign(
        applications=[application], reviewers=[reviewer], per_application=places, actor=secretary
    )
    return result.created[0]


def submit_review(assignment, scores: dict, recommendation: str = "yes", comment: str = ""):
    """Declare no conflict and submit a review with ``scores`` ({criterion name: score})."""
    criteria = {c.name_en: c.pk for c in assignment.application.edition.criteria.all()}
    services.conflict_declare(assignment=assignment, actor=assignment.reviewer, has_conflict=False)
    return services.review_save(
        assignment=assignment,
        actor=assignment.reviewer,
        scores={criteria[name]: score for name, score in scores.items()},
        recommendation=recommendation,
        comment=comment,
        submit=True,
    )
