"""A programme as the sender of the emails about its editions' applications, grants and
reports: its name heads them, its sender name is their From name and replies go to its contact
address (``notifications.registry.register_sender``, filled in ``ProgrammeConfig.ready``)."""

from __future__ import annotations

from notifications.registry import Sender

from .models import Programme

PREFIX = "programme"


def sender_of(edition) -> str:
    """The ``sender`` of a notification about ``edition`` (or anything of it)."""
    return f"{PREFIX}:{edition.programme_id}"


def resolve(value: str) -> Sender | None:
    """The programme ``value`` (its id) as a Sender, in the active language; None if gone."""
    if not value.isdigit():
        return None
    programme = Programme.objects.filter(pk=int(value)).first()
    if programme is None:
        return None
    return Sender(
        name=programme.name, display_name=programme.sender, reply_to=programme.contact_email
    )
