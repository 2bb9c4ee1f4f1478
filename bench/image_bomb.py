"""What an image bomb costs the upload checker: a small PNG of many pixels (12000 × 12000 by
default, one colour, a few hundred KB) given to ``core.files.check_upload``, which refuses it
from its header; and, only with ``--decode``, what decoding and re-encoding it costs, as the
checker did before it read the header first (about a gigabyte of memory: hence the flag).

Each measurement runs in a process of its own, so that one's memory does not hide the other's;
it reports the wall time, the peak of Python's own allocations (tracemalloc) and the growth of
the process's peak resident memory (``resource.getrusage``, which also sees Pillow's buffers,
allocated outside Python). It asserts nothing: figures are read, not tested.

    .venv/bin/python bench/image_bomb.py [--size 12000] [--mode RGB|1] [--decode]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import struct
import subprocess
import sys
import time
import tracemalloc
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bomb_png(size: int, mode: str) -> bytes:
    """A ``size`` × ``size`` PNG of one colour, written row by row: the image itself is never
    held in memory, only its compressed rows."""
    if mode == "RGB":
        row, depth, colour = b"\x00" + b"\xff\x80\x00" * size, 8, 2  # orange, truecolour
    else:
        row, depth, colour = b"\x00" + bytes((size + 7) // 8), 1, 0  # black, 1-bit greyscale
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _row in range(size)) + compressor.flush()
    header = struct.pack(">IIBBBBB", size, size, depth, colour, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", data)
        + png_chunk(b"IEND", b"")
    )


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def measure(what: str, size: int, mode: str) -> dict:
    """Run in the child process: one measurement, as a dict."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image, ImageOps

    from core.files import UploadRejected, check_upload

    content = bomb_png(size, mode)
    baseline = peak_rss_mb()
    tracemalloc.start()
    started = time.perf_counter()
    outcome = ""
    if what == "check":
        try:
            check_upload(SimpleUploadedFile("bomb.png", content))
            outcome = "accepted"
        except UploadRejected as error:
            outcome = f"refused: {error.message}"
    else:
        # What check_upload did before it read the header first, at Pillow's default guard
        # (which only warns up to twice 89.5 megapixels).
        Image.MAX_IMAGE_PIXELS = None
        with Image.open(io.BytesIO(content)) as probe:
            probe.verify()
        with Image.open(io.BytesIO(content)) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
            out = io.BytesIO()
            image.save(out, format="PNG", optimize=True)
        outcome = f"decoded and re-encoded ({len(out.getvalue()) // 1024} KB)"
    seconds = time.perf_counter() - started
    _current, python_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "what": what,
        "file_kb": round(len(content) / 1024, 1),
        "seconds": round(seconds, 4),
        "python_peak_mb": round(python_peak / 1024 / 1024, 2),
        "rss_growth_mb": round(peak_rss_mb() - baseline, 1),
        "outcome": outcome,
    }


def run(what: str, size: int, mode: str) -> dict:
    result = subprocess.run(
        [sys.executable, __file__, "--child", what, "--size", str(size), "--mode", mode],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        sys.exit(f"{what} failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=12000, help="width and height, in pixels")
    parser.add_argument("--mode", choices=("RGB", "1"), default="RGB")
    parser.add_argument(
        "--decode", action="store_true", help="also decode it (about 1 GB of memory at 12000)"
    )
    parser.add_argument("--child", choices=("check", "decode"), help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        print(json.dumps(measure(options.child, options.size, options.mode)))
        return
    print(f"{options.size} × {options.size} {options.mode} PNG")
    for what in ("check", "decode") if options.decode else ("check",):
        figures = run(what, options.size, options.mode)
        print(
            f"  {what:<6} {figures['seconds']:>8.3f} s"
            f"  python peak {figures['python_peak_mb']:>8.2f} MB"
            f"  peak RSS +{figures['rss_growth_mb']:>7.1f} MB  (file {figures['file_kb']} KB)"
            f"\n         {figures['outcome']}"
        )


if __name__ == "__main__":
    main()
