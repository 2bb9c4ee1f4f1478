"""Responsive thumbnails of public photos, made with Pillow and stored beside the upload.

A thumbnail's name derives from the source name and width, so it is made once and found again
without a database lookup. Uploads are re-encoded (metadata such as GPS position dropped).
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import ExifTags, Image, ImageOps

WIDTHS = (480, 960, 1440)
THUMBNAIL_DIR = "public/thumbs"
# How long pages trust that a photo's thumbnails exist without looking (``page_thumbnails``).
KNOWN_FOR = 24 * 3600


@dataclass(frozen=True)
class Thumbnail:
    url: str
    width: int
    height: int


def thumbnail_name(source_name: str, width: int) -> str:
    digest = hashlib.sha256(source_name.encode()).hexdigest()[:24]
    return f"{THUMBNAIL_DIR}/{digest}-{width}.webp"


def oriented_size(image: Image.Image) -> tuple[int, int]:
    """Width and height as shown (after the EXIF orientation), read from the header only."""
    width, height = image.size
    orientation = image.getexif().get(ExifTags.Base.Orientation, 1)
    return (height, width) if orientation in (5, 6, 7, 8) else (width, height)


def make_thumbnails(source_name: str) -> list[Thumbnail]:
    """Make (or find) the WebP thumbnails of an image in storage; smaller widths only.

    The image is decoded only when a thumbnail is missing: a page that shows photos whose
    thumbnails exist reads each photo's header, never its pixels."""
    with default_storage.open(source_name, "rb") as handle:
        image = Image.open(handle)
        source_width, source_height = oriented_size(image)
        planned: list[tuple[str, int, int]] = []
        for width in WIDTHS:
            if width > source_width and planned:
                break
            target_width = min(width, source_width)
            height = round(source_height * target_width / source_width)
            planned.append((thumbnail_name(source_name, width), target_width, height))
        missing = [plan for plan in planned if not default_storage.exists(plan[0])]
        if missing:
            image = ImageOps.exif_transpose(image)
            image.load()
    if missing:
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGB")
        for name, target_width, height in missing:
            resized = image.resize((target_width, height), Image.Resampling.LANCZOS)
            buffer = io.BytesIO()
            resized.save(buffer, "WEBP", quality=80, method=4)
            default_storage.save(name, ContentFile(buffer.getvalue()))
    return [Thumbnail(default_storage.url(name), width, height) for name, width, height in planned]


def page_thumbnails_key(source_name: str) -> str:
    """The cache key under which ``page_thumbnails`` keeps what it knows of a photo."""
    return f"thumbnails:{hashlib.sha256(source_name.encode()).hexdigest()}"


def page_thumbnails(source_name: str) -> list[Thumbnail]:
    """``make_thumbnails`` for a page: the thumbnails' names and sizes are kept in the cache once
    they all exist, so a page that shows photos opens none of them (a photo's header read and
    its thumbnails looked for in storage cost a few milliseconds each, a request to the object
    storage each in production; issue 14). A thumbnail's name follows from its photo's, which
    a new upload changes; the URLs are asked of the storage at each call."""
    key = page_thumbnails_key(source_name)
    known = cache.get(key)
    if known is None:
        thumbnails = make_thumbnails(source_name)
        names = [thumbnail_name(source_name, width) for width in WIDTHS][: len(thumbnails)]
        known = [(name, t.width, t.height) for name, t in zip(names, thumbnails, strict=True)]
        cache.set(key, known, KNOWN_FOR)
    return [Thumbnail(default_storage.url(name), width, height) for name, width, height in known]
