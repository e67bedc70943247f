"""The weekly report: runs, hard runs and their cool-downs, steps, soreness and load by week.

Weeks are ISO weeks (Monday to Sunday) in the runner's local time, so that a run on
Sunday evening counts in the week the runner lived it. `tz` is the runner's zone with
its daylight-saving rules, resolved at the edge (`afterrun.zones`).

Fatigue, fitness and form are the training-load model's values at the end of each
week (its last day, or today for the week in progress); the model's days are those
of `services.runs.training_load`.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from afterrun.core.averages import mean
from afterrun.core.errors import InvalidInput
from afterrun.core.intensity import Intensity
from afterrun.core.load import DayLoad
from afterrun.core.local_days import local_date, week_start
from afterrun.core.records import DONE_RULE, Outcome, SessionRecord, work_tally
from afterrun.core.red_flags import BY_SLUG, RANK

MIN_WEEKS = 1
MAX_WEEKS = 104
#: A cool-down counts for a run when it starts this soon after the run's end: "within about
#: an hour" is how the cool-down review describes one (Van Hooren & Peake 2018); no tighter
#: window is known to matter.
COOL_DOWN_WITHIN = timedelta(hours=1)
HARD = (Intensity.HARD, Intensity.VERY_HARD)
MODEL_NOTE = (
    "Training load, fatigue, fitness and form are models, not measurements: they estimate "
    "how much your training asked of you from heart rate or how hard you rated each run."
)


@dataclass(frozen=True)
class ReportRun:
    """A run as the report needs it: when it ran, for how long, and how hard it was."""

    id: int
    start: datetime
    elapsed_seconds: float
    intensity: Intensity

    @property
    def end(self) -> datetime:
        return self.start + timedelta(seconds=self.elapsed_seconds)


@dataclass(frozen=True)
class ReportCheckin:
    """A soreness check-in: each area's rating (0-10) and any red flags."""

    at: datetime
    ratings: Mapping[str, float]
    red_flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Soreness:
    """One area's check-in ratings in one week."""

    peak: float
    mean: float
    checkins: int


@dataclass(frozen=True)
class WeekRow:
    """Everything the report shows for one ISO week."""

    start: date
    partial: bool
    runs: int
    hard_runs: int
    hard_cooled_down: int
    sessions: int
    steps_done: int
    steps_skipped: int
    load: float
    fatigue: float | None
    fitness: float | None
    pains: Mapping[str, int] = field(default_factory=dict)
    soreness: Mapping[str, Soreness] = field(default_factory=dict)
    checkins: int = 0
    red_flags: int = 0
    #: Hard runs whose cool-down (started in time) was only partial: less than half of its
    #: planned work done (`records.DONE_SHARE`).
    hard_partial: int = 0

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)

    @property
    def label(self) -> str:
        year, week, _ = self.start.isocalendar()
        return f"{year}-W{week:02d}"

    @property
    def short_label(self) -> str:
        return f"W{self.start.isocalendar()[1]:02d}"

    @property
    def cool_down_share(self) -> float | None:
        """Share of this week's hard runs followed by a cool-down; None without hard runs."""
        return self.hard_cooled_down / self.hard_runs if self.hard_runs else None

    @property
    def form(self) -> float | None:
        if self.fatigue is None or self.fitness is None:
            return None
        return self.fitness - self.fatigue

    @property
    def shown_form(self) -> int | None:
        """Form as written beside whole-number fitness and fatigue: their difference, so that
        fitness 7 and fatigue 16 read as form -9 (not -8, from 7.4 - 15.5)."""
        if self.fatigue is None or self.fitness is None:
            return None
        return round(self.fitness) - round(self.fatigue)

    def to_json(self) -> dict[str, Any]:
        share = self.cool_down_share
        return {
            "week": self.label,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "in_progress": self.partial,
            "runs": self.runs,
            "hard_runs": self.hard_runs,
            "hard_runs_cooled_down": self.hard_cooled_down,
            "hard_runs_partial_cool_down": self.hard_partial,
            "cool_down_share": None if share is None else round(share, 3),
            "sessions": self.sessions,
            "steps_done": self.steps_done,
            "steps_skipped": self.steps_skipped,
            "load": round(self.load, 1),
            "fatigue": _rounded(self.fatigue),
            "fitness": _rounded(self.fitness),
            "form": _rounded(self.form),
            "pain_reports": dict(self.pains),
            "soreness": {
                area: {"peak": s.peak, "mean": round(s.mean, 1), "checkins": s.checkins}
                for area, s in self.soreness.items()
            },
            "checkins": self.checkins,
            "red_flags": self.red_flags,
        }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


