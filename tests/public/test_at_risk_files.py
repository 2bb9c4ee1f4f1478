"""At-risk mode and the public files: marking a recipient at risk takes the old addresses of its
photos away (anyone who saw its page before knows them), keeps the photos, and a small grant's
photo is never at an address one can count through."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from core.images import make_thumbnails, thumbnail_name
from grants.models import Initiative, LightApplication
from grants.services.light import light_report_accept, light_report_submit
from organisations.models import Organisation
from reports.models import PublicResult
from reports.services import results_publish
from tests.admin.test_constraint_messages import save
from tests.grants.factories import secretariat_user
from tests.grants.light import PNG, light_edition, refresh
from tests.grants.test_light import ready_to_pay
from tests.portal.factories import (
    approved_initiative,
    make_member,
    make_organisation,
    make_secretary,
)
from tests.reports.results_helpers import accepted_final_report, photo_upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def secretary(db):
    return make_secretary()


@pytest.fixture
def grant(secretary):
    organisation = make_organisation(name="Kénédougou Solidarité")
    member = make_member(organisation, email="awa@example.org", language="fr")
    initiative = approved_initiative(organisation, member, secretary)
    report, consented, _private = accepted_final_report(
        initiative, member, secretary, highlights="Quarante personnes formées.", extra_photos=0
    )
    initiative.cover_photo.save(
        "kenedougou-solidarite.jpg", ContentFile(photo_upload("cover.jpg").read())
    )
    make_thumbnails(initiative.cover_photo.name)
    results_publish(report=report, actor=secretary, highlights=False, photos=[consented.pk])
    return initiative


def public_url(name: str) -> str:
    return "/media/" + name


def photos(initiative: Initiative) -> list[str]:
    initiative.refresh_from_db()
    result = PublicResult.objects.get(initiative=initiative, kind="photo")
    return [initiative.cover_photo.name, result.photo.name]


def test_marking_the_organisation_at_risk_in_the_back_office_moves_its_photos(
    client,
    grant,
    secretary,
    django_capture_on_commit_callbacks,
):
    before = photos(grant)
    contents = [default_storage.open(name).read() for name in before]
    thumbnails = [thumbnail_name(before[0], width) for width in (480, 960, 1440)]
    assert any(default_storage.exists(name) for name in thumbnails)
    for name in before:
        assert client.get(public_url(name)).status_code == 200

    client.force_login(secretary)
    with django_capture_on_commit_callbacks(execute=True):
        response = save(client, Organisation, grant.lead_organisation_id, is_at_risk="on")
    assert response.status_code == 302
    client.logout()

    after = photos(grant)
    for old, new, content in zip(before, after, contents, strict=True):
        assert new != old and new.startswith(old.rsplit("/", 1)[0] + "/")
        assert "kenedougou" not in new
        assert client.get(public_url(old)).status_code == 404  # the known address is gone
        assert default_storage.open(new).read() == content  # the photo is kept
    assert not any(default_storage.exists(name) for name in thumbnails)


def test_the_initiatives_own_flag_moves_them_once(grant, django_capture_on_commit_callbacks):
    before = photos(grant)
    with django_capture_on_commit_callbacks(execute=True):
        grant.is_at_risk = True
        grant.save()
    moved = photos(grant)
    assert set(moved).isdisjoint(before)
    # Saved again while at risk, or taken off: nothing moves; the page shows the photo again.
    with django_capture_on_commit_callbacks(execute=True):
        grant.save()
        grant.is_at_risk = False
        grant.save()
    assert photos(grant) == moved


def test_saving_a_grant_that_is_not_at_risk_moves_nothing(
    grant, django_capture_on_commit_callbacks
):
    before = photos(grant)
    with django_capture_on_commit_callbacks(execute=True):
        grant.save()
        Organisation.objects.get(pk=grant.lead_organisation_id).save()
    assert photos(grant) == before


def test_a_small_grants_photo_has_a_random_address_and_moves_when_marked(
    client, django_capture_on_commit_callbacks
):
    edition = light_edition()
    secretary = secretariat_user()
    (pk,) = ready_to_pay(edition, secretary, 1)
    upload = SimpleUploadedFile("a.png", PNG, content_type="image/png")
    light_report_submit(
        application=refresh(pk),
        text="We marched.",
        participants=80,
        link="",
        photos=[(upload, "The march", True)],
    )
    grant = light_report_accept(application=refresh(pk), actor=secretary)
    photo = grant.photos.get()
    first = photo.public_copy.name
    assert first.startswith("public/light/") and str(photo.pk) not in first.rsplit("/", 1)[1]
    assert client.get(public_url(first)).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        application = LightApplication.objects.get(pk=pk)
        application.is_at_risk = True
        application.save()
    photo.refresh_from_db()
    assert photo.public_copy.name != first
    assert client.get(public_url(first)).status_code == 404
    assert default_storage.exists(photo.public_copy.name)
