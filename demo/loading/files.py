"""Reading the demo data files (``demo/data/*.yaml``) and the dates they give relative to the
day the data is loaded; drawing the demo's photos.

Two tags of our own, so that the demo works whatever day ``./scripts/run`` is first run:

- ``!days N`` is the load day plus N days (a date); ``!days N HH:MM`` is that day at that time,
  in the time zone of the edition's call it belongs to (UTC elsewhere).
- ``!year N`` is the load day's year plus N.

Texts may say ``{year}``: the loader puts in the year of the edition they belong to.
A relative value is worked out once, when the row is created; later runs leave it as it is.
"""

from __future__ import annotations

import datetime
import io
import re
import zoneinfo
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


@dataclass(frozen=True)
class Days:
    """``!days``: a day relative to the load day, with a time of day or not."""

    days: int
    at: datetime.time | None = None

    def resolve(self, today: datetime.date, zone: str = "UTC") -> datetime.date | datetime.datetime:
        day = today + datetime.timedelta(days=self.days)
        if self.at is None:
            return day
        return datetime.datetime.combine(day, self.at, tzinfo=zoneinfo.ZoneInfo(zone))


@dataclass(frozen=True)
class Year:
    """``!year``: a year relative to the load day's."""

    offset: int

    def resolve(self, today: datetime.date, zone: str = "UTC") -> int:
        return today.year + self.offset


Relative = Days | Year

DAYS = re.compile(r"^\s*([+-]?\d+)(?:\s+(\d{1,2}):(\d{2}))?\s*$")


class DemoLoader(yaml.SafeLoader):
    """YAML's safe loader plus ``!days`` and ``!year``."""


def _days(loader: DemoLoader, node: yaml.Node) -> Days:
    text = loader.construct_scalar(node)
    match = DAYS.match(str(text))
    if match is None:
        raise yaml.constructor.ConstructorError(
            None, None, f"!days takes 'N' or 'N HH:MM', not {text!r}", node.start_mark
        )
    days, hours, minutes = match.groups()
    at = datetime.time(int(hours), int(minutes)) if hours is not None else None
    return Days(int(days), at)


def _year(loader: DemoLoader, node: yaml.Node) -> Year:
    return Year(int(loader.construct_scalar(node)))


DemoLoader.add_constructor("!days", _days)
DemoLoader.add_constructor("!year", _year)


def read(name: str) -> dict:
    """The contents of ``demo/data/<name>.yaml``."""
    with (DATA_DIR / f"{name}.yaml").open(encoding="utf-8") as stream:
        return yaml.load(stream, Loader=DemoLoader)  # noqa: S506 - a safe loader plus two tags


def resolve(value, today: datetime.date, zone: str = "UTC", year: int | None = None):
    """``value`` with its relative dates and years worked out, and ``{year}`` filled in."""
    if isinstance(value, Days | Year):
        return value.resolve(today, zone)
    if isinstance(value, str) and year is not None and "{year}" in value:
        return value.replace("{year}", str(year))
    if isinstance(value, list):
        return [resolve(item, today, zone, year) for item in value]
    if isinstance(value, dict):
        return {key: resolve(item, today, zone, year) for key, item in value.items()}
    return value


def is_relative(value, year_is_relative: bool = False) -> bool:
    """True where ``value`` depends on the load day (so it is set only when the row is made)."""
    if isinstance(value, Days | Year):
        return True
    return year_is_relative and isinstance(value, str) and "{year}" in value


def photo(name: str, width: int = 1600, height: int = 1000) -> SimpleUploadedFile:
    """A JPEG to upload as ``name``: an exhibition wall drawn with Pillow (framed pictures on
    a warm wall, a floor, visitors), always the same, so the demo needs no photo files."""
    image = Image.new("RGB", (width, height), (226, 200, 160))
    draw = ImageDraw.Draw(image)
    floor = int(height * 0.78)
    draw.rectangle((0, floor, width, height), fill=(120, 84, 60))
    colours = [(178, 34, 52), (30, 110, 90), (40, 70, 140), (230, 160, 30), (90, 50, 120)]
    frames = len(colours)
    gap = width // (frames * 4)
    side = (width - gap * (frames + 1)) // frames
    for n, colour in enumerate(colours):
        left = gap + n * (side + gap)
        top = int(height * 0.18) + (n % 2) * gap
        draw.rectangle((left, top, left + side, top + side), fill=(245, 240, 230))
        draw.rectangle(
            (left + gap // 3, top + gap // 3, left + side - gap // 3, top + side - gap // 3),
            fill=colour,
        )
    for n in range(7):
        x = width * (n + 1) // 8
        head = height // 22
        body_top = floor - height // 5
        draw.ellipse((x - head, body_top - 2 * head, x + head, body_top), fill=(60, 40, 30))
        draw.rectangle((x - head, body_top, x + head, floor + head), fill=colours[n % frames])
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def logo(name: str, colour: str, shape: str = "circle", size: int = 240) -> SimpleUploadedFile:
    """A PNG logo to upload as ``name``: a mark in the programme's primary colour (``circle``:
    a ring around a dot; ``star``: a four-pointed star), so the demo needs no logo files."""
    image = Image.new("RGB", (size, size), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    middle, edge = size // 2, size // 12
    if shape == "star":
        points = [
            (middle, edge),
            (middle + size // 8, middle - size // 8),
            (size - edge, middle),
            (middle + size // 8, middle + size // 8),
            (middle, size - edge),
            (middle - size // 8, middle + size // 8),
            (edge, middle),
            (middle - size // 8, middle - size // 8),
        ]
        draw.polygon(points, fill=colour)
    else:
        draw.ellipse((edge, edge, size - edge, size - edge), outline=colour, width=size // 10)
        dot = size // 6
        draw.ellipse((middle - dot, middle - dot, middle + dot, middle + dot), fill=colour)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")
