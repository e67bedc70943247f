"""Reading and writing activities and the profile; each function runs inside one transaction."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, defer

from afterrun.core.activity import SPORT_SOURCES, Activity, Part, Sport, SportSource
from afterrun.core.errors import NotFound
from afterrun.core.load import Profile, RunLoad
from afterrun.store import stream_codec
from afterrun.store.activity_tables import ActivityRow, ProfileRow, json_list

PROFILE_ID = 1


@dataclass(frozen=True)
class StoredActivity:
    """An activity as stored, with its id, where it came from and its load."""

    id: int
    activity: Activity
    source: str
    content_hash: str
    load: float | None
    load_method: str
    imported_at: datetime
    #: Samples in the stored heart-rate and speed streams, whether or not they were loaded.
    heart_rate_samples: int = 0
    speed_samples: int = 0

    def to_json(self) -> dict[str, Any]:
        a = self.activity
        pace = a.avg_pace_s_per_km
        return {
            "id": self.id,
            "name": a.name,
            "sport": a.sport.value,
            "sub_sport": a.sub_sport,
            "device": a.device,
            "start": a.start.astimezone(UTC).isoformat(),
            "elapsed_seconds": a.elapsed_seconds,
            "moving_seconds": a.moving_seconds,
            "distance_m": a.distance_m,
            "elevation_gain_m": a.elevation_gain_m,
            "avg_hr": a.avg_hr,
            "max_hr": a.max_hr,
            "avg_cadence": a.avg_cadence,
            "avg_pace_s_per_km": None if pace is None else round(pace, 1),
            "rpe": a.rpe,
            "partial": a.partial,
            "corrected": a.corrected,
            "format": a.source_format,
            "source": self.source,
            "notes": list(a.notes),
            "sport_source": a.sport_source,
            "sport_basis": a.sport_basis,
            "load": None if self.load is None else round(self.load, 1),
            "load_method": self.load_method,
            "imported_at": self.imported_at.astimezone(UTC).isoformat(),
            "heart_rate_samples": self.heart_rate_samples,
            "speed_samples": self.speed_samples,
            "parts": [part.to_json() for part in a.parts],
        }


def _sport(value: str) -> Sport:
    try:
        return Sport(value)
    except ValueError:
        return Sport.OTHER


def _sport_source(value: str | None) -> SportSource:
    for source in SPORT_SOURCES:
        if value == source:
            return source
    return "file"


def _parts_json(parts: tuple[Part, ...]) -> list[dict[str, Any]] | None:
    return [part.to_json() for part in parts] if parts else None


def _parts(value: object) -> tuple[Part, ...]:
    if not isinstance(value, list):
        return ()
    parts = []
    for item in value:
        if isinstance(item, dict):
            with contextlib.suppress(ValueError):  # a damaged leg is left out, not the run
                parts.append(Part.from_json(item))
    return tuple(parts)


def includes_run(activity: Activity) -> bool:
    """A run, or a multisport activity with a running leg: it sizes the cool-down."""
    return activity.sport is Sport.RUNNING or activity.running_part is not None


def _to_stored(row: ActivityRow, with_streams: bool) -> StoredActivity:
    activity = Activity(
        sport=_sport(row.sport),
        start=row.started_at,
        elapsed_seconds=row.elapsed_seconds,
        sub_sport=row.sub_sport,
        device=row.device,
        name=row.name,
        moving_seconds=row.moving_seconds,
        distance_m=row.distance_m,
        elevation_gain_m=row.elevation_gain_m,
        avg_hr=row.avg_hr,
        max_hr=row.max_hr,
        avg_cadence=row.avg_cadence,
        rpe=row.rpe,
        partial=row.partial,
        corrected=bool(row.corrected),
        source_format=row.source_format,
        heart_rate=stream_codec.decode(row.hr_stream) if with_streams else None,
        speed=stream_codec.decode(row.speed_stream) if with_streams else None,
        notes=tuple(json_list(row.notes)),
        sport_source=_sport_source(row.sport_source),
        sport_basis=row.sport_basis,
        parts=_parts(row.parts),
    )
    return StoredActivity(
        row.id,
        activity,
        row.source,
        row.content_hash,
        row.load,
        row.load_method,
        row.imported_at,
        heart_rate_samples=stream_codec.sample_count(row.hr_stream),
        speed_samples=stream_codec.sample_count(row.speed_stream),
    )


#: Two recordings of one run (watch file and app export) start within this of each other.
SAME_START = timedelta(seconds=60)
SAME_DURATION_SHARE = 0.05


def find_same_run(db: Session, activity: Activity) -> int | None:
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


def _close(a: float, b: float) -> bool:
    return abs(a - b) / max(a, b, 1.0) <= SAME_DURATION_SHARE


def fill_missing(db: Session, activity_id: int, name: str | None, rpe: float | None) -> bool:
    """Add a name or RPE the stored run lacks (from an export's CSV); never overwrite."""
    row = db.get(ActivityRow, activity_id)
    if row is None:
        return False
    changed = False
    if name and not row.name:
        row.name, changed = name, True
    if rpe is not None and row.rpe is None:
        row.rpe, changed = rpe, True
    return changed


def find_by_hash(db: Session, content_hash: str) -> int | None:
    return db.scalar(select(ActivityRow.id).where(ActivityRow.content_hash == content_hash))


def insert_activity(
    db: Session,
    activity: Activity,
    content_hash: str,
    source: str,
    load: RunLoad,
    now: datetime,
) -> int:
    row = ActivityRow()
    _fill(row, activity, content_hash, source, load, now)
    db.add(row)
    db.flush()
    return row.id


def replace_activity(
    db: Session,
    activity_id: int,
    activity: Activity,
    content_hash: str,
    source: str,
    load: RunLoad,
    now: datetime,
) -> None:
    """Put a richer copy of a run in the place of the stored one: same id, so check-ins
    and links stay; the caller has carried the runner's name and RPE over."""
    row = db.get(ActivityRow, activity_id)
    if row is None:
        raise not_found(activity_id)
    _fill(row, activity, content_hash, source, load, now)
    db.flush()


def _fill(
    row: ActivityRow,
    activity: Activity,
    content_hash: str,
    source: str,
    load: RunLoad,
    now: datetime,
) -> None:
    values = dict(
        content_hash=content_hash,
        source=source,
        source_format=activity.source_format or "manual",
        sport=activity.sport.value,
        sub_sport=activity.sub_sport,
        device=activity.device,
        name=activity.name,
        started_at=activity.start,
        elapsed_seconds=activity.elapsed_seconds,
        moving_seconds=activity.moving_seconds,
        distance_m=activity.distance_m,
        elevation_gain_m=activity.elevation_gain_m,
        avg_hr=activity.avg_hr,
        max_hr=activity.max_hr,
        avg_cadence=activity.avg_cadence,
        rpe=activity.rpe,
        partial=activity.partial,
        corrected=activity.corrected,
        includes_run=includes_run(activity),
        parts=_parts_json(activity.parts),
        notes=list(activity.notes),
        hr_stream=stream_codec.encode(activity.heart_rate),
        speed_stream=stream_codec.encode(activity.speed),
        load=load.value if load.method != "none" else None,
        load_method=load.method,
        imported_at=now,
        sport_source=activity.sport_source,
        sport_basis=activity.sport_basis,
    )
    for key, value in values.items():
        setattr(row, key, value)


def load_activities(
    db: Session, limit: int | None = None, sport: Sport | None = None
) -> list[StoredActivity]:
    query = (
        select(ActivityRow)
        .options(defer(ActivityRow.hr_stream), defer(ActivityRow.speed_stream))
        .order_by(ActivityRow.started_at.desc(), ActivityRow.id.desc())
    )
    if sport is Sport.RUNNING:
        query = query.where(or_(ActivityRow.sport == sport.value, ActivityRow.includes_run))
    elif sport is not None:
        query = query.where(ActivityRow.sport == sport.value)
    if limit is not None:
        query = query.limit(limit)
    return [_to_stored(row, with_streams=False) for row in db.scalars(query)]


def not_found(activity_id: int) -> NotFound:
    return NotFound(f"No run {activity_id}. Run 'afterrun runs' to see run ids.")


def load_activity(db: Session, activity_id: int, with_streams: bool = True) -> StoredActivity:
    row = db.get(ActivityRow, activity_id)
    if row is None:
        raise not_found(activity_id)
    return _to_stored(row, with_streams)


def set_rpe(db: Session, activity_id: int, rpe: float) -> None:
    row = db.get(ActivityRow, activity_id)
    if row is None:
        raise not_found(activity_id)
    row.rpe = rpe


def set_sport_and_name(
    db: Session, activity_id: int, sport: Sport | None, name: str | None
) -> None:
    """The runner's correction: a sport set here is never replaced by an import."""
    row = db.get(ActivityRow, activity_id)
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


def set_load(db: Session, activity_id: int, load: RunLoad) -> None:
    row = db.get(ActivityRow, activity_id)
    if row is None:
        raise not_found(activity_id)
    row.load = load.value if load.method != "none" else None
    row.load_method = load.method


def all_activity_ids(db: Session) -> list[int]:
    return list(db.scalars(select(ActivityRow.id).order_by(ActivityRow.id)))


def load_profile(db: Session) -> Profile:
    row = db.get(ProfileRow, PROFILE_ID)
    if row is None:
        return Profile()
    sex = row.sex if row.sex in ("m", "f") else None
    return Profile(
        hr_max=row.hr_max,
        hr_rest=row.hr_rest,
        sex=sex,  # type: ignore[arg-type]
        weight_kg=row.weight_kg,
        birth_year=row.birth_year,
        timezone=row.timezone,
        main_sport=None if row.main_sport is None else _sport(row.main_sport),
    )


def save_profile(db: Session, profile: Profile, now: datetime) -> None:
    row = db.get(ProfileRow, PROFILE_ID)
    if row is None:
        row = ProfileRow(id=PROFILE_ID, updated_at=now)
        db.add(row)
    row.hr_max = profile.hr_max
    row.hr_rest = profile.hr_rest
    row.sex = profile.sex
    row.weight_kg = profile.weight_kg
    row.birth_year = profile.birth_year
    row.timezone = profile.timezone
    row.main_sport = None if profile.main_sport is None else profile.main_sport.value
    row.updated_at = now
