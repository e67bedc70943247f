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
from math import isnan
from typing import TYPE_CHECKING

import numpy as np

from afterrun.core.activity import Activity, Part, Sport
from afterrun.core.errors import ImportFailed
from afterrun.importers._util import (
    PLANNED_ROUTE,
    heart_rate,
    number,
    parse_time,
    sport_from_text,
    sport_source,
    weighted_mean,
)
from afterrun.importers.safexml import MalformedXml, iter_events, local_name
from afterrun.importers.track import (
    Column,
    Track,
    column,
    derived_speed,
    distance_spans,
    elevation_gain,
    moving_seconds,
    plausible_heart_rate,
    resample,
    timed_steps,
    travelled_metres,
)

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


#: Trackpoint values kept, by the local name of the element that holds each.
_POINT_FIELDS = {
    "Time": "time",
    "LatitudeDegrees": "lat",
    "LongitudeDegrees": "lon",
    "AltitudeMeters": "altitude",
    "DistanceMeters": "distance",
    "Value": "hr",  # inside HeartRateBpm, the only Value in a trackpoint
    "Cadence": "cadence",
    "RunCadence": "run_cadence",
    "Speed": "speed",
}
_POINT_COLUMNS = ("time", "lat", "lon", "altitude", "distance", "hr", "cadence", "speed")
_POINT_TEXTS = tuple(dict.fromkeys(_POINT_FIELDS.values()))


def _numbers(texts: list[str | None]) -> Column:
    """Numbers from element texts at once; a text that is no number counts as missing."""
    try:
        return column([text if text is not None else "nan" for text in texts])
    except (ValueError, TypeError):
        return column([number(text) for text in texts])


@dataclass
class _Points:
    """Trackpoints as they were read: the text of each value, None where a point lacks it.

    Texts are turned into numbers once, for all points together (`columns`).
    """

    texts: dict[str, list[str | None]] = field(
        default_factory=lambda: {name: [] for name in _POINT_TEXTS}
    )

    def __len__(self) -> int:
        return len(self.texts["time"])

    def add(self, element: Element, names: dict[str, str]) -> None:
        found: dict[str, str | None] = {}
        for item in element.iter():
            tag = item.tag
            name = names.get(tag)
            if name is None:
                name = names[tag] = _POINT_FIELDS.get(local_name(tag), "")
            if name and name not in found:
                found[name] = item.text
        for key, values in self.texts.items():
            values.append(found.get(key))

    def columns(self) -> dict[str, Column]:
        """The points with a time, as numeric columns (`_POINT_COLUMNS`); time in Unix seconds."""
        moments = [parse_time(text) for text in self.texts["time"]]
        timed = np.array([m is not None for m in moments], dtype=bool)
        out = {"time": column([m.timestamp() for m in moments if m is not None], 2.0**33)}
        numbers = {
            key: _numbers(values)[timed] for key, values in self.texts.items() if key != "time"
        }
        positioned = ~np.isnan(numbers["lat"]) & ~np.isnan(numbers["lon"])
        out["lat"] = np.where(positioned, numbers["lat"], np.nan)
        out["lon"] = np.where(positioned, numbers["lon"], np.nan)
        out["altitude"] = numbers["altitude"]
        out["distance"] = numbers["distance"]
        out["hr"] = plausible_heart_rate(numbers["hr"])
        cadence = numbers["cadence"]
        out["cadence"] = np.where(np.isnan(cadence), numbers["run_cadence"], cadence)
        out["speed"] = numbers["speed"]
        return out


@dataclass
class _Part:
    """One `Activity` element, or one transition of a multisport session."""

    sport_text: str | None
    transition: bool = False
    started: datetime | None = None  # the activity's Id
    device: str | None = None
    laps: list[_Lap] = field(default_factory=list)
    points: _Points = field(default_factory=_Points)


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


_ROOT = "TrainingCenterDatabase"


def _read_flat(data: bytes, out: _Tcx) -> None:
    """Fill `out` from a file without a multisport session, reading end events only
    (half the events of `_read`); MalformedXml when it breaks off."""
    points = _Points()
    laps: list[_Lap] = []
    point_names: dict[str, str] = {}
    tags: dict[str, str] = {}
    for _, element in iter_events(data, "TCX", _ROOT, events=("end",)):
        raw = element.tag
        tag = tags.get(raw) if isinstance(raw, str) else ""
        if tag is None:
            tag = tags[raw] = local_name(raw)
        if tag == "Trackpoint":
            points.add(element, point_names)
        elif tag == "Lap":
            laps.append(_lap(element))
        elif tag == "Activity":
            part = _Part(sport_text=element.get("Sport"), laps=laps, points=points)
            started = _child(element, "Id")
            part.started = None if started is None else parse_time(started.text)
            creator = _child(element, "Creator", "Name")
            part.device = None if creator is None else (creator.text or "").strip() or None
            out.activities.append([part])
        elif tag in {"Course", "Workout"}:
            out.courses += tag == "Course"
            out.workouts += tag == "Workout"
        else:
            continue
        element.clear()
        if tag not in {"Trackpoint", "Lap"}:
            points, laps = _Points(), []


def _read(data: bytes, out: _Tcx) -> str | None:
    """Fill `out` from the XML; return why reading broke off, or None when complete."""
    path: list[str] = []
    point_names: dict[str, str] = {}
    tags: dict[str, str] = {}
    part: _Part | None = None
    in_multisport = False
    try:
        for event, element in iter_events(data, "TCX", _ROOT):
            raw = element.tag
            tag = tags.get(raw) if isinstance(raw, str) else ""
            if tag is None:
                tag = tags[raw] = local_name(raw)
            if event == "start":
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
                if part is not None:
                    part.points.add(element, point_names)
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


def _track(parts: list[_Part]) -> Track:
    """Every trackpoint of the activity, each leg a segment of its own."""
    read = [part.points.columns() for part in parts]
    columns = {name: np.concatenate([r[name] for r in read]) for name in _POINT_COLUMNS}
    segments = [np.full(len(r["time"]), index, dtype=np.int64) for index, r in enumerate(read)]
    return Track.of(
        time=columns.pop("time"),
        segment=np.concatenate(segments),
        **columns,
    )


def _moment(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def _span(parts: list[_Part], laps: list[_Lap], track: Track) -> tuple[datetime, float, float]:
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


def _activity(parts: list[_Part], broken: str | None) -> Activity:
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
    out = _Tcx()
    try:
        if flat and b"MultiSportSession" not in data:
            try:
                _read_flat(data, out)
                broken = None
            except MalformedXml:  # read again, keeping what comes before the break
                out = _Tcx()
                broken = _read(data, out)
        else:
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
