"""Import activity files, folders and archives: parse on every core, store one by one.

Parsing is pure and CPU-bound, so it runs in worker processes; storing happens
in this process, one transaction per activity, so a crash or a bad file never
leaves anything half-stored. A file whose content is already stored is not
parsed again.

Reading one file is bounded in time (see `import_workers`).
An afterrun export brings back its sessions, check-ins and profile too (`restore`).
"""

from __future__ import annotations

import hashlib
import os
import zipfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, as_completed, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from afterrun.core.activity import Activity
from afterrun.core.errors import AfterrunError
from afterrun.core.load import Profile, activity_load
from afterrun.core.rating import RunLoad
from afterrun.core.sport_guess import sport_note
from afterrun.importers.afterrun_export import NO_RUNS, looks_like_export
from afterrun.importers.sources import Source, SourceError, is_activity_name, iter_sources
from afterrun.importers.strava import SourceMeta
from afterrun.services.import_summary import ImportSummary
from afterrun.services.import_workers import (
    DEFAULT_TIME_LIMIT,
    WORKER_DIED,
    Parsed,
    TimeLimit,
    brief,
    content_hash,
    new_pool,
    parse_source,
)
from afterrun.services.restore import restore_export

if TYPE_CHECKING:
    from afterrun.store import Store

#: Below this many files, starting worker processes costs more than it saves.
POOL_THRESHOLD = 8
#: Files handed to each worker ahead of time: enough to keep it busy, few enough for memory.
IN_FLIGHT_PER_WORKER = 4

Progress = Callable[[int, int, str], None]


def estimate_count(paths: Sequence[Path]) -> int:
    """A quick count of activity files for the progress bar (nested archives count once)."""
    count = 0
    for path in paths:
        if path.is_dir():
            for _root, _dirs, files in os.walk(path):
                count += sum(is_activity_name(name) or name.endswith(".zip") for name in files)
        elif zipfile.is_zipfile(path):
            try:
                with zipfile.ZipFile(path) as archive:
                    count += sum(
                        is_activity_name(n) or n.endswith(".zip") for n in archive.namelist()
                    )
            except (OSError, zipfile.BadZipFile):
                count += 1
        else:
            count += 1
    return max(count, 1)


def _parsed(
    sources: Iterator[Source | SourceError],
    store: Store,
    summary: ImportSummary,
    workers: int,
    advance: Callable[[str], None],
    year: int,
    time_limit: TimeLimit | None,
    seen: dict[str, list[str]],
) -> Iterator[tuple[Parsed, str]]:
    """Yield parse results as they complete; files already stored are skipped unparsed.

    At most `IN_FLIGHT_PER_WORKER` files per worker are held in memory, and a slow
    file never stops the other workers from taking new ones.
    """
    profile = store.get_profile()
    if workers <= 1:
        for source in _new_sources(sources, store, summary, advance, seen):
            work = (source.label, source.filename, source.data, source.meta, profile, year)
            yield parse_source(*work, time_limit), source.digest
        return
    pool = new_pool(workers)
    pending: dict[Future[Parsed], tuple[str, str]] = {}

    def finished(future: Future[Parsed]) -> tuple[Parsed, str]:
        """The result, or, when a worker died, a named failure and a fresh pool."""
        nonlocal pool
        label, digest = pending.pop(future)
        try:
            return future.result(), digest
        except BrokenProcessPool:
            # Every file in flight is lost with the pool; those stored stay stored.
            pool.shutdown(wait=False, cancel_futures=True)
            pool = new_pool(workers)
            return Parsed(label, (), WORKER_DIED), digest

    try:
        for source in _new_sources(sources, store, summary, advance, seen):
            work = (source.label, source.filename, source.data, source.meta, profile, year)
            future = pool.submit(parse_source, *work, time_limit)
            pending[future] = (source.label, source.digest)
            while len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield finished(future)
        for future in as_completed(list(pending)):
            yield finished(future)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


@dataclass(frozen=True)
class _NewSource:
    label: str
    filename: str
    data: bytes
    meta: SourceMeta | None
    digest: str


def _new_sources(
    sources: Iterator[Source | SourceError],
    store: Store,
    summary: ImportSummary,
    advance: Callable[[str], None],
    seen: dict[str, list[str]],
) -> Iterator[_NewSource]:
    """Sources whose content is not stored yet; the rest are counted on the way.

    A file whose content is earlier in the same batch is noted in `seen` under that
    content and reported once the first copy is stored (`_same_in_batch`), so that it
    names the stored run whatever order the workers finish in.
    """
    for source in sources:
        if isinstance(source, SourceError):
            summary.failed.append((source.label, source.reason))
            advance(source.label)
            continue
        digest = content_hash(source.data)
        if digest in seen:
            seen[digest].append(source.label)
            advance(source.label)
            continue
        existing = store.id_for_content(digest)
        if existing is not None:
            if source.meta is not None:
                store.fill_missing(existing, source.meta.name, source.meta.rpe)
            summary.already_there.append((source.label, existing))
            advance(source.label)
            continue
        seen[digest] = [source.label]
        yield _NewSource(source.label, source.filename, source.data, source.meta, digest)


