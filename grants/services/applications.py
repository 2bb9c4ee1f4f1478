"""Writes of a call for applications: the application's status changes (submitting,
withdrawing, screening, requests for more information, shortlisting) and what they share.

Drafts (starting, editing, documents) live in ``drafts``, reviews in ``review`` and decisions
(with the award of the grant) in ``awards``.
Every status change goes through ``application_transition``, which checks the actor's role
against ``APPLICATION_WORKFLOW`` under a row lock and writes the history row; notifications are
recorded in the same transaction and sent after commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.timezones import format_in_zone
from core.workflow import Role, lock_for_transition, perform_transition
from notifications.services import notify_many
from organisations.selectors import (
    is_member,
    is_secretariat,
    organisation_members,
    secretariat_users,
)
from programme.models import Edition, EligibilityQuestion
from programme.notifications import sender_of
from programme.selectors import questions_of

from .. import notifications as kinds
from ..errors import ApplicationError
from ..models import Application, ApplicationStatusChange
from ..workflow import APPLICATION_WORKFLOW, ApplicationStatus

A = ApplicationStatus


# --- who is acting ------------------------------------------------------------------------------


def actor_role(actor, application: Application, wanted: str) -> str:
    """The role ``actor`` holds for ``application`` when taking a step meant for ``wanted``.

    Someone who is both a member and on the secretariat acts in the role the step asks for;
    someone who is neither gets a role the table never allows, so the step is refused by the
    same check as any other forbidden step.
    """
    roles = {Role.MEMBER} if is_member(actor, application.organisation_id) else set()
    if is_secretariat(actor):
        roles.add(Role.SECRETARIAT)
    if wanted in roles:
        return wanted
    if roles:
        return next(iter(roles))
    return Role.REVIEWER if actor is not None else Role.SYSTEM


def application_transition(
    *,
    application: Application,
    target: str,
    actor,
    wanted_role: str,
    comment: str = "",
    changes: Mapping[str, object] | None = None,
) -> tuple[Application, ApplicationStatusChange]:
    """Move ``application`` to ``target`` as ``actor`` under a row lock, with a history row.

    Returns the saved application and its history row (its id names repeatable events in
    notification keys). Raises ``TransitionNotAllowed``; then nothing changes.
    """
    role = actor_role(actor, application, wanted_role)
    made: list[ApplicationStatusChange] = []

    def history(obj, **fields):
        made.append(ApplicationStatusChange.objects.create(application=obj, **fields))
        return made[-1]

    locked = perform_transition(
        obj=application,
        workflow=APPLICATION_WORKFLOW,
        target=target,
        actor=actor,
        role=role,
        history=history,
        comment=comment,
        changes=changes,
    )
    return locked, made[0]


def lock_for_step(application: Application, *, target: str, actor, wanted_role: str):
    """Lock the row and refuse a forbidden step before any other check runs (so a forbidden
    step always reads as such, whatever else is wrong)."""
    return lock_for_transition(
        application,
        workflow=APPLICATION_WORKFLOW,
        target=target,
        role=actor_role(actor, application, wanted_role),
        related=("edition",),
    )


# --- notifications ------------------------------------------------------------------------------


def notify_applicants(*, application: Application, kind, key: str, context: dict) -> None:
    """Notify every member of the applicant organisation, each with a link in their language."""
    notify_many(
        recipients=organisation_members(application.organisation),
        kind=kind,
        sender=sender_of(application.edition),
        key=key,
        context=context,
        url_name="calls:application",
        url_kwargs={"pk": application.pk},
    )


def notify_secretariat(*, application: Application, kind, key: str, context: dict) -> None:
    """Notify the secretariat's people, each with a link to the application in the back office."""
    notify_many(
        recipients=secretariat_users(),
        kind=kind,
        sender=sender_of(application.edition),
        key=key,
        context=context,
        url_name="admin:grants_application_change",
        url_kwargs={"object_id": application.pk},
    )


# --- eligibility --------------------------------------------------------------------------------


def eligibility_failures(
    *, questions: Iterable[EligibilityQuestion], answers: Mapping
) -> list[str]:
    """The reasons (in the active language) why ``answers`` make the applicant ineligible.

    ``answers`` maps question ids (int or str) to True/False; an unanswered question counts as
    not met. An empty list means eligible.
    """
    reasons = []
    for question in questions:
        answer = answers.get(str(question.pk), answers.get(question.pk))
        if not question.is_met_by(answer):
            reasons.append(
                question.failure_reason
                or _("This call is not open to organisations that answer “%(question)s” so.")
                % {"question": question.text}
            )
    return reasons


def call_closed_message(edition: Edition) -> str:
    """Why the call takes no application now, with the date in the call's own time zone."""
    state = edition.call_state()
    zone = edition.application_time_zone
    if state == "upcoming":
        return _("This call is not open yet. It opens on %(date)s.") % {
            "date": format_in_zone(edition.application_opens_at, zone)
        }
    if state == "none":
        return _("This edition has no call for applications.")
    return _("This call closed on %(date)s.") % {
        "date": format_in_zone(edition.application_closes_at, zone)
    }


# --- submitting and withdrawing -----------------------------------------------------------------


