"""Requests no page of the site can make sense of are refused before any view sees them."""

from __future__ import annotations

from django.http import HttpResponseBadRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

NUL = "\x00"


def carries_nul(request) -> bool:
    """A NUL character in the path, the query or a posted field (name or value).

    PostgreSQL refuses NUL in text, so a NUL that reached a query (a search, a filter, a token
    in the path) was a server error; no form of ours can type one, so the request is refused
    whole."""
    if NUL in request.path:
        return True
    sources = [request.GET, request.POST] if request.method == "POST" else [request.GET]
    for data in sources:
        for key, values in data.lists():
            if NUL in key or any(NUL in value for value in values if isinstance(value, str)):
                return True
    return False


class RejectNulMiddleware:
    """Answers 400, in the reader's language, to a request carrying a NUL character
    (``carries_nul``). Placed after the locale, session and authentication middleware so the
    page speaks the reader's language and shows who is logged in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if carries_nul(request):
            html = render_to_string(
                "400.html",
                {
                    "message": _(
                        "The address or the form contained a character that is not allowed."
                    )
                },
                request=request,
            )
            return HttpResponseBadRequest(html)
        return self.get_response(request)
