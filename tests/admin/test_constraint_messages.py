"""A value a database constraint refuses is refused in the back office with a sentence people
understand, never with the constraint's name (Django's default message) and never with a 500."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.apps import apps as global_apps
from django.db import models
from django.utils import translation
from django.utils.functional import Promise

from grants.models import BudgetLine, Disbursement, Initiative

from .dataset import admin_url

pytestmark = pytest.mark.django_db

DOMAIN_APPS = ("notifications", "programme", "organisations", "grants", "reports")


class _FormValues(HTMLParser):
    """The values a browser would send from the form whose id is ``form_id``: text, hidden,
    number and date inputs, ticked boxes and radios, selected options and text areas."""

    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.values: dict[str, list[str]] = {}
        self._select: tuple[str, bool] | None = None  # (name, multiple)
        self._options: list[tuple[str, bool]] = []  # (value, selected) of the open select
        self._option_value: str | None = None
        self._option_text = ""
        self._textarea: str | None = None
        self._text = ""

    def add(self, name: str | None, value: str) -> None:
        if name:
            self.values.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.inside = attributes.get("id") == self.form_id
            return
        if not self.inside:
            return
        name = attributes.get("name")
        if tag == "input":
            kind = (attributes.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in attributes:
                    self.add(name, attributes.get("value") or "on")
            elif kind not in ("file", "submit", "button", "image", "reset"):
                self.add(name, attributes.get("value") or "")
        elif tag == "select":
            self._select = (name, "multiple" in attributes)
            self._options = []
        elif tag == "option" and self._select:
            self._option_value = attributes.get("value")
            self._option_text = ""
            self._options.append((self._option_value or "", "selected" in attributes))
        elif tag == "textarea":
            self._textarea = name
            self._text = ""

    def handle_data(self, data):
        if self._textarea is not None:
            self._text += data
        elif self._select and self._option_value is None and self._options:
            # An option without a value sends its text.
            value, selected = self._options[-1]
            self._options[-1] = (value + data.strip(), selected)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self._textarea is not None:
            # The browser drops the newline right after <textarea>.
            self.add(self._textarea, self._text.removeprefix("\n"))
            self._textarea = None
        elif tag == "select" and self._select:
            name, multiple = self._select
            chosen = [value for value, selected in self._options if selected]
            if not chosen and not multiple and self._options:
                chosen = [self._options[0][0]]
            for value in chosen:
                self.add(name, value)
            self._select = None


def change_form_data(client, model, pk) -> dict[str, list[str]]:
    """What the back office's change form of a row sends when saved unchanged."""
    response = client.get(admin_url(model, "change", pk))
    assert response.status_code == 200
    parser = _FormValues(f"{model._meta.model_name}_form")
    parser.feed(response.content.decode())
    assert parser.values, "no form found"
    return parser.values


def save(client, model, pk, **changes):
    data = change_form_data(client, model, pk)
    data.update({name: [value] for name, value in changes.items()})
    data["_save"] = ["Save"]
    return client.post(admin_url(model, "change", pk), data)


def assert_refused_with(response, message: str) -> None:
    assert response.status_code == 200  # the form again, with the message: no 500, no save
    content = response.content.decode()
    assert message in content
    assert "is violated" not in content
    assert "_positive" not in content  # no constraint name (they end in _positive here)


def test_every_check_constraint_has_a_message_and_a_code():
    seen = 0
    for label in DOMAIN_APPS:
        for model in global_apps.get_app_config(label).get_models():
            for constraint in model._meta.constraints:
                if not isinstance(constraint, models.CheckConstraint):
                    continue
                seen += 1
                message = str(constraint.get_violation_error_message())
                assert constraint.violation_error_message is not (
                    constraint.default_violation_error_message
                ), constraint.name
                assert constraint.name not in message, constraint.name
                assert constraint.violation_error_code, constraint.name
                # Translatable: a lazy string, translated when it is shown.
                assert isinstance(constraint.violation_error_message, Promise), constraint.name
    assert seen >= 20


def test_a_negative_amount_awarded_is_refused_with_a_sentence(secretariat_client, dataset):
    initiative = dataset["initiative"]
    response = save(secretariat_client, Initiative, initiative.pk, amount_awarded="-5000")
    assert_refused_with(response, "The amount awarded must be more than zero.")
    initiative.refresh_from_db()
    assert initiative.amount_awarded > 0


def test_a_negative_budget_line_in_the_initiative_form_is_refused(secretariat_client, dataset):
    initiative = dataset["initiative"]
    data = change_form_data(secretariat_client, Initiative, initiative.pk)
    amount_field = next(
        name for name in data if name.endswith("-0-amount") and name.startswith("budget")
    )
    data[amount_field] = ["-10"]
    data["_save"] = ["Save"]
    response = secretariat_client.post(admin_url(Initiative, "change", initiative.pk), data)
    assert_refused_with(response, "A budget line&#x27;s amount must be more than zero.")
    assert BudgetLine.objects.get(initiative=initiative).amount > 0


def test_a_negative_disbursement_is_refused_with_a_sentence(secretariat_client, dataset):
    disbursement = Disbursement.objects.get(initiative=dataset["initiative"])
    response = save(secretariat_client, Disbursement, disbursement.pk, amount="-1")
    assert_refused_with(response, "A disbursement&#x27;s amount must be more than zero.")
    disbursement.refresh_from_db()
    assert disbursement.amount > 0


def test_a_negative_budget_line_on_its_own_page_is_refused(secretariat_client, dataset):
    line = BudgetLine.objects.get(initiative=dataset["initiative"])
    response = save(secretariat_client, BudgetLine, line.pk, amount="-0.01")
    assert_refused_with(response, "A budget line&#x27;s amount must be more than zero.")


def test_the_message_is_translated(secretariat_client, dataset):
    """The message goes through gettext in the reader's language (the catalogues may not have
    it yet: then it stays English, still never the constraint's name)."""
    initiative = dataset["initiative"]
    with translation.override("fr"):
        url = admin_url(Initiative, "change", initiative.pk)
        expected = translation.gettext("The amount awarded must be more than zero.")
    data = change_form_data(secretariat_client, Initiative, initiative.pk)
    data["amount_awarded"] = ["-1"]
    response = secretariat_client.post(url, data)
    assert_refused_with(response, expected.replace("'", "&#x27;"))
