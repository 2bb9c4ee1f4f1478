"""The upload checker against image bombs: an image's width and height are read from its
header, and one over ``UPLOAD_MAX_PIXELS`` is refused with the reason before Pillow decodes
anything, in the portal (``check_upload``) and for the cover photos of the back office
(``PhotoField``). The report-side behaviour is in tests/reports/test_uploads.py."""

from __future__ import annotations

import io
import struct
import warnings
import zlib
from pathlib import Path

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageFile, features

from core.files import PhotoFormField, UploadRejected, check_upload, image_size
from grants.models import Initiative
from tests.admin.dataset import admin_url, build_dataset, staff_user
from tests.admin.test_constraint_messages import change_form_data

BOMB_MESSAGE = (
    "“bomb.png” is 12,000 × 12,000 pixels; images can be 40 megapixels at most. "
    "Make it smaller and try again."
)


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bilevel_png(width: int, height: int) -> bytes:
    """A black 1-bit PNG written row by row: 12000 × 12000 pixels in about 20 KB of file,
    without ever holding the image (Pillow would need a byte per pixel, 144 MB, to make it)."""
    row = b"\x00" + bytes((width + 7) // 8)  # filter "none", then the row's bits
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _row in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1 bit, greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", data)
        + png_chunk(b"IEND", b"")
    )


def image_bytes(fmt: str, size=(64, 48), mode="RGB", **options) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, "orange" if mode != "1" else 1).save(buffer, format=fmt, **options)
    return buffer.getvalue()


def photo_bytes(size=(1600, 1200)) -> bytes:
    """A photo-like JPEG (noise compresses like a photograph does)."""
    buffer = io.BytesIO()
    Image.effect_noise(size, 64).convert("RGB").save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return bilevel_png(12000, 12000)


@pytest.fixture
def never_decoded(monkeypatch) -> list:
    """Fails the test if Pillow decodes anything; returns the list of files Pillow opened."""
    opened = []
    real_open = Image.open

    def spy_open(fp, *args, **kwargs):
        opened.append(fp)
        return real_open(fp, *args, **kwargs)

    def refuse(self, *args, **kwargs):
        raise AssertionError("the image was decoded")

    monkeypatch.setattr(Image, "open", spy_open)
    monkeypatch.setattr(Image.Image, "load", refuse)
    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)
    return opened


# --- check_upload -------------------------------------------------------------------------------


def test_a_png_bomb_is_refused_from_its_header_without_being_decoded(bomb, never_decoded):
    assert len(bomb) < 600 * 1024  # a small file: its size alone does not stop it
    with pytest.raises(UploadRejected) as rejected:
        check_upload(upload("bomb.png", bomb))
    assert rejected.value.message == BOMB_MESSAGE
    assert never_decoded == []  # not even opened by Pillow


@pytest.mark.parametrize(
    "size",
    [
        (7000, 7000),  # 49 megapixels: Pillow's own guard would only warn
        (9000, 9000),  # over twice the limit: Pillow's guard refused it as "damaged"
        (40_001, 1000),  # one pixel too many per row
        (100_000, 401),  # one column too many
    ],
)
def test_any_image_over_the_limit_is_refused_undecoded(size, never_decoded):
    width, height = size
    with pytest.raises(UploadRejected) as rejected:
        check_upload(upload("bomb.png", bilevel_png(width, height)))
    assert f"is {width:,} × {height:,} pixels; images can be 40 megapixels at most" in (
        rejected.value.message
    )
    assert never_decoded == []


def test_the_limit_is_a_setting_and_the_limit_itself_is_allowed(settings):
    settings.UPLOAD_MAX_PIXELS = 2_500_000
    checked = check_upload(upload("scan.png", bilevel_png(2000, 1250)))
    with Image.open(io.BytesIO(checked.data)) as image:
        assert image.size == (2000, 1250)
    with pytest.raises(UploadRejected) as rejected:
        check_upload(upload("scan.png", bilevel_png(2000, 1251)))
    assert rejected.value.message == (
        "“scan.png” is 2,000 × 1,251 pixels; images can be 2.5 megapixels at most. "
        "Make it smaller and try again."
    )


def test_a_normal_photo_still_passes():
    checked = check_upload(upload("meeting.jpg", photo_bytes((1600, 1200))))
    assert checked.content_type == "image/jpeg"
    with Image.open(io.BytesIO(checked.data)) as image:
        assert image.size == (1600, 1200)


def test_pillows_own_guard_has_the_same_limit(settings):
    assert Image.MAX_IMAGE_PIXELS == settings.UPLOAD_MAX_PIXELS == 40_000_000


def test_pillows_guard_if_it_fires_first_gives_the_same_message(monkeypatch):
    # Should Pillow see more than the header said (or have a lower limit), its refusal is not
    # passed off as a damaged file.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    with pytest.raises(UploadRejected) as rejected:  # 3,072 pixels: over twice 1,000, an error
        check_upload(upload("photo.png", image_bytes("PNG", (64, 48))))
    assert "“photo.png” is 64 × 48 pixels; images can be" in rejected.value.message
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with pytest.raises(UploadRejected) as rejected:  # 1,500: over 1,000, a warning
            check_upload(upload("photo.png", image_bytes("PNG", (50, 30))))
    assert "“photo.png” is 50 × 30 pixels; images can be" in rejected.value.message


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("cut.png", image_bytes("PNG")[:20]),
        ("cut.jpg", image_bytes("JPEG")[:30]),
        ("cut.webp", b"RIFF\x00\x00\x00\x00WEBPVP8 "),
    ],
)
def test_an_unreadable_header_is_a_damaged_image(name, content, never_decoded):
    with pytest.raises(UploadRejected) as rejected:
        check_upload(upload(name, content))
    assert "cannot be read: it may be damaged" in rejected.value.message
    assert never_decoded == []


