"""Thumbnails: sized as the photo is shown (EXIF orientation), made once, found again after."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from core.images import make_thumbnails, page_thumbnails, thumbnail_name


def photo(size, orientation=1) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = orientation
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


@pytest.fixture
def stored():
    names = []

    def store(content: bytes) -> str:
        names.append(default_storage.save("public/test-images/photo.jpg", ContentFile(content)))
        return names[-1]

    yield store
    for name in names:
        default_storage.delete(name)
        for width in (480, 960, 1440):
            if default_storage.exists(thumbnail_name(name, width)):
                default_storage.delete(thumbnail_name(name, width))


def test_a_rotated_photo_is_sized_as_shown(stored):
    name = stored(photo((1000, 600), orientation=6))  # shown turned: 600 wide, 1000 high
    thumbnails = make_thumbnails(name)
    assert [(t.width, t.height) for t in thumbnails] == [(480, 800)]  # none wider than 600
    with default_storage.open(thumbnail_name(name, 480)) as handle:
        assert Image.open(handle).size == (480, 800)


def test_thumbnails_are_made_once_and_found_again(stored):
    name = stored(photo((1600, 800)))
    first = make_thumbnails(name)
    made = {t.url: default_storage.get_modified_time(thumbnail_name(name, t.width)) for t in first}
    again = make_thumbnails(name)
    assert again == first
    assert {
        t.url: default_storage.get_modified_time(thumbnail_name(name, t.width)) for t in again
    } == made
    assert [(t.width, t.height) for t in again] == [(480, 240), (960, 480), (1440, 720)]


def test_pages_find_known_thumbnails_without_opening_the_photo(stored):
    """``page_thumbnails`` (the photos of a page): the same thumbnails as ``make_thumbnails``,
    then found from the cache without opening the photo (issue 14)."""
    name = stored(photo((1600, 800)))
    first = page_thumbnails(name)
    assert first == make_thumbnails(name)
    default_storage.delete(name)  # the photo is not read again
    assert page_thumbnails(name) == first
