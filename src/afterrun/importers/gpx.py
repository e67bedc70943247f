"""GPX tracks (Strava, Garmin Connect, phone apps, GPSBabel) by a streaming XML reader.

Decisions:

* Only `<trk>` points count; routes and waypoints are plans, not recordings.
  A track segment with no timestamp at all is skipped with a note (GPSBabel
  mixes planned tracks into logs); a file whose points carry no time is refused.
* Tracks separated by more than `SEPARATE_AFTER` are separate activities (a log of
  several days); tracks closer together are one activity (an app that starts a new
  track after a pause). Sport and name come from the activity's first track that
  gives them.
* Distance is the haversine sum within each segment (no distance is invented
  across a break between segments); elapsed time runs from the first to the last
  timestamp; moving time sums the steps between timed points whose speed is at
  least 0.5 m/s (`track.MOVING_SPEED_THRESHOLD`). A GPX has no summary of its own,
  so there is nothing for the points to contradict: a GPX is never `corrected`.
* Elevation gain uses a 3 m dead band (`track.elevation_gain`) so GPS altitude
  jitter does not pile up into phantom climbing.
* Heart rate, cadence and speed are read from any extension by local name, so
  Garmin TrackPointExtension v1/v2 (`gpxtpx:hr`, `gpxtpx:cad`), `ns3:hr`,
  cluetrust `gpxdata:hr`/`gpxdata:cadence`, plain `<hr>`, `<heartrate>` all work.
* Sport comes from `<type>` ("running", "Run", "9", ...). A GPX without a type is
  recorded as OTHER, not guessed as a run here: GPX is also what bike computers and
  hiking apps export, and a wrong "running" would size a cool-down to an effort that
  never happened (the import guesses later, from pace and cadence, when it is safe).
* If the XML breaks off after some points (a crashed app, a cut download) the
  points read so far are kept and the last activity is marked partial.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import numpy as np

from afterrun.core.activity import Activity, Sport
from afterrun.core.errors import ImportFailed
from afterrun.importers._util import (
    PLANNED_ROUTE,
    heart_rate,
    number,
    parse_time,
    sport_from_text,
    sport_source,
)
from afterrun.importers.safexml import MalformedXml, iter_events, local_name
from afterrun.importers.track import (
    Track,
    column,
    derived_speed,
    elevation_gain,
    moving_seconds,
    resample,
    timed_steps,
    travelled_metres,
)

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

_HR_NAMES = frozenset({"hr", "heartrate", "heart_rate", "heartratebpm", "pulse"})
_CADENCE_NAMES = frozenset({"cad", "cadence", "runcadence", "bikecadence"})
_SPEED_NAMES = frozenset({"speed"})
_COLUMNS = ("time", "lat", "lon", "altitude", "hr", "cadence", "speed")

#: Tracks further apart than this (end of one to start of the next) are separate activities.
SEPARATE_AFTER = timedelta(minutes=15)


@dataclass
class _Segment:
    """A `trkseg`'s points as columns (None where a point lacks the value)."""

    columns: dict[str, list[float | None]] = field(
        default_factory=lambda: {name: [] for name in _COLUMNS}
    )

    def __len__(self) -> int:
        return len(self.columns["time"])

    @property
    def timed(self) -> bool:
        return any(t is not None for t in self.columns["time"])


@dataclass
class _Track:
    name: str | None = None
    type: str | None = None
    segments: list[_Segment] = field(default_factory=list)


@dataclass
class _Gpx:
    creator: str | None = None
    name: str | None = None
    tracks: list[_Track] = field(default_factory=list)
    route_points: int = 0


def _text(element: Element) -> str | None:
    text = (element.text or "").strip()
    return text or None


def _extension_value(element: Element) -> float | None:
    """The number in an extension element, or in a nested <Value> (TCX style)."""
    value = number(_text(element))
    if value is None:
        for child in element:
            if local_name(child.tag).lower() == "value":
                return number(_text(child))
    return value


def _extensions(element: Element, found: dict[str, float | None]) -> None:
    for item in element.iter():
        name = local_name(item.tag).lower()
        if name in _HR_NAMES and found.get("hr") is None:
            found["hr"] = heart_rate(_extension_value(item))
        elif name in _CADENCE_NAMES and found.get("cadence") is None:
            found["cadence"] = number(_extension_value(item))
        elif name in _SPEED_NAMES and found.get("speed") is None:
            found["speed"] = number(_text(item))


def _add_point(element: Element, segment: _Segment) -> None:
    lat = number(element.get("lat"))
    lon = number(element.get("lon"))
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return
    found: dict[str, float | None] = {"lat": lat, "lon": lon}
    for child in element:
        tag = local_name(child.tag).lower()
        if tag == "time":
            when = parse_time(_text(child))
            found["time"] = None if when is None else when.timestamp()
        elif tag == "ele":
            found["altitude"] = number(_text(child))
        elif tag == "extensions":
            _extensions(child, found)
    for name, values in segment.columns.items():
        values.append(found.get(name))


def _end_of(tag: str, parent: str, element: Element, out: _Gpx, track: _Track | None) -> None:
    """What the end of a non-point element means for `out`."""
    if tag == "rtept":
        out.route_points += 1
        element.clear()
    elif tag in {"wpt", "rte"}:
        element.clear()
    elif tag == "name" and parent == "trk" and track is not None:
        track.name = track.name or _text(element)
    elif tag == "type" and parent == "trk" and track is not None:
        track.type = track.type or _text(element)
    elif tag == "name" and parent in {"gpx", "metadata"}:
        out.name = out.name or _text(element)


