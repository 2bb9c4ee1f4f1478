"""Private files: the one upload checker, the one storage path scheme and the one protected
download response, for every file people send (application documents, report files and photos).

An upload is checked before anything is stored: its size, and its type read from the content.
The name and the browser's declared type are never trusted: the first bytes (and, for the
office formats, the members of the zip archive they are) say what a file is, and the name must
agree. Photos are decoded and re-encoded with Pillow, which drops their metadata (camera,
place, time) and anything hidden after the image data; before that, their width and height are
read from the header alone, and an image over ``UPLOAD_MAX_PIXELS`` is refused undecoded (a
500 KB PNG can decode to more than a gigabyte). What is stored is what was checked, under a
random name below ``private/``, which no public URL serves: files go out only through views
that check who asks, with ``private_file_response``.

The back office's cover photos (public, kept as sent) are model fields of their own,
``PhotoField``: JPEG, PNG or WebP, under the same pixel limit, judged from the header too.
"""

from __future__ import annotations

import io
import pathlib
import struct
import uuid
import zipfile
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.http import FileResponse, Http404
from django.utils.deconstruct import deconstructible
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps

from .errors import DomainError

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_PIXELS = 40_000_000
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


@dataclass(frozen=True)
class FileType:
    name: str  # as people call it, for messages
    content_type: str
    extensions: tuple[str, ...]  # the first is the one stored
    is_image: bool = False


