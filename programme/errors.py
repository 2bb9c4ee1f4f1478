"""The steps the programme app refuses."""

from __future__ import annotations

from core.errors import DomainError


class EditionError(DomainError):
    """An edition's step cannot be taken as asked (its call's dates, its initiatives still
    running...). Nothing changes."""
