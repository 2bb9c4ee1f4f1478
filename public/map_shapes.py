"""The countries of the funding explorer's world map, made small once, when the map file is
built (``manage.py build_world_map``), not on each request.

pygal's world map (``pygal_maps_world/worldmap.svg``, 778 KB, 2,038 paths of relative cubic
curves with two decimals) is drawn about 2.5 times smaller than its own units: most of its
detail cannot be seen. Each country is turned into one path of straight lines through the
curves' end and middle points, simplified (Douglas-Peucker) to within ``TOLERANCE`` of the
original, with whole map units as coordinates, written relative and without spaces where a
minus sign separates numbers. Islands smaller than ``SPECK`` are left out, except a country's
largest piece, so that the smallest states still have a shape to shade and a tooltip.
Every piece of a country is turned the same way round, so one path fills exactly what the
separate paths filled (non-zero rule).

The result, ``world-map.json`` next to this file, maps each ISO code (lower case) to its
path; ``VIEWBOX`` is the map's own.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

VIEWBOX = "0 0 2475 1388"
TOLERANCE = 1.0  # in map units: 0.4 pixel on a map 1,000 pixels wide
SPECK = 3.0  # islands narrower and shorter than this (map units) are dropped
SHAPES_FILE = Path(__file__).resolve().parent / "world-map.json"

_TOKEN = re.compile(r"[a-zA-Z]|-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_COUNTRY = re.compile(r'<g class="([a-z]{2}) country map-element">(.*?)</g>', re.S)
_PATH = re.compile(r'<path d="([^"]+)"')

Point = tuple[float, float]


def source_svg() -> str:
    """pygal's world map, as installed."""
    import pygal_maps_world

    return (Path(pygal_maps_world.__file__).parent / "worldmap.svg").read_text()


def _subpaths(d: str) -> list[list[Point]]:
    """The absolute points of each subpath of ``d`` (commands m, l, h, v, c, s, absolute or
    relative): a segment's end, and a curve's middle as well."""
    tokens = _TOKEN.findall(d)
    pieces: list[list[Point]] = []
    x = y = 0.0
    start = (0.0, 0.0)
    last_control: Point | None = None
    command = ""
    index = 0

    def number() -> float:
        nonlocal index
        value = float(tokens[index])
        index += 1
        return value

    while index < len(tokens):
        if tokens[index].isalpha():
            command = tokens[index]
            index += 1
            if command in "zZ":
                x, y = start
                pieces[-1].append(start)
                continue
        relative = command.islower()
        kind = command.lower()
        ox, oy = (x, y) if relative else (0.0, 0.0)
        if kind == "m":
            x, y = ox + number(), oy + number()
            start = (x, y)
            pieces.append([start])
            command = "l" if relative else "L"  # further pairs are lines
            last_control = None
        elif kind == "l":
            x, y = ox + number(), oy + number()
            pieces[-1].append((x, y))
            last_control = None
        elif kind == "h":
            x = ox + number()
            pieces[-1].append((x, y))
            last_control = None
        elif kind == "v":
            y = (y if relative else 0.0) + number()
            pieces[-1].append((x, y))
            last_control = None
        elif kind in "cs":
            if kind == "c":
                c1 = (ox + number(), oy + number())
            else:  # the reflection of the previous curve's second control point
                c1 = (2 * x - last_control[0], 2 * y - last_control[1]) if last_control else (x, y)
            c2 = (ox + number(), oy + number())
            end = (ox + number(), oy + number())
            middle = (
                (x + 3 * c1[0] + 3 * c2[0] + end[0]) / 8,
                (y + 3 * c1[1] + 3 * c2[1] + end[1]) / 8,
            )
            pieces[-1].extend((middle, end))
            last_control = c2
            x, y = end
        else:
            raise ValueError(f"path command {command!r} not handled")
    return pieces


def _simplify(points: list[Point], tolerance: float) -> list[Point]:
    """Douglas-Peucker: the fewest of ``points`` that stay within ``tolerance`` of them all."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        dx, dy = bx - ax, by - ay
        length = math.hypot(dx, dy)
        farthest, distance = 0, 0.0
        for i in range(first + 1, last):
            px, py = points[i]
            if length:
                d = abs(dy * (px - ax) - dx * (py - ay)) / length
            else:
                d = math.hypot(px - ax, py - ay)
            if d > distance:
                farthest, distance = i, d
        if distance > tolerance:
            keep[farthest] = True
            stack.extend(((first, farthest), (farthest, last)))
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def _area(points: list[Point]) -> float:
    """Twice the signed area of a ring (its sign says which way round it goes)."""
    return sum(
        x1 * y2 - x2 * y1
        for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True)
    )


def _size(points) -> float:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return max(max(xs) - min(xs), max(ys) - min(ys))


def _number(value: float) -> str:
    """An integer as such, a tenth without its leading zero (the smallest states only)."""
    if value == int(value):
        return str(int(value))
    text = f"{value:.1f}"
    return text.replace("0.", ".", 1) if text.lstrip("-").startswith("0.") else text


def _path(pieces: list[list[Point]]) -> str:
    """``pieces`` as path data: each starts absolute, then relative lines (the implicit
    lines after a move), numbers separated by a space unless a minus sign does it."""
    out: list[str] = []
    for piece in pieces:
        x, y = piece[0]
        out.append(f"M{_number(x)} {_number(y)}")
        text: list[str] = []
        for px, py in piece[1:]:
            for value in (px - x, py - y):
                if text and value >= 0:
                    text.append(" ")
                text.append(_number(value))
            x, y = px, py
        if text:
            out.append("l" + "".join(text))
    return "".join(out)


def country_shapes(svg: str, tolerance: float = TOLERANCE, speck: float = SPECK) -> dict:
    """Each country of pygal's ``svg`` (its ISO code, lower case) and its simplified path."""
    shapes = {}
    for code, body in _COUNTRY.findall(svg):
        pieces = []
        for d in _PATH.findall(body):
            for points in _subpaths(d):
                rounded = []
                for px, py in _simplify(points, tolerance):
                    point = (round(px), round(py))
                    if not rounded or rounded[-1] != point:
                        rounded.append(point)
                if len(rounded) >= 2:
                    pieces.append(rounded)
        if not pieces:  # Monaco, Macau, the Vatican: under a pixel, kept to a tenth
            points = max(
                (p for d in _PATH.findall(body) for p in _subpaths(d)), key=lambda p: len(p)
            )
            pieces = [[(round(px, 1), round(py, 1)) for px, py in points]]
        largest = max(pieces, key=_size)
        kept = [piece for piece in pieces if piece is largest or _size(piece) >= speck]
        # One way round for all (the largest piece's), so that non-zero filling adds them up.
        turn = _area(largest) >= 0
        kept = [piece if (_area(piece) >= 0) == turn else piece[::-1] for piece in kept]
        shapes[code] = _path(kept)
    return shapes


def write(path: Path = SHAPES_FILE) -> dict:
    """Build the shapes from pygal's map and write them to ``path`` (sorted, one per line)."""
    shapes = country_shapes(source_svg())
    body = ",\n".join(f"{json.dumps(code)}: {json.dumps(d)}" for code, d in sorted(shapes.items()))
    path.write_text("{\n" + body + "\n}\n")
    return shapes