@dataclass
class _Reader:
    """Where the reader stands: the open elements, the track and segment being read."""

    out: _Gpx
    path: list[str] = field(default_factory=list)
    track: _Track | None = None
    segment: _Segment | None = None

    def start(self, tag: str, element: Element) -> None:
        if not self.path:
            self.out.creator = (element.get("creator") or "").strip() or None
        self.path.append(tag)
        if tag == "trk" and len(self.path) == 2:
            self.track = _Track()
            self.out.tracks.append(self.track)
        elif tag == "trkseg" and self.track is not None:
            self.segment = _Segment()
            self.track.segments.append(self.segment)

    def end(self, tag: str, element: Element) -> None:
        self.path.pop()
        if tag == "trkpt":
            if self.segment is not None:
                _add_point(element, self.segment)
            element.clear()
        elif tag == "trkseg":
            self.segment = None
        elif tag == "trk":
            self.track = None
        else:
            _end_of(tag, self.path[-1] if self.path else "", element, self.out, self.track)


def _read(data: bytes, out: _Gpx) -> str | None:
    """Fill `out` from the XML; return why reading broke off, or None when complete."""
    reader = _Reader(out)
    tags: dict[str, str] = {}
    try:
        for event, element in iter_events(data, "GPX", "gpx"):
            raw = element.tag
            tag = tags.get(raw)
            if tag is None:
                tag = tags[raw] = local_name(raw).lower()
            if event == "start":
                reader.start(tag, element)
            else:
                reader.end(tag, element)
    except MalformedXml as exc:
        if not any(s.timed for t in out.tracks for s in t.segments):
            raise
        return exc.message
    return None


@dataclass
class _Group:
    """Tracks that make one activity, with their timed segments."""

    tracks: list[_Track] = field(default_factory=list)
    segments: list[_Segment] = field(default_factory=list)
    first: float = 0.0
    last: float = 0.0


def _groups(out: _Gpx) -> tuple[list[_Group], int]:
    """Activities from the timed tracks, in time order, and the untimed points skipped."""
    timed: list[tuple[float, float, _Track, list[_Segment]]] = []
    skipped = 0
    for track in out.tracks:
        kept = [s for s in track.segments if s.timed]
        skipped += sum(len(s) for s in track.segments if not s.timed)
        times = [t for s in kept for t in s.columns["time"] if t is not None]
        if times:
            timed.append((min(times), max(times), track, kept))
    groups: list[_Group] = []
    for first, last, track, kept in sorted(timed, key=lambda item: item[0]):
        if not groups or first - groups[-1].last > SEPARATE_AFTER.total_seconds():
            groups.append(_Group(first=first, last=last))
        group = groups[-1]
        group.tracks.append(track)
        group.segments.extend(kept)
        group.last = max(group.last, last)
    return groups, skipped


def _track(segments: list[_Segment]) -> Track:
    columns: dict[str, list[float | None]] = {name: [] for name in _COLUMNS}
    numbers: list[int] = []
    for index, segment in enumerate(segments):
        for name in _COLUMNS:
            columns[name].extend(segment.columns[name])
        numbers.extend([index] * len(segment))
    return Track.of(
        time=column(columns.pop("time"), limit=2.0**33),
        segment=np.array(numbers, dtype=np.int64),
        **{name: column(values) for name, values in columns.items()},
    )


def _activity(out: _Gpx, group: _Group, notes: list[str], broken: str | None) -> Activity:
    track = _track(group.segments)
    start = datetime.fromtimestamp(group.first, UTC)
    steps = timed_steps(track)
    offsets = track.time - group.first
    hr = resample(offsets, track.hr)
    sport_text = next((t.type for t in group.tracks if t.type), None)
    return Activity(
        sport=sport_from_text(sport_text) or Sport.OTHER,
        start=start,
        elapsed_seconds=group.last - group.first,
        device=out.creator,
        name=next((t.name for t in group.tracks if t.name), None) or out.name,
        moving_seconds=moving_seconds(steps),
        distance_m=travelled_metres(track),
        elevation_gain_m=elevation_gain(track.time, track.altitude),
        avg_hr=hr.mean(),
        max_hr=hr.maximum(),
        avg_cadence=resample(offsets, track.cadence).mean(),
        partial=broken is not None,
        partial_reason=broken,
        source_format="gpx",
        heart_rate=hr.stream(),
        speed=resample(offsets, derived_speed(track, steps)).stream(),
        notes=tuple(notes),
        sport_source=sport_source([sport_text]),
    )


def _summarise(out: _Gpx, broken: str | None) -> list[Activity]:
    groups, skipped = _groups(out)
    if not groups:
        if skipped or out.route_points:
            raise ImportFailed(PLANNED_ROUTE)
        raise ImportFailed("GPX file holds no track points")
    notes: list[str] = []
    if skipped:
        notes.append(f"skipped {skipped} track points without timestamps (a planned route?)")
    if broken is not None:
        notes.insert(0, f"file breaks off: {broken}; kept the points read before it")
    last = len(groups) - 1
    return [
        _activity(out, group, notes, broken if index == last else None)
        for index, group in enumerate(groups)
    ]


def read_gpx(data: bytes, name: str = "") -> list[Activity]:
    """Read a GPX file's tracks: one Activity per activity (see `SEPARATE_AFTER`)."""
    out = _Gpx()
    try:
        broken = _read(data, out)
        return _summarise(out, broken)
    except ImportFailed:
        raise
    except Exception as exc:  # last resort: a user must never see a traceback
        raise ImportFailed(f"could not read GPX file ({type(exc).__name__})") from exc


def parse_gpx(data: bytes, name: str = "") -> Activity:
    """The one activity of a GPX file that holds exactly one."""
    found = read_gpx(data, name)
    if len(found) != 1:
        raise ImportFailed(f"the file holds {len(found)} activities, not one")
    return found[0]
