"""The back office: reviewers kept to their assignments, the groups' permissions, users and
superusers, private files never linked, stale saves refused."""

import re

import pytest
from django.urls import reverse

from grants.models import (
    Application,
    Initiative,
    ReviewAssignment,
)
from organisations.models import (
    User,
)
from reports.models import (
    Attachment,
    Report,
)

from .dataset import TODAY, admin_url, staff_group

pytestmark = pytest.mark.django_db


# --- reviewers ---------------------------------------------------------------------------------


def test_reviewer_cannot_open_initiatives(reviewer_client):
    assert reviewer_client.get(reverse("admin:index")).status_code == 200
    assert reviewer_client.get(admin_url(Initiative, "changelist")).status_code == 403


def test_secretariat_index_lists_the_domain_apps(secretariat_client):
    content = secretariat_client.get(reverse("admin:index")).content.decode()
    for label in ("programme", "organisations", "grants", "reports"):
        assert f'class="app-{label} module' in content, label


def test_reviewer_sees_only_assigned_applications(reviewer_client, dataset):
    other = Application.objects.create(
        edition=dataset["edition"],
        organisation=dataset["application"].organisation,
        title="Not for this reviewer",
    )
    content = reviewer_client.get(admin_url(Application, "changelist")).content.decode()
    assert "Rights in the Andes 1" in content
    assert "Not for this reviewer" not in content
    assert reviewer_client.get(admin_url(Application, "change", other.pk)).status_code == 302


def test_reviewer_sees_nothing_of_an_application_before_declaring_no_conflict(
    reviewer_client, dataset
):
    ReviewAssignment.objects.filter(application=dataset["application"]).update(
        conflict=ReviewAssignment.Conflict.UNDECLARED
    )
    content = reviewer_client.get(admin_url(Application, "changelist")).content.decode()
    assert "Rights in the Andes 1" not in content
    change = reviewer_client.get(admin_url(Application, "change", dataset["application"].pk))
    assert change.status_code == 302


def test_groups_have_the_permissions_of_their_role():
    secretariat = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in staff_group("Secretariat").permissions.select_related("content_type")
    }
    assert {
        "grants.change_initiative",
        "reports.delete_report",
        "programme.add_edition",
        "organisations.view_organisation",
        "organisations.change_user",
        "notifications.view_notification",
        "notifications.change_notification",
        "notifications.change_scheduledjob",
        "auth.view_group",
    } <= secretariat
    assert "organisations.add_user" not in secretariat
    assert "auth.change_group" not in secretariat

    reviewer = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in staff_group("Reviewer").permissions.select_related("content_type")
    }
    assert reviewer == {
        "grants.view_application",
        "grants.view_reviewassignment",
        "grants.add_review",
        "grants.change_review",
        "grants.view_review",
        "grants.add_reviewscore",
        "grants.change_reviewscore",
        "grants.view_reviewscore",
    }


# --- users -------------------------------------------------------------------------------------


def test_superuser_adds_a_user_by_email(client):
    client.force_login(User.objects.create_superuser(email="root@example.org", password="pw-long"))
    response = client.post(
        admin_url(User, "add"),
        {
            "email": "New.Person@Example.org",
            "full_name": "New Person",
            "language": "fr",
            "usable_password": "true",
            "password1": "a-long-test-password",
            "password2": "a-long-test-password",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(email="new.person@example.org")
    assert user.full_name == "New Person"
    assert user.check_password("a-long-test-password")


def test_secretariat_cannot_grant_superuser_or_edit_a_superuser(secretariat_client, dataset):
    member = dataset["member"]
    content = secretariat_client.get(admin_url(User, "change", member.pk)).content.decode()
    assert 'name="email"' in content
    assert 'name="is_superuser"' not in content
    assert 'name="user_permissions"' not in content

    root = User.objects.create_superuser(email="root@example.org", password="x-long-password")
    content = secretariat_client.get(admin_url(User, "change", root.pk)).content.decode()
    assert 'name="email"' not in content
    assert (
        secretariat_client.get(
            admin_url(User, "change", root.pk).replace("/change/", "/password/")
        ).status_code
        == 403
    )


# --- reports -----------------------------------------------------------------------------------


def test_attachment_pages_never_link_to_the_private_file(secretariat_client, dataset):
    attachment = Attachment.objects.get()
    for url in (
        admin_url(Attachment, "change", attachment.pk),
        admin_url(Report, "change", dataset["report"].pk),
    ):
        content = secretariat_client.get(url).content.decode()
        assert "photo.jpg" in content
        assert attachment.file.name not in content, url


def management_forms(html: str) -> dict[str, str]:
    return dict(
        re.findall(
            r'name="([\w-]+-(?:TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS)"[^>]*value="(\d*)"', html
        )
    )


def test_report_admin_refuses_a_stale_save(secretariat_client, secretary, dataset):
    report = Report.objects.create(
        initiative=dataset["initiative"],
        kind="final",
        period_start=TODAY,
        period_end=TODAY,
        due_on=TODAY,
    )
    url = admin_url(Report, "change", report.pk)
    page = secretariat_client.get(url).content.decode()
    assert re.search(r'<input type="hidden" name="read_version" value="0"', page)
    data = {
        **management_forms(page),
        "initiative": report.initiative_id,
        "kind": "final",
        "period_start": TODAY,
        "period_end": TODAY,
        "due_on": TODAY,
        "language": "en",
        "highlights": "Changed by the secretariat.",
        "read_version": "0",
    }
    response = secretariat_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    report.refresh_from_db()
    assert report.highlights == "Changed by the secretariat."
    assert report.version == 1
    assert report.updated_by == secretary

    # A second save from the same (now stale) page is refused and changes nothing.
    response = secretariat_client.post(url, {**data, "highlights": "Overwritten?"})
    assert response.status_code == 200
    assert "Someone else changed this report" in response.content.decode()
    report.refresh_from_db()
    assert report.highlights == "Changed by the secretariat."
