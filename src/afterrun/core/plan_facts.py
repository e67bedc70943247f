"""The few stored facts a plan, the runner's latest run and the warning signs above them
depend on: read by the store's usual path or by a quick one (`quick_read.py`), and
worked out in one place (`services/planning.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from afterrun.core.rating import RunLoad
from afterrun.core.soreness import CheckIn

#: A run older than this does not describe the run the runner is cooling down from now.
RECENT_RUN_HOURS = 12


def ended_recently(end: datetime, now: datetime) -> bool:
    """Whether a run that ended at `end` can describe the run being cooled down from."""
    return now - end <= timedelta(hours=RECENT_RUN_HOURS)


#: After a day the advice timeline's first lines (cool-down, fluids, food) are long past:
#: the advice for an older run is shown as it applied after that run (times counted from
#: its end, the training-load model as it stood then), never hour by hour as if for today.
STALE_AFTER = timedelta(hours=24)


def is_stale(run_end: datetime, now: datetime) -> bool:
    """Whether a run ended too long ago for its advice to be shown hour by hour."""
    return now - run_end > STALE_AFTER


@dataclass(frozen=True)
class RunFacts:
    """A stored run as the plan and bare `afterrun` show it."""

    id: int
    start: datetime
    elapsed_seconds: float
    moving_seconds: float | None
    distance_m: float | None
    load: RunLoad


@dataclass(frozen=True)
class PlanFacts:
    zone: tzinfo
    #: The latest run (or multisport activity with a running leg), or None.
    latest_run: RunFacts | None
    #: Such runs as (id, start, load) from the latest back to `rating.rating_window` of it:
    #: the ones the latest is rated against.
    runs: tuple[tuple[int, datetime, RunLoad], ...]
    #: Check-ins of the soreness window (`core.soreness.WINDOW`), with their ids.
    checkins: tuple[tuple[int, CheckIn], ...]
    #: 'It hurts' in cool-downs of the same window: (session id, area, time).
    pains: tuple[tuple[int, str, datetime], ...]
    #: When a clinician last saw the runner about warning signs, if ever.
    cleared_at: datetime | None
