"""The panel: balanced bulk assignment, automatic recusal of the applicant's members, conflicts
declared before the content is shown, scores within the scale, and what each person may see."""

from collections import Counter

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from grants import services
from grants.errors import ReviewError
from grants.models import Review, ReviewAssignment
from organisations.models import Membership

from .factories import (
    applicant,
    assign,
    draft,
    open_edition,
    reviewer_user,
    secretariat_user,
    submit_review,
    under_review,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    return open_edition()


@pytest.fixture
def secretary():
    return secretariat_user()


@pytest.fixture
def reviewers():
    return [reviewer_user(f"reviewer{n}@example.org", full_name=f"Reviewer {n}") for n in range(5)]


# --- bulk assignment ----------------------------------------------------------------------------


def test_bulk_assignment_is_balanced_and_gives_at_least_n(edition, secretary, reviewers):
    applications = [under_review(edition, secretary) for _n in range(10)]
    result = services.reviewers_assign(
        applications=applications, reviewers=reviewers, per_application=3, actor=secretary
    )
    assert len(result.created) == 30 and not result.short
    per_application = Counter(a.application_id for a in result.created)
    assert set(per_application.values()) == {3}
    load = Counter(a.reviewer_id for a in result.created)
    assert set(load.values()) == {6}  # 30 places over 5 reviewers
    assert all(a.assigned_by == secretary for a in result.created)

    # Again with four per application: existing assignments count, nobody is given twice.
    result = services.reviewers_assign(
        applications=applications, reviewers=reviewers, per_application=4, actor=secretary
    )
    assert len(result.created) == 10
    assert ReviewAssignment.objects.values("application", "reviewer").distinct().count() == 40
    load = Counter(ReviewAssignment.objects.values_list("reviewer_id", flat=True))
    # Greedy under the "not twice" rule: as even as the earlier assignments allow.
    assert sum(load.values()) == 40 and max(load.values()) - min(load.values()) <= 2


def test_fewest_loaded_reviewers_first(edition, secretary, reviewers):
    busy = under_review(edition, secretary)
    services.reviewers_assign(
        applications=[busy], reviewers=reviewers[:2], per_application=2, actor=secretary
    )
    new = under_review(edition, secretary)
    result = services.reviewers_assign(
        applications=[new], reviewers=reviewers, per_application=3, actor=secretary
    )
    assert {a.reviewer for a in result.created} == set(reviewers[2:])


def test_never_a_member_of_the_applicant(edition, secretary, reviewers):
    application = under_review(edition, secretary)
    Membership.objects.create(user=reviewers[0], organisation=application.organisation)
    result = services.reviewers_assign(
        applications=[application], reviewers=reviewers[:3], per_application=3, actor=secretary
    )
    assert reviewers[0] not in {a.reviewer for a in result.created}
    assert result.short == [application]  # only two eligible reviewers were offered


def test_not_under_review_is_skipped(edition, secretary, reviewers):
    application = draft(edition)
    result = services.reviewers_assign(
        applications=[application], reviewers=reviewers, per_application=3, actor=secretary
    )
    assert result.skipped == [application] and not result.created


def test_only_the_secretariat_assigns(edition, secretary, reviewers):
    application = under_review(edition, secretary)
    with pytest.raises(ReviewError):
        services.reviewers_assign(
            applications=[application], reviewers=reviewers, per_application=1, actor=reviewers[0]
        )


def test_hand_made_assignment_of_a_member_is_recused(client, edition, secretary, reviewers):
    application = under_review(edition, secretary)
    Membership.objects.create(user=reviewers[0], organisation=application.organisation)
    client.force_login(secretary)
    response = client.post(
        reverse("admin:grants_reviewassignment_add"),
        {"application": application.pk, "reviewer": reviewers[0].pk, "conflict": "undeclared"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assignment = ReviewAssignment.objects.get()
    assert assignment.is_recused
    assert assignment.conflict == ReviewAssignment.Conflict.CONFLICT


def test_assign_page(client, edition, secretary, reviewers):
    applications = [under_review(edition, secretary) for _n in range(2)]
    client.force_login(secretary)
    url = reverse("secretariat:assign")
    ids = ",".join(str(a.pk) for a in applications)
    page = client.get(url, {"ids": ids})
    assert page.status_code == 200
    assert "Reviewer 4" in page.content.decode()
    response = client.post(
        url,
        {"ids": ids, "per_application": "2", "reviewers": [r.pk for r in reviewers]},
        follow=True,
    )
    assert "4 assignment(s) made." in response.content.decode()
    assert ReviewAssignment.objects.count() == 4


# --- conflicts and scores -----------------------------------------------------------------------


@pytest.fixture
def assignment(edition, secretary, reviewers):
    application = under_review(edition, secretary, title="Peer support in Cusco")
    return assign(application, reviewers[0], secretary)


def test_content_only_after_declaring_no_conflict(client, assignment):
    client.force_login(assignment.reviewer)
    detail = reverse("review:assignment", kwargs={"pk": assignment.pk})
    response = client.get(detail)
    assert response.status_code == 302
    assert response["Location"] == reverse("review:conflict", kwargs={"pk": assignment.pk})
    conflict_page = client.get(response["Location"]).content.decode()
    assert "Peer support in Cusco" in conflict_page
    assert "Peer workshops" not in conflict_page  # no content before the declaration
    assert "Six workshops" not in conflict_page

    response = client.post(response["Location"], {"conflict": "none"})
    assert response.status_code == 302
    content = client.get(detail).content.decode()
    assert "Peer workshops" in content and "Forty trained peers." in content
    assignment.refresh_from_db()
    assert assignment.conflict == ReviewAssignment.Conflict.NONE
    assert assignment.conflict_declared_at is not None


def test_a_conflict_recuses_and_the_content_is_never_shown(client, assignment):
    client.force_login(assignment.reviewer)
    conflict = reverse("review:conflict", kwargs={"pk": assignment.pk})
    response = client.post(conflict, {"conflict": "conflict", "note": "I sit on their board."})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.is_recused
    assert assignment.conflict_note == "I sit on their board."
    assert client.get(reverse("review:assignment", kwargs={"pk": assignment.pk})).status_code == 404
    assert client.get(conflict).status_code == 404
    listing = client.get(reverse("review:list")).content.decode()
    assert "Recused" in listing
    assert reverse("review:assignment", kwargs={"pk": assignment.pk}) not in listing


def test_scoring_saves_then_submits(client, assignment):
    reviewer = assignment.reviewer
    services.conflict_declare(assignment=assignment, actor=reviewer, has_conflict=False)
    criteria = {c.name_en: c for c in assignment.application.edition.criteria.all()}
    relevance, feasibility = criteria["Relevance"], criteria["Feasibility"]
    client.force_login(reviewer)
    url = reverse("review:assignment", kwargs={"pk": assignment.pk})

    # Saving a partial review is fine; submitting it is not.
    response = client.post(url, {f"criterion_{relevance.pk}": "4", "action": "save"})
    assert response.status_code == 302
    review = Review.objects.get(assignment=assignment)
    assert review.submitted_at is None
    response = client.post(url, {f"criterion_{relevance.pk}": "4", "action": "submit"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Score this criterion." in content and "Choose a recommendation." in content
    review.refresh_from_db()
    assert review.submitted_at is None

    response = client.post(
        url,
        {
            f"criterion_{relevance.pk}": "4",
            f"criterion_{feasibility.pk}": "3",
            "recommendation": "yes",
            "comment": "Solid plan.",
            "action": "submit",
        },
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.submitted_at is not None
    assert {s.criterion_id: s.score for s in review.scores.all()} == {
        relevance.pk: 4,
        feasibility.pk: 3,
    }
    # Submitted: read-only from now on.
    with pytest.raises(ReviewError, match="submitted"):
        services.review_save(
            assignment=assignment, actor=reviewer, scores={relevance.pk: 1}, submit=True
        )
    assert "Solid plan." in client.get(url).content.decode()


@pytest.mark.parametrize("score", [0, 6])
def test_scores_stay_within_the_scale(assignment, score):
    services.conflict_declare(assignment=assignment, actor=assignment.reviewer, has_conflict=False)
    criterion = assignment.application.edition.criteria.first()
    with pytest.raises(ReviewError) as error:
        services.review_save(
            assignment=assignment, actor=assignment.reviewer, scores={criterion.pk: score}
        )
    assert error.value.errors == {f"criterion_{criterion.pk}": "Give a score from 1 to 5."}
    assert not Review.objects.filter(scores__isnull=False).exists()


def test_only_the_reviewer_scores_and_only_without_conflict(assignment, reviewers):
    criterion = assignment.application.edition.criteria.first()
    with pytest.raises(ReviewError, match="conflict"):
        services.review_save(
            assignment=assignment, actor=assignment.reviewer, scores={criterion.pk: 3}
        )
    services.conflict_declare(assignment=assignment, actor=assignment.reviewer, has_conflict=False)
    with pytest.raises(ReviewError, match="not your review"):
        services.review_save(assignment=assignment, actor=reviewers[1], scores={})
    with pytest.raises(ReviewError):
        services.conflict_declare(assignment=assignment, actor=reviewers[1], has_conflict=True)


# --- who sees what ------------------------------------------------------------------------------


def test_reviewer_cannot_read_an_application_not_assigned_to_them(
    client, edition, secretary, reviewers, assignment
):
    other = assign(under_review(edition, secretary), reviewers[1], secretary)
    services.conflict_declare(assignment=other, actor=reviewers[1], has_conflict=False)
    client.force_login(assignment.reviewer)
    for name in ("review:assignment", "review:conflict"):
        assert client.get(reverse(name, kwargs={"pk": other.pk})).status_code == 404
    # Nor through the applicant's pages, nor the documents.
    assert (
        client.get(reverse("calls:application", kwargs={"pk": other.application_id})).status_code
        == 404
    )
    listing = client.get(reverse("review:list")).content.decode()
    assert other.application.title not in listing or other.application.title == (
        assignment.application.title
    )
    assert str(other.application.organisation) not in listing


def test_identity_hidden_when_the_edition_says_so(client, edition, secretary, reviewers):
    edition.hide_applicant_identity = True
    edition.save()
    application = draft(edition)
    organisation = application.organisation
    document = services.attachment_add(
        application=application,
        actor=applicant(application),
        upload=SimpleUploadedFile(f"{organisation.name} budget.pdf", b"%PDF-1.4 test"),
    )
    services.application_submit(application=application, actor=applicant(application))
    application = services.application_screen(
        application=application, actor=secretary, is_eligible=True
    )
    assignment = assign(application, reviewers[0], secretary)
    client.force_login(reviewers[0])
    pages = [
        client.get(reverse("review:list")),
        client.get(reverse("review:conflict", kwargs={"pk": assignment.pk})),
    ]
    client.post(reverse("review:conflict", kwargs={"pk": assignment.pk}), {"conflict": "none"})
    pages.append(client.get(reverse("review:assignment", kwargs={"pk": assignment.pk})))
    for response in pages:
        assert response.status_code == 200
        content = response.content.decode()
        assert organisation.name not in content
        assert f"Application {application.pk}" in content
    assert "Peer workshops" in pages[-1].content.decode()
    download = client.get(
        reverse("review:attachment", kwargs={"pk": assignment.pk, "attachment_pk": document.pk})
    )
    assert download.status_code == 200
    assert organisation.name not in download["Content-Disposition"]
    assert f"document-{document.pk}.pdf" in download["Content-Disposition"]

    edition.hide_applicant_identity = False
    edition.save()
    shown = client.get(reverse("review:assignment", kwargs={"pk": assignment.pk}))
    assert organisation.name in shown.content.decode()


def test_applicant_never_sees_reviews(client, edition, secretary, reviewers):
    application = under_review(edition, secretary)
    assignment = assign(application, reviewers[0], secretary)
    submit_review(
        assignment, {"Relevance": 2, "Feasibility": 2}, recommendation="no", comment="Weak plan."
    )
    client.force_login(applicant(application))
    for url in (
        reverse("calls:application", kwargs={"pk": application.pk}),
        reverse("calls:applications"),
        reverse("public:call", kwargs={"slug": edition.slug}),
    ):
        content = client.get(url).content.decode()
        assert "Weak plan." not in content
        assert "Reviewer 0" not in content
        assert "Do not fund" not in content
    assert client.get(reverse("review:assignment", kwargs={"pk": assignment.pk})).status_code == 404
    assert (
        "No application is assigned to you." in client.get(reverse("review:list")).content.decode()
    )
