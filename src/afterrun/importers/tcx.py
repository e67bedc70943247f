"""Garmin Training Center XML (TCX): activities from what `tcx_reading` read.

Decisions:

* Summary values come from the laps when every lap has them (the device's own
  totals): moving time = sum of `TotalTimeSeconds`, distance = sum of lap
  `DistanceMeters`, average heart rate = lap averages weighted by lap time,
  maximum = highest lap maximum. Missing lap values fall back to the trackpoints
  (cumulative `DistanceMeters`, else positions; heart rate over time).
* Elapsed time runs from the first lap start (or `Id`, or first trackpoint) to
  the later of the last trackpoint and the end of the last lap.
* Trackpoints may lack a position (treadmill, trainer) or a heart rate (fewer HR
  values than time points); each value is simply absent at those times.
* A `MultiSportSession` becomes one activity: its legs and transitions are added
  up, each kept as a `Part`, and the sport is MULTISPORT unless every leg has the
  same sport. Each separate `<Activity>` (a training-log export) is an activity of
  its own, on its own date.
* A course is a planned route and is refused.
* Sport comes from `Activity Sport=` ("Running", "Biking", "Other"); the device
  from the activity's `Creator/Name`.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from math import isnan
from typing import TYPE_CHECKING

import numpy as np

from afterrun.core.activity import Activity, Part, Sport
from afterrun.core.errors import ImportFailed
from afterrun.importers._util import (
    PLANNED_ROUTE,
    sport_from_text,
    sport_source,
    weighted_mean,
)
from afterrun.importers.safexml import MalformedXml
from afterrun.importers.tcx_reading import (
    POINT_COLUMNS,
    Lap,
    TcxFile,
    TcxLeg,
    read_flat,
    read_full,
)
from afterrun.importers.track import (
    Track,
    derived_speed,
    distance_spans,
    elevation_gain,
    moving_seconds,
    resample,
    timed_steps,
    travelled_metres,
)

if TYPE_CHECKING:
    pass


def _all_known(values: list[float | None]) -> list[float] | None:
    """The values if every one is known (and there is at least one), else None."""
    if not values or any(v is None for v in values):
        return None
    return [v for v in values if v is not None]


def _device(parts: list[TcxLeg]) -> str | None:
    name = next((p.device for p in parts if p.device), None)
    if name is None:
        return None
    return re.sub(r"\s+Software Version\b.*$", "", name) or name


def _summarise(out: TcxFile, broken: str | None) -> list[Activity]:
    activities = [parts for parts in out.activities if any(p.laps or p.points for p in parts)]
    if not activities:
        if out.courses:
            raise ImportFailed(PLANNED_ROUTE)
        if out.workouts:
            raise ImportFailed("TCX file holds a planned workout, not a recorded activity")
        raise ImportFailed("TCX file holds no activity")
    activities = [group for parts in activities for group in _split_at_gaps(parts)]
    last = len(activities) - 1
    return [
        _activity(parts, broken if index == last else None)
        for index, parts in enumerate(activities)
    ]


def _track(parts: list[TcxLeg]) -> Track:
    """Every trackpoint of the activity, each leg a segment of its own."""
    read = [part.points.columns() for part in parts]
    columns = {name: np.concatenate([r[name] for r in read]) for name in POINT_COLUMNS}
    segments = [np.full(len(r["time"]), index, dtype=np.int64) for index, r in enumerate(read)]
    return Track.of(
        time=columns.pop("time"),
        segment=np.concatenate(segments),
        **columns,
    )


def _moment(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def _span(parts: list[TcxLeg], laps: list[Lap], track: Track) -> tuple[datetime, float, float]:
    """(start, elapsed seconds, seconds the trackpoints run past the laps' end)."""
    starts = [lap.start for lap in laps if lap.start is not None]
    starts += [part.started for part in parts if part.started is not None]
    first, last = track.first_time, track.last_time
    if first is not None:
        starts.append(_moment(first))
    if not starts:
        raise ImportFailed("TCX file has no times at all")
    start = min(starts)
    lap_ends = [
        lap.start + timedelta(seconds=lap.seconds) for lap in laps if lap.start and lap.seconds
    ]
    ends = [*lap_ends]
    if last is not None:
        ends.append(_moment(last))
    elapsed = max(0.0, (max(ends) - start).total_seconds()) if ends else 0.0
    past = (_moment(last) - max(lap_ends)).total_seconds() if lap_ends and last else 0.0
    return start, elapsed, past


def _activity(parts: list[TcxLeg], broken: str | None) -> Activity:
    notes: list[str] = []
    if broken is not None:
        notes.append(f"file breaks off: {broken}; kept what was read before it")
    laps = [lap for part in parts for lap in part.laps]
    track = _track(parts)
    start, elapsed, past_laps = _span(parts, laps, track)
    steps = timed_steps(track)
    offsets = track.time - start.timestamp()
    hr = resample(offsets, track.hr)
    travelled = travelled_metres(track)
    spans = distance_spans(track)
    track_distance = spans if spans is not None else (travelled if travelled > 0 else None)
    track_moving = moving_seconds(steps) if len(track) else None

    lap_seconds = _all_known([lap.seconds for lap in laps])
    moving = sum(lap_seconds) if lap_seconds else track_moving
    lap_distances = _all_known([lap.distance for lap in laps])
    distance = sum(lap_distances) if lap_distances else track_distance
    lap_avg = _all_known([lap.avg_hr for lap in laps])
    avg_hr = weighted_mean((lap.avg_hr, lap.seconds) for lap in laps) if lap_avg else None
    corrected = False
    if laps and broken is None and past_laps > UNCOVERED_SLACK:
        # The trackpoints run well past the laps (a lap left out): the points are the truth.
        notes.append(
            f"the trackpoints run {past_laps / 60:.0f} min past the file's laps;"
            " moving time and distance are taken from the trackpoints"
        )
        corrected = True
        moving = max(moving or 0.0, track_moving or 0.0) or None
        distance = max(distance or 0.0, track_distance or 0.0) or None
        avg_hr = None
    if moving is not None:
        elapsed = max(elapsed, moving)  # lap starts are rounded to the second
    if avg_hr is None:
        avg_hr = hr.mean()
    maxima = [lap.max_hr for lap in laps if lap.max_hr is not None]
    stream_max = hr.maximum()
    if stream_max is not None:
        maxima.append(stream_max)
    lap_cadence = _all_known([lap.cadence for lap in laps])
    avg_cadence = weighted_mean((lap.cadence, lap.seconds) for lap in laps) if lap_cadence else None
    if avg_cadence is None:
        avg_cadence = resample(offsets, track.cadence).mean()

    legs = {
        sport_from_text(part.sport_text) or Sport.OTHER for part in parts if not part.transition
    }
    sport = legs.pop() if len(legs) == 1 else Sport.MULTISPORT
    kept_parts = tuple(_as_part(part, start) for part in parts) if len(parts) > 1 else ()

    unstated = sport_source(part.sport_text for part in parts if not part.transition)
    return Activity(
        sport=sport,
        sport_source="unstated" if unstated == "unstated" and sport is Sport.OTHER else "file",
        start=start,
        elapsed_seconds=elapsed,
        device=_device(parts),
        moving_seconds=moving,
        distance_m=distance,
        elevation_gain_m=elevation_gain(track.time, track.altitude),
        avg_hr=avg_hr,
        max_hr=max(maxima) if maxima else None,
        avg_cadence=avg_cadence,
        partial=broken is not None,
        partial_reason=broken,
        corrected=corrected,
        source_format="tcx",
        heart_rate=hr.stream(),
        speed=resample(offsets, derived_speed(track, steps)).stream(),
        notes=tuple(notes),
        parts=kept_parts,
    )


#: Legs further apart than this are separate activities, even inside a multisport session.
SEPARATE_AFTER = timedelta(minutes=15)
#: Trackpoints running this many seconds past the last lap mean the laps missed one.
UNCOVERED_SLACK = 60.0


def _split_at_gaps(parts: list[TcxLeg]) -> list[list[TcxLeg]]:
    """A multisport session's legs, split where a real gap separates two activities."""
    if len(parts) < 2:
        return [parts]
    groups: list[list[TcxLeg]] = []
    previous_end: datetime | None = None
    for part in parts:
        leg = _as_part(part, previous_end or datetime.min.replace(tzinfo=UTC))
        if not groups or previous_end is None or leg.start - previous_end > SEPARATE_AFTER:
            groups.append([])
        groups[-1].append(part)
        end = leg.start + timedelta(seconds=leg.elapsed_seconds)
        previous_end = end if previous_end is None else max(previous_end, end)
    return groups


def _as_part(part: TcxLeg, fallback_start: datetime) -> Part:
    """One leg (or transition) with its own totals: from its laps, else its trackpoints."""
    lap_starts = [lap.start for lap in part.laps if lap.start is not None]
    columns = part.points.columns()
    times = [_moment(t) for t in columns["time"].tolist()]
    start = min(lap_starts + times) if lap_starts or times else fallback_start
    seconds = _all_known([lap.seconds for lap in part.laps])
    metres = _all_known([lap.distance for lap in part.laps])
    span = (max(times) - start).total_seconds() if times else 0.0
    moving = sum(seconds) if seconds else None
    hr = [v for v in columns["hr"].tolist() if not isnan(v)]
    lap_hr = weighted_mean((lap.avg_hr, lap.seconds) for lap in part.laps)
    maxima = [lap.max_hr for lap in part.laps if lap.max_hr is not None] + hr
    return Part(
        sport=sport_from_text(part.sport_text) or Sport.OTHER,
        start=start,
        elapsed_seconds=max(span, moving or 0.0),
        moving_seconds=moving,
        distance_m=sum(metres) if metres else None,
        avg_hr=lap_hr if lap_hr is not None else (sum(hr) / len(hr) if hr else None),
        max_hr=max(maxima) if maxima else None,
        transition=part.transition,
    )


def read_tcx(data: bytes, name: str = "", *, flat: bool = True) -> list[Activity]:
    """Read a TCX file: one Activity per `<Activity>` or multisport session.

    `flat`: read a file without a multisport session from end events only (see
    `_read_flat`); False always reads start and end events (the tests compare the two).
    """
    out = TcxFile()
    try:
        if flat and b"MultiSportSession" not in data:
            try:
                read_flat(data, out)
                broken = None
            except MalformedXml:  # read again, keeping what comes before the break
                out = TcxFile()
                broken = read_full(data, out)
        else:
            broken = read_full(data, out)
        return _summarise(out, broken)
    except ImportFailed:
        raise
    except Exception as exc:  # last resort: a user must never see a traceback
        raise ImportFailed(f"could not read TCX file ({type(exc).__name__})") from exc


def parse_tcx(data: bytes, name: str = "") -> Activity:
    """The one activity of a TCX file that holds exactly one."""
    found = read_tcx(data, name)
    if len(found) != 1:
        raise ImportFailed(f"the file holds {len(found)} activities, not one")
    return found[0]
