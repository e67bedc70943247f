"""Runs that arrive by themselves: activity files dropped into followed folders (a Garmin
Express or Syncthing folder, Downloads), each imported once it is completely written.

Decisions:

* The files followed are those `afterrun import` takes from a folder (.fit, .gpx, .tcx
  and their .gz), in the folders and every folder below them. Names that only end
  like one when complete (`.part`, `.crdownload`, `~`, `.tmp`) are not followed until
  they are renamed; dotfiles and everything in dot-folders (Syncthing's `.stversions`,
  macOS `._` forks) never are. An empty file is a placeholder (Firefox makes one
  before the download lands) and waits for its content.
* A file is complete once its size and modification time have stayed the same for
  `FollowTimes.settle` seconds and it reads whole. One that still reads cut short (a
  FIT failing its size or CRC, a gzip or XML that stops early) waits one more settle
  time in case its writer only paused; if it is still the same then, it is imported as
  it is, and the importer says what it kept or why it failed.
* Each file is imported once per content: the import service stores a content once,
  and a file seen again unchanged is not read again. A file rewritten with new content
  is imported again (a richer copy replaces a poorer one, as with `afterrun import`).
* With `existing`, the files already in the folders at the start are imported too;
  those whose content is stored already are left quietly (a folder of years of runs
  says nothing at each start). Without, only files that appear or change afterwards
  count.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from afterrun.importers.source_types import DEFAULT_LIMITS, is_activity_name
from afterrun.services.import_summary import ImportSummary
from afterrun.services.import_workers import DEFAULT_TIME_LIMIT, content_hash, parse_source
from afterrun.services.imports import import_paths

if TYPE_CHECKING:
    from afterrun.store import Store

#: (size in bytes, modification time in ns): what must stay the same while a file settles.
Signature = tuple[int, int]


class StopSignal(Protocol):
    def is_set(self) -> bool: ...


@dataclass(frozen=True)
class FollowTimes:
    """How long a file must stay unchanged to count as written, and how often to look."""

    settle: float = 2.0
    poll: float = 0.5


@dataclass(frozen=True)
class Arrival:
    """What became of one file that arrived: its folder and the import's summary."""

    path: Path
    folder: Path
    summary: ImportSummary

    @property
    def name(self) -> str:
        """The file as the runner knows it: its path inside the followed folder."""
        try:
            return str(self.path.relative_to(self.folder))
        except ValueError:
            return str(self.path)


def is_followed(path: Path, folder: Path) -> bool:
    """An activity file's name, not a dotfile and not inside a dot-folder of `folder`."""
    if not is_activity_name(path.name):
        return False
    try:
        parts = path.relative_to(folder).parts
    except ValueError:
        parts = (path.name,)
    return not any(part.startswith(".") for part in parts)


def signature(path: Path) -> Signature | None:
    """The file's size and time, or None when it is gone or is no regular file."""
    try:
        found = path.stat()
    except OSError:
        return None
    if not path.is_file():
        return None
    return found.st_size, found.st_mtime_ns


@dataclass
class _Waiting:
    signature: Signature
    since: float
    doubted: bool = False


@dataclass
class Settling:
    """Files seen changing, each until it has kept its size and time for `settle` s."""

    settle: float
    clock: Callable[[], float] = time.monotonic
    waiting: dict[Path, _Waiting] = field(default_factory=dict)
    #: Files taken, with the signature they had then: seen again unchanged, they are left.
    taken: dict[Path, Signature] = field(default_factory=dict)

    def saw(self, path: Path) -> None:
        """The file was created or written to (or may have been)."""
        now = signature(path)
        if now is None or now[0] == 0:
            self.waiting.pop(path, None)
            return
        if self.taken.get(path) == now:
            return
        before = self.waiting.get(path)
        if before is None or before.signature != now:
            self.waiting[path] = _Waiting(now, self.clock())

    def forget(self, path: Path) -> None:
        self.waiting.pop(path, None)
        self.taken.pop(path, None)

    def settled(self) -> list[tuple[Path, Signature, bool]]:
        """Files unchanged for the settle time, in name order, and whether each was
        doubted before; files that changed meanwhile start waiting again."""
        ready = []
        for path in sorted(self.waiting):
            self.saw(path)
            waiting = self.waiting.get(path)
            if waiting is not None and self.clock() - waiting.since >= self.settle:
                ready.append((path, waiting.signature, waiting.doubted))
        return ready

    def doubt(self, path: Path) -> None:
        """Wait one more settle time: the file read cut short, its writer may have paused."""
        waiting = self.waiting.get(path)
        if waiting is not None:
            waiting.since = self.clock()
            waiting.doubted = True

    def took(self, path: Path, seen: Signature) -> None:
        self.waiting.pop(path, None)
        self.taken[path] = seen


