"""Applications to a call, their review, and the funded initiatives with their workplans,
payments and grant agreements: one module per topic, all exported here (Django finds an app's
models in it)."""

from .agreements import Agreement, AgreementStatusChange
from .applications import Application, ApplicationAttachment, ApplicationStatusChange
from .initiatives import (
    Activity,
    BudgetLine,
    Indicator,
    Initiative,
    InitiativeExtension,
    InitiativeQuerySet,
    InitiativeStatusChange,
    LineOfAction,
    PublicLineOfAction,
)
from .light import (
    LightApplication,
    LightDeclineReason,
    LightPhoto,
    LightStatusChange,
    PaymentBatch,
    PaymentFileLayout,
)
from .payments import Disbursement, DisbursementStatusChange
from .review import Review, ReviewAssignment, ReviewScore

__all__ = [
    "Activity",
    "Agreement",
    "AgreementStatusChange",
    "Application",
    "ApplicationAttachment",
    "ApplicationStatusChange",
    "BudgetLine",
    "Disbursement",
    "DisbursementStatusChange",
    "Indicator",
    "Initiative",
    "InitiativeExtension",
    "InitiativeQuerySet",
    "InitiativeStatusChange",
    "LightApplication",
    "LightDeclineReason",
    "LightPhoto",
    "LightStatusChange",
    "LineOfAction",
    "PaymentBatch",
    "PaymentFileLayout",
    "PublicLineOfAction",
    "Review",
    "ReviewAssignment",
    "ReviewScore",
]
