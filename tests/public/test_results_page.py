"""The "Results" section of an initiative's public page and the photo of the edition page:
only what the secretariat published, in the visitor's language with the fallback note, from
public copies of the photos, never the report's private files."""

from __future__ import annotations

import re

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.images import thumbnail_name
from reports.models import Attachment, PublicResult
from reports.services import results_publish
from tests.portal.factories import (
    approved_initiative,
    make_member,
    make_organisation,
    make_secretary,
)
from tests.reports.results_helpers import accepted_final_report, photo_upload

pytestmark = pytest.mark.django_db

NOTE_EN = "Not yet translated into your language: shown in French."


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
    report, consented, private = accepted_final_report(
        initiative,
        member,
        secretary,
        highlights="Quarante personnes formées.",
        extra_photos=2,
    )
    return initiative, report, consented, private


def page(client, initiative, language: str) -> str:
    url = (
        f"/{language}/initiatives-programme/editions/{initiative.edition.slug}/"
        f"initiatives/{initiative.slug}/"
    )
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def results_section(html: str) -> str:
    found = re.search(r'<section class="results".*?</section>', html, re.S)
    return found.group(0) if found else ""


def test_no_results_heading_until_something_is_published(client, grant, secretary):
    initiative, report, _consented, _private = grant
    html = page(client, initiative, "en")  # cached for anonymous visitors
    assert not results_section(html) and ">Results</h2>" not in html
    results_publish(report=report, actor=secretary, highlights=True, photos=[])
    # Publishing cleared the page cache: the section shows at once.
    assert "Quarante personnes formées." in results_section(page(client, initiative, "en"))
    results_publish(report=report, actor=secretary, highlights=False, photos=[])
    html = page(client, initiative, "en")
    assert ">Results</h2>" not in html and "Quarante personnes formées." not in html


def test_results_in_two_languages_with_the_fallback_note(client, grant, secretary):
    initiative, report, _consented, _private = grant
    results_publish(report=report, actor=secretary, highlights=True, photos=[])
    french = results_section(page(client, initiative, "fr"))
    assert "Résultats" in french or "Results" in french
    assert "Quarante personnes formées." in french and "shown in" not in french
    english = results_section(page(client, initiative, "en"))
    assert "Quarante personnes formées." in english and NOTE_EN in english
    # The secretariat translates it in the back office: English readers read English.
    highlights = PublicResult.objects.get(kind="highlights")
    highlights.text_en = "Forty people trained."
    highlights.save()
    english = results_section(page(client, initiative, "en"))
    assert "Forty people trained." in english and NOTE_EN not in english
    assert "Quarante personnes formées." in results_section(page(client, initiative, "fr"))


def test_photos_are_served_from_their_public_copy_only(client, grant, secretary):
    initiative, report, consented, private = grant
    results_publish(report=report, actor=secretary, highlights=False, photos=[consented.pk])
    html = page(client, initiative, "en")
    section = results_section(html)
    copy = PublicResult.objects.get(kind="photo").photo.name
    assert thumbnail_name(copy, 480).removeprefix("public/") in section
    assert "Peer educators in Sucre" in section
    for attachment in (consented, private):
        assert attachment.file.name not in html
        assert f"/portal/attachments/{attachment.pk}/" not in html
    assert "private/" not in html


def test_a_photo_whose_consent_was_withdrawn_leaves_the_page(client, grant, secretary):
    initiative, report, consented, _private = grant
    results_publish(report=report, actor=secretary, highlights=False, photos=[consented.pk])
    Attachment.objects.filter(pk=consented.pk).update(is_publishable=False)
    PublicResult.objects.get(kind="photo").save()  # a save clears the page cache
    assert not results_section(page(client, initiative, "en"))


def test_the_initiative_page_makes_the_same_queries_with_more_results(client, grant, secretary):
    initiative, report, consented, _private = grant
    results_publish(report=report, actor=secretary, highlights=True, photos=[consented.pk])
    with CaptureQueriesContext(connection) as few:
        page(client, initiative, "en")
    photos = Attachment.objects.filter(report=report, is_publishable=True).values_list(
        "pk", flat=True
    )
    results_publish(report=report, actor=secretary, highlights=True, photos=list(photos))
    assert PublicResult.objects.filter(is_published=True).count() == 4
    with CaptureQueriesContext(connection) as many:
        html = page(client, initiative, "en")
    assert results_section(html).count("<figure") == 3
    assert len(few.captured_queries) > 3  # a page made, not one from the cache
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_edition_page_shows_a_result_photo_else_the_cover(client, grant, secretary):
    initiative, report, consented, _private = grant
    initiative.cover_photo.save("cover.jpg", ContentFile(photo_upload("cover.jpg").read()))
    cover = initiative.cover_photo.name
    url = f"/en/initiatives-programme/editions/{initiative.edition.slug}/"
    html = client.get(url).content.decode()
    assert thumbnail_name(cover, 480).removeprefix("public/") in html
    results_publish(report=report, actor=secretary, highlights=False, photos=[consented.pk])
    html = client.get(url).content.decode()
    copy = PublicResult.objects.get(kind="photo").photo.name
    assert thumbnail_name(copy, 480).removeprefix("public/") in html
    assert thumbnail_name(cover, 480).removeprefix("public/") not in html


def test_pages_with_results_are_valid_html(client, grant, secretary, tmp_path):
    from tests.html_checker import vnu_errors

    initiative, report, consented, _private = grant
    results_publish(report=report, actor=secretary, highlights=True, photos=[consented.pk])
    files = []
    for language in ("en", "fr"):
        for name, url in {
            "initiative": f"/{language}/initiatives-programme/editions/"
            f"{initiative.edition.slug}/initiatives/{initiative.slug}/",
            "edition": f"/{language}/initiatives-programme/editions/{initiative.edition.slug}/",
        }.items():
            path = tmp_path / f"{language}-{name}.html"
            path.write_bytes(client.get(url).content)
            files.append(path)
    assert vnu_errors(files) == []
