"""The secretariat's call pages in the back office (screening, more information, the
application page) and the list pages' query counts."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grants import services
from grants.models import Application
from grants.workflow import ApplicationStatus
from notifications.models import Notification
from tests.grants.factories import (
    applicant,
    assign,
    draft,
    open_edition,
    reviewer_user,
    secretariat_user,
    submitted,
    under_review,
)

pytestmark = pytest.mark.django_db

A = ApplicationStatus


@pytest.fixture
def edition():
    return open_edition()


@pytest.fixture
def secretary():
    return secretariat_user()


@pytest.fixture
def office(client, secretary):
    client.force_login(secretary)
    return client


def test_bulk_screening_as_eligible(office, edition):
    first, second = submitted(edition), submitted(edition)
    still_draft = draft(edition)
    response = office.post(
        reverse("admin:grants_application_changelist"),
        {
            "action": "screen_eligible",
            "_selected_action": [first.pk, second.pk, still_draft.pk],
        },
        follow=True,
    )
    content = response.content.decode()
    assert "2 application(s) sent to review." in content
    assert "cannot go from “Draft” to “Under review”" in content
    assert dict(Application.objects.values_list("pk", "status")) == {
        first.pk: A.UNDER_REVIEW,
        second.pk: A.UNDER_REVIEW,
        still_draft.pk: A.DRAFT,
    }


def test_screening_out_with_a_reason(office, edition):
    application = submitted(edition)
    response = office.post(
        reverse("admin:grants_application_changelist"),
        {"action": "screen", "_selected_action": [application.pk]},
    )
    assert response.status_code == 302
    page = office.get(response["Location"])
    assert application.title in page.content.decode()
    refused = office.post(response["Location"], {"ids": str(application.pk), "comment": ""})
    assert refused.status_code == 200  # the reason is required: nothing happens
    application.refresh_from_db()
    assert application.status == A.SUBMITTED
    done = office.post(
        reverse("secretariat:screen"),
        {"ids": str(application.pk), "comment": "Not community-led."},
    )
    assert done.status_code == 302
    application.refresh_from_db()
    assert application.status == A.INELIGIBLE
    # The applicant reads the reason on their page.
    office.force_login(applicant(application))
    detail = office.get(reverse("calls:application", kwargs={"pk": application.pk}))
    assert "Not community-led." in detail.content.decode()


def test_request_more_information_from_the_application_page(office, edition, secretary):
    application = under_review(edition, secretary)
    page = office.get(reverse("admin:grants_application_change", args=[application.pk]))
    content = page.content.decode()
    more_info = f"{reverse('secretariat:more_info')}?ids={application.pk}"
    assert more_info in content
    assert f"{reverse('secretariat:decide')}?ids={application.pk}" in content
    response = office.post(
        reverse("secretariat:more_info"),
        {"ids": str(application.pk), "comment": "Which neighbourhoods?"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == A.MORE_INFO
    assert Notification.objects.filter(kind="more_info_requested").exists()

    # The applicant sees the question on the form, answers and submits again.
    office.force_login(applicant(application))
    form = office.get(reverse("calls:edit", kwargs={"pk": application.pk})).content.decode()
    assert "Which neighbourhoods?" in form and "Submit again" in form
    services.application_submit(application=application, actor=applicant(application))
    application.refresh_from_db()
    assert application.status == A.SUBMITTED


def test_documents_on_the_application_page_go_through_the_checked_view(office, edition):
    application = draft(edition)
    document = services.attachment_add(
        application=application,
        actor=applicant(application),
        upload=SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan"),
    )
    content = office.get(
        reverse("admin:grants_application_change", args=[application.pk])
    ).content.decode()
    link = reverse("calls:attachment", kwargs={"pk": application.pk, "attachment_pk": document.pk})
    assert link in content
    assert document.file.name not in content
    assert office.get(link).status_code == 200  # the secretariat may download it
    page = office.get(reverse("admin:grants_applicationattachment_change", args=[document.pk]))
    assert document.file.name not in page.content.decode()


def test_review_list_costs_the_same_with_more_assignments(client, edition, secretary):
    reviewer = reviewer_user("panel@example.org")
    assign(under_review(edition, secretary), reviewer, secretary)
    client.force_login(reviewer)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("review:list"))
        assert response.status_code == 200
        return len(captured)

    once = queries()
    for _n in range(6):
        assign(under_review(edition, secretary), reviewer, secretary)
    assert queries() == once


def test_calls_index_costs_the_same_with_more_calls(client):
    open_edition()

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("public:calls"))
        assert response.status_code == 200
        return len(captured)

    once = queries()
    for _n in range(4):
        open_edition()
    assert queries() == once
