"""Reading a TCX file's XML: activities, legs, laps and trackpoints, as read.

`read_flat` reads end events only (enough for files without a multisport session,
about half the work); `read_full` reads start and end events. Trackpoints are kept as
their texts and turned into numbers column by column (`Points.columns`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

import numpy as np

from afterrun.importers._util import heart_rate, number, parse_time
from afterrun.importers.safexml import MalformedXml, iter_events, local_name
from afterrun.importers.track import Column, column, plausible_heart_rate

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element


@dataclass
class Lap:
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
POINT_COLUMNS = ("time", "lat", "lon", "altitude", "distance", "hr", "cadence", "speed")
_POINT_TEXTS = tuple(dict.fromkeys(_POINT_FIELDS.values()))


def _numbers(texts: list[str | None]) -> Column:
    """Numbers from element texts at once; a text that is no number counts as missing."""
    try:
        return column([text if text is not None else "nan" for text in texts])
    except (ValueError, TypeError):
        return column([number(text) for text in texts])


@dataclass
class Points:
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
        """The points with a time, as numeric columns (`POINT_COLUMNS`); time in Unix seconds."""
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
class TcxLeg:
    """One `Activity` element, or one transition of a multisport session."""

    sport_text: str | None
    transition: bool = False
    started: datetime | None = None  # the activity's Id
    device: str | None = None
    laps: list[Lap] = field(default_factory=list)
    points: Points = field(default_factory=Points)


@dataclass
class TcxFile:
    #: One list of parts per activity: a single `Activity`, or a multisport session.
    activities: list[list[TcxLeg]] = field(default_factory=list)
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


def _lap(element: Element) -> Lap:
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
    return Lap(
        start=parse_time(element.get("StartTime")),
        seconds=_amount(element, "TotalTimeSeconds"),
        distance=_amount(element, "DistanceMeters"),
        avg_hr=heart_rate(_value(element, "AverageHeartRateBpm", "Value")),
        max_hr=heart_rate(_value(element, "MaximumHeartRateBpm", "Value")),
        cadence=cadence,
    )


_ROOT = "TrainingCenterDatabase"


def read_flat(data: bytes, out: TcxFile) -> None:
    """Fill `out` from a file without a multisport session, reading end events only
    (half the events of `read_full`); MalformedXml when it breaks off."""
    points = Points()
    laps: list[Lap] = []
    point_names: dict[str, str] = {}
    tags: dict[str, str] = {}
    for _, element in iter_events(data, "TCX", _ROOT, events=("end",)):
        raw = element.tag
        tag = tags.get(raw)
        if tag is None:
            tag = tags[raw] = local_name(raw)
        if tag == "Trackpoint":
            points.add(element, point_names)
        elif tag == "Lap":
            laps.append(_lap(element))
        elif tag == "Activity":
            part = TcxLeg(sport_text=element.get("Sport"), laps=laps, points=points)
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
            points, laps = Points(), []


@dataclass
class _Full:
    """Where the full reader stands: the open elements, the leg being read."""

    out: TcxFile
    path: list[str] = field(default_factory=list)
    leg: TcxLeg | None = None
    in_multisport: bool = False
    point_names: dict[str, str] = field(default_factory=dict)

    def start(self, tag: str, element: Element) -> None:
        self.path.append(tag)
        activities = self.out.activities
        if tag == "MultiSportSession":
            self.in_multisport = True
            activities.append([])
        elif tag == "Activity" and (self.in_multisport or "Activities" in self.path):
            self.leg = TcxLeg(sport_text=element.get("Sport"))
            if self.in_multisport:
                activities[-1].append(self.leg)
            else:
                activities.append([self.leg])
        elif tag == "Transition" and self.in_multisport:
            self.leg = TcxLeg(sport_text="transition", transition=True)
            activities[-1].append(self.leg)

    def end(self, tag: str, element: Element) -> None:
        self.path.pop()
        parent = self.path[-1] if self.path else ""
        leg = self.leg
        if tag in _CLEARED:
            if tag == "Trackpoint" and leg is not None:
                leg.points.add(element, self.point_names)
            elif tag in {"Lap", "Transition"} and leg is not None:
                leg.laps.append(_lap(element))
            self.out.courses += tag == "Course"
            self.out.workouts += tag == "Workout"
            if tag in {"Transition", "Activity"}:
                self.leg = None
            element.clear()
        elif leg is not None and tag == "Id" and parent == "Activity":
            leg.started = parse_time(element.text)
        elif leg is not None and tag == "Name" and parent == "Creator":
            leg.device = leg.device or (element.text or "").strip() or None
        elif tag == "MultiSportSession":
            self.in_multisport = False


#: Elements whose content is read and then dropped, to keep memory flat.
_CLEARED = frozenset({"Trackpoint", "Lap", "Transition", "Activity", "Course", "Workout"})


def read_full(data: bytes, out: TcxFile) -> str | None:
    """Fill `out` from start and end events (multisport sessions need both); return why
    reading broke off, or None when complete."""
    reader = _Full(out)
    tags: dict[str, str] = {}
    try:
        for event, element in iter_events(data, "TCX", _ROOT):
            raw = element.tag
            tag = tags.get(raw)
            if tag is None:
                tag = tags[raw] = local_name(raw)
            if event == "start":
                reader.start(tag, element)
            else:
                reader.end(tag, element)
    except MalformedXml as exc:
        if not any(leg.points or leg.laps for legs in out.activities for leg in legs):
            raise
        return exc.message
    return None
