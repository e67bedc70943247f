"""What `afterrun import PATH...` reads: named paths in, one candidate file at a time out.

`iter_sources` turns files, folders and zip archives (Strava and Garmin exports
included) into `Source`s, the raw bytes of one activity file each, and
`SourceError`s for what cannot even be read. It parses nothing and touches no
database: `parse_bytes(source.filename, source.data)` and `apply_meta` do the rest.

Decisions:

* Activity files are .fit, .gpx and .tcx, each also .gz, in any case. Inside
  folders and archives everything else (photos, JSON, other CSVs) is skipped
  silently, as are macOS leftovers (`__MACOSX/`, `._*`). A file the user names
  directly is always passed on, whatever its name, so the parser can say
  precisely what it is (a PNG renamed .fit).
* Zip archives are recognised by their magic bytes: any named path, and inside
  folders and archives any `.zip` or activity file name. Archives are opened on
  the file path, never read whole; archives inside archives (Garmin exports nest
  them) are spooled to an anonymous temporary file once they pass 32 MiB, to a
  depth of `Limits.max_depth`.
* Nothing is ever extracted to disk under an entry's name. Entries whose name is
  absolute or climbs out with `..` are still reported, because only a crafted
  archive holds them.
* A file larger than `Limits.max_file_bytes` is refused on its size, before a
  byte is read; reading is bounded too, for files that grow or lie about it.
* Bounds against hostile archives (`Limits`): a declared size or compression ratio
  over the limit is refused before reading; reading is chunked and re-checks both,
  so a header that lies costs at most one chunk; one named archive may unpack at
  most `max_archive_bytes` in all, nested archives included (this stops
  overlapping-entry bombs); after `max_errors_per_archive` bad entries the rest of
  the archive is skipped.
* A folder or archive holding `activities.csv` (Strava's export) at any level
  gives the files below it the CSV's name, type and perceived exertion
  (`strava.read_activities_csv`); files without a row get no meta.
* Folders are walked depth-first in name order without recursion; each directory
  is entered once (by device and inode), so symlink loops end.
* A named folder or archive that yields nothing says so with a `SourceError`.
"""

from __future__ import annotations

import io
import os
import re
import stat
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from afterrun.importers._util import one_line
from afterrun.importers.strava import SourceMeta, apply_meta, meta_key, read_activities_csv

__all__ = [
    "ACTIVITY_SUFFIXES",
    "DEFAULT_LIMITS",
    "Limits",
    "Source",
    "SourceError",
    "SourceMeta",
    "apply_meta",
    "iter_sources",
]

MiB = 1024 * 1024

#: File names ending so (compared in lower case) are activity files.
ACTIVITY_SUFFIXES = (".fit", ".gpx", ".tcx", ".fit.gz", ".gpx.gz", ".tcx.gz")

_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")  # an archive, an empty archive
_STRAVA_INDEX = "activities.csv"
_CHUNK = 1 * MiB
_SPOOL_IN_MEMORY = 32 * MiB
_SUPPORTED_METHODS = {
    zipfile.ZIP_STORED: "stored",
    zipfile.ZIP_DEFLATED: "deflate",
    zipfile.ZIP_BZIP2: "bzip2",
    zipfile.ZIP_LZMA: "lzma",
}
_METHOD_NAMES = {9: "Deflate64", 93: "Zstandard", 95: "XZ", 98: "PPMd", 99: "AES"}
_DRIVE = re.compile(r"^[A-Za-z]:")

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


class _Refused(Exception):
    """One entry is refused; the archive goes on."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _StopArchive(Exception):
    """The named archive as a whole is refused from here on."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class _Archive:
    """Book-keeping shared by a named archive and every archive nested in it."""

    limits: Limits
    left: int
    errors: int = 0


def is_activity_name(name: str) -> bool:
    return name.lower().endswith(ACTIVITY_SUFFIXES)


def _is_zip_name(name: str) -> bool:
    return name.lower().endswith(".zip")


