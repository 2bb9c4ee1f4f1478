"""The steps the grants app refuses, one ``DomainError`` subclass per topic."""

from __future__ import annotations

from core.errors import DomainError


class ApplicationError(DomainError):
    """An application cannot be started, changed or submitted; ``errors`` (field → message)
    says where, when the problem is in what was typed."""


class DuplicateApplication(ApplicationError):
    """The organisation already has an application to this edition (``existing``)."""

    def __init__(self, message: str, existing) -> None:
        super().__init__(message)
        self.existing = existing


class ReviewError(DomainError):
    """A review step cannot be taken (assigning, declaring a conflict, scoring)."""


class DecisionError(DomainError):
    """A decision on an application cannot be taken as asked. Nothing changes."""


class WorkplanError(DomainError):
    """A workplan change that cannot be made. Nothing was changed."""


class StaleWorkplan(WorkplanError):
    """Someone saved this part of the workplan after the person opened it: their save is
    refused, not applied over the colleague's."""


class PaymentError(DomainError):
    """A payment cannot be recorded as asked. Nothing was changed."""


class InitiativeError(DomainError):
    """A step of a grant's lifecycle (termination, extension) that cannot be taken as asked.
    Nothing was changed."""


class AgreementError(DomainError):
    """A grant agreement cannot be issued, signed or countersigned as asked. Nothing was
    changed."""


class LightError(DomainError):
    """A step of a small grant (light track) cannot be taken as asked. Nothing was changed."""
