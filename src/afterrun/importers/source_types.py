"""What reading named paths yields, and the bounds on it: shared by folders and archives."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import IO

from afterrun.importers.strava import SourceMeta

MiB = 1024 * 1024

#: File names ending so (compared in lower case) are activity files.
ACTIVITY_SUFFIXES = (".fit", ".gpx", ".tcx", ".fit.gz", ".gpx.gz", ".tcx.gz")

ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")  # an archive, an empty archive
STRAVA_INDEX = "activities.csv"
CHUNK = 1 * MiB

NOTHING_FOUND = "no .fit, .gpx or .tcx files found"


@dataclass(frozen=True)
class Limits:
    """Bounds on what reading one named path may cost; the defaults suit real exports."""

    #: One activity file or activities.csv, as stored (a .gz counts packed).
    max_file_bytes: int = 256 * MiB
    #: Everything unpacked from one named archive, nested archives included.
    max_archive_bytes: int = 4096 * MiB
    #: An entry unpacking to more than this many times its packed size ...
    max_ratio: int = 200
    #: ... is refused as a zip bomb once it is larger than this.
    ratio_floor_bytes: int = 1 * MiB
    #: The top-level archive is depth 1; Garmin exports need 2.
    max_depth: int = 3
    #: Bad entries in one named archive before the rest of it is skipped.
    max_errors_per_archive: int = 20


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class Source:
    """The raw bytes of one candidate activity file and where it came from.

    `label` is what the user sees: the path as named, with the path inside each
    archive joined by "!" (`export.zip!activities/123.fit.gz`).
    """

    label: str
    data: bytes = field(repr=False)
    meta: SourceMeta | None = None

    @property
    def filename(self) -> str:
        """The file's own name (for `parse_bytes`, which reads the extension from it)."""
        inner = self.label.rpartition("!")[2]
        return re.split(r"[/\\]", inner)[-1]


@dataclass(frozen=True)
class SourceError:
    """Something named or found that could not even be read; `reason` is one line."""

    label: str
    reason: str


class Refused(Exception):
    """One entry is refused; the archive goes on."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def is_activity_name(name: str) -> bool:
    return name.lower().endswith(ACTIVITY_SUFFIXES)


def is_zip_name(name: str) -> bool:
    return name.lower().endswith(".zip")


def is_junk(name: str) -> bool:
    """macOS resource forks: named like activity files but never one."""
    parts = name.replace("\\", "/").split("/")
    return parts[-1].startswith("._") or "__MACOSX" in parts[:-1]


def mib(size: int) -> str:
    return f"{size / MiB:g} MiB"


def os_reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def read_bounded(stream: IO[bytes], limit: int) -> bytes:
    """The rest of `stream`, refusing more than `limit` bytes without holding them."""
    out = bytearray()
    while chunk := stream.read(CHUNK):
        out += chunk
        if len(out) > limit:
            raise Refused(f"file is larger than {mib(limit)}; refused")
    return bytes(out)
