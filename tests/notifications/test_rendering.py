"""Every notification type renders, in every language, with nothing missing."""

import copy
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.template.loader import get_template

from notifications.models import Notification
from notifications.registry import KINDS
from notifications.services.sending import build_message, render_notification

LANGUAGES = [code for code, _name in django_settings.LANGUAGES]
INVALID = "!!MISSING:%s!!"

SAMPLE = {
    "title": "Peers' voices",
    "organisation": "Women's Harm Reduction <Network>",
    "edition": "Initiatives Programme 2026",
    "comment": "Please add the budget for the second workshop.",
    "decision": "approved",
    "amount": "5000.00",
    "currency": "EUR",
    "message": "Congratulations.",
    "initiative": "Support. Don't Punish in Bolivia",
    "report_kind": "interim",
    "due_on": "2026-06-30",
    "tranche": 1,
    "paid_on": "2026-07-02",
    "inviter": "Maria Pérez",
    "expires_on": "2026-12-31",
    "name": "Ana Quispe",
    "valid_days": 3,
    "count": 2,
    "reset_by": "Sam O'Secretariat",
    "reason": "The organisation closed <for good>.",
    "changed_by": "Ana Quispe",
    "amount_sent": "4600.00",
    "sent_currency": "EUR",
    "amount_received": "4400.00",
    "received_currency": "EUR",
    "old_end": "2026-12-31",
    "new_end": "2027-03-31",
    "group": "Coletivo <Rua> Viva",
    "approved": False,
    "reason_id": None,
    "overdue": False,
    "author": "Sam O'Secretariat",
    "subject": "Women's Harm Reduction <Network> – Peers' voices",
    "excerpt": "Call the bank <first>: the account changed twice.",
    "list": "Reports",
    "rows": 51234,
    "file": "reports-2026-12-02.xlsx",
}


@pytest.fixture
def strict_templates(settings):
    """A variable the template uses but the context lacks shows up as !!MISSING:name!!."""
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0].setdefault("OPTIONS", {})["string_if_invalid"] = INVALID
    settings.TEMPLATES = templates


def make(kind, language="en", **overrides):
    context = {key: SAMPLE[key] for key in KINDS[kind].context}
    context.update(overrides)
    return Notification(
        pk=41,
        kind=kind,
        key="test",
        email="person@example.org",
        language=language,
        context=context,
        path=f"/{language}/portal/",
    )


def test_a_missing_variable_would_be_caught(strict_templates):
    notification = make("application_received")
    del notification.context["edition"]
    _subject, text, _html = render_notification(notification)
    assert "!!MISSING:edition!!" in text


def test_every_kind_has_its_templates_and_every_template_folder_a_kind():
    folders = {
        path.name
        for path in (Path(django_settings.BASE_DIR) / "templates" / "emails").iterdir()
        if path.is_dir() and path.name != "includes"
    }
    assert folders == {kind.template_dir.removeprefix("emails/") for kind in KINDS.values()}
    for kind in KINDS.values():
        for name in ("subject.txt", "body.txt", "body.html"):
            get_template(f"{kind.template_dir}/{name}")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_renders_in_every_language(kind, language, strict_templates):
    subject, text, html = render_notification(make(kind, language))

    for part in (subject, text, html):
        assert "!!MISSING" not in part, part
        assert "{{" not in part and "{%" not in part
    assert subject and "\n" not in subject
    # The link back to the right page, in both versions.
    assert f"http://127.0.0.1:8000/{language}/portal/" in text
    assert 'href="http://127.0.0.1:8000/' in html
    assert f'<html lang="{language}">' in html
    # Plain text is not HTML-escaped; the HTML version is.
    assert "&#x27;" not in text and "&lt;" not in text
    assert "<Network>" not in html
    assert (
        "Women&#x27;s Harm Reduction &lt;Network&gt;" in html
        or "organisation" not in KINDS[kind].context
    )


@pytest.mark.parametrize(
    ("kind", "variant"),
    [
        ("application_decision", {"decision": "declined", "amount": "", "message": ""}),
        ("more_info_requested", {"comment": ""}),
        ("report_accepted", {"comment": "", "report_kind": "final"}),
        ("report_due_3", {"due_on": "not a date"}),
    ],
)
def test_variants_render_too(kind, variant, strict_templates):
    subject, text, html = render_notification(make(kind, **variant))
    assert "!!MISSING" not in subject + text + html


def test_the_english_email_reads_well():
    subject, text, html = render_notification(make("report_due_14"))
    assert subject == (
        "Reminder: the interim report of Support. Don't Punish in Bolivia is due on June 30, 2026"
    )
    assert "(Women's Harm Reduction <Network>) is due on June 30, 2026." in text
    assert "Open the report:\nhttp://127.0.0.1:8000/en/portal/" in text

    subject, text, html = render_notification(make("application_decision"))
    assert subject == "Your application “Peers' voices” is approved"
    assert "with a grant of 5,000 EUR" in text
    assert "Congratulations." in text and "Congratulations." in html

    subject, text, _html = render_notification(
        make("application_decision", decision="declined", message="")
    )
    assert subject == "Decision on your application “Peers' voices”"
    assert "was not selected" in text


def test_a_french_speaking_person_gets_the_french_email():
    subject, text, html = render_notification(make("invitation", "fr", organisation="SKOSH"))
    # The site's name (SITE_NAME), in French too (needs issue 15's catalogue entries).
    assert subject == "Rejoignez SKOSH sur le portail « Soutenez. Ne punissez pas »"
    english_subject, english_text, _html = render_notification(
        make("invitation", "en", organisation="SKOSH")
    )
    assert text != english_text
    # Dates are in the reader's format.
    assert "31 décembre 2026" in text
    assert "Dec. 31, 2026" in english_text


def test_an_unknown_language_falls_back_to_english():
    subject, _text, _html = render_notification(make("invitation", "", organisation="SKOSH"))
    assert subject == "Join SKOSH on the Support. Don't Punish portal"


def test_the_message_has_both_versions_a_stable_id_and_no_auto_replies():
    message = build_message(make("report_submitted"))
    assert message.to == ["person@example.org"]
    assert message.alternatives[0].mimetype == "text/html"
    assert message.extra_headers["Message-ID"] == "<notification-41@127.0.0.1>"
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    assert message.message()["Message-ID"] == "<notification-41@127.0.0.1>"
