"""Status table of an edition: preparing it, its call, the review, the grants running, closed.

One source of truth: the stored status. It is the phase the secretariat moves the edition
through with the services of ``programme.services`` (and the system, for the one step it takes:
closing a call at its deadline). The call's window (``application_opens_at`` and
``application_closes_at``) is not a second opinion: it is data of the "call open" phase, written
by the services that open, reopen and close the call, and read only to know *when* within that
phase applications are taken. Where they could disagree, the status wins: an edition in review
takes no application whatever its dates say.
"""

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

NOTES = """
The stored status is the one source of truth; the call's dates are derived from it, never the
other way round. Opening the call (`programme.services.edition_open_call`) sets the window: its
closing date, and its opening date (now, or a moment given). While the call is open, applications
are taken from the opening to the deadline (`Edition.call_state`); at the deadline the system
moves the edition to review (the daily job "Close the calls past their deadline", registered by
`ProgrammeConfig.ready`), and the secretariat may close the call earlier, which moves the
deadline to that moment. Reopening a call in review asks for a new closing date. In any other
status no application is taken, whatever the dates say. Review becomes running once every
application is decided; an edition entered after the fact (no call) goes from preparation
straight to running. Closing a running edition needs each of its initiatives completed or
terminated (`programme.hooks`, filled by the grants app). Each step is a service and an action of
the back office's list of editions, recorded in the edition's status history.
"""

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
    notes=NOTES,
)
