"""The form renderer writes Django's commonest widget templates in Python (core.renderers): the
HTML must be Django's, character for character, escaping included."""

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django import forms
from django.contrib import admin
from django.contrib.admin import widgets as admin_widgets
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.test import override_settings
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from core.renderers import FastRenderer

from .dataset import admin_url

HOSTILE = "a <b> & \"c\" 'd' "

WIDGETS = [
    (forms.TextInput(), "name", HOSTILE),
    (forms.TextInput(attrs={"required": True, "disabled": False, "maxlength": 200}), "n", None),
    (forms.TextInput(attrs={"placeholder": mark_safe("<i>safe</i>")}), "n", ""),
    (forms.TextInput(attrs={"title": gettext_lazy("Name")}), "n", gettext_lazy("Name")),
    (forms.NumberInput(attrs={"step": "0.01"}), "amount", Decimal("1234.50")),
    (forms.NumberInput(), "count", 12345),
    (forms.HiddenInput(), "h", 'x"y'),
    (forms.EmailInput(), "email", "a@b.org"),
    (forms.URLInput(), "url", "https://x.org/?a=1&b=2"),
    (forms.PasswordInput(render_value=True), "p", "secret"),
    (forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), "d", datetime.date(2024, 5, 1)),
    (forms.DateTimeInput(), "dt", datetime.datetime(2024, 5, 1, 10, 30)),
    (forms.TimeInput(), "t", datetime.time(9, 5)),
    (forms.CheckboxInput(), "c", True),
    (forms.CheckboxInput(), "c", False),
    (forms.CheckboxInput(), "c", "on"),
    (forms.Textarea(attrs={"rows": 4}), "text", HOSTILE + "\nsecond line\n"),
    (forms.Textarea(), "text", ""),
    (forms.Textarea(), "text", None),
    (forms.Textarea(), "text", mark_safe("<b>safe</b>")),
    (forms.Select(choices=[("", "---------"), ("a", "A & B"), (1, 2)]), "s", "a"),
    (forms.Select(choices=[("x", gettext_lazy("Yes")), ("<", "<")]), "s", "<"),
    (
        forms.Select(
            choices=[("Group <1>", [("a", "A"), ("b", "B")]), ("c", "C"), ("Other", [("d", "D")])]
        ),
        "s",
        "b",
    ),
    (forms.SelectMultiple(choices=[("a", "A"), ("b", "B"), ("c", "C")]), "m", ["a", "c"]),
    (forms.NullBooleanSelect(), "nb", None),
    (forms.NullBooleanSelect(), "nb", True),
    (admin_widgets.AdminTextInputWidget(), "t", HOSTILE),
    (admin_widgets.AdminTextareaWidget(), "t", HOSTILE),
    (admin_widgets.AdminIntegerFieldWidget(), "i", 3),
    (admin_widgets.AdminDateWidget(), "d", datetime.date(2024, 5, 1)),
    (admin_widgets.AdminEmailInputWidget(), "e", "x@y.org"),
    (
        admin_widgets.FilteredSelectMultiple("countries", is_stacked=False, choices=[("FR", "F")]),
        "countries",
        ["FR"],
    ),
    (admin_widgets.AdminSplitDateTime(), "when", datetime.datetime(2024, 5, 1, 10, 30)),
    (forms.RadioSelect(choices=[("a", "A"), ("b", "B")]), "r", "a"),
    (forms.ClearableFileInput(), "f", None),
]


@pytest.mark.parametrize(("widget", "name", "value"), WIDGETS)
def test_widgets_render_as_djangos_templates(widget, name, value):
    attrs = {"id": f"id_{name}"}
    expected = widget.render(name, value, attrs=attrs, renderer=DjangoTemplates())
    assert widget.render(name, value, attrs=attrs, renderer=FastRenderer()) == expected


class Sample(forms.Form):
    title = forms.CharField(label="Title <&>", max_length=20)
    kind = forms.ChoiceField(choices=[("a", "A"), ("b", "B")])
    notes = forms.CharField(widget=forms.Textarea, required=False)
    agree = forms.BooleanField(label=mark_safe("I <em>agree</em>"))


@pytest.mark.parametrize("data", [None, {"title": "x" * 30, "kind": "z"}, {"title": "ok"}])
def test_forms_with_and_without_errors_render_as_djangos_templates(data):
    pages = [
        str(Sample(data, renderer=renderer)) + Sample(data, renderer=renderer)["title"].label_tag()
        for renderer in (DjangoTemplates(), FastRenderer())
    ]
    assert pages[0] == pages[1]


def test_an_overridden_template_is_rendered_as_a_template(monkeypatch):
    renderer = FastRenderer()
    assert "django/forms/widgets/text.html" in renderer.fast
    monkeypatch.setattr("core.renderers.DJANGO_TEMPLATES", Path("/elsewhere"))
    del renderer.fast
    assert renderer.fast == {}


def _page(client, url: str, renderer: str) -> str:
    with override_settings(FORM_RENDERER=renderer):
        get_default_renderer.cache_clear()
        try:
            html = client.get(url).content.decode()
        finally:
            get_default_renderer.cache_clear()
    # Each page masks the CSRF token differently.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


@pytest.mark.django_db
def test_every_admin_form_is_the_same_page(secretariat_client, dataset):
    differences = []
    for model in admin.site._registry:
        obj = model._default_manager.first()
        for url in (admin_url(model, "change", obj.pk), admin_url(model, "add")):
            pages = [
                _page(secretariat_client, url, renderer)
                for renderer in (
                    "django.forms.renderers.DjangoTemplates",
                    "core.renderers.FastRenderer",
                )
            ]
            if pages[0] != pages[1]:
                differences.append(url)
    assert differences == []
