"""The coach's roster: one row per athlete for the last seven days, from what each shares.

The week is the seven days before `now` (not the ISO week): a Monday-morning look at the
squad sees the weekend. Each group of columns comes from one thing an athlete can share,
and is None when they did not share it; the service never reads what was not shared.

- load and runs: the last hard run (when, how hard: the report's rating against the
  runner's own six weeks) and fatigue, fitness and form today (the report's numbers);
- cool-down adherence: how many of the week's hard runs a cool-down followed, by the
  report's rule (started within an hour of the run's end, at least half of it done);
- soreness and warning signs: red flags of the last seven days (most urgent first),
  soreness by area (the last seven days' mean rating against the seven before) and the
  days since the last check-in;
- gone quiet: no run and no check-in (of those shared) for seven days or more.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Literal

from afterrun.core.averages import mean
from afterrun.core.intensity import Intensity
from afterrun.core.records import Outcome
from afterrun.core.red_flags import most_urgent
from afterrun.core.report import HARD, ReportRun, cool_down_after
from afterrun.core.soreness import HURT_RATING, CheckIn, by_area, checkin_entries

WEEK = timedelta(days=7)
#: Check-ins read for the soreness trend: this week and the one before.
TREND_WINDOW = 2 * WEEK
QUIET_DAYS = 7
#: A change of the mean rating this large (0-10 scale) is rising or falling; afterrun's
#: own rule of thumb.
TREND_STEP = 1.0

Trend = Literal["rising", "falling", "steady"]


@dataclass(frozen=True)
class Shared:
    """Which of the three things this athlete shares with the coach."""

    load_and_runs: bool
    adherence: bool
    soreness_and_flags: bool


@dataclass(frozen=True)
class AthleteWeek:
    """What was read of one athlete: only what they share (empty otherwise).

    `runs` are the runs of the last seven days, rated; `sessions` the cool-downs that
    may follow them (start, outcome), by start; `model` the load model's (fatigue,
    fitness) today; `checkins` those of the last 14 days; the `last_*` times may be older.
    """

    athlete_id: int
    name: str
    zone: tzinfo
    shared: Shared
    runs: Sequence[ReportRun] = ()
    sessions: Sequence[tuple[datetime, Outcome]] = ()
    model: tuple[float, float] = (0.0, 0.0)
    checkins: Sequence[CheckIn] = ()
    last_activity: datetime | None = None
    last_checkin: datetime | None = None


@dataclass(frozen=True)
class HardRun:
    start: datetime
    intensity: Intensity


@dataclass(frozen=True)
class Adherence:
    """The week's hard runs and how many a cool-down followed (and the last one's)."""

    hard_runs: int
    cooled_down: int
    last: Outcome | None

    @property
    def skipped(self) -> int:
        return self.hard_runs - self.cooled_down


@dataclass(frozen=True)
class LoadNow:
    """Fatigue, fitness and form today, whole numbers as the report writes them."""

    fatigue: int
    fitness: int

    @property
    def form(self) -> int:
        return self.fitness - self.fatigue


@dataclass(frozen=True)
class RosterRow:
    athlete_id: int
    name: str
    zone: tzinfo
    #: Red flags of the last seven days, most urgent first (None: not shared).
    flags: tuple[str, ...] | None
    #: The week's last hard run, or None; `runs_shared` says whether it was shared.
    last_hard_run: HardRun | None
    runs_shared: bool
    adherence: Adherence | None
    #: Each area rated in the last 14 days, with its trend (None: not shared).
    soreness: dict[str, Trend] | None
    #: Whole days since the last check-in, -1 for never (None: not shared).
    days_since_checkin: int | None
    load: LoadNow | None
    #: Whole days since the last run or check-in shared, -1 for never.
    quiet_days: int

    @property
    def gone_quiet(self) -> bool:
        return self.quiet_days < 0 or self.quiet_days >= QUIET_DAYS

    @property
    def rising(self) -> tuple[str, ...]:
        return tuple(area for area, trend in (self.soreness or {}).items() if trend == "rising")


def _days(since: datetime | None, now: datetime) -> int:
    return -1 if since is None else max(0, (now - since).days)


def _flags(checkins: Sequence[CheckIn], now: datetime) -> tuple[str, ...]:
    recent = [slug for c in checkins if c.at > now - WEEK for slug in c.red_flags]
    return tuple(flag.slug for flag in most_urgent(recent))


def trend(ratings: Sequence[tuple[datetime, int]], now: datetime) -> Trend | None:
    """The last seven days' mean rating against the seven before: a change of TREND_STEP
    or more is rising or falling. An area rated only this week rises when it hurts
    (HURT_RATING up); one not rated this week has no trend (None)."""
    this_week = [r for at, r in ratings if at > now - WEEK]
    before = [r for at, r in ratings if now - TREND_WINDOW < at <= now - WEEK]
    if not this_week:
        return None
    latest = mean(this_week)
    if not before:
        return "rising" if latest >= HURT_RATING else "steady"
    change = latest - mean(before)
    if change >= TREND_STEP:
        return "rising"
    return "falling" if change <= -TREND_STEP else "steady"


def soreness_trends(checkins: Sequence[CheckIn], now: datetime) -> dict[str, Trend]:
    """Each area with a trend, in the body's order (core.soreness's areas)."""
    entries = [entry for i, c in enumerate(checkins) for entry in checkin_entries(i, c)]
    trends: dict[str, Trend] = {}
    for area, history in by_area(entries).items():
        found = trend([(e.at, e.rating) for e in history if e.rating is not None], now)
        if found is not None:
            trends[area] = found
    return trends


def _hard_runs(week: AthleteWeek, now: datetime) -> list[ReportRun]:
    runs = [run for run in week.runs if run.start > now - WEEK and run.intensity in HARD]
    return sorted(runs, key=lambda run: run.start)


def _adherence(
    hard: Sequence[ReportRun], sessions: Sequence[tuple[datetime, Outcome]]
) -> Adherence:
    ordered = sorted(sessions)
    outcomes = [cool_down_after(run, ordered) for run in hard]
    return Adherence(len(hard), outcomes.count("done"), outcomes[-1] if outcomes else None)


def _load(model: tuple[float, float]) -> LoadNow:
    fatigue, fitness = model
    return LoadNow(round(fatigue), round(fitness))


def roster_row(week: AthleteWeek, now: datetime) -> RosterRow:
    shared = week.shared
    hard = _hard_runs(week, now)
    last_signs = []
    if shared.load_and_runs or shared.adherence:
        last_signs.append(week.last_activity)
    if shared.soreness_and_flags:
        last_signs.append(week.last_checkin)
    known = [moment for moment in last_signs if moment is not None]
    return RosterRow(
        athlete_id=week.athlete_id,
        name=week.name,
        zone=week.zone,
        flags=_flags(week.checkins, now) if shared.soreness_and_flags else None,
        last_hard_run=(
            HardRun(hard[-1].start, hard[-1].intensity) if hard and shared.load_and_runs else None
        ),
        runs_shared=shared.load_and_runs,
        adherence=_adherence(hard, week.sessions) if shared.adherence else None,
        soreness=soreness_trends(week.checkins, now) if shared.soreness_and_flags else None,
        days_since_checkin=_days(week.last_checkin, now) if shared.soreness_and_flags else None,
        load=_load(week.model) if shared.load_and_runs else None,
        quiet_days=_days(max(known), now) if known else -1,
    )


# -- order --------------------------------------------------------------------------------


def triage_key(row: RosterRow) -> tuple[bool, bool, bool, str]:
    """Red flags first, then skipped cool-downs, then rising soreness, then by name."""
    return (
        not row.flags,
        not (row.adherence is not None and row.adherence.skipped > 0),
        not row.rising,
        row.name.casefold(),
    )


#: A column's value to sort by; None is "not shared" (always last).
_SORT_VALUES: dict[str, Callable[[RosterRow], float | str | None]] = {
    "name": lambda row: row.name.casefold(),
    "flags": lambda row: None if row.flags is None else len(row.flags),
    "hard_run": lambda row: (
        None
        if not row.runs_shared
        else (row.last_hard_run.start.timestamp() if row.last_hard_run else 0.0)
    ),
    "cool_down": lambda row: (
        None if row.adherence is None else row.adherence.skipped - row.adherence.cooled_down / 100
    ),
    "soreness": lambda row: None if row.soreness is None else len(row.rising),
    "checkin": lambda row: (
        None
        if row.days_since_checkin is None
        else (10_000 if row.days_since_checkin < 0 else row.days_since_checkin)
    ),
    "fatigue": lambda row: None if row.load is None else row.load.fatigue,
    "fitness": lambda row: None if row.load is None else row.load.fitness,
    "form": lambda row: None if row.load is None else row.load.form,
    "quiet": lambda row: 10_000 if row.quiet_days < 0 else row.quiet_days,
}
SORT_KEYS = tuple(_SORT_VALUES)


def sort_value(row: RosterRow, column: str) -> float | str | None:
    return _SORT_VALUES[column](row)


def ordered(rows: Sequence[RosterRow], sort: str | None = None) -> list[RosterRow]:
    """The triage order, or by one column (`-column`: largest first); athletes whose
    column is not shared come last either way, in triage order."""
    triaged = sorted(rows, key=triage_key)
    if not sort:
        return triaged
    descending = sort.startswith("-")
    column = sort.lstrip("-")
    shown = [row for row in triaged if sort_value(row, column) is not None]
    hidden = [row for row in triaged if sort_value(row, column) is None]
    shown.sort(key=lambda row: sort_value(row, column), reverse=descending)  # type: ignore[arg-type,return-value]
    return shown + hidden
