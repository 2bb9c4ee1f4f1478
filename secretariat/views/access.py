"""Who reaches the secretariat's screens, and what their admin-looking pages share."""

from __future__ import annotations

from functools import wraps

from django.contrib import admin
from django.http import Http404
from django.template.response import TemplateResponse

from core.views import login_required_keeping_input
from organisations.selectors import is_secretariat


def secretariat_required(view=None, *, hold: bool = True):
    """Log in first (nothing typed is lost, see ``login_required_keeping_input``); then only
    the secretariat: for anyone else, the page is not found."""

    def decorator(view):
        @login_required_keeping_input(hold=hold)
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not is_secretariat(request.user):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator(view) if view is not None else decorator


def back_office_page(request, template: str, title: str, *, opts, **context) -> TemplateResponse:
    """A page in the back office's look: its header, breadcrumbs and menu (``opts`` is the
    ``_meta`` of the model the breadcrumbs lead to)."""
    return TemplateResponse(
        request,
        template,
        {**admin.site.each_context(request), "opts": opts, "title": title, **context},
    )
