"""Results of a grant on its public page: the grantee marks them in the final report (its
highlights, the photos with consent), the secretariat chooses what the public reads."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from core.workflow import TransitionNotAllowed
from programme.models import ReportKind
from reports.errors import ReportError
from reports.models import PublicResult
from reports.services import results_publish
from tests.portal.factories import make_member

from .results_helpers import accepted_final_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def final(initiative, member, secretary):
    return accepted_final_report(initiative, member, secretary)


def test_the_secretariat_publishes_the_highlights_and_a_consented_photo(final, secretary):
    report, consented, _private = final
    results_publish(report=report, actor=secretary, highlights=True, photos=[consented.pk])
    highlights = PublicResult.objects.get(kind="highlights")
    photo = PublicResult.objects.get(kind="photo")
    assert highlights.text_en == "Forty people trained." and highlights.original_language == "en"
    assert (highlights.published_by, photo.published_by) == (secretary, secretary)
    assert highlights.published_at is not None and photo.caption_en == "Peer educators in Sucre"
    # The photo is a public copy under another name; the report's file stays private.
    assert photo.photo.name.startswith("public/results/")
    assert consented.file.name.startswith("private/")
    assert Path(settings.MEDIA_ROOT, photo.photo.name).read_bytes() == (
        Path(settings.MEDIA_ROOT, consented.file.name).read_bytes()
    )


def test_a_photo_without_consent_cannot_be_published(final, secretary):
    report, consented, private = final
    with pytest.raises(ReportError, match="the people shown did not agree"):
        results_publish(
            report=report, actor=secretary, highlights=True, photos=[consented.pk, private.pk]
        )
    assert not PublicResult.objects.exists()  # nothing at all, the highlights neither


def test_only_the_secretariat_publishes_and_only_an_accepted_final_report(
    final, member, secretary, initiative
):
    report, consented, _private = final
    with pytest.raises(TransitionNotAllowed):
        results_publish(report=report, actor=member, highlights=True, photos=[])
    interim = initiative.reports.get(kind=ReportKind.INTERIM)
    with pytest.raises(ReportError, match="accepted final report"):
        results_publish(report=interim, actor=secretary, highlights=True, photos=[])
    assert not PublicResult.objects.exists()


def test_a_photo_of_another_report_is_refused(final, secretary, initiative, member):
    report, _consented, _private = final
    from reports.services import attachment_add

    from .results_helpers import photo_upload

    interim = initiative.reports.get(kind=ReportKind.INTERIM)
    other = attachment_add(report=interim, actor=member, upload=photo_upload(), is_publishable=True)
    with pytest.raises(ReportError, match="Choose photos of this report"):
        results_publish(report=report, actor=secretary, highlights=False, photos=[other.pk])


def test_withdrawing_deletes_the_public_copy_and_records_who(
    final, secretary, django_capture_on_commit_callbacks
):
    report, consented, _private = final
    results_publish(report=report, actor=secretary, highlights=True, photos=[consented.pk])
    copy = Path(settings.MEDIA_ROOT, PublicResult.objects.get(kind="photo").photo.name)
    assert copy.exists()
    with django_capture_on_commit_callbacks(execute=True):
        results_publish(report=report, actor=secretary, highlights=True, photos=[])
    photo = PublicResult.objects.get(kind="photo")
    assert not photo.is_published and photo.withdrawn_by == secretary and not photo.photo
    assert not copy.exists()
    assert Path(settings.MEDIA_ROOT, consented.file.name).exists()  # the report keeps its own
    # Published again: a new copy.
    results_publish(report=report, actor=secretary, highlights=True, photos=[consented.pk])
    photo.refresh_from_db()
    assert photo.is_published and photo.withdrawn_by is None and photo.photo


def test_the_same_choice_twice_changes_nothing(final, secretary):
    report, consented, _private = final
    results_publish(report=report, actor=secretary, highlights=True, photos=[consented.pk])
    before = list(PublicResult.objects.order_by("pk").values())
    results_publish(report=report, actor=secretary, highlights=True, photos=[consented.pk])
    assert list(PublicResult.objects.order_by("pk").values()) == before


def test_the_secretariat_page_publishes_and_refuses_a_photo_without_consent(
    client, final, secretary, member
):
    report, consented, private = final
    url = f"/en/secretariat/reports/{report.pk}/results/"
    client.force_login(secretary)
    page = client.get(url).content.decode()
    assert "Forty people trained." in page
    assert f'name="photos" value="{consented.pk}"' in page
    assert f'name="photos" value="{private.pk}"' not in page
    assert "the people shown did not agree" in page
    response = client.post(url, {"photos": [private.pk]}, follow=True)
    assert "private.jpg” cannot be published" in response.content.decode()
    assert not PublicResult.objects.exists()
    response = client.post(url, {"highlights": "on", "photos": [consented.pk]}, follow=True)
    html = response.content.decode()
    assert "The public page of the initiative was updated." in html
    assert "Published by" in html
    assert PublicResult.objects.filter(is_published=True).count() == 2
    # A grantee, even of this organisation, does not find the page.
    client.force_login(member)
    assert client.get(url).status_code == 404
    other = make_member(report.initiative.lead_organisation, email="x@example.org")
    client.force_login(other)
    assert client.post(url, {"highlights": ""}).status_code == 404
    assert PublicResult.objects.filter(is_published=True).count() == 2


def test_the_results_page_is_valid_html(client, final, secretary, tmp_path):
    from tests.html_checker import vnu_errors

    report, consented, _private = final
    results_publish(report=report, actor=secretary, highlights=True, photos=[consented.pk])
    client.force_login(secretary)
    path = tmp_path / "results.html"
    path.write_bytes(client.get(f"/en/secretariat/reports/{report.pk}/results/").content)
    assert vnu_errors([path]) == []
