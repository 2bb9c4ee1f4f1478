"""The portal's status words and badges (``portal.templatetags.status``) say what Django's
``get_<field>_display`` says, in the reader's language."""

import pytest
from django.template import Context, Template
from django.utils import translation

from grants.models import Initiative
from reports.models import Report
from reports.workflow import ReportStatus


def render(source: str, **context) -> str:
    return Template("{% load status %}" + source).render(Context(context))


@pytest.mark.parametrize("language", ["en", "fr", "ru"])
@pytest.mark.parametrize("status", ReportStatus.values)
def test_label_is_the_display_in_the_readers_language(language, status):
    report = Report(status=status, kind="final")
    with translation.override(language):
        assert render('{{ report|label:"status" }}', report=report) == str(
            report.get_status_display()
        )
        assert render('{{ report|label:"kind" }}', report=report) == str(report.get_kind_display())


def test_label_of_a_value_outside_the_choices_is_the_value():
    initiative = Initiative(workplan_status="no-such-status")
    assert render('{{ initiative|label:"workplan_status" }}', initiative=initiative) == (
        "no-such-status"
    )


def test_badge_colours_by_value_and_escapes_its_words():
    assert render("{% status_badge 'accepted' 'Accepted' %}") == (
        '<span class="badge text-bg-success">Accepted</span>'
    )
    assert render("{% status_badge 'draft' words %}", words="<b>Draft</b>") == (
        '<span class="badge text-bg-light border">&lt;b&gt;Draft&lt;/b&gt;</span>'
    )
