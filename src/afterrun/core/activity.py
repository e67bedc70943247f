"""The one activity model every importer returns and every later stage reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Literal


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
    partial: bool = False
    source_format: str = ""
    heart_rate: Stream | None = None
    speed: Stream | None = None
    notes: tuple[str, ...] = field(default=())
    sport_source: SportSource = "file"
    #: What a guessed sport rests on ("pace and cadence"), or why none was guessed.
    sport_basis: str | None = None

    def __post_init__(self) -> None:
        if self.start.tzinfo is None:
            raise ValueError("activity start must be timezone-aware")

    @property
    def avg_pace_s_per_km(self) -> float | None:
        """Average pace over moving time when known, else elapsed time."""
        if not self.distance_m or self.distance_m <= 0:
            return None
        seconds = self.moving_seconds or self.elapsed_seconds
        return seconds / (self.distance_m / 1000.0)
