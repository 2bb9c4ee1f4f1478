"""Two members edit the same report: the second save is refused, their text is kept for them,
and nothing is overwritten silently."""

from __future__ import annotations

import re
import threading

import pytest
from django.db import connection
from django.test import Client

from reports.models import Report
from reports.services import StaleReport, report_save
from tests.portal.factories import (
    approved_initiative,
    complete_content,
    first_report,
    make_member,
    make_organisation,
    make_secretary,
)
from tests.portal.test_reports import edit_url, form_data

pytestmark = pytest.mark.django_db


def version_in(html: str) -> str:
    return re.search(r'name="version" value="(\d+)"', html).group(1)


def test_the_second_save_is_refused_and_the_text_kept(report, organisation, member):
    colleague = make_member(organisation, email="luis@example.org", full_name="Luis Mamani")
    ana, luis = Client(), Client()
    ana.force_login(member)
    luis.force_login(colleague)
    # Both open the form at the same version.
    ana_form = ana.get(edit_url(report)).content.decode()
    luis_form = luis.get(edit_url(report)).content.decode()
    assert version_in(ana_form) == version_in(luis_form) == "0"

    saved = ana.post(
        edit_url(report),
        {**form_data(report, challenges="Ana: the rains came early."), "save": "1"},
    )
    assert saved.status_code == 302
    refused = luis.post(
        edit_url(report),
        {**form_data(report, challenges="Luis: the venue closed in May."), "save": "1"},
    )
    assert refused.status_code == 409
    html = refused.content.decode()
    assert "Someone else saved this report while you were editing it" in html
    assert "Ana Quispe saved this report" in html
    # Luis's text is in the form; Ana's saved text is there to compare.
    assert "Luis: the venue closed in May." in html
    assert "Ana: the rains came early." in html
    report.refresh_from_db()
    assert report.challenges == "Ana: the rains came early."
    assert report.versions.count() == 1
    # Having seen Ana's text, Luis saves deliberately: the form now carries the current version.
    assert version_in(html) == "1"
    again = luis.post(
        edit_url(report),
        {
            **form_data(report, challenges="Ana: the rains came early. Luis: the venue closed."),
            "version": version_in(html),
            "save": "1",
        },
    )
    assert again.status_code == 302
    report.refresh_from_db()
    assert report.challenges == "Ana: the rains came early. Luis: the venue closed."
    assert report.version == 2


@pytest.mark.django_db(transaction=True)
def test_simultaneous_saves_cannot_both_win(settings, tmp_path):
    """Two saves from the same version at the same moment, in two database connections: the
    row lock lets one through and the other is refused."""
    settings.MEDIA_ROOT = tmp_path
    organisation = make_organisation()
    member = make_member(organisation)
    report = first_report(approved_initiative(organisation, member, make_secretary()))
    barrier = threading.Barrier(2)
    outcomes = []

    def save(text: str) -> None:
        try:
            barrier.wait()
            report_save(
                report=Report.objects.get(pk=report.pk),
                actor=member,
                content=complete_content(report, challenges=text),
                read_version=0,
            )
            outcomes.append(("saved", text))
        except StaleReport:
            outcomes.append(("refused", text))
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(text,)) for text in ("one", "two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(kind for kind, _text in outcomes) == ["refused", "saved"]
    winner = next(text for kind, text in outcomes if kind == "saved")
    report.refresh_from_db()
    assert (report.challenges, report.version) == (winner, 1)
