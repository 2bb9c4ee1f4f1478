"""Applying: the call window and its time zone, eligibility first, one application per
organisation, drafts that save anything, full checks at submission, documents checked by
content, and an organisation that never reaches another's application."""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.files import UploadRejected, max_bytes
from grants import services
from grants.errors import ApplicationError, DuplicateApplication
from grants.models import Application, ApplicationAttachment
from grants.services.drafts import MAX_ATTACHMENTS
from grants.workflow import ApplicationStatus
from programme.models import EligibilityQuestion
from tests.factories import OrganisationFactory, UserFactory

from .factories import (
    applicant,
    complete_data,
    draft,
    eligible_answers,
    member_of,
    open_edition,
    secretariat_user,
    submitted,
)

pytestmark = pytest.mark.django_db

A = ApplicationStatus


@pytest.fixture
def edition():
    return open_edition()


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Acción Andina")


@pytest.fixture
def member(organisation):
    return member_of(organisation, email="ana@example.org")


def start(edition, organisation, member, **answers):
    return services.application_start(
        edition=edition,
        organisation=organisation,
        actor=member,
        answers=answers or eligible_answers(edition),
        title="Our project",
    )


def close(edition, *, ago: datetime.timedelta = datetime.timedelta(minutes=1)):
    edition.application_closes_at = timezone.now() - ago
    edition.application_opens_at = edition.application_closes_at - datetime.timedelta(days=30)
    edition.save()


# --- the call window ----------------------------------------------------------------------------


def test_call_state_follows_the_window(edition):
    opens, closes = edition.application_opens_at, edition.application_closes_at
    assert edition.call_state(opens - datetime.timedelta(seconds=1)) == "upcoming"
    assert edition.call_state(opens) == "open"
    assert edition.call_state(closes - datetime.timedelta(seconds=1)) == "open"
    assert edition.call_state(closes) == "closed"
    edition.application_opens_at = None
    assert edition.call_state() == "none"


def test_deadline_is_shown_in_the_calls_time_zone(edition):
    edition.application_closes_at = datetime.datetime(2030, 3, 31, 21, 59, tzinfo=datetime.UTC)
    edition.application_time_zone = "Europe/Paris"
    local = edition.call_closes_local
    assert (local.hour, local.minute, local.tzname()) == (23, 59, "CEST")


def test_no_draft_outside_the_window(edition, organisation, member):
    close(edition)
    with pytest.raises(ApplicationError, match=r"This call closed on .* \(Europe/Paris\)"):
        start(edition, organisation, member)
    edition.application_opens_at = timezone.now() + datetime.timedelta(days=1)
    edition.application_closes_at = timezone.now() + datetime.timedelta(days=9)
    edition.save()
    with pytest.raises(ApplicationError, match="not open yet"):
        start(edition, organisation, member)
    assert not Application.objects.exists()


def test_after_the_deadline_submitting_is_refused_and_the_draft_stays(edition, organisation):
    application = draft(edition, organisation)
    member = applicant(application)
    before = Application.objects.filter(pk=application.pk).values().get()
    close(edition)
    with pytest.raises(ApplicationError) as error:
        services.application_submit(application=application, actor=member)
    assert "This call closed on" in error.value.message
    assert "Your draft is kept" in error.value.message
    after = Application.objects.filter(pk=application.pk).values().get()
    assert after == before
    assert after["status"] == A.DRAFT
    # It can still be saved: what the applicant typed is never lost.
    services.application_update(
        application=application, actor=member, data={"places": "Oruro"}, version=after["version"]
    )


# --- eligibility and duplicates -----------------------------------------------------------------


def test_eligibility_questions_stop_an_ineligible_applicant_with_the_reasons(
    edition, organisation, member
):
    led, government = edition.eligibility_questions.order_by("order")
    with pytest.raises(ApplicationError) as error:
        start(edition, organisation, member, **{str(led.pk): False, str(government.pk): True})
    assert sorted(error.value.errors.values()) == [
        "Government bodies cannot apply.",
        "The call funds community-led organisations only.",
    ]
    with pytest.raises(ApplicationError):
        start(edition, organisation, member, **{str(led.pk): True})  # one unanswered
    assert not Application.objects.exists()
    application = start(edition, organisation, member)
    assert application.eligibility_answers == {str(led.pk): True, str(government.pk): False}


def test_a_new_question_must_be_answered_before_submitting(edition, organisation):
    application = draft(edition, organisation)
    question = EligibilityQuestion.objects.create(
        edition=edition, text_en="Do you work with people who use drugs?", required_answer=True
    )
    with pytest.raises(ApplicationError) as error:
        services.application_submit(application=application, actor=applicant(application))
    assert "eligibility" in error.value.errors
    services.application_update_eligibility(
        application=application,
        actor=applicant(application),
        answers={**application.eligibility_answers, str(question.pk): True},
    )
    services.application_submit(application=application, actor=applicant(application))


