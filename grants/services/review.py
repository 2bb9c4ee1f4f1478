"""Writes of the review panel: assigning reviewers, conflicts of interest, scores.

A reviewer who is a member of the applicant organisation is never given the application in a
bulk assignment, and is recused automatically wherever an assignment is made by hand. A
reviewer declares a conflict of interest before the application's content is shown; declaring
one recuses them for good.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable, Mapping

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from core.workflow import lock
from organisations.models import Membership
from organisations.selectors import is_secretariat

from ..errors import ReviewError
from ..models import Application, Review, ReviewAssignment, ReviewScore
from ..workflow import IN_REVIEW


def _require_secretariat(actor) -> None:
    if not is_secretariat(actor):
        raise ReviewError(_("Only the secretariat assigns reviewers."))


def recuse_members(*, application: Application) -> int:
    """Recuse the application's reviewers who belong to the applicant organisation (the admin
    calls this after hand-made assignments). Returns how many were recused now."""
    members = Membership.objects.filter(organisation_id=application.organisation_id).values(
        "user_id"
    )
    return ReviewAssignment.objects.filter(
        application=application, reviewer_id__in=members, is_recused=False
    ).update(
        is_recused=True,
        conflict=ReviewAssignment.Conflict.CONFLICT,
        conflict_note=_("Member of the applicant organisation: recused automatically."),
        conflict_declared_at=timezone.now(),
    )


@dataclasses.dataclass
class AssignmentResult:
    created: list[ReviewAssignment]
    short: list[Application]  # applications left with fewer reviewers than asked
    skipped: list[Application]  # not under review: nobody assigned


def reviewers_assign(
    *,
    applications: Iterable[Application],
    reviewers: Iterable,
    per_application: int,
    actor,
) -> AssignmentResult:
    """Give each application under review at least ``per_application`` active reviewers.

    Balanced: each missing place goes to the eligible reviewer with the fewest assignments in
    the edition so far (ties broken by id, so the result is reproducible). Never assigns a
    reviewer twice to one application, nor one who is a member of the applicant organisation
    (a conflict by definition). Assignments already there count; recused ones do not.
    Applications not under review are skipped. All or nothing, in one transaction.
    """
    _require_secretariat(actor)
    if per_application < 1:
        raise ReviewError(_("Each application needs at least one reviewer."))
    pool = sorted({reviewer.pk: reviewer for reviewer in reviewers}.values(), key=lambda r: r.pk)
    if not pool:
        raise ReviewError(_("Choose at least one reviewer."))
    result = AssignmentResult(created=[], short=[], skipped=[])
    with transaction.atomic():
        ids = [application.pk for application in applications]
        locked = list(
            Application.objects.select_for_update()
            .filter(pk__in=ids)
            .order_by("submitted_at", "pk")
        )
        edition_ids = {application.edition_id for application in locked}
        load = Counter(
            dict(
                ReviewAssignment.objects.filter(
                    application__edition_id__in=edition_ids, is_recused=False
                )
                .values_list("reviewer_id")
                .annotate(n=Count("pk"))
                .values_list("reviewer_id", "n")
            )
        )
        existing: dict[int, set[int]] = {}
        active: Counter = Counter()
        for application_id, reviewer_id, is_recused in ReviewAssignment.objects.filter(
            application_id__in=ids
        ).values_list("application_id", "reviewer_id", "is_recused"):
            existing.setdefault(application_id, set()).add(reviewer_id)
            if not is_recused:
                active[application_id] += 1
        members: dict[int, set[int]] = {}
        for organisation_id, user_id in Membership.objects.filter(
            organisation_id__in={a.organisation_id for a in locked}
        ).values_list("organisation_id", "user_id"):
            members.setdefault(organisation_id, set()).add(user_id)

        for application in locked:
            if application.status not in IN_REVIEW:
                result.skipped.append(application)
                continue
            needed = per_application - active[application.pk]
            excluded = existing.get(application.pk, set()) | members.get(
                application.organisation_id, set()
            )
            candidates = sorted(
                (r for r in pool if r.pk not in excluded and r.is_active),
                key=lambda r: (load[r.pk], r.pk),
            )
            for reviewer in candidates[: max(needed, 0)]:
                result.created.append(
                    ReviewAssignment.objects.create(
                        application=application, reviewer=reviewer, assigned_by=actor
                    )
                )
                load[reviewer.pk] += 1
            if needed > len(candidates):
                result.short.append(application)
    return result


def conflict_declare(
    *, assignment: ReviewAssignment, actor, has_conflict: bool, note: str = ""
) -> ReviewAssignment:
    """The reviewer says whether they have a conflict of interest with the application.

    Must come before the content is shown. "No conflict" can later be changed to a conflict
    (before the review is submitted); a conflict recuses the reviewer and is final.
    """
    with transaction.atomic():
        locked = lock(assignment)
        if locked.reviewer_id != getattr(actor, "pk", None):
            raise ReviewError(_("Only the reviewer can declare their conflicts of interest."))
        if locked.is_recused or locked.conflict == ReviewAssignment.Conflict.CONFLICT:
            raise ReviewError(_("You are recused from this application."))
        if not has_conflict and locked.conflict == ReviewAssignment.Conflict.NONE:
            return locked
        if (
            has_conflict
            and Review.objects.filter(assignment=locked, submitted_at__isnull=False).exists()
        ):
            raise ReviewError(
                _("Your review is submitted already; write to the secretariat about the conflict.")
            )
        locked.conflict = (
            ReviewAssignment.Conflict.CONFLICT if has_conflict else ReviewAssignment.Conflict.NONE
        )
        locked.is_recused = has_conflict
        locked.conflict_note = note.strip()
        locked.conflict_declared_at = timezone.now()
        locked.save(
            update_fields=["conflict", "is_recused", "conflict_note", "conflict_declared_at"]
        )
    return locked


def review_save(
    *,
    assignment: ReviewAssignment,
    actor,
    scores: Mapping[int, int | None],
    recommendation: str = "",
    comment: str = "",
    submit: bool = False,
) -> Review:
    """Save the reviewer's scores, recommendation and comment; ``submit`` makes it final.

    Guarantees: only the assigned reviewer, without a conflict, while the application is under
    review, and before their review was submitted; every score within its criterion's scale
    (1 to the criterion's highest score) and for a criterion of the edition. Submitting needs
    a score for every criterion and a recommendation. Raises ``ReviewError``; then nothing
    changes.
    """
    with transaction.atomic():
        locked = lock(assignment, related=("application__edition",))
        if locked.reviewer_id != getattr(actor, "pk", None):
            raise ReviewError(_("This is not your review."))
        if locked.is_recused or locked.conflict != ReviewAssignment.Conflict.NONE:
            raise ReviewError(_("Declare that you have no conflict of interest first."))
        if locked.application.status not in IN_REVIEW:
            raise ReviewError(_("This application is not open for review."))
        review, _created = Review.objects.get_or_create(assignment=locked)
        if review.submitted_at is not None:
            raise ReviewError(_("Your review is submitted and can no longer be changed."))
        criteria = {c.pk: c for c in locked.application.edition.criteria.all()}
        errors: dict[str, str] = {}
        for criterion_id, score in scores.items():
            criterion = criteria.get(int(criterion_id))
            if criterion is None:
                raise ReviewError(_("This criterion is not one of the call's."))
            if score is not None and not 1 <= int(score) <= criterion.max_score:
                errors[f"criterion_{criterion.pk}"] = _("Give a score from 1 to %(max)s.") % {
                    "max": criterion.max_score
                }
        if recommendation and recommendation not in Review.Recommendation.values:
            errors["recommendation"] = _("Choose a recommendation.")
        if submit:
            for criterion in criteria.values():
                if scores.get(criterion.pk) is None:
                    errors[f"criterion_{criterion.pk}"] = _("Score this criterion.")
            if not recommendation:
                errors["recommendation"] = _("Choose a recommendation.")
        if errors:
            raise ReviewError(
                _("The review could not be saved: see the messages below."), errors=errors
            )
        for criterion_id, score in scores.items():
            if score is None:
                ReviewScore.objects.filter(review=review, criterion_id=criterion_id).delete()
            else:
                ReviewScore.objects.update_or_create(
                    review=review, criterion_id=criterion_id, defaults={"score": int(score)}
                )
        review.recommendation = recommendation
        review.comment = comment.strip()
        if submit:
            review.submitted_at = timezone.now()
        review.save()
    return review
