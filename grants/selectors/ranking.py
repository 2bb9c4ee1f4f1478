"""The ranking of an edition's applications by the panel's weighted scores (a read).

Definitions, for an edition with criteria c (weight w_c, scale 1..max_c):

* A review's **weighted score** is ``W = Σ_c w_c × s_c / Σ_c w_c`` over the criteria the
  review scored (a submitted review has scored them all). It is on the scale of the scores.
* An application's **score** is the arithmetic mean of W over its *submitted* reviews from
  reviewers who are not recused. Saved (unsubmitted) reviews and recused reviewers do not
  count. No submitted review: no score, ranked last.
* The **spread** is ``max W − min W`` over the same reviews (0 with one review): a large
  spread says the panel disagrees.
* **Expected reviews** are ``max(edition.min_reviewers_per_application, active assignments)``;
  **missing** = expected − submitted. Missing reviews are highlighted on the page.

Scores are computed with ``Decimal`` and shown rounded to two decimals. Ties keep the order of
submission. The whole ranking costs a fixed number of queries whatever the number of
applications and reviewers.

The page reads the ranking a page at a time (``ranking_page``): the database orders the
edition's applications by the same score (``SCORE_SQL``, one query), and only the applications
of the page are loaded with their reviewers and scores, whose figures are computed here as
above.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import F
from django.db.models.expressions import RawSQL

from organisations.models import User
from programme.models import Edition, ReviewCriterion

from ..models import Application, Review, ReviewAssignment, ReviewScore
from ..workflow import RANKED_STATUSES


def weighted_score(scores: dict[int, int], weights: dict[int, Decimal]) -> Decimal | None:
    """``Σ w_c × s_c / Σ w_c`` over the criteria scored; None when nothing is scored."""
    scored = [(weights[c], Decimal(s)) for c, s in scores.items() if c in weights]
    total_weight = sum((w for w, _s in scored), Decimal(0))
    if not total_weight:
        return None
    return sum((w * s for w, s in scored), Decimal(0)) / total_weight


@dataclasses.dataclass
class ReviewerLine:
    reviewer: User
    scores: dict[int, int]
    weighted: Decimal | None
    recommendation: str
    recommendation_label: str
    comment: str
    is_submitted: bool
    ordered_scores: list[int | None] = dataclasses.field(default_factory=list)

    @property
    def scores_text(self) -> str:
        """The scores in the criteria's order, "5 · 2 · —" (— for a criterion not scored):
        written here once, not value by value in the page's template."""
        return " · ".join(str(value) if value else "—" for value in self.ordered_scores)


@dataclasses.dataclass
class RankedApplication:
    application: Application
    reviewers: list[ReviewerLine]
    score: Decimal | None
    spread: Decimal | None
    submitted: int
    expected: int
    rank: int | None = None

    @property
    def missing(self) -> int:
        return max(self.expected - self.submitted, 0)


# An application's score in SQL: the mean over its submitted reviews by reviewers not recused
# of each review's weighted score (Σ weight × score ÷ Σ weight over this edition's criteria).
SCORE_SQL = """
SELECT AVG(reviews.weighted) FROM (
    SELECT SUM(c.weight * s.score) / NULLIF(SUM(c.weight), 0) AS weighted
    FROM grants_reviewassignment a
    JOIN grants_review r ON r.assignment_id = a.id
    JOIN grants_reviewscore s ON s.review_id = r.id
    JOIN programme_reviewcriterion c ON c.id = s.criterion_id
    WHERE a.application_id = grants_application.id
      AND c.edition_id = %s
      AND NOT a.is_recused
      AND r.submitted_at IS NOT NULL
    GROUP BY r.id
) reviews
"""
PAGE_SIZE = 50

# The same score for applications of any editions (each scored on its own edition's criteria),
# and the number of reviews it averages: for the exports of the back office's lists.
ANY_EDITION_SCORE_SQL = SCORE_SQL.replace("%s", "grants_application.edition_id")
SUBMITTED_REVIEWS_SQL = """
SELECT COUNT(*) FROM grants_reviewassignment a
JOIN grants_review r ON r.assignment_id = a.id
WHERE a.application_id = grants_application.id
  AND NOT a.is_recused
  AND r.submitted_at IS NOT NULL
"""
REVIEW_SCORE_SQL = """
SELECT SUM(c.weight * s.score) / NULLIF(SUM(c.weight), 0)
FROM grants_reviewscore s
JOIN programme_reviewcriterion c ON c.id = s.criterion_id
WHERE s.review_id = grants_review.id
"""


def application_scores(queryset):
    """``queryset`` of applications with ``score`` (see the module) and ``reviews_submitted``."""
    return queryset.annotate(
        score=RawSQL(ANY_EDITION_SCORE_SQL, []),  # noqa: S611 (fixed SQL)
        reviews_submitted=RawSQL(SUBMITTED_REVIEWS_SQL, []),  # noqa: S611 (fixed SQL)
    )


