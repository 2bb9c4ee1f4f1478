"""Every page of the call and of the review panel is valid HTML for the Nu HTML Checker."""

import pytest
from django.urls import reverse

from grants import services
from tests.factories import UserFactory
from tests.grants.factories import (
    applicant,
    assign,
    draft,
    open_edition,
    reviewer_user,
    secretariat_user,
    submit_review,
    submitted,
    under_review,
)
from tests.html_checker import vnu_errors

pytestmark = pytest.mark.django_db


def test_call_and_review_pages_are_valid_html(client, tmp_path):
    edition = open_edition()
    secretary = secretariat_user()
    mine = draft(edition)
    sent = submitted(edition)
    reviewed = under_review(edition, secretary)
    reviewer = reviewer_user("panel@example.org")
    undeclared = assign(reviewed, reviewer, secretary)
    other = under_review(edition, secretary)
    scored = assign(other, reviewer, secretary)
    submit_review(scored, {"Relevance": 4, "Feasibility": 3})

    pages = {}
    pages["calls-index"] = client.get(reverse("public:calls"))
    pages["call"] = client.get(reverse("public:call", kwargs={"slug": edition.slug}))
    pages["apply-choice"] = client.get(reverse("calls:apply", kwargs={"slug": edition.slug}))
    pages["register"] = client.get(reverse("calls:register", kwargs={"slug": edition.slug}))
    pages["register-errors"] = client.post(
        reverse("calls:register", kwargs={"slug": edition.slug}), {"name": ""}
    )
    pages["confirm-failed"] = client.get(
        reverse("calls:confirm", kwargs={"uidb64": "MQ", "token": "x-y"})
    )

    client.force_login(UserFactory())
    pages["no-organisation"] = client.get(reverse("calls:apply", kwargs={"slug": edition.slug}))

    client.force_login(applicant(mine))
    pages["apply"] = client.get(reverse("calls:apply", kwargs={"slug": edition.slug}))
    government = edition.eligibility_questions.get(required_answer=False)
    pages["ineligible"] = client.post(
        reverse("calls:apply", kwargs={"slug": edition.slug}),
        {
            "organisation": mine.organisation_id,
            "title": "x",
            "language": "en",
            **{f"question_{q.pk}": "yes" for q in edition.eligibility_questions.all()},
            f"question_{government.pk}": "yes",
        },
    )
    pages["edit"] = client.get(reverse("calls:edit", kwargs={"pk": mine.pk}))
    pages["edit-errors"] = client.post(
        reverse("calls:edit", kwargs={"pk": mine.pk}),
        {
            "version": str(mine.version),
            "title": "",
            "action": "submit",
            "lines-TOTAL_FORMS": "4",
            "lines-INITIAL_FORMS": "4",
        },
    )
    pages["detail-draft"] = client.get(reverse("calls:application", kwargs={"pk": mine.pk}))
    pages["eligibility"] = client.get(reverse("calls:eligibility", kwargs={"pk": mine.pk}))
    pages["withdraw"] = client.get(reverse("calls:withdraw", kwargs={"pk": mine.pk}))
    pages["applications"] = client.get(reverse("calls:applications"))

    client.force_login(applicant(sent))
    pages["detail-submitted"] = client.get(reverse("calls:application", kwargs={"pk": sent.pk}))

    client.force_login(reviewer)
    pages["review-list"] = client.get(reverse("review:list"))
    pages["conflict"] = client.get(reverse("review:conflict", kwargs={"pk": undeclared.pk}))
    pages["review-done"] = client.get(reverse("review:assignment", kwargs={"pk": scored.pk}))
    services.conflict_declare(assignment=undeclared, actor=reviewer, has_conflict=False)
    pages["review-form"] = client.get(reverse("review:assignment", kwargs={"pk": undeclared.pk}))

    files = []
    for name, response in pages.items():
        assert response.status_code in (200, 400, 409), (name, response.status_code)
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(path)
    assert vnu_errors(files) == []