TYPES = {
    "pdf": FileType("PDF", "application/pdf", ("pdf",)),
    "jpeg": FileType(gettext_lazy("JPEG image"), "image/jpeg", ("jpg", "jpeg"), True),
    "png": FileType(gettext_lazy("PNG image"), "image/png", ("png",), True),
    "webp": FileType(gettext_lazy("WebP image"), "image/webp", ("webp",), True),
    "docx": FileType(
        gettext_lazy("Word document (DOCX)"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ("docx",),
    ),
    "xlsx": FileType(
        gettext_lazy("Excel workbook (XLSX)"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ("xlsx",),
    ),
    "odt": FileType(
        gettext_lazy("OpenDocument text (ODT)"), "application/vnd.oasis.opendocument.text", ("odt",)
    ),
}
PILLOW_FORMATS = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}
# What Pillow may call a file of each kind: many phones write JPEGs that Pillow reads as MPO
# (a JPEG with extra pictures); the first picture is kept.
PILLOW_READS = {"jpeg": {"JPEG", "MPO"}, "png": {"PNG"}, "webp": {"WEBP"}}
# For the file input's ``accept`` attribute: the extensions and the content types.
ACCEPT = ",".join(
    [f".{ext}" for t in TYPES.values() for ext in t.extensions]
    + sorted({t.content_type for t in TYPES.values()})
)


class UploadRejected(DomainError):
    """The file cannot be kept; ``message`` tells the person why and what to do."""


@dataclass(frozen=True)
class CheckedFile:
    type: FileType
    data: bytes  # what to store: the re-encoded image, or the file as sent
    name: str  # the name it was sent with, for people (never used in the stored path)

    @property
    def extension(self) -> str:
        return self.type.extensions[0]

    @property
    def content_type(self) -> str:
        return self.type.content_type

    @property
    def size(self) -> int:
        return len(self.data)

    def store(self, field_file) -> None:
        """Write the checked bytes into a ``FileField`` of an unsaved row (its path comes from
        the field's ``upload_to``, a ``PrivatePath``)."""
        field_file.save(f"upload.{self.extension}", ContentFile(self.data), save=False)


def max_bytes() -> int:
    return int(getattr(settings, "ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_pixels() -> int:
    return int(getattr(settings, "UPLOAD_MAX_PIXELS", DEFAULT_MAX_PIXELS))


# Pillow's own guard follows the same limit in every process that loads the models (the web
# app and the worker that makes thumbnails): Image.open warns above it and refuses above twice
# it. It is only the last line: the checks below refuse earlier, with a reason.
Image.MAX_IMAGE_PIXELS = max_pixels()


def human_size(size: int) -> str:
    megabytes = number_format(size / (1024 * 1024), decimal_pos=1, use_l10n=True)
    return _("%(size)s MB") % {"size": megabytes}


def accepted_help() -> str:
    """What can be sent, for a form's help text, in the active language."""
    return _(
        "PDF, JPEG, PNG, WebP, Word (DOCX), Excel (XLSX) or OpenDocument text (ODT), "
        "%(limit)s at most."
    ) % {"limit": human_size(max_bytes())}


def sniff(data: bytes) -> str | None:
    """The key of ``TYPES`` the content is, or None."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data.startswith(b"PK\x03\x04"):
        return _sniff_zip(data)
    return None


def _sniff_zip(data: bytes) -> str | None:
    """DOCX, XLSX and ODT are zip archives told apart by their members. Only the names and
    the tiny ODT "mimetype" member are read: nothing is extracted."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if (
                "mimetype" in names
                and archive.getinfo("mimetype").file_size < 100
                and archive.read("mimetype").strip() == ODT_MIMETYPE
            ):
                return "odt"
            if "[Content_Types].xml" in names:
                if "word/document.xml" in names:
                    return "docx"
                if "xl/workbook.xml" in names:
                    return "xlsx"
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return None
    return None


# JPEG markers of a frame header (SOF0 to SOF15 but DHT, JPG and DAC), which hold the size.
JPEG_FRAME_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
# JPEG markers that stand alone, without a length: TEM, RST0-7, SOI.
JPEG_BARE_MARKERS = frozenset({0x01, *range(0xD0, 0xD8), 0xD8})


def image_size(data: bytes, key: str) -> tuple[int, int] | None:
    """(width, height) of a JPEG, PNG or WebP image (``key`` of ``TYPES``) read from its header
    alone, or None when the header cannot be read. Nothing is decoded and nothing allocated but
    a few bytes: this is what runs before Pillow ever sees the file. (Pillow's own reading of
    the header would do, but it refuses an image over twice its limit before telling how large
    it is, and for WebP it allocates the whole canvas.)"""
    try:
        if key == "png":
            # The IHDR chunk comes first: length, "IHDR", width, height (big-endian).
            if data[12:16] != b"IHDR":
                return None
            return struct.unpack(">II", data[16:24])
        if key == "webp":
            return _webp_size(data)
        if key == "jpeg":
            return _jpeg_size(data)
    except (struct.error, IndexError):
        return None
    return None


def _webp_size(data: bytes) -> tuple[int, int] | None:
    chunk = data[12:16]
    if chunk == b"VP8X" and len(data) >= 30:  # extended: the canvas, 24 bits each, minus one
        return 1 + int.from_bytes(data[24:27], "little"), 1 + int.from_bytes(data[27:30], "little")
    if chunk == b"VP8L" and len(data) >= 25 and data[20] == 0x2F:  # lossless: 14 bits, minus one
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8 " and data[23:26] == b"\x9d\x01\x2a":  # lossy: 14 bits each
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """The size in the first frame header, walking the segments as Pillow does (junk between
    segments and fill bytes skipped)."""
    position = 2  # after SOI
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            position += 1
            continue
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker in JPEG_BARE_MARKERS or marker == 0x00:
            position += 2
            continue
        if marker in JPEG_FRAME_MARKERS:
            height, width = struct.unpack(">HH", data[position + 5 : position + 9])
            return width, height
        if marker in (0xD9, 0xDA):  # end of image, or image data before any frame header
            return None
        position += 2 + int.from_bytes(data[position + 2 : position + 4], "big")
    return None


def _pixels_message(name: str, width: int, height: int) -> str:
    megapixels = max_pixels() / 1_000_000
    return _(
        "“%(name)s” is %(width)s × %(height)s pixels; images can be %(limit)s megapixels at "
        "most. Make it smaller and try again."
    ) % {
        "name": name,
        "width": number_format(width, use_l10n=True, force_grouping=True),
        "height": number_format(height, use_l10n=True, force_grouping=True),
        "limit": number_format(
            megapixels, decimal_pos=0 if megapixels.is_integer() else 1, use_l10n=True
        ),
    }


def pixels_problem(name: str, width: int, height: int) -> str | None:
    """Why an image of this size cannot be taken, or None when it can."""
    if width * height > max_pixels():
        return _pixels_message(name, width, height)
    return None


def _damaged_message(name: str) -> str:
    return _("“%(name)s” looks like an image but cannot be read: it may be damaged.") % {
        "name": name
    }


def _reencode(data: bytes, key: str, name: str) -> bytes:
    """Decode the image fully and write it again without its metadata, upright; refuse it
    undecoded when it has more pixels than ``UPLOAD_MAX_PIXELS``."""
    problem = UploadRejected(_damaged_message(name))
    size = image_size(data, key)
    if size is None:
        raise problem
    if message := pixels_problem(name, *size):
        raise UploadRejected(message)
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in PILLOW_READS[key]:
                raise problem
            # Pillow's reading of the header has the last word, still before anything is
            # decoded (``open`` is lazy).
            if message := pixels_problem(name, *probe.size):
                raise UploadRejected(message)
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            # Apply the camera's rotation before the EXIF data that holds it is dropped.
            image = ImageOps.exif_transpose(image)
            if key == "jpeg" and image.mode not in ("RGB", "L", "CMYK"):
                image = image.convert("RGB")
            out = io.BytesIO()
            options = {"quality": 90} if key in ("jpeg", "webp") else {"optimize": True}
            image.save(out, format=PILLOW_FORMATS[key], **options)
    except UploadRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        # Pillow's guard (the warning when a filter turns it into an error) saw more than our
        # reading of the header did: too large all the same.
        raise UploadRejected(_pixels_message(name, *size)) from error
    except (OSError, SyntaxError, ValueError) as error:
        raise problem from error
    return out.getvalue()


def check_upload(upload) -> CheckedFile:
    """Check an uploaded file (a Django ``UploadedFile``) and return what to store.

    Raises ``UploadRejected`` with a message for people when the file is empty, over
    ``ATTACHMENT_MAX_BYTES``, not one of the accepted types by its content, or named with an
    extension that does not match its content. Nothing is written anywhere.
    """
    name = upload.name or ""
    limit = max_bytes()
    if upload.size is not None and upload.size > limit:
        raise UploadRejected(
            _("“%(name)s” is %(size)s; files can be %(limit)s at most.")
            % {"name": name, "size": human_size(upload.size), "limit": human_size(limit)}
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:  # the declared size was wrong
        raise UploadRejected(
            _("“%(name)s” is larger than %(limit)s.") % {"name": name, "limit": human_size(limit)}
        )
    if not data:
        raise UploadRejected(_("“%(name)s” is empty.") % {"name": name})
    key = sniff(data)
    if key is None:
        raise UploadRejected(
            _(
                "“%(name)s” is not a file we accept: its content is not PDF, JPEG, PNG, WebP, "
                "Word (DOCX), Excel (XLSX) or OpenDocument text (ODT), whatever its name says."
            )
            % {"name": name}
        )
    file_type = TYPES[key]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in file_type.extensions:
        raise UploadRejected(
            _(
                "“%(name)s” is a %(type)s but its name does not end in .%(extension)s. "
                "Rename it and try again."
            )
            % {"name": name, "type": file_type.name, "extension": file_type.extensions[0]}
        )
    if file_type.is_image:
        data = _reencode(data, key, name)
    return CheckedFile(type=file_type, data=data, name=name[-255:])


def validate_photo(value) -> None:
    """Validator of a photo field (``PhotoField``): a new upload must be a JPEG, PNG or WebP
    image of at most ``UPLOAD_MAX_PIXELS``, judged from its header alone. A file already stored
    is left alone (it was checked when it came, or came before the limit)."""
    if getattr(value, "_committed", False):
        return
    name = pathlib.PurePath(getattr(value, "name", "") or "").name
    value.seek(0)
    data = value.read()
    value.seek(0)
    key = sniff(data)
    if key not in PILLOW_FORMATS:
        raise ValidationError(
            _("“%(name)s” is not a JPEG, PNG or WebP image.") % {"name": name},
            code="photo_type",
        )
    size = image_size(data, key)
    if size is None:
        raise ValidationError(_damaged_message(name), code="photo_damaged")
    if message := pixels_problem(name, *size):
        raise ValidationError(message, code="photo_too_many_pixels")


class PhotoFormField(forms.ImageField):
    """The form side of ``PhotoField``: the photo is judged from its header before Django's own
    check opens it with Pillow, whose guard would refuse a very large image as "not an image"
    without saying why."""

    def to_python(self, data):
        if data not in self.empty_values and hasattr(data, "read"):
            validate_photo(data)
        return super().to_python(data)


class PhotoField(models.ImageField):
    """An ``ImageField`` for photos the back office uploads (initiatives' cover photos): JPEG,
    PNG or WebP, at most ``UPLOAD_MAX_PIXELS``, refused with the reason before anything is
    decoded, in forms and in ``full_clean`` alike."""

    default_validators = [validate_photo]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PhotoFormField, **kwargs})


@deconstructible
class PrivatePath:
    """``upload_to`` of every private file: ``private/<folder>/<owner id>/<random>.<ext>``.

    The owner's id groups a row's files; the random name reveals nothing (the name people gave
    the file is kept in a field of the row, never in the path)."""

    def __init__(self, folder: str, owner: str) -> None:
        self.folder = folder
        self.owner = owner

    def __call__(self, instance, filename: str) -> str:
        suffix = pathlib.Path(filename).suffix.lower().lstrip(".")[:10] or "bin"
        owner = getattr(instance, self.owner)
        return f"private/{self.folder}/{owner}/{uuid.uuid4().hex}.{suffix}"

    def __eq__(self, other) -> bool:
        return isinstance(other, PrivatePath) and (self.folder, self.owner) == (
            other.folder,
            other.owner,
        )

    def __hash__(self) -> int:
        return hash((self.folder, self.owner))


def private_file_response(
    field_file, *, filename: str, content_type: str, inline: bool = False
) -> FileResponse:
    """Send a private file to someone the caller has checked may have it.

    A download by default (``inline`` for photos shown in a page); never kept by a shared
    cache, never sniffed into another type, and run in a sandbox with nothing allowed should
    it be opened as a page. A file missing from storage is a 404.
    """
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, OSError, ValueError) as error:
        raise Http404 from error
    response = FileResponse(
        handle, as_attachment=not inline, filename=filename, content_type=content_type
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response