def review_scores(queryset):
    """``queryset`` of reviews with ``weighted`` (the review's weighted score)."""
    return queryset.annotate(weighted=RawSQL(REVIEW_SCORE_SQL, []))  # noqa: S611 (fixed SQL)


def ranked_applications(*, edition: Edition, statuses=RANKED_STATUSES):
    """The edition's applications in ``statuses``, best score first (no score last), ties in
    the order of submission: the order of the ranking, from the database."""
    return (
        Application.objects.filter(edition=edition, status__in=statuses)
        .annotate(ranking_score=RawSQL(SCORE_SQL, [edition.pk]))  # noqa: S611 (fixed SQL, one parameter)
        .order_by(F("ranking_score").desc(nulls_last=True), "submitted_at", "pk")
    )


# What the ranking shows of an application: the rest (its long texts) stays in the database.
# Model instances cost most of the page's time (issue 14): the reviews come as plain values,
# their reviewers once each.
APPLICATION_FIELDS = (
    "title",
    "status",
    "requested_amount",
    "currency",
    "edition_id",
    "organisation__name",
)


def _rows(applications, criteria, edition: Edition, first_rank: int) -> list[RankedApplication]:
    """The ranking's rows of ``applications`` (already in ranking order), numbered from
    ``first_rank``; four queries for the applications, their reviews, the reviewers and the
    scores."""
    weights = {criterion.pk: criterion.weight for criterion in criteria}
    ids = [application.pk for application in applications]
    loaded = {
        application.pk: application
        for application in Application.objects.filter(pk__in=ids)
        .select_related("organisation")
        .only(*APPLICATION_FIELDS)
    }
    # In the order of the reviewer inline (the assignments' own ordering).
    reviews = list(
        ReviewAssignment.objects.filter(application__in=ids, is_recused=False).values_list(
            "application_id",
            "reviewer_id",
            "review__id",
            "review__recommendation",
            "review__comment",
            "review__submitted_at",
        )
    )
    reviewers = User.objects.only("full_name", "email").in_bulk({row[1] for row in reviews})
    scores_of: dict[int, dict[int, int]] = {}
    for review_id, criterion_id, score in (
        ReviewScore.objects.filter(review__assignment__application__in=ids)
        .order_by("review", "criterion__order")
        .values_list("review_id", "criterion_id", "score")
    ):
        scores_of.setdefault(review_id, {})[criterion_id] = score
    labels = dict(Review.Recommendation.choices)
    lines_of: dict[int, list[ReviewerLine]] = {pk: [] for pk in ids}
    for application_id, reviewer_id, review_id, recommendation, comment, submitted_at in reviews:
        scores = scores_of.get(review_id, {})
        lines_of[application_id].append(
            ReviewerLine(
                reviewer=reviewers[reviewer_id],
                scores=scores,
                weighted=weighted_score(scores, weights),
                recommendation=recommendation or "",
                # As ``get_recommendation_display``: the label, or the value itself.
                recommendation_label=(
                    str(labels.get(recommendation, recommendation)) if review_id else ""
                ),
                comment=comment or "",
                is_submitted=submitted_at is not None,
                ordered_scores=[scores.get(criterion.pk) for criterion in criteria],
            )
        )
    rows = []
    for application in (loaded[pk] for pk in ids):
        lines = lines_of[application.pk]
        submitted = [
            line.weighted for line in lines if line.is_submitted and line.weighted is not None
        ]
        rows.append(
            RankedApplication(
                application=application,
                reviewers=lines,
                score=sum(submitted, Decimal(0)) / len(submitted) if submitted else None,
                spread=max(submitted) - min(submitted) if submitted else None,
                submitted=len(submitted),
                expected=max(edition.min_reviewers_per_application, len(lines)),
            )
        )
    # The database ordered by the same score; scored rows come first, so a row's rank is its
    # place in the whole ranking.
    for n, row in enumerate(rows, start=first_rank):
        row.rank = n if row.score is not None else None
    return rows


def ranking(
    *, edition: Edition, statuses=RANKED_STATUSES
) -> tuple[list[ReviewCriterion], list[RankedApplication]]:
    """The edition's criteria and all its applications in ``statuses``, best score first."""
    criteria = list(edition.criteria.all())
    ordered = ranked_applications(edition=edition, statuses=statuses).only("pk")
    return criteria, _rows(ordered, criteria, edition, first_rank=1)


def ranking_page(
    *, edition: Edition, number=1, per_page: int = PAGE_SIZE, statuses=RANKED_STATUSES
) -> tuple[list[ReviewCriterion], Page]:
    """The criteria and one page of the ranking (``number``, as typed: a wrong one gives the
    nearest page); the page's ``object_list`` holds its ``RankedApplication`` rows."""
    criteria = list(edition.criteria.all())
    ordered = ranked_applications(edition=edition, statuses=statuses).only("pk")
    page = Paginator(ordered, per_page).get_page(number)
    page.object_list = _rows(page.object_list, criteria, edition, first_rank=page.start_index())
    return criteria, page
