"""What runs in an import's worker processes: one file parsed and its load worked out.

Reading one file is bounded in time (`TimeLimit`): a file that takes longer is
skipped with a one-line reason, so one pathological file cannot hang a batch.
The bound is a SIGALRM timer around the parse, in the worker process or, for a
small batch read in-process, in the main thread. Where no timer can be set (no
`signal.setitimer`, as on Windows, or a caller outside the main thread) files are
read without a bound. A worker exits when the import that started it is killed.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import threading
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from types import FrameType

from afterrun.core.activity import Activity
from afterrun.core.errors import AfterrunError
from afterrun.core.load import Profile, activity_load
from afterrun.core.rating import RunLoad
from afterrun.core.sport_guess import with_guessed_sport
from afterrun.importers import gunzip, parse_activities
from afterrun.importers.fit_messages import warm_up
from afterrun.importers.strava import SourceMeta, apply_meta

GZIP_MAGIC = b"\x1f\x8b"
_MIB = 1024 * 1024


@dataclass(frozen=True)
class Parsed:
    label: str
    activities: tuple[Activity, ...]
    error: str | None
    loads: tuple[RunLoad, ...] = ()


@dataclass(frozen=True)
class TimeLimit:
    """How long reading one file may take before it is skipped.

    `seconds` for any file, plus `per_mib` for each MiB of it as stored: fitdecode
    reads well under 1 MiB of FIT a second, so a real 20 MiB recording of a
    day-long ultra needs more than a flat bound allows on a slow machine, while a
    pathological small file still stops after `seconds`.
    """

    seconds: float = 30.0
    per_mib: float = 15.0

    def for_size(self, size: int) -> float:
        return self.seconds + self.per_mib * size / _MIB


DEFAULT_TIME_LIMIT = TimeLimit()


class _TookTooLong(BaseException):
    """Raised by the timer inside the parser; a BaseException so no parser swallows it."""


def _expire(_signum: int, _frame: FrameType | None) -> None:
    raise _TookTooLong


def _can_time() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise `_TookTooLong` in this thread once `seconds` have passed (main thread only)."""
    previous = signal.signal(signal.SIGALRM, _expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        try:
            signal.setitimer(signal.ITIMER_REAL, 0)
        finally:  # even if the alarm goes off right here, the old handler comes back
            signal.signal(signal.SIGALRM, previous)


def too_slow_reason(seconds: float) -> str:
    """The one-line reason a file that took longer than `seconds` to read is skipped."""
    shown = f"{seconds:.2g}" if seconds < 1 else f"{round(seconds)}"
    return f"took longer than {shown} s to read; skipped"


def content_hash(data: bytes) -> str:
    """Hash of the file's content, unzipped, so a .fit and its .fit.gz count as the same."""
    if data[:2] == GZIP_MAGIC:
        with contextlib.suppress(AfterrunError):
            data = gunzip(data, allow_truncated=True)
    return hashlib.sha256(data).hexdigest()


def parse_source(
    label: str,
    filename: str,
    data: bytes,
    meta: SourceMeta | None,
    profile: Profile,
    year: int,
    time_limit: TimeLimit | None = DEFAULT_TIME_LIMIT,
) -> Parsed:
    """Runs in a worker: parse one file and work out its load.

    Every failure becomes a one-line reason, so one bad file never stops a batch;
    a file still being read after `time_limit` is skipped (see the module docstring).
    """
    warm_up()  # once per process: importing the decoders is no file's fault
    seconds = time_limit.for_size(len(data)) if time_limit is not None else 0.0
    bounded = _time_limit(seconds) if seconds > 0 and _can_time() else contextlib.nullcontext()
    try:
        with bounded:
            found = parse_activities(filename, data)
            if len(found) == 1:  # an export's CSV row describes a one-activity file
                found = [apply_meta(found[0], meta)]
            found = [with_guessed_sport(activity, profile.main_sport) for activity in found]
            loads = tuple(activity_load(activity, profile, year) for activity in found)
        return Parsed(label, tuple(found), None, loads)
    except _TookTooLong:
        return Parsed(label, (), too_slow_reason(seconds))
    except AfterrunError as error:
        return Parsed(label, (), error.message)
    except Exception as error:  # one bad file must never stop a batch
        return Parsed(label, (), f"could not be read ({brief(error)})")


def brief(error: Exception) -> str:
    """An unexpected error as one short line: its kind and its text."""
    text = " ".join(str(error).split())
    text = text if len(text) <= 160 else text[:159] + "…"
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


WORKER_DIED = (
    "the process reading it stopped (out of memory?) while this file was being read; "
    "import it again on its own"
)
#: How often a worker checks that the import that started it is still running.
PARENT_CHECK_SECONDS = 0.5


def _exit_with_parent(parent: int) -> None:
    """Pool initializer: a worker whose import was killed (kill -9) exits too."""

    def watch() -> None:
        while True:
            try:
                os.kill(parent, 0)
            except ProcessLookupError:
                os._exit(1)
            except PermissionError:
                pass
            threading.Event().wait(PARENT_CHECK_SECONDS)

    threading.Thread(target=watch, name="afterrun-parent-watch", daemon=True).start()


def new_pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=get_context("forkserver"),
        initializer=_exit_with_parent,
        initargs=(os.getpid(),),
    )
