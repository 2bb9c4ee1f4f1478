"""Who reaches what in the portal, and keeping typed text across an expired session."""

from __future__ import annotations

import secrets
from functools import wraps
from urllib.parse import urlencode, urlsplit

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseNotAllowed, QueryDict
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from grants.models import Initiative
from organisations.selectors import is_member, is_secretariat, member_organisations

from ..models import Attachment, Report

HELD_POSTS = "portal_held_posts"
MAX_HELD_POSTS = 5


def member_initiatives(user):
    return Initiative.objects.filter(lead_organisation__in=member_organisations(user))


def member_reports(user):
    return Report.objects.filter(initiative__lead_organisation__in=member_organisations(user))


def get_initiative(request, pk: int, *, write: bool = False) -> Initiative:
    """The initiative ``pk`` if the person may see it (members; the secretariat reads too),
    else 404. ``write``: members only."""
    queryset = Initiative.objects.select_related("edition", "lead_organisation")
    if write or not is_secretariat(request.user):
        queryset = queryset.filter(lead_organisation__in=member_organisations(request.user))
    return get_object_or_404(queryset, pk=pk)


def get_report(request, pk: int, *, write: bool = False) -> Report:
    """The report ``pk`` if the person may see it (members; the secretariat reads too), else
    404. ``write``: members only."""
    queryset = Report.objects.select_related(
        "initiative__lead_organisation", "initiative__edition", "updated_by"
    )
    if write or not is_secretariat(request.user):
        queryset = queryset.filter(
            initiative__lead_organisation__in=member_organisations(request.user)
        )
    return get_object_or_404(queryset, pk=pk)


def get_attachment(request, pk: int, *, write: bool = False) -> Attachment:
    queryset = Attachment.objects.select_related("report__initiative")
    if write or not is_secretariat(request.user):
        queryset = queryset.filter(
            report__initiative__lead_organisation__in=member_organisations(request.user)
        )
    return get_object_or_404(queryset, pk=pk)


def labelled(history, status) -> list:
    """History rows with ``to_label``, the label of the status they moved to."""
    rows = list(history)
    for row in rows:
        row.to_label = (
            status(row.to_status).label if row.to_status in status.values else row.to_status
        )
    return rows


def report_page(request, report: Report) -> dict:
    """What every page of a report shows in its header."""
    return {
        "report": report,
        "can_write": can_write(request, report.initiative.lead_organisation_id),
        "is_secretariat": is_secretariat(request.user),
    }


def require_secretariat(request) -> None:
    """Review pages exist only for the secretariat: for anyone else they are not found."""
    if not is_secretariat(request.user):
        raise Http404


def can_write(request, organisation_id: int) -> bool:
    return is_member(request.user, organisation_id)


def post_only(request):
    """For actions: the object is looked up first (someone else's is a 404 whatever the
    method), then anything but POST is refused."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    return None


# --- text typed when the session had expired ----------------------------------------------------


def portal_login_required(view=None, *, hold: bool = True):
    """``login_required`` for the portal that never loses what was typed.

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
            if request.method == "POST" and hold:
                path = f"{path}?{urlencode({'held': hold_post(request)})}"
                messages.warning(
                    request,
                    _(
                        "Your session had ended, so nothing was saved yet. Log in again: what "
                        "you typed will be waiting for you."
                    ),
                )
            elif request.method == "POST":
                path = came_from(request)
                messages.warning(
                    request, _("Your session had ended, so nothing was done. Log in again.")
                )
            return redirect_to_login(path)

        return wrapper

    return decorator(view) if view is not None else decorator


def came_from(request) -> str:
    """The page of this site the request came from, or the portal's home."""
    referer = request.headers.get("referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return urlsplit(referer).path
    return reverse("portal:home")


def hold_post(request) -> str:
    token = secrets.token_urlsafe(16)
    data = {key: request.POST.getlist(key) for key in request.POST if key != "csrfmiddlewaretoken"}
    held = dict(request.session.get(HELD_POSTS, {}))
    held[token] = {"path": request.path, "data": data, "at": timezone.now().isoformat()}
    # Keep the newest few: a session is not a store of old drafts.
    newest = sorted(held.items(), key=lambda item: item[1]["at"])[-MAX_HELD_POSTS:]
    request.session[HELD_POSTS] = dict(newest)
    return token


def held_post(request) -> QueryDict | None:
    """The form data kept for this page (see ``portal_login_required``), or None."""
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
