"""The portal's list of the notifications a person received (their own, and nobody else's)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render

from .models import Notification
from .notifications import Kind

PAGE_SIZE = 25


def received_by(user):
    """The notifications that went to ``user``: those addressed to their account, and those
    sent to their address before they had one (the invitation)."""
    return Notification.objects.filter(
        Q(recipient=user) | Q(recipient__isnull=True, email=user.email.lower())
    )


@login_required
def notification_list(request):
    notifications = received_by(request.user).only(
        "kind", "subject", "path", "status", "created_at", "sent_at"
    )
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    kinds = dict(Kind.choices)
    for notification in page:
        notification.kind_label = kinds.get(notification.kind, notification.kind)
    return render(request, "accounts/notifications.html", {"page": page})
