"""Uploaded files on a real S3-compatible server (SeaweedFS on loopback): private files in a
bucket only the app can read, streamed through the permission-checking views; public images
and the open-data files in a bucket anyone reads; backups of both buckets with the same layout
as a local media folder."""

from __future__ import annotations

import hashlib
import io
import json
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.images import make_thumbnails
from core.storage import is_local
from reports.services import attachment_add
from tests.portal.factories import make_member, make_organisation, saved_report
from tests.seaweedfs import SeaweedS3

ROOT = Path(__file__).resolve().parents[2]
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(scope="module")
def seaweed(tmp_path_factory):
    server = SeaweedS3(tmp_path_factory.mktemp("seaweedfs"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def s3_media(seaweed, settings):
    """The app's media storage on the SeaweedFS buckets, for one test."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "core.storage.MediaS3Storage", "OPTIONS": seaweed.storage_options()},
    }
    return seaweed


def anonymous_get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback)
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def png(size=(900, 600), colour="teal") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.django_db
def test_a_private_file_goes_to_the_private_bucket_and_only_through_the_checking_view(
    s3_media, client, report, member, secretary
):
    assert not is_local()
    draft = saved_report(report, member)
    attachment = attachment_add(
        report=draft,
        actor=member,
        upload=SimpleUploadedFile("report.pdf", PDF, content_type="application/pdf"),
    )
    name = attachment.file.name
    assert name.startswith("private/")
    assert name in s3_media.keys(s3_media.private_bucket)
    assert name not in s3_media.keys(s3_media.public_bucket)

    # Nobody reads it from the bucket without the app's key, even knowing its name.
    status, _ = anonymous_get(f"{s3_media.endpoint}/{s3_media.private_bucket}/{name}")
    assert status == 403

    url = f"/en/portal/files/{attachment.pk}/"
    client.force_login(make_member(make_organisation()))
    assert client.get(url).status_code == 404
    for person in (member, secretary):
        client.force_login(person)
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert "private" in response["Cache-Control"]


@pytest.mark.django_db
def test_public_images_and_their_thumbnails_are_read_from_the_public_bucket(s3_media, initiative):
    initiative.cover_photo.save("cover.png", ContentFile(png()), save=True)
    name = initiative.cover_photo.name
    assert name.startswith("public/")
    assert name in s3_media.keys(s3_media.public_bucket)

    url = initiative.cover_photo.url
    assert url.startswith(f"{s3_media.endpoint}/{s3_media.public_bucket}/")
    assert "Signature" not in url  # a plain, cacheable address
    status, body = anonymous_get(url)
    assert (status, body) == (
        200,
        s3_media.client().get_object(Bucket=s3_media.public_bucket, Key=name)["Body"].read(),
    )

    made = make_thumbnails(name)
    assert made
    for thumbnail in made:
        status, body = anonymous_get(thumbnail.url)
        assert status == 200
        assert Image.open(io.BytesIO(body)).format == "WEBP"

    # A second upload of the same name gets a name of its own: nothing is overwritten.
    initiative.cover_photo.save("cover.png", ContentFile(png(colour="red")), save=True)
    assert initiative.cover_photo.name != name
    assert name in s3_media.keys(s3_media.public_bucket)


@pytest.mark.django_db
def test_the_open_data_files_are_built_into_the_public_bucket_and_served_with_an_etag(
    s3_media, client, settings
):
    from public.opendata.files import build_files, read_index
    from tests.public.opendata_data import build_programme

    settings.SITE_URL = "https://grants.example.org"
    build_programme()
    index = build_files()
    assert index["grants-360giving.json"]["records"] >= 1
    keys = s3_media.keys(s3_media.public_bucket)
    for name in [*index, "index.json"]:
        assert f"opendata/{name}" in keys
    assert read_index() == index

    response = client.get("/opendata/grants-360giving.json")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == index["grants-360giving.json"]["sha256"]
    assert json.loads(body)["grants"]
    etag = response["ETag"]
    again = client.get("/opendata/grants-360giving.json", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