def completeness_errors(application: Application) -> dict[str, str]:
    """What an application lacks before it can be submitted: field → message (empty when
    complete). The requested amount must be within the edition's grant range."""
    edition = application.edition
    errors: dict[str, str] = {}
    required = {
        "title": _("Give the project a title."),
        "summary": _("Summarise the project."),
        "expected_results": _("Describe the results you expect."),
        "budget_outline": _("Outline the budget."),
    }
    for name, message in required.items():
        if not str(getattr(application, name) or "").strip():
            errors[name] = message
    if not application.countries:
        errors["countries"] = _("Choose at least one country.")
    if not application.themes.exists():
        errors["themes"] = _("Choose at least one theme.")
    lines = [line for line in application.lines_of_action if str(line.get("title", "")).strip()]
    if not lines:
        errors["lines_of_action"] = _("Describe at least one line of action.")
    problem = edition.grant_problem(application.requested_amount)
    if problem:
        errors["requested_amount"] = problem
    if eligibility_failures(
        questions=questions_of(edition), answers=application.eligibility_answers
    ):
        errors["eligibility"] = _("Answer the eligibility questions again: they have changed.")
    return errors


def application_submit(*, application: Application, actor) -> Application:
    """Submit a complete application (first time, or again after more information was asked).

    Guarantees: only a member of the applicant organisation submits; a first submission is
    refused after the call's deadline (the draft stays as it is); an incomplete application is
    refused with ``ApplicationError`` whose ``errors`` say what is missing. The applicant's
    members and the secretariat are notified after commit.
    """
    with transaction.atomic():
        locked = lock_for_step(
            application, target=A.SUBMITTED, actor=actor, wanted_role=Role.MEMBER
        )
        first = locked.status == A.DRAFT
        if first and not locked.edition.is_call_open():
            raise ApplicationError(
                call_closed_message(locked.edition)
                + " "
                + _("Your draft is kept, but it can no longer be submitted.")
            )
        errors = completeness_errors(locked)
        if errors:
            raise ApplicationError(
                _("The application is not complete yet: see the messages below."), errors
            )
        changes = {"submitted_at": timezone.now()} if first else {}
        locked, history = application_transition(
            application=locked,
            target=A.SUBMITTED,
            actor=actor,
            wanted_role=Role.MEMBER,
            changes=changes,
        )
        context = {
            "title": locked.title,
            "organisation": locked.organisation.name,
            "edition": str(locked.edition.title),
        }
        key = (
            f"application:{locked.pk}:received"
            if first
            else f"application:{locked.pk}:received:{history.pk}"
        )
        notify_applicants(
            application=locked, kind=kinds.APPLICATION_RECEIVED, key=key, context=context
        )
        notify_secretariat(
            application=locked,
            kind=kinds.APPLICATION_RECEIVED_SECRETARIAT,
            key=key,
            context=context,
        )
    return locked


def application_withdraw(*, application: Application, actor, comment: str = "") -> Application:
    """The applicant withdraws their application (allowed until a decision is taken); the
    secretariat is told."""
    with transaction.atomic():
        locked, history = application_transition(
            application=application,
            target=A.WITHDRAWN,
            actor=actor,
            wanted_role=Role.MEMBER,
            comment=comment.strip(),
        )
        if history.from_status != A.DRAFT:
            # A draft never reached the secretariat: nothing to tell them.
            notify_secretariat(
                application=locked,
                kind=kinds.APPLICATION_WITHDRAWN,
                key=f"application:{locked.pk}:withdrawn",
                context={
                    "title": locked.title,
                    "organisation": locked.organisation.name,
                    "comment": comment.strip(),
                },
            )
    return locked


# --- screening and more information -------------------------------------------------------------


def application_screen(
    *, application: Application, actor, is_eligible: bool, reason: str = ""
) -> Application:
    """The secretariat screens a submitted application: eligible goes under review, not
    eligible is closed with its reason (required, shown to the applicant and emailed)."""
    target = A.UNDER_REVIEW if is_eligible else A.INELIGIBLE
    with transaction.atomic():
        lock_for_step(application, target=target, actor=actor, wanted_role=Role.SECRETARIAT)
        if not is_eligible and not reason.strip():
            raise ApplicationError(
                _("Say why the application is not eligible: the applicant will read it."),
                errors={"reason": _("This field is required.")},
            )
        locked, _history = application_transition(
            application=application,
            target=target,
            actor=actor,
            wanted_role=Role.SECRETARIAT,
            comment=reason.strip(),
        )
        if not is_eligible:
            notify_applicants(
                application=locked,
                kind=kinds.APPLICATION_INELIGIBLE,
                key=f"application:{locked.pk}:ineligible",
                context={
                    "title": locked.title,
                    "organisation": locked.organisation.name,
                    "comment": reason.strip(),
                },
            )
    return locked


def application_request_more_info(*, application: Application, actor, comment: str):
    """The secretariat sends the application back to the applicant with a question (required).

    The applicant edits it and submits it again, which returns it to the secretariat. The
    applicant's members are notified (``more_info_requested``).
    """
    with transaction.atomic():
        lock_for_step(application, target=A.MORE_INFO, actor=actor, wanted_role=Role.SECRETARIAT)
        if not comment.strip():
            raise ApplicationError(
                _("Say what information you need: the applicant will read it."),
                errors={"comment": _("This field is required.")},
            )
        locked, history = application_transition(
            application=application,
            target=A.MORE_INFO,
            actor=actor,
            wanted_role=Role.SECRETARIAT,
            comment=comment.strip(),
        )
        notify_applicants(
            application=locked,
            kind=kinds.MORE_INFO_REQUESTED,
            key=f"application:{locked.pk}:more_info:{history.pk}",
            context={
                "title": locked.title,
                "organisation": locked.organisation.name,
                "comment": comment.strip(),
            },
        )
    return locked


def application_shortlist(*, application: Application, actor, comment: str = "") -> Application:
    """The secretariat shortlists an application under review."""
    with transaction.atomic():
        locked, _history = application_transition(
            application=application,
            target=A.SHORTLISTED,
            actor=actor,
            wanted_role=Role.SECRETARIAT,
            comment=comment.strip(),
        )
    return locked
