"""An activity as stored, and the mapping between it and its row in the activities table."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from afterrun.core.activity import SPORT_SOURCES, Activity, Part, Sport, SportSource
from afterrun.core.rating import RunLoad
from afterrun.store import stream_codec
from afterrun.store.tables import ActivityRow, json_list


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


def to_stored(
    row: ActivityRow,
    with_streams: bool,
    heads: tuple[bytes | None, bytes | None] | None = None,
) -> StoredActivity:
    """`heads`: the first bytes of the heart-rate and speed streams, read with the row when
    the streams themselves are left out (enough for their sample counts)."""
    hr_blob, speed_blob = heads if heads is not None else (row.hr_stream, row.speed_stream)
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
        heart_rate_samples=stream_codec.sample_count(hr_blob),
        speed_samples=stream_codec.sample_count(speed_blob),
    )


def fill_row(
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
