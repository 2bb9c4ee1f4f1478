"""Responsive thumbnails of public photos, made with Pillow and stored beside the upload.

A thumbnail's name derives from the source name and width, so it is made once and found again
without a database lookup. Uploads are re-encoded (metadata such as GPS position dropped).
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps

WIDTHS = (480, 960, 1440)
THUMBNAIL_DIR = "public/thumbs"


@dataclass(frozen=True)
class Thumbnail:
    url: str
    width: int
    height: int


def thumbnail_name(source_name: str, width: int) -> str:
    digest = hashlib.sha256(source_name.encode()).hexdigest()[:24]
    return f"{THUMBNAIL_DIR}/{digest}-{width}.webp"


def make_thumbnails(source_name: str) -> list[Thumbnail]:
    """Make (or find) the WebP thumbnails of an image in storage; smaller widths only."""
    thumbnails: list[Thumbnail] = []
    with default_storage.open(source_name, "rb") as handle:
        image = ImageOps.exif_transpose(Image.open(handle))
        image.load()
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGB")
    for width in WIDTHS:
        if width > image.width and thumbnails:
            break
        target_width = min(width, image.width)
        height = round(image.height * target_width / image.width)
        name = thumbnail_name(source_name, width)
        if not default_storage.exists(name):
            resized = image.resize((target_width, height), Image.Resampling.LANCZOS)
            buffer = io.BytesIO()
            resized.save(buffer, "WEBP", quality=80, method=4)
            default_storage.save(name, ContentFile(buffer.getvalue()))
        thumbnails.append(Thumbnail(default_storage.url(name), target_width, height))
    return thumbnails
