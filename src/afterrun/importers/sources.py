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

import os
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path

from afterrun.importers.archives import iter_archive_path
from afterrun.importers.source_types import (
    ACTIVITY_SUFFIXES,
    DEFAULT_LIMITS,
    NOTHING_FOUND,
    STRAVA_INDEX,
    ZIP_MAGICS,
    Limits,
    Refused,
    Source,
    SourceError,
    is_activity_name,
    is_junk,
    is_zip_name,
    mib,
    os_reason,
    read_bounded,
)
from afterrun.importers.strava import SourceMeta, apply_meta, meta_key, read_activities_csv

__all__ = [
    "ACTIVITY_SUFFIXES",
    "DEFAULT_LIMITS",
    "NOTHING_FOUND",
    "Limits",
    "Source",
    "SourceError",
    "SourceMeta",
    "apply_meta",
    "is_activity_name",
    "iter_sources",
]


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
        yield SourceError(label, f"cannot be read ({os_reason(exc)})")
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
            if head.startswith(ZIP_MAGICS) or is_zip_name(path.name):
                data = None
            elif named or is_activity_name(path.name):
                if os.fstat(stream.fileno()).st_size > limits.max_file_bytes:
                    raise Refused(f"file is larger than {mib(limits.max_file_bytes)}; refused")
                stream.seek(0)
                data = read_bounded(stream, limits.max_file_bytes)
            else:
                return
    except Refused as exc:
        yield SourceError(label, exc.reason)
        return
    except OSError as exc:
        yield SourceError(label, f"cannot be read ({os_reason(exc)})")
        return
    if data is None:
        yield from iter_archive_path(path, label, limits)
    else:
        yield Source(label, data, meta)


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
            yield SourceError(str(folder), f"cannot be read ({os_reason(exc)})")
            return
        for entry in entries:
            if entry.name.lower() == STRAVA_INDEX and _kind(entry) == "file":
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
        if is_junk(child_rel):
            continue
        kind = _kind(entry)
        if kind == "dir":
            if entry.name != "__MACOSX":
                yield from enter(Path(entry.path), child_rel)
        elif kind == "file" and (is_activity_name(entry.name) or is_zip_name(entry.name)):
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
            data = read_bounded(stream, limits.max_file_bytes)
    except Refused as exc:
        yield SourceError(str(path), exc.reason)
        return
    except OSError as exc:
        yield SourceError(str(path), f"cannot be read ({os_reason(exc)})")
        return
    found, problem = read_activities_csv(data, rel)
    metas.update(found)
    if problem is not None:
        yield SourceError(str(path), problem)
