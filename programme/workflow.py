"""Status table of an edition: preparing it, its call, the review, the grants running, closed."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.workflow import Role, Workflow, table


class EditionStatus(models.TextChoices):
    DRAFT = "draft", _("In preparation")
    CALL_OPEN = "call_open", _("Call open")
    REVIEW = "review", _("Review")
    RUNNING = "running", _("Running")
    CLOSED = "closed", _("Closed")


E = EditionStatus
# Nothing moves an edition yet: its call opens and closes by its dates. The lifecycle issue
# (#10) gives the edition its service and reconciles the status with the call's dates.
LIFECYCLE = "the edition's lifecycle service (issue #10)"

EDITION_WORKFLOW = Workflow(
    name="edition",
    label=_("edition"),
    status=EditionStatus,
    transitions=table(
        [
            (E.DRAFT, E.CALL_OPEN, [Role.SECRETARIAT]),
            (E.CALL_OPEN, E.REVIEW, [Role.SECRETARIAT, Role.SYSTEM]),
            (E.REVIEW, E.CALL_OPEN, [Role.SECRETARIAT]),
            (E.REVIEW, E.RUNNING, [Role.SECRETARIAT]),
            (E.DRAFT, E.RUNNING, [Role.SECRETARIAT]),
            (E.RUNNING, E.CLOSED, [Role.SECRETARIAT]),
        ]
    ),
    not_offered={
        (E.DRAFT, E.CALL_OPEN): LIFECYCLE,
        (E.CALL_OPEN, E.REVIEW): LIFECYCLE,
        (E.REVIEW, E.CALL_OPEN): LIFECYCLE,
        (E.REVIEW, E.RUNNING): LIFECYCLE,
        (E.DRAFT, E.RUNNING): LIFECYCLE,
        (E.RUNNING, E.CLOSED): LIFECYCLE,
    },
)
