"""Activities in the database: store, replace, correct and read them. Each function runs
inside the transaction the Store opens for it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import ColumnElement, LargeBinary, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session, defer

from afterrun.core.activity import Activity, ActivityLoad, Sport, richer_reason
from afterrun.core.errors import NotFound
from afterrun.core.hints import Hint
from afterrun.core.rating import RunLoad
from afterrun.store.activity_rows import StoredActivity, fill_row, to_stored
from afterrun.store.tables import ActivityRow

__all__ = [
    "SAME_START",
    "Stored",
    "StoredActivity",
    "activities_version",
    "add_activity",
    "all_activity_ids",
    "correct",
    "fill_missing",
    "find_by_hash",
    "find_same_run",
    "import_activity",
    "insert_activity",
    "load_activities",
    "load_activity",
    "load_history",
    "not_found",
    "replace_activity",
    "set_load",
    "set_rpe",
    "set_rpe_and_load",
    "set_sport_and_name",
]


@dataclass(frozen=True)
class Stored:
    """What storing one imported activity did: `created`, `same` (already there: `id`
    is the stored run) or `replaced` (`id` now holds this richer copy; `reason` says why)."""

    id: int
    outcome: Literal["created", "same", "replaced"]
    reason: str | None = None


#: Two recordings of one run (watch file and app export) start within this of each other.
SAME_START = timedelta(seconds=60)
SAME_DURATION_SHARE = 0.05


def find_same_run(db: Session, athlete: int, activity: Activity) -> int | None:
    """An activity stored from another file of the same run: same sport and start, duration
    and distance (when both copies have one) within 5%.

    The sport is compared only when both files named it: a guessed or corrected sport
    says nothing about whether two files hold the same recording.

    Without this a run imported from the watch and again from an app would count twice
    toward training load.
    """
    candidates = db.execute(
        select(
            ActivityRow.id,
            ActivityRow.elapsed_seconds,
            ActivityRow.distance_m,
            ActivityRow.sport,
            ActivityRow.sport_source,
        ).where(
            ActivityRow.athlete_id == athlete,
            ActivityRow.started_at >= activity.start - SAME_START,
            ActivityRow.started_at <= activity.start + SAME_START,
        )
    )
    for row_id, elapsed, distance, sport, source in candidates:
        # A sport guessed or corrected may differ from the file's: it is still the same run.
        told = source == "file" and activity.sport_source == "file"
        if told and sport != activity.sport.value:
            continue
        if _close(elapsed, activity.elapsed_seconds) and (
            distance is None or activity.distance_m is None or _close(distance, activity.distance_m)
        ):
            return int(row_id)
    return None


def _owned(db: Session, athlete: int, activity_id: int) -> ActivityRow | None:
    """The activity if it is this athlete's: another's is as good as missing."""
    row = db.get(ActivityRow, activity_id)
    return row if row is not None and row.athlete_id == athlete else None


def _close(a: float, b: float) -> bool:
    return abs(a - b) / max(a, b, 1.0) <= SAME_DURATION_SHARE


def fill_missing(
    db: Session, athlete: int, activity_id: int, name: str | None, rpe: float | None
) -> bool:
    """Add a name or RPE the stored run lacks (from an export's CSV); never overwrite."""
    row = _owned(db, athlete, activity_id)
    if row is None:
        return False
    changed = False
    if name and not row.name:
        row.name, changed = name, True
    if rpe is not None and row.rpe is None:
        row.rpe, changed = rpe, True
    return changed


def find_by_hash(db: Session, athlete: int, content_hash: str) -> int | None:
    return db.scalar(
        select(ActivityRow.id).where(
            ActivityRow.athlete_id == athlete, ActivityRow.content_hash == content_hash
        )
    )


def insert_activity(
    db: Session,
    athlete: int,
    activity: Activity,
    content_hash: str,
    source: str,
    load: RunLoad,
    now: datetime,
) -> int:
    row = ActivityRow(athlete_id=athlete)
    fill_row(row, activity, content_hash, source, load, now)
    db.add(row)
    db.flush()
    return row.id


def replace_activity(
    db: Session,
    athlete: int,
    activity_id: int,
    activity: Activity,
    content_hash: str,
    source: str,
    load: RunLoad,
    now: datetime,
) -> None:
    """Put a richer copy of a run in the place of the stored one: same id, so check-ins
    and links stay; the caller has carried the runner's name and RPE over."""
    row = _owned(db, athlete, activity_id)
    if row is None:
        raise not_found(activity_id)
    fill_row(row, activity, content_hash, source, load, now)
    db.flush()


#: Enough of a stored stream to read its sample count: zlib's header, the largest deflate
#: block header (under 600 bytes) and the stream's own five-byte header.
_STREAM_HEAD = 1024


def _head(column: InstrumentedAttribute[bytes | None]) -> ColumnElement[bytes | None]:
    return func.substr(column, 1, _STREAM_HEAD, type_=LargeBinary)


def load_activities(
    db: Session, athlete: int, limit: int | None = None, sport: Sport | None = None
) -> list[StoredActivity]:
    """Without their streams: only each stream's head is read, for its sample count, in
    the same query (reading the deferred column would cost a query per activity)."""
    query = (
        select(ActivityRow, _head(ActivityRow.hr_stream), _head(ActivityRow.speed_stream))
        .options(defer(ActivityRow.hr_stream), defer(ActivityRow.speed_stream))
        .where(ActivityRow.athlete_id == athlete)
        .order_by(ActivityRow.started_at.desc(), ActivityRow.id.desc())
    )
    if sport is Sport.RUNNING:
        query = query.where(or_(ActivityRow.sport == sport.value, ActivityRow.includes_run))
    elif sport is not None:
        query = query.where(ActivityRow.sport == sport.value)
    if limit is not None:
        query = query.limit(limit)
    return [
        to_stored(row, with_streams=False, heads=(hr_head, speed_head))
        for row, hr_head, speed_head in db.execute(query)
    ]


SPORTS = {sport.value: sport for sport in Sport}


def load_history(db: Session, athlete: int) -> list[ActivityLoad]:
    """Every activity's timing and load, newest first: one query of the few columns that
    training load and run ratings need, so a long history reads quickly."""
    query = (
        select(
            ActivityRow.id,
            ActivityRow.sport,
            ActivityRow.includes_run,
            ActivityRow.started_at,
            ActivityRow.elapsed_seconds,
            ActivityRow.moving_seconds,
            ActivityRow.rpe,
            ActivityRow.load,
            ActivityRow.load_method,
        )
        .where(ActivityRow.athlete_id == athlete)
        .order_by(ActivityRow.started_at.desc(), ActivityRow.id.desc())
    )
    return [
        ActivityLoad(
            row_id,
            SPORTS.get(sport, Sport.OTHER),
            bool(includes_run),
            start,
            elapsed,
            moving,
            rpe,
            load,
            method,
        )
        for row_id, sport, includes_run, start, elapsed, moving, rpe, load, method in db.execute(
            query
        )
    ]


def not_found(activity_id: int) -> NotFound:
    return NotFound(f"No run {activity_id}.", Hint.LIST_RUNS)


def load_activity(
    db: Session, athlete: int, activity_id: int, with_streams: bool = True
) -> StoredActivity:
    row = _owned(db, athlete, activity_id)
    if row is None:
        raise not_found(activity_id)
    return to_stored(row, with_streams)


def set_rpe(db: Session, athlete: int, activity_id: int, rpe: float) -> None:
    row = _owned(db, athlete, activity_id)
    if row is None:
        raise not_found(activity_id)
    row.rpe = rpe


def set_sport_and_name(
    db: Session, athlete: int, activity_id: int, sport: Sport | None, name: str | None
) -> None:
    """The runner's correction: a sport set here is never replaced by an import."""
    row = _owned(db, athlete, activity_id)
    if row is None:
        raise not_found(activity_id)
    if sport is not None:
        if sport.value != row.sport:
            row.sub_sport = None  # it belonged to the old sport
        row.sport = sport.value
        row.sport_source = "runner"
        row.sport_basis = None
        # A run now, or a leg of one: it sizes the cool-down and is listed in `runs`.
        legs = row.parts if isinstance(row.parts, list) else []
        row.includes_run = sport is Sport.RUNNING or any(
            isinstance(leg, dict) and leg.get("sport") == Sport.RUNNING.value for leg in legs
        )
    if name is not None:
        row.name = name


def set_load(db: Session, athlete: int, activity_id: int, load: RunLoad) -> None:
    row = _owned(db, athlete, activity_id)
    if row is None:
        raise not_found(activity_id)
    row.load = load.value if load.method != "none" else None
    row.load_method = load.method


def all_activity_ids(db: Session, athlete: int) -> list[int]:
    query = select(ActivityRow.id).where(ActivityRow.athlete_id == athlete)
    return list(db.scalars(query.order_by(ActivityRow.id)))


def activities_version(db: Session, athlete: int) -> str:
    """'count.latest id.latest import time' of the athlete's activities: changes whenever
    one is added, replaced by a richer copy or removed, whichever process wrote it."""
    count, latest, imported = db.execute(
        select(
            func.count(ActivityRow.id), func.max(ActivityRow.id), func.max(ActivityRow.imported_at)
        ).where(ActivityRow.athlete_id == athlete)
    ).one()
    stamp = 0 if imported is None else int(imported.timestamp() * 1000)
    return f"{count}.{latest or 0}.{stamp}"


def add_activity(
    db: Session,
    athlete: int,
    activity: Activity,
    content_hash: str,
    source: str,
    load: RunLoad,
    now: datetime,
) -> tuple[int, bool]:
    """Store one activity: (id, True), or (the stored one's id, False) if already there."""
    existing = find_by_hash(db, athlete, content_hash)
    if existing is None:
        existing = find_same_run(db, athlete, activity)
    if existing is not None:
        return existing, False
    return insert_activity(db, athlete, activity, content_hash, source, load, now), True


def import_activity(
    db: Session,
    athlete: int,
    activity: Activity,
    content_hash: str,
    source: str,
    now: datetime,
    load_for: Callable[[Activity], RunLoad],
) -> Stored:
    """A new run, the same run, or a richer copy of a stored run: a copy with more (heart
    rate, streams, records) takes the stored one's place and id, keeping the runner's
    name and RPE."""
    existing = find_by_hash(db, athlete, content_hash)
    if existing is not None:
        return Stored(existing, "same")
    same = find_same_run(db, athlete, activity)
    if same is None:
        new_id = insert_activity(
            db, athlete, activity, content_hash, source, load_for(activity), now
        )
        return Stored(new_id, "created")
    stored = load_activity(db, athlete, same, with_streams=True).activity
    reason = richer_reason(activity, stored)
    if reason is None:
        return Stored(same, "same")
    kept = replace(
        activity,
        name=stored.name or activity.name,
        rpe=stored.rpe if stored.rpe is not None else activity.rpe,
    )
    replace_activity(db, athlete, same, kept, content_hash, source, load_for(kept), now)
    return Stored(same, "replaced", reason)


def set_rpe_and_load(
    db: Session, athlete: int, activity_id: int, rpe: float, load: RunLoad
) -> None:
    set_rpe(db, athlete, activity_id, rpe)
    set_load(db, athlete, activity_id, load)


def correct(
    db: Session,
    athlete: int,
    activity_id: int,
    sport: Sport | None,
    name: str | None,
    load: RunLoad,
) -> None:
    """The runner's correction of a sport or name, with the load worked out again."""
    set_sport_and_name(db, athlete, activity_id, sport, name)
    set_load(db, athlete, activity_id, load)
