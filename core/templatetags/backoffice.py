"""The back office's side bar: the list of apps and models rendered once per distinct content;
the rows of its lists written by ``core.admin_rows``.

``admin/app_list.html`` (Django's) in the side bar of every back-office page costs as much as
a list of twenty rows. Its HTML follows from what the tag receives (the apps and models the
person may see, their names, URLs and rights, which of them the page belongs to) and the
language; the HTML is kept for each distinct set of these, so two people with the same rights
on the same list share it, and a change of rights, name or language is a new set. Nothing of
the person beyond that list goes in, and nothing else of the page is kept.
"""

from __future__ import annotations

from collections import OrderedDict

from django import template
from django.contrib.admin.templatetags.admin_list import result_headers, result_hidden_fields
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.template.defaultfilters import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from ..admin_rows import rows

register = template.Library()

# At most this many side bars (languages × sets of rights × pages of the back office).
KEPT = 512
_kept: OrderedDict[tuple, str] = OrderedDict()


def _in(url, path: str) -> bool:
    # As the template's ``{% if url in path %}``: an absent URL is in no path.
    return url is not None and url in path


def sidebar_key(app_list, path: str) -> tuple:
    """Everything ``admin/app_list.html`` reads, with ``show_changelinks`` off."""
    return (
        get_language(),
        tuple(
            (
                app["app_label"],
                str(app["name"]),
                app["app_url"],
                _in(app["app_url"], path),
                tuple(
                    (
                        model["object_name"],
                        str(model["name"]),
                        model["admin_url"],
                        model["add_url"],
                        model.get("view_only"),
                        _in(model["admin_url"], path),
                    )
                    for model in app["models"]
                ),
            )
            for app in app_list
        ),
    )


@register.simple_tag(takes_context=True)
def sidebar_app_list(context, app_list):
    """``{% include 'admin/app_list.html' with app_list=… show_changelinks=False %}``, the
    same HTML, rendered once per distinct content."""
    request = context.get("request")
    key = sidebar_key(app_list, urlencode(request.path)) if request is not None else None
    html = _kept.get(key) if key is not None else None
    if html is None:
        app_list_template = context.template.engine.get_template("admin/app_list.html")
        with context.push(app_list=app_list, show_changelinks=False):
            html = app_list_template.render(context)
        if key is not None:
            _kept[key] = html
            while len(_kept) > KEPT:
                _kept.popitem(last=False)
    return mark_safe(html)  # noqa: S308 (the template's own output)


def result_list(cl) -> dict:
    """``admin_list.result_list``, with the rows written by ``core.admin_rows``."""
    headers = list(result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": list(result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": rows(cl),
    }


@register.tag(name="backoffice_result_list")
def result_list_tag(parser, token):
    """``{% result_list cl %}`` (``admin/change_list_results.html``, overridable per model as
    Django's), each row's cells written at once (``core.admin_rows``)."""
    return InclusionAdminNode(
        "backoffice_result_list",
        parser,
        token,
        func=result_list,
        template_name="change_list_results.html",
        takes_context=False,
    )