# --- reading the header -------------------------------------------------------------------------


def jpeg_with_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x0112] = 6
    return image_bytes("JPEG", (333, 77), exif=exif)


WEBP = features.check("webp")


@pytest.mark.parametrize(
    ("key", "content"),
    [
        ("png", image_bytes("PNG", (333, 77))),
        ("png", image_bytes("PNG", (1, 1), mode="1")),
        ("png", image_bytes("PNG", (70, 30), mode="RGBA")),
        ("jpeg", image_bytes("JPEG", (333, 77))),
        ("jpeg", image_bytes("JPEG", (333, 77), progressive=True)),
        ("jpeg", image_bytes("JPEG", (16, 9), mode="L")),
        ("jpeg", image_bytes("JPEG", (16, 9), mode="CMYK")),
        ("jpeg", jpeg_with_exif()),
        ("jpeg", image_bytes("JPEG", (200, 100), icc_profile=b"\x00" * 70_000)),
        ("webp", image_bytes("WEBP", (333, 77))),  # lossy: VP8
        ("webp", image_bytes("WEBP", (333, 77), lossless=True)),  # VP8L
        ("webp", image_bytes("WEBP", (333, 77), mode="RGBA")),  # VP8X with alpha
        ("webp", image_bytes("WEBP", (16383, 1))),  # the largest side WebP allows
        ("webp", image_bytes("WEBP", (40, 20), exif=b"Exif\x00\x00MM\x00*")),  # VP8X
    ],
)
def test_the_header_gives_the_size_pillow_reads(key, content):
    if key == "webp" and not WEBP:
        pytest.skip("Pillow built without WebP")
    with Image.open(io.BytesIO(content)) as image:
        assert image_size(content, key) == image.size


def test_a_jpeg_size_skips_junk_and_fill_bytes():
    content = image_bytes("JPEG", (123, 45))
    # Fill bytes before a marker and junk between segments, as some cameras write.
    padded = content[:2] + b"\xff\xff\xff" + content[2:20] + b"junk" + content[20:]
    assert image_size(content, "jpeg") == (123, 45)
    assert image_size(padded, "jpeg") == (123, 45)


# --- cover photos in the back office ------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def initiative(db) -> Initiative:
    return build_dataset(1, staff_user("reviewer@example.org", "Reviewer"))["initiative"]


@pytest.fixture
def secretariat_client(client, db):
    """The back office's client: its login passes the second factor (tests/twofactor.py)."""
    client.force_login(staff_user("secretary@example.org", "Secretariat"))
    return client


def post_cover(client, initiative, name: str, content: bytes):
    data = change_form_data(client, Initiative, initiative.pk)
    data["cover_photo"] = SimpleUploadedFile(name, content)
    data["_save"] = ["Save"]
    return client.post(admin_url(Initiative, "change", initiative.pk), data)


def stored(media: Path) -> list[Path]:
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


def test_the_back_office_uses_the_photo_field(initiative, secretariat_client):
    model_admin = admin.site._registry[Initiative]
    request = secretariat_client.get(admin_url(Initiative, "change", initiative.pk)).wsgi_request
    field = model_admin.get_form(request, initiative).base_fields["cover_photo"]
    assert isinstance(field, PhotoFormField)


def test_a_cover_bomb_is_refused_at_upload_with_the_same_message(
    secretariat_client, initiative, media, bomb, never_decoded
):
    response = post_cover(secretariat_client, initiative, "bomb.png", bomb)
    assert response.status_code == 200
    assert BOMB_MESSAGE in response.content.decode()
    assert "Upload a valid image" not in response.content.decode()
    assert never_decoded == []
    initiative.refresh_from_db()
    assert not initiative.cover_photo
    assert stored(media) == []


def test_a_cover_in_another_format_is_refused(secretariat_client, initiative, media):
    response = post_cover(secretariat_client, initiative, "cover.gif", image_bytes("GIF"))
    assert response.status_code == 200
    assert "“cover.gif” is not a JPEG, PNG or WebP image." in response.content.decode()
    assert stored(media) == []


def test_a_normal_cover_is_kept(secretariat_client, initiative, media):
    response = post_cover(secretariat_client, initiative, "cover.jpg", photo_bytes((1200, 800)))
    assert response.status_code == 302, response.content.decode()[:2000]
    initiative.refresh_from_db()
    assert initiative.cover_photo.name.startswith("public/initiatives/")
    assert (media / initiative.cover_photo.name).exists()


def test_the_model_refuses_a_cover_bomb_too(initiative, media, bomb):
    initiative.cover_photo = SimpleUploadedFile("bomb.png", bomb)
    with pytest.raises(ValidationError) as refused:
        initiative.full_clean()
    assert refused.value.message_dict["cover_photo"] == [BOMB_MESSAGE]


def test_a_stored_cover_is_not_judged_again(initiative, media, settings):
    initiative.cover_photo.save("cover.png", ContentFile(image_bytes("PNG", (64, 48))))
    settings.UPLOAD_MAX_PIXELS = 100  # lowered after the cover came
    initiative.refresh_from_db()
    initiative.full_clean()  # editing the initiative's other fields still works
