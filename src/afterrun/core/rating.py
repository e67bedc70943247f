"""How hard a run was: its load against the runner's own runs of the six weeks before it,
else fixed bands, with the model's source beside every rating.

Kept apart from `load.py` (TRIMP, fatigue, fitness, form) because `plan`, `go` and bare
`afterrun` rate the latest run on every start and need nothing else of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from afterrun.core.averages import median
from afterrun.core.intensity import Intensity

LoadMethod = Literal["trimp-stream", "trimp-average", "session-rpe", "none"]
RELATIVE_WINDOW_DAYS = 42
MIN_RUNS_FOR_RELATIVE = 5


@dataclass(frozen=True)
class RunLoad:
    """A run's load and how it was worked out."""

    value: float
    method: LoadMethod
    explanation: str


# -- how hard was it ------------------------------------------------------------

#: Relative bands: the run's load over the median of the runner's own recent runs.
RELATIVE_BANDS: tuple[tuple[float, Intensity], ...] = (
    (0.8, Intensity.EASY),
    (1.2, Intensity.MODERATE),
    (1.6, Intensity.HARD),
)
#: Absolute bands used until there is enough history, by method.
ABSOLUTE_BANDS: dict[str, tuple[tuple[float, Intensity], ...]] = {
    "trimp": ((40, Intensity.EASY), (80, Intensity.MODERATE), (150, Intensity.HARD)),
    "session-rpe": ((150, Intensity.EASY), (300, Intensity.MODERATE), (500, Intensity.HARD)),
}


@dataclass(frozen=True)
class Rating:
    intensity: Intensity
    explanation: str


def _band(value: float, bands: Sequence[tuple[float, Intensity]]) -> Intensity:
    for upper, intensity in bands:
        if value < upper:
            return intensity
    return Intensity.VERY_HARD


def _family(method: LoadMethod) -> str:
    return "trimp" if method.startswith("trimp") else method


#: Where each way of measuring a run's load comes from, shown beside every rating.
FAMILY_SOURCES: dict[str, tuple[str, str]] = {
    "trimp": ("TRIMP", "banister-1975"),
    "session-rpe": ("session RPE", "foster-2001"),
}


def _cited(family: str) -> str:
    # The sources' table loads when a rating is worded, not with every use of loads.
    from afterrun.core.sources import cite  # noqa: PLC0415

    name, key = FAMILY_SOURCES[family]
    return f"{name}: {cite(key)}"


def stored_run_load(value: float | None, method: str) -> RunLoad:
    """A stored load in the form the rating compares (none when it was not worked out)."""
    if method not in ("trimp-stream", "trimp-average", "session-rpe"):
        return RunLoad(0.0, "none", "")
    return RunLoad(value or 0.0, method, "")  # type: ignore[arg-type]


def rating_window(start: datetime) -> datetime:
    """The earliest start of a run that a run starting at `start` is rated against."""
    return start - timedelta(days=RELATIVE_WINDOW_DAYS)


def rate_among(
    run_id: int, start: datetime, load: RunLoad, runs: Iterable[tuple[int, datetime, RunLoad]]
) -> Rating:
    """Rate a run against the other `runs` (id, start, load) in the six weeks before it."""
    window_start = rating_window(start)
    history = [
        other for other_id, other_start, other in runs
        if other_id != run_id and window_start <= other_start < start
    ]  # fmt: skip
    return rate_intensity(load, history)


def _comparable(load: RunLoad, history: Sequence[RunLoad]) -> tuple[str, list[float]]:
    """The run's family (TRIMP or session RPE) and the loads of `history` in it."""
    family = _family(load.method)
    return family, [run.value for run in history if _family(run.method) == family and run.value > 0]


def intensity_among(load: RunLoad, history: Sequence[RunLoad]) -> Intensity:
    """`rate_intensity`'s intensity without its words: for a squad's hundreds of runs."""
    if load.method == "none":
        return Intensity.MODERATE
    family, comparable = _comparable(load, history)
    if len(comparable) >= MIN_RUNS_FOR_RELATIVE:
        return _band(load.value / median(comparable), RELATIVE_BANDS)
    return _band(load.value, ABSOLUTE_BANDS[family])


def rate_intensity(load: RunLoad, history: Sequence[RunLoad]) -> Rating:
    """Rate against the runner's own runs of the last six weeks, else absolute bands.

    `history` holds the loads of earlier runs in the window; only those worked
    out the same way (TRIMP or session RPE) are compared.
    """
    if load.method == "none":
        return Rating(Intensity.MODERATE, "no heart rate or RPE for this run: assumed moderate")
    family, comparable = _comparable(load, history)
    if len(comparable) >= MIN_RUNS_FOR_RELATIVE:
        typical = median(comparable)
        ratio = load.value / typical
        return Rating(
            _band(ratio, RELATIVE_BANDS),
            f"load {load.value:.0f} ({_cited(family)}), {ratio:.1f}x your median run of the "
            "last six weeks",
        )
    bands = ABSOLUTE_BANDS[family]
    limits = ", ".join(f"{intensity.label} < {upper:g}" for upper, intensity in bands)
    return Rating(
        _band(load.value, bands),
        f"load {load.value:.0f} ({_cited(family)}) on afterrun's fixed bands ({limits}); fewer "
        f"than {MIN_RUNS_FOR_RELATIVE} earlier runs to compare with",
    )
