"""The ranking: weighted scores checked against a hand-computed example, missing reviews
highlighted, and a fixed number of queries with 90 applications × 3 reviewers, shown a page
at a time in the same order as the whole ranking."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grants import services
from grants.selectors.ranking import PAGE_SIZE, ranking, ranking_page, weighted_score

from .factories import (
    open_edition,
    reviewer_user,
    secretariat_user,
    submit_review,
    under_review,
)

pytestmark = pytest.mark.django_db


def q(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.0001"))


def test_weighted_score_of_one_review():
    # Relevance weight 2 scored 5, feasibility weight 1 scored 2: (2×5 + 1×2) / 3 = 4.
    assert weighted_score({1: 5, 2: 2}, {1: Decimal(2), 2: Decimal(1)}) == 4
    assert q(weighted_score({1: 3, 2: 4}, {1: Decimal(2), 2: Decimal(1)})) == q("3.3333")
    assert weighted_score({}, {1: Decimal(2)}) is None


@pytest.fixture
def panel():
    edition = open_edition()  # relevance ×2, feasibility ×1, scores 1–5, 3 reviewers expected
    secretary = secretariat_user()
    reviewers = [reviewer_user(f"reviewer{n}@example.org") for n in (1, 2, 3)]
    return edition, secretary, reviewers


def assignment_of(application, reviewer):
    return application.assignments.get(reviewer=reviewer)


def test_hand_computed_example(panel):
    edition, secretary, (r1, r2, r3) = panel
    x = under_review(edition, secretary, title="X")
    y = under_review(edition, secretary, title="Y")
    z = under_review(edition, secretary, title="Z")
    w = under_review(edition, secretary, title="W")
    services.reviewers_assign(
        applications=[x, y, z, w], reviewers=[r1, r2, r3], per_application=3, actor=secretary
    )
    # X: (2×5+2)/3 = 4, (2×3+4)/3 = 10/3, (2×4+4)/3 = 4 → mean 34/9 = 3.7778, spread 2/3.
    submit_review(assignment_of(x, r1), {"Relevance": 5, "Feasibility": 2})
    submit_review(assignment_of(x, r2), {"Relevance": 3, "Feasibility": 4}, recommendation="maybe")
    submit_review(assignment_of(x, r3), {"Relevance": 4, "Feasibility": 4})
    # Y: (2×2+5)/3 = 3 and (2×1+1)/3 = 1 → mean 2, spread 2; r3 only saved a draft: missing.
    submit_review(assignment_of(y, r1), {"Relevance": 2, "Feasibility": 5})
    submit_review(assignment_of(y, r2), {"Relevance": 1, "Feasibility": 1}, recommendation="no")
    draft = assignment_of(y, r3)
    services.conflict_declare(assignment=draft, actor=r3, has_conflict=False)
    criteria = {c.name_en: c.pk for c in edition.criteria.all()}
    services.review_save(
        assignment=draft, actor=r3, scores={criteria["Relevance"]: 5, criteria["Feasibility"]: 5}
    )
    # W: r1 declares a conflict (recused: does not count), r2 scores 5 and 5 → 5, spread 0.
    services.conflict_declare(
        assignment=assignment_of(w, r1), actor=r1, has_conflict=True, note="Former employer."
    )
    submit_review(assignment_of(w, r2), {"Relevance": 5, "Feasibility": 5})
    # Z: nothing submitted.

    _criteria, rows = ranking(edition=edition)

    by_title = {row.application.title: row for row in rows}
    assert [row.application.title for row in rows] == ["W", "X", "Y", "Z"]
    assert [row.rank for row in rows] == [1, 2, 3, None]
    assert q(by_title["X"].score) == q(Decimal(34) / 9) == Decimal("3.7778")
    assert q(by_title["X"].spread) == Decimal("0.6667")
    assert [q(line.weighted) for line in by_title["X"].reviewers] == [
        Decimal("4.0000"),
        Decimal("3.3333"),
        Decimal("4.0000"),
    ]
    assert by_title["Y"].score == 2
    assert by_title["Y"].spread == 2
    assert (by_title["Y"].submitted, by_title["Y"].expected, by_title["Y"].missing) == (2, 3, 1)
    assert by_title["W"].score == 5 and by_title["W"].spread == 0
    # The recused reviewer is not expected; the minimum of three still is.
    assert (by_title["W"].submitted, by_title["W"].expected, by_title["W"].missing) == (1, 3, 2)
    assert by_title["Z"].score is None and by_title["Z"].missing == 3
    assert [line.ordered_scores for line in by_title["X"].reviewers] == [[5, 2], [3, 4], [4, 4]]


def test_ranking_page_shows_scores_and_highlights_missing_reviews(client, panel):
    edition, secretary, (r1, r2, r3) = panel
    x = under_review(edition, secretary, title="Needle exchange")
    services.reviewers_assign(
        applications=[x], reviewers=[r1, r2, r3], per_application=3, actor=secretary
    )
    submit_review(assignment_of(x, r1), {"Relevance": 5, "Feasibility": 2})
    submit_review(assignment_of(x, r2), {"Relevance": 3, "Feasibility": 4})
    client.force_login(secretary)
    page = client.get(reverse("secretariat:ranking"), {"edition": edition.pk})
    assert page.status_code == 200
    content = page.content.decode()
    assert "Needle exchange" in content
    assert '<td class="num score">3.67</td>' in content  # (4 + 10/3) / 2
    assert '<td class="num spread">0.67</td>' in content
    assert "1 missing" in content
    assert 'class="missing"' in content
    assert "not submitted" in content


def fill(edition, secretary, reviewers, count: int, start: int) -> None:
    applications = [
        under_review(edition, secretary, title=f"Application {n}")
        for n in range(start, start + count)
    ]
    services.reviewers_assign(
        applications=applications, reviewers=reviewers, per_application=3, actor=secretary
    )
    for application in applications:
        for n, assignment in enumerate(application.assignments.select_related("reviewer")):
            submit_review(assignment, {"Relevance": 1 + (n + application.pk) % 5, "Feasibility": 3})


def ranking_page_queries(client, edition) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("secretariat:ranking"), {"edition": edition.pk})
    assert response.status_code == 200
    return len(queries), response.content.decode().count('name="selected"')


def test_ranking_page_queries_do_not_grow_with_90_applications_and_3_reviewers(client, panel):
    edition, secretary, reviewers = panel
    client.force_login(secretary)
    fill(edition, secretary, reviewers, 3, start=1)
    few, rows = ranking_page_queries(client, edition)
    assert rows == 3
    fill(edition, secretary, reviewers, 87, start=4)
    many, rows = ranking_page_queries(client, edition)
    assert rows == PAGE_SIZE == 50
    assert many == few
    _criteria, ranked = ranking(edition=edition)
    assert all(row.submitted == 3 and row.missing == 0 for row in ranked)


def test_the_pages_of_the_ranking_follow_the_whole_ranking(client, panel):
    edition, secretary, reviewers = panel
    fill(edition, secretary, reviewers, 60, start=1)
    _criteria, ranked = ranking(edition=edition)
    scores = [row.score for row in ranked]
    assert scores == sorted(scores, reverse=True)
    _criteria, first = ranking_page(edition=edition, number=1)
    _criteria, second = ranking_page(edition=edition, number="2")
    paged = [*first.object_list, *second.object_list]
    assert [(row.application.pk, row.score, row.rank) for row in paged] == [
        (row.application.pk, row.score, row.rank) for row in ranked
    ]
    assert [row.rank for row in second.object_list][:1] == [51]
    client.force_login(secretary)
    page = client.get(reverse("secretariat:ranking"), {"edition": edition.pk, "page": 2})
    content = page.content.decode()
    assert content.count('name="selected"') == 10
    assert "Page 2 of 2" in content
