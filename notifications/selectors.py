"""Reads of the outbox."""

from django.db.models import Q

from .models import Notification


def received_by(user):
    """The notifications that went to ``user``: those addressed to their account, and those
    sent to their address before they had one (the invitation)."""
    return Notification.objects.filter(
        Q(recipient=user) | Q(recipient__isnull=True, email=user.email.lower())
    )


def failed_count() -> int:
    """Notifications given up on (no more attempts)."""
    return Notification.objects.filter(status=Notification.Status.FAILED).count()
