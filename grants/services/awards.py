"""Decisions on applications and the award of the grant.

Approving an application creates its Initiative (unpublished, status Awarded) with the lines of
action and expected results copied from the application, plans its payments, and tells the apps
that follow a grant (``grants.hooks``: the reports app schedules its reports). Declining
records the message for the applicant. Both notify the applicant organisation
(``application_decision``).

Payments follow the edition's tranche plan (``Edition.tranche_plan``: 70 % on signature of the
agreement and 30 % when the final report is accepted unless the edition says otherwise): one
tranche per line of the plan, rounded to the cent, the last taking the remainder so that they
always add up to the award. A tranche paid on signature or on the workplan's approval is due on
the award date; one paid on a report, on that report's due date.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.money import amount_text, to_cents
from core.workflow import Role
from programme.models import Edition, ReportKind, TrancheCondition, tranche_plan_problem

from .. import hooks
from .. import notifications as kinds
from ..errors import DecisionError
from ..models import Application, Disbursement, Initiative, LineOfAction
from ..workflow import ApplicationStatus
from .applications import application_transition, lock_for_step, notify_applicants

A = ApplicationStatus


@dataclasses.dataclass(frozen=True)
class Decision:
    """One decision: approve (with amount and period) or decline (with a message)."""

    application: Application
    approve: bool
    amount: Decimal | None = None
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None
    message: str = ""


def _check_award(edition: Edition, decision: Decision) -> None:
    start, end = decision.period_start, decision.period_end
    problem = edition.grant_problem(decision.amount)
    if problem:
        raise DecisionError(problem)
    if start is None or end is None:
        raise DecisionError(_("Give the project period."))
    if end < start:
        raise DecisionError(_("The project period must end after it starts."))


def _unique_slug(edition: Edition, title: str) -> str:
    base = slugify(title)[:90] or "initiative"
    taken = set(
        Initiative.objects.filter(edition=edition, slug__startswith=base).values_list(
            "slug", flat=True
        )
    )
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def tranches(amount: Decimal, percents: Sequence[Decimal]) -> list[Decimal]:
    """Split ``amount`` into the payments of a grant, one per percentage (which add up to 100):
    each rounded to the cent, the last taking the remainder, so that they always add up to
    ``amount``."""
    parts = [to_cents(amount * Decimal(percent) / 100) for percent in percents[:-1]]
    return [*parts, amount - sum(parts, Decimal(0))]


def tranche_dues(
    conditions: Sequence[str], *, awarded_on: datetime.date, plan: Iterable[tuple]
) -> list[datetime.date | None]:
    """The due date of each tranche: the award date for signature and workplan; for the n-th
    tranche paid on an interim report, the due date of the n-th interim report of the
    reporting ``plan`` (the last one's past the end), likewise for final reports."""
    due_by_kind: dict[str, list[datetime.date]] = {}
    for kind, _start, _end, due in sorted(plan, key=lambda row: row[3]):
        due_by_kind.setdefault(kind, []).append(due)
    seen: dict[str, int] = {}
    dues = []
    for condition in conditions:
        if condition in (TrancheCondition.ON_SIGNATURE, TrancheCondition.WORKPLAN_APPROVED):
            dues.append(awarded_on)
            continue
        reports = due_by_kind.get(ReportKind(condition), [])
        n = seen.get(condition, 0)
        seen[condition] = n + 1
        dues.append(reports[min(n, len(reports) - 1)] if reports else None)
    return dues


def initiative_award(
    *,
    application: Application,
    amount: Decimal,
    period_start: datetime.date,
    period_end: datetime.date,
) -> Initiative:
    """Create the funded Initiative of an approved application, with its lines of action and
    its planned payments, and run the award hooks (the reports app schedules its reports).
    Unpublished: the secretariat publishes it. Refused (``DecisionError``) when the edition's
    tranche plan does not add up to 100 %."""
    edition = application.edition
    plan = edition.tranche_plan()
    problem = tranche_plan_problem(percent for percent, _condition in plan)
    if problem:
        raise DecisionError(problem)
    language = application.language
    initiative = Initiative.objects.create(
        edition=edition,
        lead_organisation=application.organisation,
        application=application,
        slug=_unique_slug(edition, application.title),
        countries=list(application.countries),
        places=application.places,
        amount_awarded=amount,
        currency=edition.currency,
        awarded_on=timezone.localdate(),
        period_start=period_start,
        period_end=period_end,
        is_published=False,
        original_language=language,
        order=edition.initiatives.count() + 1,
        # The applicant asked not to be named: the grant starts hidden (grants.selectors.
        # disclosure) rather than waiting for the secretariat to remember it before publishing,
        # since a name once published cannot be taken back. The secretariat may untick it.
        is_at_risk=application.is_at_risk_requested,
        # The applicant's texts, in the language they wrote them in.
        **{
            f"title_{language}": application.title,
            f"summary_{language}": application.summary,
            f"description_{language}": application.summary,
            f"expected_results_{language}": application.expected_results,
        },
    )
    initiative.themes.set(application.themes.all())
    lines = [line for line in application.lines_of_action if str(line.get("title", "")).strip()]
    LineOfAction.objects.bulk_create(
        LineOfAction(
            initiative=initiative,
            order=n,
            **{
                f"title_{language}": str(line["title"]).strip()[:250],
                f"description_{language}": str(line.get("description", "")).strip(),
                # modeltranslation's base columns are not filled by bulk_create.
                "title": str(line["title"]).strip()[:250],
                "description": str(line.get("description", "")).strip(),
            },
        )
        for n, line in enumerate(lines, start=1)
    )
    conditions = [condition for _percent, condition in plan]
    dues = tranche_dues(
        conditions,
        awarded_on=initiative.awarded_on,
        plan=edition.reporting_plan(period_start, period_end),
    )
    parts = tranches(amount, [percent for percent, _condition in plan])
    if any(part <= 0 for part in parts):
        raise DecisionError(_("The amount is too small to be split into the edition's tranches."))
    Disbursement.objects.bulk_create(
        Disbursement(
            initiative=initiative,
            tranche=n,
            amount=part,
            currency=initiative.currency,
            condition=condition,
            due_on=due or period_end,
        )
        for n, (part, condition, due) in enumerate(zip(parts, conditions, dues, strict=True), 1)
    )
    hooks.initiative_awarded(initiative=initiative)
    return initiative


def _decision_context(application: Application, decision: str, amount, message: str) -> dict:
    return {
        "title": application.title,
        "organisation": application.organisation.name,
        "decision": decision,
        "amount": amount_text(amount),
        "currency": application.edition.currency if amount is not None else "",
        "message": message,
    }


def application_approve(
    *,
    application: Application,
    actor,
    amount: Decimal,
    period_start: datetime.date,
    period_end: datetime.date,
    message: str = "",
) -> Initiative:
    """Approve an application under review (or shortlisted) and award its grant.

    Guarantees: only the secretariat; the amount within the edition's grant range; the period
    in order; no more approved applications than the edition's ``max_grants`` (the edition
    row is locked, so two decisions at once cannot both take the last grant). Creates the
    Initiative (see ``initiative_award``) and notifies the applicant. Raises
    ``TransitionNotAllowed`` or ``DecisionError``; then nothing changes.
    """
    decision = Decision(application, True, amount, period_start, period_end, message)
    with transaction.atomic():
        locked = lock_for_step(
            application, target=A.APPROVED, actor=actor, wanted_role=Role.SECRETARIAT
        )
        edition = Edition.objects.select_for_update().get(pk=locked.edition_id)
        _check_award(edition, decision)
        if edition.max_grants is not None:
            approved = edition.applications.filter(status=A.APPROVED).count()
            if approved >= edition.max_grants:
                raise DecisionError(
                    _("This edition gives %(count)s grants at most, and all are awarded.")
                    % {"count": edition.max_grants}
                )
        locked, _history = application_transition(
            application=locked,
            target=A.APPROVED,
            actor=actor,
            wanted_role=Role.SECRETARIAT,
            comment=message.strip(),
            changes={"decided_at": timezone.now()},
        )
        initiative = initiative_award(
            application=locked, amount=amount, period_start=period_start, period_end=period_end
        )
        notify_applicants(
            application=locked,
            kind=kinds.APPLICATION_DECISION,
            key=f"application:{locked.pk}:decision",
            context=_decision_context(locked, "approved", amount, message.strip()),
        )
    return initiative


def application_decline(*, application: Application, actor, message: str) -> Application:
    """Decline an application under review (or shortlisted) with a message for the applicant
    (required); notifies the applicant. Raises ``TransitionNotAllowed`` or ``DecisionError``."""
    with transaction.atomic():
        lock_for_step(application, target=A.DECLINED, actor=actor, wanted_role=Role.SECRETARIAT)
        if not message.strip():
            raise DecisionError(_("Write a message for the applicant."))
        locked, _history = application_transition(
            application=application,
            target=A.DECLINED,
            actor=actor,
            wanted_role=Role.SECRETARIAT,
            comment=message.strip(),
            changes={"decided_at": timezone.now()},
        )
        notify_applicants(
            application=locked,
            kind=kinds.APPLICATION_DECISION,
            key=f"application:{locked.pk}:decision",
            context=_decision_context(locked, "declined", None, message.strip()),
        )
    return locked


def applications_decide(*, decisions: Iterable[Decision], actor) -> list[Application]:
    """Take several decisions at once, all or nothing: the first one refused raises
    ``DecisionError`` naming its application, and none of them is recorded."""
    done = []
    with transaction.atomic():
        for decision in decisions:
            try:
                if decision.approve:
                    application_approve(
                        application=decision.application,
                        actor=actor,
                        amount=decision.amount,
                        period_start=decision.period_start,
                        period_end=decision.period_end,
                        message=decision.message,
                    )
                else:
                    application_decline(
                        application=decision.application, actor=actor, message=decision.message
                    )
            except DomainError as error:
                raise DecisionError(
                    _("%(title)s: %(problem)s Nothing was decided.")
                    % {"title": decision.application.display_title, "problem": error.message}
                ) from error
            done.append(decision.application)
    return done