def activity_files(folder: Path) -> Iterator[Path]:
    """The followed files under `folder`, dot-folders skipped."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(name for name in dirs if not name.startswith("."))
        for name in sorted(files):
            path = Path(root) / name
            if is_followed(path, folder):
                yield path


@dataclass
class Follower:
    """Follows `folders` and imports each activity file that arrives, once it is whole.

    Both `afterrun watch` and `afterrun serve --watch` run one; `on_arrival` hears of
    every file taken, `on_ready` once the folders are followed.
    """

    store: Store
    folders: Sequence[Path]
    now: Callable[[], datetime]
    on_arrival: Callable[[Arrival], None]
    times: FollowTimes = field(default_factory=FollowTimes)
    existing: bool = True
    on_ready: Callable[[], None] | None = None

    def __post_init__(self) -> None:
        self.folders = [folder.resolve() for folder in self.folders]
        self.settling = Settling(self.times.settle)

    def follow(self, stop: StopSignal | None = None) -> None:
        """Follow until `stop` is set (or Ctrl-C, which is raised as KeyboardInterrupt)."""
        from watchfiles import Change, watch  # noqa: PLC0415 - only where folders are followed

        if not self.existing:
            for path in self._present():
                seen = signature(path)
                if seen is not None:
                    self.settling.took(path, seen)
        step = max(round(self.times.poll * 1000), 10)
        started = False
        # No filter: every change wakes the loop, so files settle on time however busy
        # the folder is (a long download next to them).
        for changes in watch(
            *self.folders,
            watch_filter=None,
            debounce=step,
            step=min(50, step),
            rust_timeout=step,
            yield_on_timeout=True,
            stop_event=stop,
        ):
            if not started:
                started = True
                self._start()
            for change, raw in changes:
                self._noticed(Path(raw), gone=change == Change.deleted)
            for path, seen, doubted in self.settling.settled():
                self._take(path, seen, doubted)

    def _start(self) -> None:
        if self.existing:
            for path in self._present():
                if not self._stored_already(path):
                    self.settling.saw(path)
        if self.on_ready is not None:
            self.on_ready()

    def _present(self) -> Iterator[Path]:
        for folder in self.folders:
            yield from activity_files(folder)

    def _folder_of(self, path: Path) -> Path | None:
        for folder in self.folders:
            if path.is_relative_to(folder):
                return folder
        return None

    def _noticed(self, path: Path, gone: bool) -> None:
        folder = self._folder_of(path)
        if folder is None:
            return
        if gone:
            self.settling.forget(path)
        elif path.is_dir():  # a folder moved or copied in: its files may predate its watch
            if not any(part.startswith(".") for part in path.relative_to(folder).parts):
                for inside in activity_files(path):
                    self.settling.saw(inside)
        elif is_followed(path, folder):
            self.settling.saw(path)

    def _take(self, path: Path, seen: Signature, doubted: bool) -> None:
        if not doubted and not self._reads_whole(path):
            self.settling.doubt(path)
            return
        summary = import_paths(self.store, [path], self.now(), workers=1)
        if summary.interrupted:
            raise KeyboardInterrupt
        self.settling.took(path, seen)
        self.on_arrival(Arrival(path, self._folder_of(path) or path.parent, summary))

    def _stored_already(self, path: Path) -> bool:
        """True (and the file taken as it is) when its content is stored."""
        seen = signature(path)
        if seen is None or seen[0] > DEFAULT_LIMITS.max_file_bytes:
            return False
        try:
            data = path.read_bytes()
        except OSError:
            return False
        if self.store.id_for_content(content_hash(data)) is None:
            return False
        self.settling.took(path, seen)
        return True

    def _reads_whole(self, path: Path) -> bool:
        """Stored already, or parsed with no error and nothing cut short. A file that
        cannot be read, or is too big to, is left for the import to explain."""
        try:
            if path.stat().st_size > DEFAULT_LIMITS.max_file_bytes:
                return True
            data = path.read_bytes()
        except OSError:
            return True
        if self.store.id_for_content(content_hash(data)) is not None:
            return True
        profile = self.store.get_profile()
        now = self.now()
        parsed = parse_source(
            str(path), path.name, data, None, profile, now.year, DEFAULT_TIME_LIMIT
        )
        return parsed.error is None and not any(found.partial for found in parsed.activities)
