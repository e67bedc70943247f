"""Zip archives (Strava and Garmin exports, archives inside archives), read safely.

An archive is opened on its path and never read whole; entries are unpacked in chunks
against the bounds of `Limits` (size, compression ratio, total per named archive,
nesting depth, bad entries); nothing is ever written to disk under an entry's name.
See `sources` for the decisions.
"""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from afterrun.importers._util import one_line
from afterrun.importers.source_types import (
    CHUNK,
    STRAVA_INDEX,
    ZIP_MAGICS,
    Limits,
    MiB,
    Refused,
    Source,
    SourceError,
    is_activity_name,
    is_junk,
    is_zip_name,
    mib,
    os_reason,
)
from afterrun.importers.strava import SourceMeta, meta_key, read_activities_csv

_SPOOL_IN_MEMORY = 32 * MiB
_SUPPORTED_METHODS = {
    zipfile.ZIP_STORED: "stored",
    zipfile.ZIP_DEFLATED: "deflate",
    zipfile.ZIP_BZIP2: "bzip2",
    zipfile.ZIP_LZMA: "lzma",
}
_METHOD_NAMES = {9: "Deflate64", 93: "Zstandard", 95: "XZ", 98: "PPMd", 99: "AES"}
_DRIVE = re.compile(r"^[A-Za-z]:")


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


def iter_archive_path(path: Path, label: str, limits: Limits) -> Iterator[Source | SourceError]:
    """A named archive (or one found in a folder): opened on its path, never read whole."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        yield SourceError(label, f"{_damaged_zip(exc)}; if it was downloaded, download it again")
        return
    except OSError as exc:
        yield SourceError(label, f"cannot be read ({os_reason(exc)})")
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
        raise Refused("encrypted entry; export the archive again without a password")
    if info.compress_type not in _SUPPORTED_METHODS:
        method = _METHOD_NAMES.get(info.compress_type, f"method {info.compress_type}")
        raise Refused(
            f"compressed with {method}, which cannot be read; re-create the archive as plain zip"
        )
    _check_size(info.file_size, info.compress_size, limit, book)


def _check_size(unpacked: int, packed: int, limit: int, book: _Archive) -> None:
    limits = book.limits
    if unpacked > limits.ratio_floor_bytes and unpacked > limits.max_ratio * max(packed, 1):
        ratio = unpacked / max(packed, 1)
        raise Refused(f"unpacks to {ratio:.0f} times its packed size; refused as a zip bomb")
    if unpacked > book.left:
        raise _StopArchive(
            f"archive unpacks to more than {mib(limits.max_archive_bytes)} in all; "
            "stopped reading it"
        )
    if unpacked > limit:
        raise Refused(f"entry unpacks to more than {mib(limit)}; refused")


def _copy_entry(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, book: _Archive, out: IO[bytes]
) -> None:
    """Unpack one entry into `out` in chunks, re-checking size and ratio as bytes arrive."""
    _check_header(info, limit, book)
    done = 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(CHUNK):
                done += len(chunk)
                _check_size(done, info.compress_size, limit, book)
                out.write(chunk)
    except (Refused, _StopArchive):
        raise
    except Exception as exc:  # zlib, bz2, lzma, CRC and truncation errors alike
        raise Refused(f"damaged entry ({one_line(str(exc) or type(exc).__name__)})") from exc
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
        elif info.is_dir() or is_junk(name):
            continue
        elif is_zip_name(name):
            yield from _iter_nested(archive, info, label, depth, book, refused)
        elif is_activity_name(name):
            buffer = io.BytesIO()
            try:
                _copy_entry(archive, info, limits.max_file_bytes, book, buffer)
            except Refused as exc:
                yield refused(name, exc.reason)
                continue
            if buffer.getbuffer()[:4].tobytes().startswith(ZIP_MAGICS):
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
        if base.lower() != STRAVA_INDEX or info.is_dir() or _unsafe_name(info.filename):
            continue
        buffer = io.BytesIO()
        try:
            _copy_entry(archive, info, book.limits.max_file_bytes, book, buffer)
        except Refused as exc:
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
            except Refused as exc:
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
