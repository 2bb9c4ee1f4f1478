"""The one base of the errors a domain refuses a step with.

A service raises a subclass of ``DomainError`` (each app names its own: ``ApplicationError``,
``ReportError``...); views and the admin catch ``DomainError`` and show ``message`` to the
person, in their language. ``errors`` (field → message) says where, when the problem is in what
was typed; ``field`` names the one form field at fault, when there is one.
"""

from __future__ import annotations

from collections.abc import Mapping


class DomainError(Exception):
    def __init__(
        self, message: str, errors: Mapping[str, str] | None = None, *, field: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = str(message)
        self.errors = dict(errors or {})
        self.field = field
