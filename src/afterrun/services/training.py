"""Training load and run ratings over a history already read: what the report, the
advice and a run's rating share. Pure functions of `ActivityLoad` rows, kept apart from
`services.runs` so that reading a report loads nothing a run's editing needs."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, TypeVar

from afterrun.core.activity import ActivityLoad, Sport
from afterrun.core.load import (
    DayLoad,
    LoadScale,
    daily_loads,
    load_ratio,
    on_trimp_scale,
    rpe_scale,
    session_rpe,
)
from afterrun.core.rating import (
    RELATIVE_WINDOW_DAYS,
    Rating,
    RunLoad,
    intensity_among,
    rate_intensity,
    stored_run_load,
)

if TYPE_CHECKING:
    from afterrun.core.intensity import Intensity
    from afterrun.store.activities import StoredActivity

_T = TypeVar("_T")


def load_entry(stored: StoredActivity | ActivityLoad) -> ActivityLoad:
    """An activity as its load and rating see it."""
    if isinstance(stored, ActivityLoad):
        return stored
    a = stored.activity
    return ActivityLoad(
        stored.id,
        a.sport,
        a.sport is Sport.RUNNING or a.running_part is not None,
        a.start,
        a.elapsed_seconds,
        a.moving_seconds,
        a.rpe,
        stored.load,
        stored.load_method,
    )


def run_load(stored: StoredActivity | ActivityLoad) -> RunLoad:
    """The stored load in the form the rating compares."""
    return stored_run_load(stored.load, stored.load_method)


def rate_runs(
    runs: Sequence[StoredActivity | ActivityLoad],
    every_run: Sequence[StoredActivity | ActivityLoad],
) -> dict[int, Rating]:
    """Rate each run against the runner's own runs (from `every_run`) in the six weeks before it.

    Taking the list once lets a report rate hundreds of runs without reading them again;
    sorted by start, each run's six weeks are found by bisection.
    """
    return _each_rated(runs, every_run, rate_intensity)


def run_intensities(
    runs: Sequence[StoredActivity | ActivityLoad],
    every_run: Sequence[StoredActivity | ActivityLoad],
) -> dict[int, Intensity]:
    """`rate_runs`' intensities alone, without the words of each rating."""
    return _each_rated(runs, every_run, intensity_among)


def _each_rated(
    runs: Sequence[StoredActivity | ActivityLoad],
    every_run: Sequence[StoredActivity | ActivityLoad],
    rate: Callable[[RunLoad, list[RunLoad]], _T],
) -> dict[int, _T]:
    history = sorted((load_entry(other) for other in every_run), key=lambda e: e.start)
    starts = [entry.start for entry in history]
    loads = [(entry.id, run_load(entry)) for entry in history]
    window = timedelta(days=RELATIVE_WINDOW_DAYS)
    ratings = {}
    for run in map(load_entry, runs):
        first = bisect_left(starts, run.start - window)
        last = bisect_left(starts, run.start)
        earlier = [load for other, load in loads[first:last] if other != run.id]
        ratings[run.id] = rate(run_load(run), earlier)
    return ratings


@dataclass(frozen=True)
class TrainingLoad:
    days: list[DayLoad]
    ratio: float | None
    scale: LoadScale
    #: Whether any load was a session RPE, so that the scale matters and is worth saying.
    uses_rpe: bool = False

    @property
    def explanation(self) -> str | None:
        return self.scale.explanation() if self.uses_rpe else None


def load_scale(activities: Sequence[ActivityLoad]) -> LoadScale:
    """The runner's TRIMP per session-RPE unit, from activities with an RPE and a HR TRIMP."""
    pairs = []
    for entry in activities:
        srpe = session_rpe(entry)
        if srpe is not None and entry.load and entry.load_method.startswith("trimp"):
            pairs.append((srpe, entry.load))
    return rpe_scale(pairs)


def scaled_loads(
    activities: Sequence[ActivityLoad], scale: LoadScale
) -> list[tuple[datetime, float]]:
    """(start, load on the TRIMP scale) of every activity with a load."""
    return [
        (entry.start, on_trimp_scale(entry.load, entry.load_method, scale))
        for entry in activities
        if entry.load is not None
    ]


def load_of(everything: Sequence[ActivityLoad], now: datetime, zone: tzinfo) -> TrainingLoad:
    """`training_load` of activities already read."""
    scale = load_scale(everything)
    loads = [
        (start.astimezone(zone).date(), value) for start, value in scaled_loads(everything, scale)
    ]
    days = daily_loads(loads, now.astimezone(zone).date())
    uses_rpe = any(entry.load_method == "session-rpe" for entry in everything)
    return TrainingLoad(days, load_ratio(days), scale, uses_rpe)
