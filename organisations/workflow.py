"""Status table of the changes members propose to what the public reads of their organisation."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.workflow import Role, Workflow, table


class PublicChangeStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


P = PublicChangeStatus

PUBLIC_CHANGE_WORKFLOW = Workflow(
    name="public_change",
    label=_("change to a public profile"),
    status=PublicChangeStatus,
    transitions=table(
        [
            (P.PENDING, P.APPROVED, [Role.SECRETARIAT]),
            (P.PENDING, P.REJECTED, [Role.SECRETARIAT]),
            # A member's later save put every field back as the public page shows it.
            (P.PENDING, P.WITHDRAWN, [Role.MEMBER]),
        ]
    ),
)