def _is_junk(name: str) -> bool:
    """macOS resource forks: named like activity files but never one."""
    parts = name.replace("\\", "/").split("/")
    return parts[-1].startswith("._") or "__MACOSX" in parts[:-1]


def _mib(size: int) -> str:
    return f"{size / MiB:g} MiB"


def _os_reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def iter_sources(
    paths: Sequence[Path], limits: Limits = DEFAULT_LIMITS
) -> Iterator[Source | SourceError]:
    """Every candidate activity file under `paths`, in order, one at a time.

    Each path may be a file, a folder or a zip archive. Nothing stops the stream:
    what cannot be read becomes a `SourceError` and the next thing is read.
    """
    for path in paths:
        found = False
        for item in _iter_named(path, limits):
            found = True
            yield item
        if not found:
            yield SourceError(str(path), NOTHING_FOUND)


def _iter_named(path: Path, limits: Limits) -> Iterator[Source | SourceError]:
    label = str(path)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        yield SourceError(label, "no such file or folder")
        return
    except OSError as exc:
        yield SourceError(label, f"cannot be read ({_os_reason(exc)})")
        return
    if stat.S_ISDIR(mode):
        yield from _iter_folder(path, limits)
    elif stat.S_ISREG(mode):
        yield from _iter_file(path, label, None, limits, named=True)
    else:
        yield SourceError(label, "not a regular file or folder")


def _iter_file(
    path: Path, label: str, meta: SourceMeta | None, limits: Limits, *, named: bool
) -> Iterator[Source | SourceError]:
    """A file on disk: an archive when its bytes say so, else a candidate activity."""
    try:
        with path.open("rb") as stream:
            head = stream.read(4)
            if head.startswith(_ZIP_MAGICS) or _is_zip_name(path.name):
                data = None
            elif named or is_activity_name(path.name):
                if os.fstat(stream.fileno()).st_size > limits.max_file_bytes:
                    raise _Refused(f"file is larger than {_mib(limits.max_file_bytes)}; refused")
                stream.seek(0)
                data = _read_bounded(stream, limits.max_file_bytes)
            else:
                return
    except _Refused as exc:
        yield SourceError(label, exc.reason)
        return
    except OSError as exc:
        yield SourceError(label, f"cannot be read ({_os_reason(exc)})")
        return
    if data is None:
        yield from _iter_archive_path(path, label, limits)
    else:
        yield Source(label, data, meta)


def _read_bounded(stream: IO[bytes], limit: int) -> bytes:
    """The rest of `stream`, refusing more than `limit` bytes without holding them."""
    out = bytearray()
    while chunk := stream.read(_CHUNK):
        out += chunk
        if len(out) > limit:
            raise _Refused(f"file is larger than {_mib(limit)}; refused")
    return bytes(out)


# --- folders ---------------------------------------------------------------------------


def _iter_folder(root: Path, limits: Limits) -> Iterator[Source | SourceError]:
    """Walk `root` depth-first in name order with an explicit stack (no recursion limit)."""
    seen: set[tuple[int, int]] = set()
    metas: dict[str, SourceMeta] = {}
    stack: list[tuple[Iterator[os.DirEntry[str]], str]] = []

    def enter(folder: Path, rel: str) -> Iterator[SourceError]:
        try:
            info = folder.stat()
            if (info.st_dev, info.st_ino) in seen:
                return
            seen.add((info.st_dev, info.st_ino))
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as exc:
            yield SourceError(str(folder), f"cannot be read ({_os_reason(exc)})")
            return
        for entry in entries:
            if entry.name.lower() == _STRAVA_INDEX and _kind(entry) == "file":
                yield from _load_csv_file(Path(entry.path), rel, metas, limits)
        stack.append((iter(entries), rel))

    yield from enter(root, "")
    while stack:
        entries, rel = stack[-1]
        entry = next(entries, None)
        if entry is None:
            stack.pop()
            continue
        child_rel = f"{rel}/{entry.name}" if rel else entry.name
        if _is_junk(child_rel):
            continue
        kind = _kind(entry)
        if kind == "dir":
            if entry.name != "__MACOSX":
                yield from enter(Path(entry.path), child_rel)
        elif kind == "file" and (is_activity_name(entry.name) or _is_zip_name(entry.name)):
            meta = metas.get(meta_key("", child_rel))
            yield from _iter_file(Path(entry.path), entry.path, meta, limits, named=False)