@dataclass(frozen=True)
class WeeklyReport:
    """The weeks, oldest first, and the body areas that appear in any of them."""

    generated_at: datetime
    weeks: tuple[WeekRow, ...]
    areas: tuple[str, ...]
    checkins_supported: bool
    #: (when, flag slug) of warning signs reported in these weeks, most urgent rung first.
    warning_signs: tuple[tuple[datetime, str], ...] = ()

    @property
    def hard_runs(self) -> int:
        return sum(week.hard_runs for week in self.weeks)

    @property
    def hard_cooled_down(self) -> int:
        return sum(week.hard_cooled_down for week in self.weeks)

    @property
    def hard_partial(self) -> int:
        return sum(week.hard_partial for week in self.weeks)

    def to_json(self) -> dict[str, Any]:
        return {
            "generated_at": self.generated_at.astimezone(UTC).isoformat(),
            "weeks": [week.to_json() for week in self.weeks],
            "areas": list(self.areas),
            "checkins_supported": self.checkins_supported,
            "cool_down_within_minutes": int(COOL_DOWN_WITHIN.total_seconds() // 60),
            "cool_down_counts_when": DONE_RULE,
            "warning_signs": [
                {
                    "at": at.isoformat(),
                    "slug": slug,
                    "name": BY_SLUG[slug].name,
                    "level": BY_SLUG[slug].level.value,
                    "label": BY_SLUG[slug].rung.label,
                }
                for at, slug in self.warning_signs
            ],
            "note": MODEL_NOTE,
        }


def partial_text(count: int) -> str:
    """'1 more hard run had a partial cool-down (less than half of it done).'"""
    runs = "hard run" if count == 1 else "hard runs"
    return f"{count} more {runs} had a partial cool-down (less than half of it done)."


def check_weeks(weeks: int) -> int:
    if not MIN_WEEKS <= weeks <= MAX_WEEKS:
        raise InvalidInput.naming(
            f"{{weeks}} {weeks} is out of range: give {MIN_WEEKS} to {MAX_WEEKS} weeks."
        )
    return weeks


def first_week(now: datetime, weeks: int, tz: tzinfo) -> date:
    """The Monday that opens the report: `weeks` weeks back, the current one included."""
    return week_start(local_date(now, tz)) - timedelta(weeks=check_weeks(weeks) - 1)


def cool_down_after(run: ReportRun, sessions: Sequence[tuple[datetime, Outcome]]) -> Outcome:
    """What the sessions (`sessions` sorted by start) started within COOL_DOWN_WITHIN of the
    run's end add up to: "done" when one counts as a cool-down, else "partial" when one was
    partly done, else "not-done"."""
    end = run.end
    best: Outcome = "not-done"
    for start, outcome in sessions[bisect_left(sessions, (end,)) :]:
        if start - end > COOL_DOWN_WITHIN:
            break
        if outcome == "done":
            return "done"
        if outcome == "partial":
            best = "partial"
    return best


def _end_of_week(
    days: Sequence[DayLoad], day_keys: Sequence[date], last_day: date
) -> DayLoad | None:
    """The load model's row for `last_day` or the latest before it (`day_keys` in order)."""
    found = bisect_right(day_keys, last_day)
    return days[found - 1] if found else None


@dataclass
class _Tally:
    runs: int = 0
    hard_runs: int = 0
    hard_cooled_down: int = 0
    hard_partial: int = 0
    sessions: int = 0
    steps_done: int = 0
    steps_skipped: int = 0
    checkins: int = 0
    red_flags: int = 0


class _Weeks:
    """The report's weeks as they fill up: counts, loads, pains and ratings per week."""

    def __init__(self, now: datetime, weeks: int, tz: tzinfo) -> None:
        self.tz = tz
        first = first_week(now, weeks, tz)
        self.mondays = [first + timedelta(weeks=i) for i in range(weeks)]
        self.index = {monday: i for i, monday in enumerate(self.mondays)}
        self.counts = [_Tally() for _ in self.mondays]
        self.load_sums = [0.0] * weeks
        self.pains: list[dict[str, int]] = [{} for _ in self.mondays]
        self.ratings: list[dict[str, list[float]]] = [{} for _ in self.mondays]
        self.areas: set[str] = set()
        self.signs: list[tuple[datetime, str]] = []

    def slot(self, moment: datetime) -> int | None:
        return self.index.get(week_start(local_date(moment, self.tz)))

    def add_runs(
        self, runs: Sequence[ReportRun], sessions: Sequence[tuple[datetime, Outcome]]
    ) -> None:
        for run in runs:
            i = self.slot(run.start)
            if i is None:
                continue
            self.counts[i].runs += 1
            if run.intensity in HARD:
                self.counts[i].hard_runs += 1
                outcome = cool_down_after(run, sessions)
                if outcome == "done":
                    self.counts[i].hard_cooled_down += 1
                elif outcome == "partial":
                    self.counts[i].hard_partial += 1

    def add_loads(self, loads: Sequence[tuple[datetime, float]]) -> None:
        for start, value in loads:
            i = self.slot(start)
            if i is not None:
                self.load_sums[i] += value

    def add_sessions(self, sessions: Sequence[SessionRecord]) -> None:
        for record in sessions:
            i = self.slot(record.started_at)
            if i is not None:
                self.counts[i].sessions += 1
                tally = work_tally(record.steps)
                self.counts[i].steps_done += tally.done
                self.counts[i].steps_skipped += tally.skipped
            for pain in record.pains:
                j = self.slot(pain.at)
                if j is not None:
                    self.pains[j][pain.area] = self.pains[j].get(pain.area, 0) + 1
                    self.areas.add(pain.area)

    def add_checkins(self, checkins: Sequence[ReportCheckin]) -> None:
        for checkin in checkins:
            i = self.slot(checkin.at)
            if i is None:
                continue
            self.counts[i].checkins += 1
            self.counts[i].red_flags += len(checkin.red_flags)
            self.signs.extend((checkin.at, slug) for slug in checkin.red_flags if slug in BY_SLUG)
            for area, rating in checkin.ratings.items():
                self.ratings[i].setdefault(area, []).append(float(rating))
                self.areas.add(area)

    def rows(self, days: Sequence[DayLoad], today: date) -> list[WeekRow]:
        rows = []
        day_keys = [row.day for row in days]
        for i, monday in enumerate(self.mondays):
            last_day = min(monday + timedelta(days=6), today)
            model = _end_of_week(days, day_keys, last_day)
            counts = self.counts[i]
            rows.append(
                WeekRow(
                    start=monday,
                    partial=monday + timedelta(days=6) > today,
                    load=self.load_sums[i],
                    fatigue=None if model is None else model.fatigue,
                    fitness=None if model is None else model.fitness,
                    pains=dict(sorted(self.pains[i].items())),
                    soreness={
                        area: Soreness(max(values), mean(values), len(values))
                        for area, values in sorted(self.ratings[i].items())
                    },
                    runs=counts.runs,
                    hard_runs=counts.hard_runs,
                    hard_cooled_down=counts.hard_cooled_down,
                    hard_partial=counts.hard_partial,
                    sessions=counts.sessions,
                    steps_done=counts.steps_done,
                    steps_skipped=counts.steps_skipped,
                    checkins=counts.checkins,
                    red_flags=counts.red_flags,
                )
            )
        return rows


def weekly_report(
    *,
    now: datetime,
    weeks: int,
    tz: tzinfo,
    runs: Sequence[ReportRun],
    loads: Sequence[tuple[datetime, float]],
    sessions: Sequence[SessionRecord],
    days: Sequence[DayLoad],
    checkins: Sequence[ReportCheckin] = (),
    checkins_supported: bool = False,
) -> WeeklyReport:
    """Aggregate by local ISO week, oldest first, the current week last (in progress).

    `loads` holds every activity's start and load (all sports count towards load);
    `runs` only runs; `days` the load model's rows in date order.
    """
    table = _Weeks(now, weeks, tz)
    table.add_runs(
        runs, sorted((record.started_at, work_tally(record.steps).outcome) for record in sessions)
    )
    table.add_loads(loads)
    table.add_sessions(sessions)
    table.add_checkins(checkins)
    rows = table.rows(days, local_date(now, tz))
    signs, areas = table.signs, table.areas
    signs.sort(key=lambda sign: (RANK[sign[1]], sign[0]))
    generated = now.astimezone(tz)  # shown in the runner's zone
    return WeeklyReport(
        generated, tuple(rows), tuple(sorted(areas)), checkins_supported, tuple(signs)
    )
