"""``{% portal_menu as menu %}``: which entries of the portal's menu apply to the person, so
that nobody is offered "my applications" or "my reviews" they cannot have."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django import template
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection

from core.staff import REVIEWER
from grants.models import ReviewAssignment
from organisations.models import Membership

register = template.Library()


@dataclass(frozen=True)
class Menu:
    applications: bool = False  # a member of an organisation: it may apply, or has applied
    reviews: bool = False  # a reviewer: in the Reviewer group, or given applications to review


@cache
def _menu_sql() -> str:
    """Three EXISTS in one statement, written once per process. Every signed-in page asks it:
    building the same query with the ORM (three ``Exists`` annotations) cost more CPU than the
    rest of a small page's queries together, for a statement that never changes."""
    quote = connection.ops.quote_name
    user_groups = get_user_model().groups.through._meta
    return (  # noqa: S608 (names from the models' meta, quoted; values are parameters)
        "SELECT EXISTS (SELECT 1 FROM {membership} WHERE {member_user} = %s), "
        "EXISTS (SELECT 1 FROM {assignment} WHERE {reviewer} = %s), "
        "EXISTS (SELECT 1 FROM {user_groups} JOIN {group} ON {group}.{group_pk} = "
        "{user_groups}.{group_fk} WHERE {user_groups}.{user_fk} = %s AND {group}.{name} = %s)"
    ).format(
        membership=quote(Membership._meta.db_table),
        member_user=quote(Membership._meta.get_field("user").column),
        assignment=quote(ReviewAssignment._meta.db_table),
        reviewer=quote(ReviewAssignment._meta.get_field("reviewer").column),
        user_groups=quote(user_groups.db_table),
        group=quote(Group._meta.db_table),
        group_pk=quote(Group._meta.pk.column),
        group_fk=quote(user_groups.get_field("group").column),
        user_fk=quote(user_groups.get_field("user").column),
        name=quote(Group._meta.get_field("name").column),
    )


@register.simple_tag(takes_context=True)
def portal_menu(context) -> Menu:
    """One query, once per request, whatever the person has."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return Menu()
    request = context.get("request")
    known = getattr(request, "_portal_menu", None)
    if known is not None:
        return known
    with connection.cursor() as cursor:
        cursor.execute(_menu_sql(), [user.pk, user.pk, user.pk, REVIEWER])
        member, assigned, reviewer = cursor.fetchone()
    menu = Menu(applications=bool(member), reviews=bool(assigned or reviewer))
    if request is not None:
        request._portal_menu = menu
    return menu
