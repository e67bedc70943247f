"""The one activity model every importer returns and every later stage reads."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Literal, NamedTuple


class Sport(StrEnum):
    RUNNING = "running"
    CYCLING = "cycling"
    SWIMMING = "swimming"
    WALKING = "walking"
    HIKING = "hiking"
    CROSS_COUNTRY_SKIING = "cross-country-skiing"
    MULTISPORT = "multisport"
    OTHER = "other"


#: Where an activity's sport came from: the file (or its export's index), nowhere (the file
#: names none and no guess was safe), a guess from the data, or the runner's correction.
SportSource = Literal["file", "unstated", "guessed", "runner"]
SPORT_SOURCES: tuple[SportSource, ...] = ("file", "unstated", "guessed", "runner")


@dataclass(frozen=True)
class Stream:
    """A per-second series sampled at whole seconds from the activity start.

    `values[i]` is the value at second `offsets[i]`; None marks a gap.
    """

    offsets: tuple[int, ...]
    values: tuple[float | None, ...]

    def __post_init__(self) -> None:
        if len(self.offsets) != len(self.values):
            raise ValueError("offsets and values differ in length")


@dataclass(frozen=True)
class Part:
    """One leg of a multisport activity (a swim, a ride, a run or a transition)."""

    sport: Sport
    start: datetime
    elapsed_seconds: float
    moving_seconds: float | None = None
    distance_m: float | None = None
    avg_hr: float | None = None
    max_hr: float | None = None
    transition: bool = False

    def to_json(self) -> dict[str, object]:
        return {
            "sport": "transition" if self.transition else self.sport.value,
            "start": self.start.isoformat(),
            "elapsed_seconds": self.elapsed_seconds,
            "moving_seconds": self.moving_seconds,
            "distance_m": self.distance_m,
            "avg_hr": self.avg_hr,
            "max_hr": self.max_hr,
        }

    @classmethod
    def from_json(cls, item: Mapping[str, object]) -> Part:
        """The leg `to_json` wrote (stored or exported); ValueError if its start is no date."""

        def number(value: object) -> float | None:
            if isinstance(value, bool) or not isinstance(value, int | float):
                return None
            return float(value)

        kind = str(item.get("sport"))
        start = datetime.fromisoformat(str(item.get("start")))
        try:
            sport = Sport.OTHER if kind == "transition" else Sport(kind)
        except ValueError:
            sport = Sport.OTHER
        return cls(
            sport=sport,
            start=start if start.tzinfo else start.replace(tzinfo=UTC),
            elapsed_seconds=number(item.get("elapsed_seconds")) or 0.0,
            moving_seconds=number(item.get("moving_seconds")),
            distance_m=number(item.get("distance_m")),
            avg_hr=number(item.get("avg_hr")),
            max_hr=number(item.get("max_hr")),
            transition=kind == "transition",
        )


@dataclass(frozen=True)
class Activity:
    """One recorded activity, whatever file or app it came from.

    Times are timezone-aware UTC. Distances in metres, durations in seconds,
    speeds in metres per second, heart rate in beats per minute.
    """

    sport: Sport
    start: datetime
    elapsed_seconds: float
    sub_sport: str | None = None
    device: str | None = None
    name: str | None = None
    moving_seconds: float | None = None
    distance_m: float | None = None
    elevation_gain_m: float | None = None
    avg_hr: float | None = None
    max_hr: float | None = None
    avg_cadence: float | None = None
    rpe: float | None = None
    #: The file broke off: what was read before the break is kept.
    partial: bool = False
    #: Why the file is partial, as one line (set with `partial` by the importer).
    partial_reason: str | None = None
    #: The file's own summary contradicted its records and was corrected (see notes).
    corrected: bool = False
    source_format: str = ""
    heart_rate: Stream | None = None
    speed: Stream | None = None
    notes: tuple[str, ...] = field(default=())
    sport_source: SportSource = "file"
    #: What a guessed sport rests on ("pace and cadence"), or why none was guessed.
    sport_basis: str | None = None
    #: The legs of a multisport activity, in order (empty for a single-sport one).
    parts: tuple[Part, ...] = field(default=())

    def __post_init__(self) -> None:
        if self.start.tzinfo is None:
            raise ValueError("activity start must be timezone-aware")

    @property
    def end(self) -> datetime:
        """When the activity ended: its start plus its elapsed time."""
        return self.start + timedelta(seconds=self.elapsed_seconds)

    @property
    def running_part(self) -> Part | None:
        """The longest running leg of a multisport activity, if it has one."""
        runs = [p for p in self.parts if p.sport is Sport.RUNNING and not p.transition]
        return max(runs, key=lambda p: p.elapsed_seconds) if runs else None

    @property
    def avg_pace_s_per_km(self) -> float | None:
        """Average pace over moving time when known, else elapsed time."""
        if not self.distance_m or self.distance_m <= 0:
            return None
        seconds = self.moving_seconds or self.elapsed_seconds
        return seconds / (self.distance_m / 1000.0)


def _samples(stream: Stream | None) -> int:
    return len(stream.offsets) if stream is not None else 0


def richer_reason(new: Activity, stored: Activity) -> str | None:
    """Why `new`, another recording of the run `stored`, should replace it; None if not.

    A copy wins when it carries what the stored one lacks: heart rate, a speed stream,
    or clearly more records (half as many again). A partial copy never replaces a
    complete one.
    """
    if new.partial and not stored.partial:
        return None
    if (new.heart_rate is not None or new.avg_hr is not None) and (
        stored.heart_rate is None and stored.avg_hr is None
    ):
        return "this copy has heart rate"
    if new.speed is not None and stored.speed is None:
        return "this copy has the speed over time"
    if (
        _samples(new.heart_rate) + _samples(new.speed)
        > 1.5 * (_samples(stored.heart_rate) + _samples(stored.speed))
        and _samples(stored.heart_rate) + _samples(stored.speed) > 0
    ):
        return "this copy has more records"
    if stored.partial and not new.partial:
        return "this copy is complete"
    return None


class ActivityLoad(NamedTuple):
    """A stored activity as training load and run ratings see it: when, how long, how hard
    it felt and its load. What a report reads for every activity in the history, so it is
    read without streams, legs or notes (a tuple: thousands are made at once)."""

    id: int
    sport: Sport
    includes_run: bool
    start: datetime
    elapsed_seconds: float
    moving_seconds: float | None
    rpe: float | None
    load: float | None
    load_method: str