def _noting_exports(
    sources: Iterator[Source | SourceError], exports: list[tuple[str, bytes]]
) -> Iterator[Source | SourceError]:
    """The sources unchanged; afterrun exports among them are also kept in `exports`."""
    for source in sources:
        if isinstance(source, Source) and looks_like_export(source.data[:4096]):
            exports.append((source.label, source.data))
        yield source


def _restore(store: Store, summary: ImportSummary, label: str, data: bytes, now: datetime) -> None:
    """An export's sessions, check-ins and profile, once its runs are stored."""
    try:
        restored = restore_export(store, data, now)
    except AfterrunError as error:
        summary.failed.append((label, error.message))
        return
    summary.restored.append((label, restored))
    if restored.anything:
        # An export of cool-downs and check-ins alone is no failure for lack of runs.
        summary.failed = [item for item in summary.failed if item != (label, NO_RUNS)]


def _same_in_batch(store: Store, summary: ImportSummary, seen: dict[str, list[str]]) -> None:
    """Report the copies of a file met earlier in the batch, now that it is stored."""
    for digest, (first, *copies) in seen.items():
        if not copies:
            continue
        stored = store.id_for_content(digest)
        for label in copies:
            if stored is None:
                summary.failed.append((label, f"the same file as {first}, which was not stored"))
            else:
                summary.already_there.append((label, stored))


def activity_hash(digest: str, index: int) -> str:
    """The stored content key of a file's `index`-th activity (the file's hash for the first)."""
    if index == 0:
        return digest
    return hashlib.sha256(f"{digest}#{index}".encode()).hexdigest()


def import_paths(
    store: Store,
    paths: Sequence[Path],
    now: datetime,
    progress: Progress | None = None,
    workers: int | None = None,
    time_limit: TimeLimit | None = DEFAULT_TIME_LIMIT,
    relabel: Callable[[str], str] | None = None,
) -> ImportSummary:
    """Import everything under `paths`; one failure never stops the rest.

    `time_limit` bounds the reading of each file (None: no bound). `relabel` turns a
    path into what the runner should see and what is stored as the run's source (the
    web app's uploads are saved under temporary names).
    """
    summary = ImportSummary()
    total = estimate_count(paths)
    if workers is None:
        workers = (os.cpu_count() or 1) if total >= POOL_THRESHOLD else 1
    done = 0

    def advance(label: str) -> None:
        nonlocal done, total
        done += 1
        summary.files += 1
        total = max(total, done)
        if progress is not None:
            progress(done, total, label)

    try:
        sources = iter_sources(paths)
        if relabel is not None:
            rename = relabel
            sources = (replace(source, label=rename(source.label)) for source in sources)
        exports: list[tuple[str, bytes]] = []
        sources = _noting_exports(sources, exports)
        seen: dict[str, list[str]] = {}
        profile = store.get_profile()
        results = _parsed(sources, store, summary, workers, advance, now.year, time_limit, seen)
        for parsed, digest in results:
            advance(parsed.label)
            if not parsed.activities:
                summary.failed.append((parsed.label, parsed.error or "could not be read"))
                continue
            for index, (activity, load) in enumerate(
                zip(parsed.activities, parsed.loads, strict=True)
            ):
                _store_one(
                    store,
                    summary,
                    parsed.label,
                    activity,
                    load,
                    activity_hash(digest, index),
                    now,
                    profile,
                )
        _same_in_batch(store, summary, seen)
        for label, data in exports:
            _restore(store, summary, label, data, now)
    except KeyboardInterrupt:
        # Everything stored so far stays; running the import again skips it by content.
        summary.interrupted = True
    return summary


def _store_one(
    store: Store,
    summary: ImportSummary,
    label: str,
    activity: Activity,
    load: RunLoad,
    key: str,
    now: datetime,
    profile: Profile,
) -> None:
    """Store one parsed activity and say what happened; a failure fails only this one."""

    def load_for(kept: Activity) -> RunLoad:
        return load if kept is activity else activity_load(kept, profile, now.year)

    try:
        stored = store.import_activity(activity, key, label, now, load_for)
    except AfterrunError as error:
        summary.failed.append((label, error.message))
        return
    except Exception as error:  # the transaction rolled back; the batch goes on
        summary.failed.append((label, f"could not be stored ({brief(error)})"))
        return
    if stored.outcome != "same":
        line = sport_note(activity.sport, activity.sport_source, activity.sport_basis)
        if line is not None:
            summary.sport_untold.append((label, stored.id, line))
    if stored.outcome == "same":
        summary.already_there.append((label, stored.id))
    elif stored.outcome == "replaced":
        summary.replaced.append((label, stored.id, stored.reason or "this copy has more"))
    elif activity.partial:
        reason = activity.partial_reason or "the file ends early"
        summary.partial.append((label, stored.id, f"{reason}; what was read before is kept"))
    else:
        summary.imported.append((label, stored.id))
