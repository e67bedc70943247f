"""Garmin Training Center XML (TCX) by a streaming defusedxml reader.

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
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from afterrun.core.activity import Activity, Part, Sport
from afterrun.core.errors import ImportFailed
from afterrun.importers import streams
from afterrun.importers._util import (
    PLANNED_ROUTE,
    elevation_gain,
    haversine_m,
    heart_rate,
    moving_seconds,
    number,
    parse_time,
    sport_from_text,
    sport_source,
    weighted_mean,
)
from afterrun.importers.safexml import MalformedXml, iter_events, local_name

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element


@dataclass
class _Lap:
    start: datetime | None
    seconds: float | None
    distance: float | None
    avg_hr: float | None
    max_hr: float | None
    cadence: float | None


@dataclass
class _Point:
    time: datetime
    lat: float | None
    lon: float | None
    altitude: float | None
    distance: float | None
    hr: float | None
    cadence: float | None
    speed: float | None


@dataclass
class _Part:
    """One `Activity` element, or one transition of a multisport session."""

    sport_text: str | None
    transition: bool = False
    started: datetime | None = None  # the activity's Id
    device: str | None = None
    laps: list[_Lap] = field(default_factory=list)
    points: list[_Point] = field(default_factory=list)


@dataclass
class _Tcx:
    #: One list of parts per activity: a single `Activity`, or a multisport session.
    activities: list[list[_Part]] = field(default_factory=list)
    courses: int = 0
    workouts: int = 0


def _child(element: Element, *names: str) -> Element | None:
    """The first descendant along a path of local names (namespace-blind)."""
    current: Element | None = element
    for name in names:
        if current is None:
            return None
        current = next((c for c in current if local_name(c.tag) == name), None)
    return current


def _value(element: Element, *names: str) -> float | None:
    found = _child(element, *names)
    return None if found is None else number((found.text or "").strip())


def _amount(element: Element, *names: str) -> float | None:
    """A lap total (seconds, metres): a negative one is damage and counts as missing."""
    value = _value(element, *names)
    return value if value is not None and value >= 0 else None


def _lap(element: Element) -> _Lap:
    cadence = _value(element, "Cadence")
    if cadence is None:
        extensions = _child(element, "Extensions")
        if extensions is not None:
            for item in extensions.iter():
                if local_name(item.tag) in {"AvgRunCadence", "AvgBikeCadence"}:
                    cadence = number((item.text or "").strip())
                    break
    if cadence is not None and cadence <= 0:
        cadence = None
    return _Lap(
        start=parse_time(element.get("StartTime")),
        seconds=_amount(element, "TotalTimeSeconds"),
        distance=_amount(element, "DistanceMeters"),
        avg_hr=heart_rate(_value(element, "AverageHeartRateBpm", "Value")),
        max_hr=heart_rate(_value(element, "MaximumHeartRateBpm", "Value")),
        cadence=cadence,
    )


def _trackpoint(element: Element) -> _Point | None:
    time_element = _child(element, "Time")
    when = parse_time(time_element.text if time_element is not None else None)
    if when is None:
        return None
    lat = _value(element, "Position", "LatitudeDegrees")
    lon = _value(element, "Position", "LongitudeDegrees")
    if lat is None or lon is None:
        lat = lon = None
    cadence = _value(element, "Cadence")
    speed: float | None = None
    extensions = _child(element, "Extensions")
    if extensions is not None:
        for item in extensions.iter():
            name = local_name(item.tag)
            if name == "Speed" and speed is None:
                speed = number((item.text or "").strip())
            elif name == "RunCadence" and cadence is None:
                cadence = number((item.text or "").strip())
    return _Point(
        time=when,
        lat=lat,
        lon=lon,
        altitude=_value(element, "AltitudeMeters"),
        distance=_value(element, "DistanceMeters"),
        hr=heart_rate(_value(element, "HeartRateBpm", "Value")),
        cadence=cadence,
        speed=speed,
    )


def _read(data: bytes, out: _Tcx) -> str | None:
    """Fill `out` from the XML; return why reading broke off, or None when complete."""
    path: list[str] = []
    part: _Part | None = None
    in_multisport = False
    try:
        for event, element in iter_events(data, "TCX"):
            tag = local_name(element.tag)
            if event == "start":
                if not path and tag != "TrainingCenterDatabase":
                    raise ImportFailed(
                        f"not a TCX file (the document is <{tag}>, not <TrainingCenterDatabase>)"
                    )
                path.append(tag)
                if tag == "MultiSportSession":
                    in_multisport = True
                    out.activities.append([])
                elif tag == "Activity" and in_multisport:
                    part = _Part(sport_text=element.get("Sport"))
                    out.activities[-1].append(part)
                elif tag == "Activity" and "Activities" in path:
                    part = _Part(sport_text=element.get("Sport"))
                    out.activities.append([part])
                elif tag == "Transition" and in_multisport:
                    part = _Part(sport_text="transition", transition=True)
                    out.activities[-1].append(part)
                continue
            path.pop()
            parent = path[-1] if path else ""
            if tag == "Trackpoint":
                point = _trackpoint(element)
                if point is not None and part is not None:
                    part.points.append(point)
                element.clear()
            elif tag in {"Lap", "Transition"}:
                if part is not None:
                    part.laps.append(_lap(element))
                element.clear()
                if tag == "Transition":
                    part = None
            elif tag == "Id" and parent == "Activity" and part is not None:
                part.started = parse_time(element.text)
            elif tag == "Name" and parent == "Creator" and part is not None:
                part.device = part.device or (element.text or "").strip() or None
            elif tag == "Activity":
                part = None
                element.clear()
            elif tag == "MultiSportSession":
                in_multisport = False
            elif tag == "Course":
                out.courses += 1
                element.clear()
            elif tag == "Workout":
                out.workouts += 1
                element.clear()
    except MalformedXml as exc:
        if not any(p.points or p.laps for parts in out.activities for p in parts):
            raise
        return exc.message
    return None


def _all_known(values: list[float | None]) -> list[float] | None:
    """The values if every one is known (and there is at least one), else None."""
    if not values or any(v is None for v in values):
        return None
    return [v for v in values if v is not None]


def _device(parts: list[_Part]) -> str | None:
    name = next((p.device for p in parts if p.device), None)
    if name is None:
        return None
    return re.sub(r"\s+Software Version\b.*$", "", name) or name


def _summarise(out: _Tcx, broken: str | None) -> list[Activity]:
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


def _activity(parts: list[_Part], broken: str | None) -> Activity:
    notes: list[str] = []
    if broken is not None:
        notes.append(f"file breaks off: {broken}; kept what was read before it")
    laps = [lap for part in parts for lap in part.laps]
    points = [point for part in parts for point in part.points]

    starts = [lap.start for lap in laps if lap.start is not None]
    starts += [part.started for part in parts if part.started is not None]
    if points:
        starts.append(min(p.time for p in points))
    if not starts:
        raise ImportFailed("TCX file has no times at all")
    start = min(starts)
    ends = [lap.start + timedelta(seconds=lap.seconds) for lap in laps if lap.start and lap.seconds]
    if points:
        ends.append(max(p.time for p in points))
    elapsed = max(0.0, (max(ends) - start).total_seconds()) if ends else 0.0

    # Per-part track walks: distance and moving steps never bridge two parts.
    track_distance = 0.0
    cumulative_total = 0.0
    has_cumulative = False
    steps: list[tuple[float, float]] = []
    hr_samples: list[tuple[float, float | None]] = []
    cadence_samples: list[tuple[float, float | None]] = []
    speed_samples: list[tuple[float, float | None]] = []
    for part in parts:
        previous: _Point | None = None
        part_cumulative = [p.distance for p in part.points if p.distance is not None]
        if part_cumulative:
            has_cumulative = True
            cumulative_total += max(part_cumulative) - min(part_cumulative)
        for point in part.points:
            offset = (point.time - start).total_seconds()
            hr_samples.append((offset, point.hr))
            cadence_samples.append((offset, point.cadence))
            speed = point.speed
            if previous is not None:
                step = _step(previous, point)
                seconds = (point.time - previous.time).total_seconds()
                track_distance += step
                steps.append((seconds, step))
                if speed is None and seconds > 0:
                    speed = step / seconds
            speed_samples.append((offset, speed))
            previous = point

    lap_seconds = _all_known([lap.seconds for lap in laps])
    moving = sum(lap_seconds) if lap_seconds else (moving_seconds(steps) if points else None)
    if moving is not None:
        elapsed = max(elapsed, moving)  # lap starts are rounded to the second
    lap_distances = _all_known([lap.distance for lap in laps])
    distance: float | None
    if lap_distances:
        distance = sum(lap_distances)
    elif has_cumulative:
        distance = cumulative_total
    elif track_distance > 0:
        distance = track_distance
    else:
        distance = None

    hr_stream = streams.resample(hr_samples)
    lap_avg = _all_known([lap.avg_hr for lap in laps])
    avg_hr = weighted_mean((lap.avg_hr, lap.seconds) for lap in laps) if lap_avg else None
    if avg_hr is None:
        avg_hr = streams.time_weighted_mean(hr_stream)
    maxima = [lap.max_hr for lap in laps if lap.max_hr is not None]
    stream_max = streams.maximum(hr_stream)
    if stream_max is not None:
        maxima.append(stream_max)
    lap_cadence = _all_known([lap.cadence for lap in laps])
    avg_cadence = weighted_mean((lap.cadence, lap.seconds) for lap in laps) if lap_cadence else None
    if avg_cadence is None:
        avg_cadence = streams.time_weighted_mean(streams.resample(cadence_samples))

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
        elevation_gain_m=elevation_gain(
            ((p.time - start).total_seconds(), p.altitude) for p in points
        ),
        avg_hr=avg_hr,
        max_hr=max(maxima) if maxima else None,
        avg_cadence=avg_cadence,
        partial=broken is not None,
        partial_reason=broken,
        source_format="tcx",
        heart_rate=hr_stream,
        speed=streams.resample(speed_samples),
        notes=tuple(notes),
        parts=kept_parts,
    )


def _step(a: _Point, b: _Point) -> float:
    """Metres between two trackpoints: from DistanceMeters, else from positions."""
    if a.distance is not None and b.distance is not None:
        return max(0.0, b.distance - a.distance)
    if a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None:
        return haversine_m(a.lat, a.lon, b.lat, b.lon)
    return 0.0


#: Legs further apart than this are separate activities, even inside a multisport session.
SEPARATE_AFTER = timedelta(minutes=15)


def _split_at_gaps(parts: list[_Part]) -> list[list[_Part]]:
    """A multisport session's legs, split where a real gap separates two activities."""
    if len(parts) < 2:
        return [parts]
    groups: list[list[_Part]] = []
    previous_end: datetime | None = None
    for part in parts:
        leg = _as_part(part, previous_end or datetime.min.replace(tzinfo=UTC))
        if not groups or previous_end is None or leg.start - previous_end > SEPARATE_AFTER:
            groups.append([])
        groups[-1].append(part)
        end = leg.start + timedelta(seconds=leg.elapsed_seconds)
        previous_end = end if previous_end is None else max(previous_end, end)
    return groups


def _as_part(part: _Part, fallback_start: datetime) -> Part:
    """One leg (or transition) with its own totals: from its laps, else its trackpoints."""
    lap_starts = [lap.start for lap in part.laps if lap.start is not None]
    times = [p.time for p in part.points]
    start = min(lap_starts + times) if lap_starts or times else fallback_start
    seconds = _all_known([lap.seconds for lap in part.laps])
    metres = _all_known([lap.distance for lap in part.laps])
    span = (max(times) - start).total_seconds() if times else 0.0
    moving = sum(seconds) if seconds else None
    hr = [p.hr for p in part.points if p.hr is not None]
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


def read_tcx(data: bytes, name: str = "") -> list[Activity]:
    """Read a TCX file: one Activity per `<Activity>` or multisport session."""
    out = _Tcx()
    try:
        broken = _read(data, out)
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
