"""The steps the organisations app refuses, one ``DomainError`` subclass per topic."""

from core.errors import DomainError


class RegistrationError(DomainError):
    """The registration or its confirmation cannot go ahead; ``field`` names the form field at
    fault, if one is."""


class AlreadyConfirmed(RegistrationError):
    """The confirmation link was used already: the account is active and only has to log in."""


class InvitationError(DomainError):
    """The invitation cannot be used (already used, expired) or cannot be sent."""


class OrganisationError(DomainError):
    """A change to an organisation or its members that is not allowed."""


class StaleProfile(OrganisationError):
    """Someone changed the organisation's profile after the person opened it: their save is
    refused, not applied over the other change."""


class PayeeError(DomainError):
    """Bank details that cannot be saved or verified as asked; ``errors`` (field → message)
    says where, when the problem is in what was typed."""


class StalePayeeDetails(PayeeError):
    """Someone saved the bank details after the person opened them: their save (or their
    verification) is refused, not applied over the other change."""
