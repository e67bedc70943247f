"""Activity-file importers: bytes and a file name in, the file's activities out.

`parse_activities` is the single entry point (`parse_bytes` for a file known to hold
one). It unpacks gzip (bounded), decides the format from the content first (a FIT header
says ".FIT" at offset 8; an XML document's root is <gpx> or <TrainingCenterDatabase>)
and from the file extension when the content does not say, then hands the bytes to the
matching pure parser. Every failure is an `ImportFailed` with a one-line reason.

Parsers import their third-party libraries lazily so that importing this
package costs the CLI nothing.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable

from afterrun.core.activity import Activity
from afterrun.core.errors import ImportFailed
from afterrun.importers.afterrun_export import looks_like_export, read_export
from afterrun.importers.fit import parse_fit, read_fit
from afterrun.importers.gpx import parse_gpx, read_gpx
from afterrun.importers.tcx import parse_tcx, read_tcx

__all__ = [
    "FORMATS",
    "GZIP_MAX_RATIO",
    "GZIP_RATIO_FLOOR",
    "MAX_UNPACKED_BYTES",
    "detect_format",
    "gunzip",
    "parse_activities",
    "parse_bytes",
    "parse_fit",
    "parse_gpx",
    "parse_tcx",
]

#: Parser for each format name; the format name is also the file extension.
FORMATS: dict[str, Callable[[bytes, str], list[Activity]]] = {
    "fit": read_fit,
    "gpx": read_gpx,
    "tcx": read_tcx,
    # afterrun's own JSON export: recognised by its content only, never by its extension.
    "afterrun-export": read_export,
}

#: A .gz activity file may unpack to at most this many bytes (a gzip bomb guard).
#: The longest real activity files are a few tens of MiB as XML.
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
#: ... and to at most this many times its packed size once past `GZIP_RATIO_FLOOR`:
#: real activity files pack 1.5 (FIT) to 16 (TCX) times; zeros pack about 1,000 times.
#: The same bounds as for zip entries (`sources.Limits`).
GZIP_MAX_RATIO = 200
GZIP_RATIO_FLOOR = 1024 * 1024
_GZIP_SLICE = 64 * 1024  # packed bytes fed at a time
_GZIP_STEP = 1024 * 1024  # most unpacked bytes taken at a time

_GZIP_MAGIC = b"\x1f\x8b"

_NOT_ACTIVITY = "not an activity file (expected .fit, .gpx or .tcx)"

# Other files people pick by mistake, named so the message can say what it is.
_KNOWN_OTHER = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a zip archive (unpack it first)"),
    (b"PK\x05\x06", "an empty zip archive"),
)

_COMMENT = re.compile(rb"<!--.*?-->", re.DOTALL)
_FIRST_TAG = re.compile(rb"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")


def gunzip(data: bytes, limit: int = MAX_UNPACKED_BYTES, *, allow_truncated: bool = False) -> bytes:
    """Unpack gzip data (several members allowed), refusing more than `limit` bytes out,
    or more than `GZIP_MAX_RATIO` times the packed bytes read so far once past
    `GZIP_RATIO_FLOOR`.

    Input is fed in slices and output taken in bounded steps, both checked after every
    step: a bomb is refused after a few MiB of output, in milliseconds, and never holds
    more than `limit` in memory. With `allow_truncated`, a stream that stops early
    yields what it held, so the format parser can keep the part that was read (and
    mark it partial).
    """
    out = bytearray()
    view = memoryview(data)
    start = 0  # where the current gzip member begins in `data`
    try:
        while start < len(data):
            inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
            position = start
            while not inflater.eof:
                if inflater.unconsumed_tail:
                    chunk: bytes | memoryview = inflater.unconsumed_tail
                else:
                    chunk = view[position : position + _GZIP_SLICE]
                    position += len(chunk)
                produced = inflater.decompress(chunk, _GZIP_STEP)
                out += produced
                _check_unpacked(len(out), position - len(inflater.unconsumed_tail), limit)
                if not chunk and not produced:
                    break  # the input ended before the stream did
            if not inflater.eof:
                if allow_truncated and out:
                    break
                raise ImportFailed("gzip file is truncated")
            start = position - len(inflater.unused_data)
            if start < len(data) and not data.startswith(_GZIP_MAGIC, start):
                break  # padding or junk after the last member, as gzip(1) allows
    except zlib.error as exc:
        raise ImportFailed(f"damaged gzip file ({exc})") from exc
    return bytes(out)


def _check_unpacked(unpacked: int, packed: int, limit: int) -> None:
    if unpacked > limit:
        raise ImportFailed(f"gzip file unpacks to more than {limit // (1024 * 1024)} MiB; refused")
    if unpacked > GZIP_RATIO_FLOOR and unpacked > GZIP_MAX_RATIO * max(packed, 1):
        raise ImportFailed(
            f"gzip file unpacks to more than {GZIP_MAX_RATIO} times its packed size;"
            " refused as a gzip bomb"
        )


def _sniff(data: bytes) -> str | None:
    """The format the content itself declares, or None."""
    if len(data) >= 12 and data[8:12] == b".FIT":
        return "fit"
    if looks_like_export(data[:4096]):
        return "afterrun-export"
    head = _COMMENT.sub(b"", data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n"))
    if not head.startswith(b"<"):
        return None
    for match in _FIRST_TAG.finditer(head):
        # skip "<?xml", "<!DOCTYPE": the pattern cannot match those, so the
        # first match is the root element.
        root = match.group(2)
        if root == b"gpx":
            return "gpx"
        if root == b"TrainingCenterDatabase":
            return "tcx"
        return None
    return None


def _extension(name: str) -> tuple[str, bool]:
    """(format extension, gzipped?) from a file name, e.g. 'run.fit.gz' → ('fit', True)."""
    lowered = name.strip().lower()
    gzipped = lowered.endswith(".gz")
    if gzipped:
        lowered = lowered[:-3]
    _, dot, ext = lowered.rpartition(".")
    return (ext if dot else ""), gzipped


def detect_format(name: str, data: bytes) -> str:
    """Return 'fit', 'gpx' or 'tcx' for unpacked `data`, or raise ImportFailed."""
    sniffed = _sniff(data)
    if sniffed is not None:
        return sniffed
    ext, _ = _extension(name)
    for magic, what in _KNOWN_OTHER:
        if data.startswith(magic):
            raise ImportFailed(f"this is {what}, not an activity file")
    if ext in FORMATS:
        return ext
    raise ImportFailed(_NOT_ACTIVITY)


def parse_bytes(name: str, data: bytes) -> Activity:
    """The one activity of a file that holds exactly one (see `parse_activities`)."""
    found = parse_activities(name, data)
    if len(found) != 1:
        raise ImportFailed(f"the file holds {len(found)} activities, not one")
    return found[0]


def parse_activities(name: str, data: bytes) -> list[Activity]:
    """Parse one activity file's bytes; `name` is its file name (used for the extension).

    Handles .fit, .gpx and .tcx, each optionally gzipped (.fit.gz ...), and returns every
    activity the file holds, in time order (at least one). Raises ImportFailed with a
    one-line reason for anything that is not a readable activity.
    """
    if not data:
        raise ImportFailed("empty file")
    _, gzipped = _extension(name)
    if gzipped or data.startswith(_GZIP_MAGIC):
        if not data.startswith(_GZIP_MAGIC):
            raise ImportFailed("named .gz but is not gzip data")
        data = gunzip(data, MAX_UNPACKED_BYTES, allow_truncated=True)
        if not data:
            raise ImportFailed("empty file inside the gzip")
    fmt = detect_format(name, data)
    return FORMATS[fmt](data, name)
