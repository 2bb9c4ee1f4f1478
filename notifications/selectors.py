"""Reads of the outbox, and of the staff notes' threads."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from .models import Notification, StaffNote


def received_by(user):
    """The notifications that went to ``user``: those addressed to their account, and those
    sent to their address before they had one (the invitation)."""
    return Notification.objects.filter(
        Q(recipient=user) | Q(recipient__isnull=True, email=user.email.lower())
    )


def staff_notes(subject, *, for_reviewers: bool = False):
    """The thread of staff notes on ``subject``, oldest first, with their authors and the
    people they named; ``for_reviewers``: only the notes marked for the reviewers. The caller
    checks that the reader is the secretariat (or a reviewer of the application)."""
    notes = (
        StaffNote.objects.filter(
            content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk
        )
        .select_related("author")
        .prefetch_related("mentioned")
        .order_by("created_at", "pk")
    )
    return notes.filter(is_for_reviewers=True) if for_reviewers else notes


def failed_count() -> int:
    """Notifications given up on (no more attempts)."""
    return Notification.objects.filter(status=Notification.Status.FAILED).count()
