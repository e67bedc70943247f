"""GPX tracks (Strava, Garmin Connect, phone apps, GPSBabel) by a streaming defusedxml reader.

Decisions:

* Only `<trk>` points count; routes and waypoints are plans, not recordings.
  A track segment with no timestamp at all is skipped with a note (GPSBabel
  mixes planned tracks into logs); a file whose points carry no time is refused.
* Distance is the haversine sum within each segment (no distance is invented
  across a break between segments); elapsed time runs from the first to the last
  timestamp; moving time sums the steps between timed points whose speed is at
  least 0.5 m/s (`_util.MOVING_SPEED_THRESHOLD`).
* Elevation gain uses a 3 m dead band (`_util.elevation_gain`) so GPS altitude
  jitter does not pile up into phantom climbing.
* Heart rate, cadence and speed are read from any extension by local name, so
  Garmin TrackPointExtension v1/v2 (`gpxtpx:hr`, `gpxtpx:cad`), `ns3:hr`,
  cluetrust `gpxdata:hr`/`gpxdata:cadence`, plain `<hr>`, `<heartrate>` all work.
* Sport comes from the first track's `<type>` ("running", "Run", "9", ...).
  A GPX without a type is recorded as OTHER with a note, not guessed as a run:
  GPX is also what bike computers and hiking apps export, and a wrong "running"
  would size a cool-down to an effort that never happened.
* If the XML breaks off after some points (a crashed app, a cut download) the
  points read so far are kept and the activity is marked partial.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from afterrun.core.activity import Activity, Sport
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
)
from afterrun.importers.safexml import MalformedXml, iter_events, local_name

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

_HR_NAMES = frozenset({"hr", "heartrate", "heart_rate", "heartratebpm", "pulse"})
_CADENCE_NAMES = frozenset({"cad", "cadence", "runcadence", "bikecadence"})
_SPEED_NAMES = frozenset({"speed"})


@dataclass
class _Point:
    time: datetime | None
    lat: float
    lon: float
    ele: float | None
    hr: float | None
    cadence: float | None
    speed: float | None


@dataclass
class _Track:
    name: str | None = None
    type: str | None = None
    segments: list[list[_Point]] = field(default_factory=list)


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


def _point(element: Element) -> _Point | None:
    lat = number(element.get("lat"))
    lon = number(element.get("lon"))
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    when: datetime | None = None
    ele: float | None = None
    hr: float | None = None
    cadence: float | None = None
    speed: float | None = None
    for child in element:
        tag = local_name(child.tag).lower()
        if tag == "time":
            when = parse_time(_text(child))
        elif tag == "ele":
            ele = number(_text(child))
        elif tag == "extensions":
            for item in child.iter():
                name = local_name(item.tag).lower()
                if name in _HR_NAMES and hr is None:
                    hr = heart_rate(_extension_value(item))
                elif name in _CADENCE_NAMES and cadence is None:
                    cadence = number(_extension_value(item))
                elif name in _SPEED_NAMES and speed is None:
                    speed = number(_text(item))
    return _Point(when, lat, lon, ele, hr, cadence, speed)


def _read(data: bytes, out: _Gpx) -> str | None:
    """Fill `out` from the XML; return why reading broke off, or None when complete."""
    path: list[str] = []
    track: _Track | None = None
    segment: list[_Point] | None = None
    try:
        for event, element in iter_events(data, "GPX"):
            tag = local_name(element.tag).lower()
            if event == "start":
                if not path and tag != "gpx":
                    raise ImportFailed(f"not a GPX file (the document is <{tag}>, not <gpx>)")
                if not path:
                    out.creator = (element.get("creator") or "").strip() or None
                path.append(tag)
                if tag == "trk" and len(path) == 2:
                    track = _Track()
                    out.tracks.append(track)
                elif tag == "trkseg" and track is not None:
                    segment = []
                    track.segments.append(segment)
                continue
            path.pop()
            parent = path[-1] if path else ""
            if tag == "trkpt" and segment is not None:
                point = _point(element)
                if point is not None:
                    segment.append(point)
                element.clear()
            elif tag == "rtept":
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
            elif tag == "trkseg":
                segment = None
            elif tag == "trk":
                track = None
    except MalformedXml as exc:
        if not any(p.time for t in out.tracks for s in t.segments for p in s):
            raise
        return exc.message
    return None


def _summarise(out: _Gpx, broken: str | None) -> Activity:
    notes: list[str] = []
    if broken is not None:
        notes.append(f"file breaks off: {broken}; kept the points read before it")
    timed_tracks: list[_Track] = []
    segments: list[list[_Point]] = []
    skipped = 0
    for track in out.tracks:
        kept = []
        for segment in track.segments:
            if any(p.time is not None for p in segment):
                kept.append(segment)
            else:
                skipped += len(segment)
        if kept:
            timed_tracks.append(track)
            segments.extend(kept)
    if skipped:
        notes.append(f"skipped {skipped} track points without timestamps (a planned route?)")
    if not segments:
        if skipped or out.route_points:
            raise ImportFailed(PLANNED_ROUTE)
        raise ImportFailed("GPX file holds no track points")

    times = [p.time for s in segments for p in s if p.time is not None]
    start = min(times)
    elapsed = (max(times) - start).total_seconds()

    distance = 0.0
    steps: list[tuple[float, float]] = []
    hr_samples: list[tuple[float, float | None]] = []
    cadence_samples: list[tuple[float, float | None]] = []
    speed_samples: list[tuple[float, float | None]] = []
    for segment in segments:
        previous: _Point | None = None
        last_timed: _Point | None = None
        since_timed = 0.0
        for point in segment:
            if previous is not None:
                step = haversine_m(previous.lat, previous.lon, point.lat, point.lon)
                distance += step
                since_timed += step
            previous = point
            if point.time is None:
                continue
            offset = (point.time - start).total_seconds()
            hr_samples.append((offset, point.hr))
            cadence_samples.append((offset, point.cadence))
            speed = point.speed
            if last_timed is not None and last_timed.time is not None:
                seconds = (point.time - last_timed.time).total_seconds()
                steps.append((seconds, since_timed))
                if speed is None and seconds > 0:
                    speed = since_timed / seconds
            speed_samples.append((offset, speed))
            last_timed = point
            since_timed = 0.0

    hr_stream = streams.resample(hr_samples)
    cadence_stream = streams.resample(cadence_samples)
    sport_text = next((t.type for t in timed_tracks if t.type), None)
    sport = sport_from_text(sport_text) or Sport.OTHER
    name = next((t.name for t in timed_tracks if t.name), None) or out.name
    return Activity(
        sport=sport,
        start=start,
        elapsed_seconds=elapsed,
        device=out.creator,
        name=name,
        moving_seconds=moving_seconds(steps),
        distance_m=distance,
        elevation_gain_m=elevation_gain(
            (_offset(p.time, start), p.ele) for s in segments for p in s
        ),
        avg_hr=streams.time_weighted_mean(hr_stream),
        max_hr=streams.maximum(hr_stream),
        avg_cadence=streams.time_weighted_mean(cadence_stream),
        partial=broken is not None,
        partial_reason=broken,
        source_format="gpx",
        heart_rate=hr_stream,
        speed=streams.resample(speed_samples),
        notes=tuple(notes),
        sport_source=sport_source([sport_text]),
    )


def _offset(moment: datetime | None, start: datetime) -> float | None:
    return None if moment is None else (moment - start).total_seconds()


def read_gpx(data: bytes, name: str = "") -> list[Activity]:
    """Read a GPX file's tracks: one Activity."""
    out = _Gpx()
    try:
        broken = _read(data, out)
        return [_summarise(out, broken)]
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
