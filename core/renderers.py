"""The form renderer (``FORM_RENDERER``): Django's, with its commonest widget templates written
in Python.

Issue 14: a back-office change page draws hundreds of widgets, and Django renders each one
through two or three small templates (the widget, ``input.html``, ``attrs.html``; a select
includes a template per option), plus a template per field for its empty error list. That
was half of such a page's time. The functions below produce the same characters as Django's
templates (``tests/test_form_renderer.py`` compares them widget by widget): the same escaping,
the same attribute rules (``False`` left out, ``True`` written bare), the same line breaks.

Only Django's own templates are replaced: a template that an app overrides (found elsewhere
than in ``django/forms/templates``) is rendered as a template, and so is anything unusual (a
value the template language would call, an option with its own template, an error list that
holds errors).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import django.forms
from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.functional import cached_property
from django.utils.html import conditional_escape
from django.utils.timezone import template_localtime

DJANGO_TEMPLATES = Path(django.forms.__file__).parent / "templates"

ATTRS = "django/forms/widgets/attrs.html"
INPUT = "django/forms/widgets/input.html"
OPTION = "django/forms/widgets/select_option.html"
# Widgets whose template is only ``{% include "django/forms/widgets/input.html" %}``.
INPUTS = tuple(
    f"django/forms/widgets/{name}.html"
    for name in (
        "text",
        "number",
        "email",
        "url",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "checkbox",
        "color",
        "search",
        "tel",
    )
)


class Fallback(Exception):  # noqa: N818 (a signal, not an error)
    """This context needs the template after all."""


def _text(value) -> str:
    """``{{ value }}`` in an autoescaping template, as ``render_value_in_context`` writes it."""
    if callable(value):
        raise Fallback
    if not isinstance(value, str):
        value = localize(template_localtime(value))
        if not isinstance(value, str):
            value = str(value)
    return conditional_escape(value)


def _format(value) -> str:
    """``{{ value|stringformat:'s' }}``: ``"%s" % value``, escaped unless ``value`` is safe."""
    if callable(value) or isinstance(value, tuple):
        raise Fallback
    return conditional_escape(value)


def _attrs(attrs: dict) -> str:
    """``django/forms/widgets/attrs.html`` (``django/forms/attrs.html`` is the same)."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {_text(name)}")
        else:
            parts.append(f' {_text(name)}="{_format(value)}"')
    return "".join(parts)


def _input(context: dict) -> str:
    widget = context["widget"]
    value = widget["value"]
    shown = "" if value is None else f' value="{_format(value)}"'
    return (
        f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"'
        f"{shown}{_attrs(widget['attrs'])}>"
    )


def _textarea(context: dict) -> str:
    widget = context["widget"]
    value = widget["value"]
    if callable(value):
        raise Fallback
    text = _text(value) if value else ""
    return f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n{text}</textarea>'


def _option(option: dict) -> str:
    if option.get("template_name") != OPTION:
        raise Fallback
    return (
        f'<option value="{_format(option["value"])}"{_attrs(option["attrs"])}>'
        f"{_text(option['label'])}</option>\n"
    )


def _select(context: dict) -> str:
    widget = context["widget"]
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if callable(group_name):
            raise Fallback
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            parts.append(f"\n  {_option(option)}")
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _errors(context: dict) -> str:
    """An error list: nothing when it is empty (the template's ``{% if errors %}``)."""
    if context["errors"]:
        raise Fallback
    return ""


def _label(context: dict) -> str:
    if not context["use_tag"]:
        return _text(context["label"])
    tag = _text(context["tag"])
    return f"<{tag}{_attrs(context['attrs'] or {})}>{_text(context['label'])}</{tag}>"


# Each function with the templates its output stands for (all must be Django's own).
FAST: dict[str, tuple[Callable[[dict], str], tuple[str, ...]]] = {
    **{name: (_input, (name, INPUT, ATTRS)) for name in INPUTS},
    INPUT: (_input, (INPUT, ATTRS)),
    "django/forms/widgets/textarea.html": (
        _textarea,
        ("django/forms/widgets/textarea.html", ATTRS),
    ),
    "django/forms/widgets/select.html": (_select, ("django/forms/widgets/select.html", ATTRS)),
    "django/forms/errors/list/default.html": (
        _errors,
        ("django/forms/errors/list/default.html", "django/forms/errors/list/ul.html"),
    ),
    "django/forms/errors/list/ul.html": (_errors, ("django/forms/errors/list/ul.html",)),
    "django/forms/label.html": (_label, ("django/forms/label.html", "django/forms/attrs.html")),
}


class FastRenderer(DjangoTemplates):
    """Django's default renderer, with ``FAST``'s templates written in Python."""

    @cached_property
    def fast(self) -> dict[str, Callable[[dict], str]]:
        """The functions whose templates all come from Django itself here."""

        def own(name: str) -> bool:
            origin = self.get_template(name).origin.name
            return Path(origin) == DJANGO_TEMPLATES / name

        return {
            name: function
            for name, (function, templates) in FAST.items()
            if all(own(template) for template in templates)
        }

    def render(self, template_name, context, request=None):
        function = self.fast.get(template_name)
        if function is not None:
            try:
                return function(context).strip()  # as Django's renderer strips a template's
            except Fallback:
                pass
        return super().render(template_name, context, request=request)
