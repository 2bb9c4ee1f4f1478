"""The access matrix: one organisation never reaches another's objects.

For every URL pattern of the namespaces of the pages people use (``portal``, ``calls``,
``review``, ``accounts``, ``notifications``, ``secretariat``, ``public``) that takes an
argument (an id, a slug, a token), a member of organisation A asking for organisation B's
object gets a 404, for GET and for POST, and a POST changes nothing; lists never show B's
rows. A pattern with an argument and no case fails
``test_every_url_with_an_argument_has_a_case``: adding a page means adding its case.

Cases come from every module named ``access_cases.py`` under ``tests/`` (other areas add
theirs without editing this file). Such a module defines::

    def access_cases(world: tests.portal.access.World) -> list[AccessCase | ListCase | Exempt]

``world`` holds two organisations built through the services (``world.a`` and ``world.b``:
organisation, admin, member, membership, initiative, report, attachment, invitation), a
secretary and a reviewer; a provider may create more objects (for B, and for A as the
control) and keep them in ``world.extra``. The case types, in ``tests/portal/access.py``:

- ``AccessCase(name, kwargs, user=A's admin, methods=("GET", "POST"), data={}, query="",
  status=404, allowed=(user, kwargs))`` — ``kwargs`` name B's object; ``allowed`` is a
  control (someone entitled asking the same URL with GET must not get a 404; ``None`` as the
  user is an anonymous visitor); either kwargs may be a callable returning them, called just
  before the request (for tokens that expire when their user logs in);
- ``ListCase(name, kwargs={}, user=A's admin, hidden=(B's texts), shown=(A's texts), query="")``;
- ``Exempt(name, reason)`` — a pattern whose argument names no organisation's object (a public
  call page by slug, a signed email link): the reason is required and shown in reviews.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import URLResolver, get_resolver, reverse

from tests.twofactor import Client

from .access import AccessCase, Exempt, ListCase, World, build_world

pytestmark = pytest.mark.django_db

NAMESPACES = {"portal", "calls", "review", "accounts", "secretariat", "notifications", "public"}
TESTS = Path(__file__).resolve().parent.parent


def patterns_with_arguments() -> set[str]:
    """ "namespace:name" of every pattern of NAMESPACES that takes an argument (unnamed ones
    by their route, so that they cannot slip through)."""
    found = set()

    def walk(patterns, namespace: str, prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or ""
                full = f"{namespace}:{inner}" if namespace and inner else inner or namespace
                walk(pattern.url_patterns, full, prefix + str(pattern.pattern))
                continue
            if namespace not in NAMESPACES:
                continue
            route = pattern.pattern
            takes_argument = bool(
                getattr(route, "converters", None) or route.regex.groups or route.regex.groupindex
            )
            if takes_argument:
                found.add(f"{namespace}:{pattern.name or prefix + str(route)}")

    walk(get_resolver().url_patterns, "", "")
    return found


def providers():
    for path in sorted(TESTS.rglob("access_cases.py")):
        module = ".".join(path.relative_to(TESTS.parent).with_suffix("").parts)
        yield module, importlib.import_module(module).access_cases


@pytest.fixture
def world(settings, tmp_path) -> World:
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world()


@pytest.fixture
def cases(world):
    collected = []
    for module, provider in providers():
        for case in provider(world):
            collected.append((module, case))
    return collected


def database_state() -> dict:
    """Every row of the domain apps (and the outbox): a POST that is refused changes none."""
    state = {}
    for label in ("notifications", "programme", "organisations", "grants", "reports"):
        for model in apps.get_app_config(label).get_models():
            state[model._meta.label] = list(model._default_manager.order_by("pk").values())
    return state


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def address(name: str, kwargs, query: str = "") -> str:
    # kwargs may be a callable, for arguments that must be made just before the request (a
    # password-reset token stops working once its user logs in).
    return reverse(name, kwargs=kwargs() if callable(kwargs) else kwargs) + query


def test_every_url_with_an_argument_has_a_case(cases):
    covered = {case.name for _module, case in cases if isinstance(case, AccessCase | Exempt)}
    missing = sorted(patterns_with_arguments() - covered)
    assert missing == [], (
        "URL patterns with an argument but no access-matrix case (add an AccessCase, or an "
        f"Exempt with its reason, in an access_cases.py): {missing}"
    )
    for module, case in cases:
        if isinstance(case, Exempt):
            assert case.reason.strip(), f"{module}: {case.name} is exempt without a reason"


def test_the_matrix_sees_the_portal():
    # The walk itself works: the portal's own patterns are found.
    assert {"portal:report", "portal:attachment", "accounts:invitation"} <= (
        patterns_with_arguments()
    )


def test_other_organisations_objects_are_not_found(cases, world):
    failures = []
    checked = 0
    for module, case in cases:
        if not isinstance(case, AccessCase):
            continue
        user = case.user or world.a.admin
        client = client_for(user)
        url = address(case.name, case.kwargs, case.query)
        for method in case.methods:
            before = database_state() if method == "POST" else None
            response = client.get(url) if method == "GET" else client.post(url, case.data)
            checked += 1
            if response.status_code != case.status:
                failures.append(f"{module}: {method} {url} as {user} -> {response.status_code}")
            if before is not None and database_state() != before:
                failures.append(f"{module}: POST {url} as {user} changed the database")
        if case.allowed is not None:
            allowed_user, allowed_kwargs = case.allowed
            own = address(case.name, allowed_kwargs, case.query)
            status = client_for(allowed_user).get(own).status_code
            if status == 404:
                failures.append(f"{module}: control GET {own} as {allowed_user} -> 404")
    assert checked > 0
    assert failures == []


def test_lists_never_show_other_organisations_rows(cases, world):
    failures = []
    for module, case in cases:
        if not isinstance(case, ListCase):
            continue
        user = case.user or world.a.admin
        response = client_for(user).get(address(case.name, case.kwargs, case.query))
        if response.status_code != 200:
            failures.append(f"{module}: {case.name} as {user} -> {response.status_code}")
            continue
        html = response.content.decode()
        failures += [
            f"{module}: {case.name} shows {text!r}" for text in case.hidden if text in html
        ]
        failures += [
            f"{module}: {case.name} does not show {text!r}"
            for text in case.shown
            if text not in html
        ]
    assert failures == []
