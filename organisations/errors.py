"""The steps the organisations app refuses, one ``DomainError`` subclass per topic."""

from core.errors import DomainError


class RegistrationError(DomainError):
    """The registration or its confirmation cannot go ahead; ``field`` names the form field at
    fault, if one is."""


class InvitationError(DomainError):
    """The invitation cannot be used (already used, expired) or cannot be sent."""


class OrganisationError(DomainError):
    """A change to an organisation or its members that is not allowed."""
