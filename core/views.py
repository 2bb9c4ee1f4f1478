"""What the pages share, whoever they are for: never losing a form typed after the session
expired, refusing anything but POST for actions."""

from __future__ import annotations

import json
import secrets
from functools import wraps
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseNotAllowed, QueryDict
from django.shortcuts import resolve_url
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from .browsers import known_accounts

HELD_POSTS = "portal_held_posts"
MAX_HELD_POSTS = 5
MAX_HELD_BYTES = 256 * 1024


def post_only(request):
    """For actions: the object is looked up first (someone else's is a 404 whatever the
    method), then anything but POST is refused."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    return None


# --- text typed when the session had expired ----------------------------------------------------


def login_required_keeping_input(view=None, *, hold: bool = True):
    """``login_required`` that never loses what was typed.

    A form posted after the session expired is kept server-side in the (new) session under a
    random token before the person is sent to log in; logging in keeps the session's data, and
    the page they come back to (``?held=<token>``) shows their text again (the view reads it
    with ``held_post``). Only that browser's session holds the token, so nobody can plant text
    in someone else's form. Actions without text (``hold=False``: remove, submit) send the
    person back to the page they came from instead, since they cannot be opened with GET.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.user.is_authenticated:
                return view(request, *args, **kwargs)
            path = request.path
            token = hold_post(request) if request.method == "POST" and hold else None
            if token:
                path = f"{path}?{urlencode({'held': token})}"
                messages.warning(
                    request,
                    _(
                        "Your session had ended, so nothing was saved yet. Log in again: what "
                        "you typed will be waiting for you."
                    ),
                )
            elif request.method == "POST":
                path = came_from(request) if not hold else request.path
                messages.warning(
                    request, _("Your session had ended, so nothing was done. Log in again.")
                )
            return redirect_to_login(path)

        return wrapper

    return decorator(view) if view is not None else decorator


def came_from(request) -> str:
    """The page of this site the request came from, or the page people land on after logging in."""
    referer = request.headers.get("referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return urlsplit(referer).path
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def hold_post(request) -> str | None:
    """Keep the form posted in the (new) session under a random token, and return the token;
    None when it is not kept: the browser never logged in here (only people whose session
    expired have text to keep: anonymous clients must not fill the session store), or the form
    is larger than ``MAX_HELD_BYTES`` (no form of the site is)."""
    if not known_accounts(request):
        return None
    data = {key: request.POST.getlist(key) for key in request.POST if key != "csrfmiddlewaretoken"}
    if len(json.dumps(data)) > MAX_HELD_BYTES:
        return None
    token = secrets.token_urlsafe(16)
    held = dict(request.session.get(HELD_POSTS, {}))
    held[token] = {"path": request.path, "data": data, "at": timezone.now().isoformat()}
    # Keep the newest few: a session is not a store of old drafts.
    newest = sorted(held.items(), key=lambda item: item[1]["at"])[-MAX_HELD_POSTS:]
    request.session[HELD_POSTS] = dict(newest)
    return token


def held_post(request) -> QueryDict | None:
    """The form data kept for this page (see ``login_required_keeping_input``), or None."""
    token = request.GET.get("held")
    entry = request.session.get(HELD_POSTS, {}).get(token) if token else None
    if entry is None or entry["path"] != request.path:
        return None
    data = QueryDict(mutable=True)
    for key, values in entry["data"].items():
        data.setlist(key, values)
    return data


def release_held_post(request) -> None:
    """Forget the kept data once it has been saved."""
    token = request.GET.get("held")
    held = request.session.get(HELD_POSTS, {})
    if token and token in held:
        held = dict(held)
        del held[token]
        request.session[HELD_POSTS] = held
