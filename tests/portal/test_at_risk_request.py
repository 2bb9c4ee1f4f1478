"""An applicant asks not to be named in public (issue 13): a field of the application form,
explained; the secretariat sees the request on the application (portal page and back office);
the grant awarded starts at risk, so nothing names the organisation before someone decides
otherwise."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from grants import services
from tests.grants.factories import secretariat_user, under_review

from .test_applications import complete_post, edit_url

pytestmark = pytest.mark.django_db


def test_the_form_explains_the_request_and_saves_it(client, started, edition):
    page = client.get(edit_url(started)).content.decode()
    assert 'name="is_at_risk_requested"' in page
    assert "Do not name our organisation in public" in page
    assert "The secretariat still knows who you are." in page
    data = complete_post(page, edition, action="submit", is_at_risk_requested="on")
    response = client.post(edit_url(started), data)
    assert response.status_code == 302
    started.refresh_from_db()
    assert started.is_at_risk_requested
    detail = client.get(response["Location"]).content.decode()
    assert "The applicant asks not to be named in public." in detail


def test_the_secretariat_sees_the_request_and_the_award_starts_at_risk(client, edition):
    secretary = secretariat_user()
    asking = under_review(edition, secretary, is_at_risk_requested=True)
    not_asking = under_review(edition, secretary)
    client.force_login(secretary)
    page = client.get(reverse("admin:grants_application_change", args=[asking.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "asks not to be named in public" in html.lower()
    listing = client.get(
        reverse("admin:grants_application_changelist"), {"is_at_risk_requested__exact": "1"}
    ).content.decode()
    assert asking.title in listing

    def award(application):
        return services.application_approve(
            application=application,
            actor=secretary,
            amount=Decimal("4800"),
            period_start=datetime.date(2026, 7, 1),
            period_end=datetime.date(2027, 6, 30),
        )

    initiative = award(asking)
    assert initiative.is_at_risk
    assert not award(not_asking).is_at_risk
    # The initiative's page in the back office says the applicant asked for it.
    page = client.get(reverse("admin:grants_initiative_change", args=[initiative.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "asks not to be named in public" in html.lower()
    checkbox = re.search(r'<input[^>]*name="is_at_risk"[^>]*>', html).group(0)
    assert "checked" in checkbox