def _kind(entry: os.DirEntry[str]) -> str | None:
    """'dir' or 'file' (links followed); None for anything else, dangling or vanished."""
    try:
        if entry.is_dir():
            return "dir"
        if entry.is_file():
            return "file"
    except OSError:
        pass
    return None


def _load_csv_file(
    path: Path, rel: str, metas: dict[str, SourceMeta], limits: Limits
) -> Iterator[SourceError]:
    try:
        with path.open("rb") as stream:
            data = _read_bounded(stream, limits.max_file_bytes)
    except _Refused as exc:
        yield SourceError(str(path), exc.reason)
        return
    except OSError as exc:
        yield SourceError(str(path), f"cannot be read ({_os_reason(exc)})")
        return
    found, problem = read_activities_csv(data, rel)
    metas.update(found)
    if problem is not None:
        yield SourceError(str(path), problem)


# --- zip archives ----------------------------------------------------------------------


def _iter_archive_path(path: Path, label: str, limits: Limits) -> Iterator[Source | SourceError]:
    """A named archive (or one found in a folder): opened on its path, never read whole."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        yield SourceError(label, f"{_damaged_zip(exc)}; if it was downloaded, download it again")
        return
    except OSError as exc:
        yield SourceError(label, f"cannot be read ({_os_reason(exc)})")
        return
    book = _Archive(limits, limits.max_archive_bytes)
    with archive:
        try:
            yield from _iter_zip(archive, label, 1, book)
        except _StopArchive as exc:
            yield SourceError(label, exc.reason)


def _damaged_zip(exc: Exception) -> str:
    return f"damaged zip archive ({one_line(str(exc) or type(exc).__name__)})"


def _unsafe_name(name: str) -> str | None:
    """Why an entry name could write outside an extraction folder, or None."""
    if name.startswith(("/", "\\")) or _DRIVE.match(name):
        return "unsafe entry name (an absolute path); skipped"
    if ".." in re.split(r"[/\\]", name):
        return "unsafe entry name (climbs out of the archive with '..'); skipped"
    return None


def _check_header(info: zipfile.ZipInfo, limit: int, book: _Archive) -> None:
    """Refuse an entry on what its header declares, before a byte is unpacked."""
    if info.flag_bits & 0x1:
        raise _Refused("encrypted entry; export the archive again without a password")
    if info.compress_type not in _SUPPORTED_METHODS:
        method = _METHOD_NAMES.get(info.compress_type, f"method {info.compress_type}")
        raise _Refused(
            f"compressed with {method}, which cannot be read; re-create the archive as plain zip"
        )
    _check_size(info.file_size, info.compress_size, limit, book)


def _check_size(unpacked: int, packed: int, limit: int, book: _Archive) -> None:
    limits = book.limits
    if unpacked > limits.ratio_floor_bytes and unpacked > limits.max_ratio * max(packed, 1):
        ratio = unpacked / max(packed, 1)
        raise _Refused(f"unpacks to {ratio:.0f} times its packed size; refused as a zip bomb")
    if unpacked > book.left:
        raise _StopArchive(
            f"archive unpacks to more than {_mib(limits.max_archive_bytes)} in all; "
            "stopped reading it"
        )
    if unpacked > limit:
        raise _Refused(f"entry unpacks to more than {_mib(limit)}; refused")


def _copy_entry(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, book: _Archive, out: IO[bytes]
) -> None:
    """Unpack one entry into `out` in chunks, re-checking size and ratio as bytes arrive."""
    _check_header(info, limit, book)
    done = 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                done += len(chunk)
                _check_size(done, info.compress_size, limit, book)
                out.write(chunk)
    except (_Refused, _StopArchive):
        raise
    except Exception as exc:  # zlib, bz2, lzma, CRC and truncation errors alike
        raise _Refused(f"damaged entry ({one_line(str(exc) or type(exc).__name__)})") from exc
    finally:
        book.left -= done


_Refuse = Callable[[str, str], SourceError]


def _iter_zip(
    archive: zipfile.ZipFile, label: str, depth: int, book: _Archive
) -> Iterator[Source | SourceError]:
    """The entries of one open archive, nested archives followed in place."""
    limits = book.limits
    infos = sorted(archive.infolist(), key=lambda info: info.filename)

    def refused(name: str, reason: str) -> SourceError:
        book.errors += 1
        if book.errors > limits.max_errors_per_archive:
            raise _StopArchive("too many unreadable entries; stopped reading this archive")
        return SourceError(f"{label}!{name}", reason)

    metas: dict[str, SourceMeta] = {}
    yield from _load_csv_entries(archive, infos, label, book, refused, metas)
    for info in infos:
        name = info.filename
        unsafe = _unsafe_name(name)
        if unsafe is not None:
            yield refused(name, unsafe)
        elif info.is_dir() or _is_junk(name):
            continue
        elif _is_zip_name(name):
            yield from _iter_nested(archive, info, label, depth, book, refused)
        elif is_activity_name(name):
            buffer = io.BytesIO()
            try:
                _copy_entry(archive, info, limits.max_file_bytes, book, buffer)
            except _Refused as exc:
                yield refused(name, exc.reason)
                continue
            if buffer.getbuffer()[:4].tobytes().startswith(_ZIP_MAGICS):
                yield from _iter_nested(archive, info, label, depth, book, refused, buffer)
            else:
                yield Source(f"{label}!{name}", buffer.getvalue(), metas.get(meta_key("", name)))


def _load_csv_entries(
    archive: zipfile.ZipFile,
    infos: list[zipfile.ZipInfo],
    label: str,
    book: _Archive,
    refused: _Refuse,
    metas: dict[str, SourceMeta],
) -> Iterator[SourceError]:
    """Read every Strava index in the archive before the files it describes."""
    for info in infos:
        folder, _, base = info.filename.replace("\\", "/").rpartition("/")
        if base.lower() != _STRAVA_INDEX or info.is_dir() or _unsafe_name(info.filename):
            continue
        buffer = io.BytesIO()
        try:
            _copy_entry(archive, info, book.limits.max_file_bytes, book, buffer)
        except _Refused as exc:
            yield refused(info.filename, exc.reason)
            continue
        found, problem = read_activities_csv(buffer.getvalue(), folder)
        metas.update(found)
        if problem is not None:
            yield SourceError(f"{label}!{info.filename}", problem)


def _iter_nested(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    label: str,
    depth: int,
    book: _Archive,
    refused: _Refuse,
    unpacked: io.BytesIO | None = None,
) -> Iterator[Source | SourceError]:
    """An archive inside `archive`: unpacked into a spool (memory, then an anonymous file)."""
    name = info.filename
    if depth >= book.limits.max_depth:
        yield refused(name, f"archive nested more than {book.limits.max_depth} deep; skipped")
        return
    with tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY) as spool:
        if unpacked is None:
            try:
                _copy_entry(archive, info, book.limits.max_archive_bytes, book, spool)
            except _Refused as exc:
                yield refused(name, exc.reason)
                return
            source: IO[bytes] = spool
        else:
            source = unpacked
        source.seek(0)
        try:
            inner = zipfile.ZipFile(source)
        except (zipfile.BadZipFile, EOFError, ValueError, OSError) as exc:
            yield refused(name, _damaged_zip(exc))
            return
        with inner:
            yield from _iter_zip(inner, f"{label}!{name}", depth + 1, book)
