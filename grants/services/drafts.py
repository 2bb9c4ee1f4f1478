"""Writes of an application while the applicant writes it: starting it after the eligibility
questions, saving what was typed (with an optimistic lock), its documents.

Nothing here changes a status: submitting is ``services.application_submit``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from core.files import check_upload
from core.workflow import lock
from organisations.models import Organisation
from organisations.selectors import is_member
from programme.models import Edition
from programme.selectors import questions_of

from ..errors import ApplicationError, DuplicateApplication
from ..models import Application, ApplicationAttachment
from ..workflow import ApplicationStatus
from .applications import call_closed_message, eligibility_failures

A = ApplicationStatus
MAX_ATTACHMENTS = 5
# Fields the applicant writes, and that ``application_update`` may change.
EDITABLE_FIELDS = (
    "title",
    "summary",
    "countries",
    "places",
    "lines_of_action",
    "expected_results",
    "requested_amount",
    "budget_outline",
    "language",
    "is_at_risk_requested",
)


# --- starting and editing -----------------------------------------------------------------------


def application_start(
    *,
    edition: Edition,
    organisation: Organisation,
    actor,
    answers: Mapping,
    title: str = "",
    language: str = "en",
) -> Application:
    """Start a draft application of ``organisation`` to ``edition`` after its eligibility answers.

    Guarantees: the actor is a member of the organisation, the call is open, every eligibility
    question is answered as required (else ``ApplicationError`` whose ``errors`` hold the
    reasons), and the organisation has no other live application to the edition unless the
    edition allows several (else ``DuplicateApplication``). The organisation row is locked, so
    two people of one organisation starting at once still make one application.
    """
    with transaction.atomic():
        organisation = lock(organisation)
        if not is_member(actor, organisation.pk):
            raise ApplicationError(_("You can only apply for an organisation you belong to."))
        if not edition.is_call_open():
            raise ApplicationError(call_closed_message(edition))
        reasons = eligibility_failures(questions=questions_of(edition), answers=answers)
        if reasons:
            raise ApplicationError(
                _("Your organisation is not eligible for this call."),
                errors={str(n): reason for n, reason in enumerate(reasons)},
            )
        if not edition.allow_multiple_applications:
            existing = (
                Application.objects.filter(edition=edition, organisation=organisation)
                .exclude(status=A.WITHDRAWN)
                .first()
            )
            if existing is not None:
                raise DuplicateApplication(
                    _(
                        "%(organisation)s already has an application to this call; "
                        "an organisation may send one."
                    )
                    % {"organisation": organisation.name},
                    existing=existing,
                )
        return Application.objects.create(
            edition=edition,
            organisation=organisation,
            title=title.strip(),
            currency=edition.currency,
            language=language,
            created_by=actor,
            eligibility_answers={str(k): bool(v) for k, v in answers.items()},
        )


def application_update_eligibility(
    *, application: Application, actor, answers: Mapping
) -> Application:
    """Record new eligibility answers on an editable application (the questions may have
    changed since it was started). Raises ``ApplicationError`` with the reasons when the new
    answers are not eligible; then nothing changes."""
    with transaction.atomic():
        locked = lock(application, related=("edition",))
        _check_editable(locked, actor)
        reasons = eligibility_failures(questions=questions_of(locked.edition), answers=answers)
        if reasons:
            raise ApplicationError(
                _("Your organisation is not eligible for this call."),
                errors={str(n): reason for n, reason in enumerate(reasons)},
            )
        locked.eligibility_answers = {str(k): bool(v) for k, v in answers.items()}
        locked.version += 1
        locked.save(update_fields=["eligibility_answers", "version", "updated_at"])
    return locked


def _check_editable(application: Application, actor) -> None:
    if not is_member(actor, application.organisation_id):
        raise ApplicationError(_("You can only change your own organisation's applications."))
    if not application.is_editable:
        raise ApplicationError(
            _("This application is “%(status)s” and can no longer be changed.")
            % {"status": application.get_status_display()}
        )


def application_update(
    *,
    application: Application,
    actor,
    data: Mapping[str, object],
    themes: Iterable | None = None,
    version: int,
) -> Application:
    """Save what the applicant typed into a draft (or an application sent back to them).

    Nothing is required here: completeness is checked only at submission. ``version`` is the
    version the applicant's form was read at; if the application changed since (a colleague
    saved it, or the secretariat edited it), ``ApplicationError`` is raised and nothing is
    overwritten.
    """
    with transaction.atomic():
        locked = lock(application)
        _check_editable(locked, actor)
        if locked.version != version:
            raise ApplicationError(
                _(
                    "Someone else saved this application since you opened it. Your changes "
                    "were not saved: copy what you typed, reload the page and apply them again."
                )
            )
        changed = []
        for name, value in data.items():
            if name not in EDITABLE_FIELDS:
                raise ValueError(f"{name} is not a field the applicant writes")
            setattr(locked, name, value)
            changed.append(name)
        locked.version += 1
        locked.save(update_fields=[*changed, "version", "updated_at"])
        if themes is not None:
            locked.themes.set(themes)
    return locked


def attachment_add(
    *, application: Application, actor, upload: UploadedFile, description: str = ""
) -> ApplicationAttachment:
    """Attach a document to an editable application, checked by ``core.files.check_upload``
    (size, type by content, extension; photos re-encoded) and stored as checked.

    Raises ``UploadRejected`` for a file that cannot be kept, ``ApplicationError`` for one too
    many; then nothing is stored.
    """
    with transaction.atomic():
        locked = lock(application)
        _check_editable(locked, actor)
        if locked.attachments.count() >= MAX_ATTACHMENTS:
            raise ApplicationError(
                _("An application can have %(count)s attachments at most.")
                % {"count": MAX_ATTACHMENTS}
            )
        checked = check_upload(upload)
        attachment = ApplicationAttachment(
            application=locked,
            original_name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
            description=description.strip(),
            uploaded_by=actor,
        )
        checked.store(attachment.file)
        try:
            attachment.save()
        except Exception:
            # No row, no file: storage keeps nothing that no attachment points to.
            attachment.file.storage.delete(attachment.file.name)
            raise
        return attachment


def attachment_delete(*, attachment: ApplicationAttachment, actor) -> None:
    """Remove an attachment of an editable application; its file is deleted after commit."""
    with transaction.atomic():
        application = lock(attachment.application)
        _check_editable(application, actor)
        storage, name = attachment.file.storage, attachment.file.name
        attachment.delete()
        transaction.on_commit(lambda: storage.delete(name))
