"""A person's list of the notifications they received (theirs, and nobody else's)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from .registry import kind_label
from .selectors import received_by

PAGE_SIZE = 25


@login_required
def notification_list(request):
    notifications = received_by(request.user).only(
        "kind", "subject", "path", "status", "created_at", "sent_at"
    )
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    for notification in page:
        notification.kind_label = kind_label(notification.kind)
    return render(request, "notifications/list.html", {"page": page})
