"""The lines of action the public reads are those of the last approved workplan: a grantee's
new draft reaches the public page only once the secretariat approves it; the secretariat's
own edits in the back office apply at once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from grants.models import LineOfAction, PublicLineOfAction
from grants.services import (
    public_lines_refresh,
    workplan_approve,
    workplan_request_changes,
    workplan_section_save,
    workplan_submit,
)
from tests.portal.factories import (
    approved_initiative,
    current_version,
    make_member,
    make_organisation,
    make_secretary,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretary(db):
    return make_secretary()


@pytest.fixture
def member(db):
    return make_member(make_organisation(name="Acción Andina"), email="ana@example.org")


@pytest.fixture
def initiative(member, secretary):
    return approved_initiative(member.memberships.get().organisation, member, secretary)


def initiative_url(initiative) -> str:
    edition = initiative.edition
    return f"/en/{edition.programme.slug}/editions/{edition.slug}/initiatives/{initiative.slug}/"


def public_lines(client, initiative) -> str:
    client.logout()
    url = initiative_url(initiative)
    html = client.get(url).content.decode()
    start = html.find("Lines of action</h2>")
    return html[start : html.find("</ol>", start)] if start >= 0 else ""


def test_a_new_draft_reaches_the_public_page_only_once_approved(
    client, initiative, member, secretary
):
    assert "Training" in public_lines(client, initiative)
    workplan_request_changes(initiative=initiative, actor=secretary, comment="Add a line.")
    training = initiative.lines_of_action.get(title_en="Training")
    workplan_section_save(
        initiative=initiative,
        actor=member,
        section="lines",
        language="en",
        read_version=current_version(initiative, "lines"),
        rows=[
            {"id": training.pk, "title": "Peer training (draft)", "order": 1},
            {"id": None, "title": "Harm reduction kits", "description": "", "order": 3},
        ],
    )
    lines = public_lines(client, initiative)
    assert "Training" in lines and "Advocacy" in lines
    assert "draft" not in lines and "Harm reduction kits" not in lines
    workplan_submit(initiative=initiative, actor=member)
    assert "Harm reduction kits" not in public_lines(client, initiative)
    workplan_approve(initiative=initiative, actor=secretary)
    lines = public_lines(client, initiative)
    assert "Peer training (draft)" in lines and "Harm reduction kits" in lines
    assert lines.index("Peer training") < lines.index("Advocacy") < lines.index("Harm reduction")


def test_refreshing_twice_changes_nothing(initiative):
    before = list(PublicLineOfAction.objects.order_by("pk").values())
    public_lines_refresh(initiative=initiative)
    assert list(PublicLineOfAction.objects.order_by("pk").values()) == before
    assert len(before) == 2


def test_secretariat_edits_in_the_back_office_apply_directly(client, initiative, secretary):
    line = initiative.lines_of_action.get(title_en="Advocacy")
    client.force_login(secretary)
    url = reverse("admin:grants_lineofaction_change", args=[line.pk])
    data = {
        "initiative": initiative.pk,
        "order": line.order,
        "title_en": "Advocacy",
        "title_es": "Incidencia política",
        "description_en": "Meetings.",
    }
    assert client.post(url, data).status_code == 302
    assert PublicLineOfAction.objects.filter(title_es="Incidencia política").exists()
    # While the grantee revises the workplan, the public page keeps the approved lines...
    workplan_request_changes(initiative=initiative, actor=secretary, comment="Revise.")
    response = client.post(url, {**data, "title_es": "Incidencia"}, follow=True)
    assert "keeps the lines of action of the last approved workplan" in response.content.decode()
    assert not PublicLineOfAction.objects.filter(title_es="Incidencia").exists()
    # ...unless the secretariat chooses to show the current ones.
    client.post(
        reverse("admin:grants_initiative_changelist"),
        {"action": "show_current_lines", "_selected_action": [initiative.pk]},
    )
    assert PublicLineOfAction.objects.filter(title_es="Incidencia").exists()


def test_the_initiative_page_makes_the_same_queries_with_more_lines(
    client, initiative, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = initiative_url(initiative)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for order in range(5):
        LineOfAction.objects.create(initiative=initiative, title_en=f"Line {order}", order=9)
    public_lines_refresh(initiative=initiative)
    assert PublicLineOfAction.objects.filter(initiative=initiative).count() == 7
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)
