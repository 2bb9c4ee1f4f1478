"""Reads of applications and reviews, scoped to who asks: every applicant query starts from
the person's organisations, every reviewer query from the person's assignments."""

from __future__ import annotations

from django.db.models import QuerySet

from organisations.selectors import member_organisations

from ..models import Application, ReviewAssignment


def own_applications(user) -> QuerySet[Application]:
    """The applications of the organisations ``user`` belongs to (none for a visitor)."""
    return Application.objects.filter(organisation__in=member_organisations(user))


def my_assignments(user) -> QuerySet[ReviewAssignment]:
    """The root of every reviewer query: the person's own assignments they are not recused
    from."""
    return ReviewAssignment.objects.filter(reviewer=user, is_recused=False)


def reviewable_assignments(user) -> QuerySet[ReviewAssignment]:
    """The assignments whose content ``user`` may read: theirs, not recused, no conflict."""
    return my_assignments(user).filter(conflict=ReviewAssignment.Conflict.NONE)
