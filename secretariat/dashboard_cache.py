"""The dashboard's figures, drawn once for every member of the secretariat.

The figures (their tables, charts and links) are the same for everyone who may open the
dashboard: nothing in them is personal. Their HTML is kept in the cache under the *figures
version*, the language, the edition chosen and the day, for ``DASHBOARD_CACHE_SECONDS`` at
most. Saving or deleting a row the dashboard counts bumps the version (signals connected in
``SecretariatConfig.ready``), so a change made through the application shows at the next
request; what no signal reports (a bulk update, time passing an assignment's due date) shows
within ``DASHBOARD_CACHE_SECONDS``. The page around the figures (the person's menu, the
edition chooser) is rendered for each request, after the access check.

The cache is a help, never a need: without it (Redis down, ``core.cache``) the figures are
read and drawn for each request.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from core import versions

VERSION_KEY = "dashboard:figures-version"


def version() -> int:
    return versions.current(VERSION_KEY)


def figures_changed(**_kwargs) -> None:
    """Signal receiver: a row the dashboard counts changed, its cached figures are stale."""
    versions.renew(VERSION_KEY)


def cached_figures(key: str, render: Callable[[], str]) -> str:
    """The figures' HTML under ``key`` (language, edition, day), rendered when missing."""
    seconds = settings.DASHBOARD_CACHE_SECONDS
    if seconds <= 0:
        return render()
    full_key = f"dashboard:figures:{version()}:{key}"
    html = cache.get(full_key)
    if html is None:
        html = render()
        cache.set(full_key, html, seconds)
    return html


def connect() -> None:
    """Bump the version when a row behind a figure is saved or deleted."""
    from django.contrib.auth import get_user_model

    from grants.models import (
        Application,
        Disbursement,
        Initiative,
        LightApplication,
        PaymentBatch,
        Review,
        ReviewAssignment,
    )
    from notifications.models import Notification
    from organisations.models import (
        Organisation,
        PayeeDetails,
        PayeeDetailsVersion,
        PublicProfileChange,
    )
    from programme.models import Edition
    from reports.models import Report

    for model in (
        Application,
        ReviewAssignment,
        Review,
        Initiative,
        Disbursement,
        LightApplication,
        PaymentBatch,
        Report,
        PayeeDetails,
        PayeeDetailsVersion,
        PublicProfileChange,
        Notification,
        Edition,
        Organisation,
        get_user_model(),  # the reviewers' names
    ):
        uid = f"dashboard-figures-{model._meta.label_lower}"
        post_save.connect(figures_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(figures_changed, sender=model, dispatch_uid=f"{uid}-delete")