def test_one_application_per_organisation_and_edition(edition, organisation, member):
    first = start(edition, organisation, member)
    colleague = member_of(organisation)
    with pytest.raises(DuplicateApplication) as error:
        start(edition, organisation, colleague)
    assert error.value.existing == first
    # Another organisation, or another edition, is not a duplicate.
    start(open_edition(), organisation, member)
    other = OrganisationFactory()
    start(edition, other, member_of(other))
    # A withdrawn application no longer counts.
    services.application_withdraw(application=first, actor=member)
    start(edition, organisation, member)


def test_several_applications_when_the_edition_allows_them(edition, organisation, member):
    edition.allow_multiple_applications = True
    edition.save()
    start(edition, organisation, member)
    start(edition, organisation, member)
    assert Application.objects.filter(organisation=organisation).count() == 2


def test_only_members_apply_for_their_organisation(edition, organisation):
    with pytest.raises(ApplicationError, match="belong to"):
        start(edition, organisation, UserFactory())


# --- drafts and submission ----------------------------------------------------------------------


def test_a_draft_saves_anything_and_submission_checks_everything(edition, organisation, member):
    application = start(edition, organisation, member)
    application = services.application_update(
        application=application,
        actor=member,
        data={"title": "", "requested_amount": Decimal("99999")},
        version=application.version,
    )
    with pytest.raises(ApplicationError) as error:
        services.application_submit(application=application, actor=member)
    assert set(error.value.errors) == {
        "title",
        "summary",
        "countries",
        "themes",
        "lines_of_action",
        "expected_results",
        "requested_amount",
        "budget_outline",
    }
    assert (
        "The amount must be between 4,000\xa0USD and 5,000\xa0USD."
        in (error.value.errors["requested_amount"])
    )
    application.refresh_from_db()
    assert application.status == A.DRAFT
    assert application.requested_amount == Decimal("99999")


def test_a_stale_save_is_refused(edition, organisation, member):
    application = start(edition, organisation, member)
    read_at = application.version
    services.application_update(
        application=application, actor=member, data={"summary": "Mine"}, version=read_at
    )
    with pytest.raises(ApplicationError, match="Someone else saved"):
        services.application_update(
            application=application, actor=member, data={"summary": "Theirs"}, version=read_at
        )
    application.refresh_from_db()
    assert application.summary == "Mine"


def test_a_submitted_application_can_no_longer_be_changed(edition):
    application = submitted(edition)
    with pytest.raises(ApplicationError, match="can no longer be changed"):
        services.application_update(
            application=application,
            actor=applicant(application),
            data={"summary": "Later"},
            version=application.version,
        )


def test_the_applicant_may_withdraw_before_a_decision(edition):
    application = submitted(edition)
    application = services.application_withdraw(
        application=application, actor=applicant(application), comment="We merged projects."
    )
    assert application.status == A.WITHDRAWN
    assert application.history.first().comment == "We merged projects."


# --- documents ----------------------------------------------------------------------------------


def docx_bytes(part: str = "word/document.xml") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("budget.pdf", b"%PDF-1.7\n...", "application/pdf"),
        (
            "plan.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "budget.xlsx",
            docx_bytes("xl/workbook.xml"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ],
)
def test_documents_are_typed_by_their_content(edition, name, content, content_type):
    application = draft(edition)
    attachment = services.attachment_add(
        application=application,
        actor=applicant(application),
        upload=SimpleUploadedFile(name, content, content_type="text/plain"),
        description="Budget",
    )
    assert attachment.content_type == content_type
    assert attachment.file.name.startswith(f"private/applications/{application.pk}/")
    assert attachment.original_name == name


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.pdf", b"MZ\x90\x00 not a pdf", "not a file we accept"),
        ("archive.docx", docx_bytes("other/file.xml"), "not a file we accept"),
        ("empty.pdf", b"", "is empty"),
        ("huge.pdf", b"%PDF-" + b"0" * max_bytes(), "at most"),
    ],
)
def test_other_files_are_refused(edition, name, content, message):
    application = draft(edition)
    with pytest.raises(UploadRejected, match=message):
        services.attachment_add(
            application=application,
            actor=applicant(application),
            upload=SimpleUploadedFile(name, content, content_type="application/pdf"),
        )
    assert not ApplicationAttachment.objects.exists()


def test_five_documents_at_most(edition):
    application = draft(edition)
    for n in range(MAX_ATTACHMENTS):
        services.attachment_add(
            application=application,
            actor=applicant(application),
            upload=SimpleUploadedFile(f"{n}.pdf", b"%PDF-1.4"),
        )
    with pytest.raises(ApplicationError, match="5 attachments at most"):
        services.attachment_add(
            application=application,
            actor=applicant(application),
            upload=SimpleUploadedFile("6.pdf", b"%PDF-1.4"),
        )


def test_complete_data_helper_is_complete(edition):
    application = draft(edition)
    assert services.completeness_errors(application) == {}
    assert complete_data(edition)["requested_amount"] == Decimal("4500.00")
    secretariat_user()  # the secretariat exists for the notifications of the next tests
