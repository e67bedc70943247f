"""The roster in words: one text per column for the coach's page and the CSV file, so the
two never disagree. A column the athlete did not share reads "not shared"."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from afterrun.core.body import area_name
from afterrun.core.records import OUTCOME_WORDS
from afterrun.core.red_flags import BY_SLUG
from afterrun.core.roster import QUIET_DAYS, RosterRow, sort_value
from afterrun.core.time_text import stamp, when_text

NOT_SHARED = "not shared"


@dataclass(frozen=True)
class Column:
    header: str
    #: The `?sort=` key (core.roster.SORT_KEYS) that orders by this column.
    sort: str
    text: Callable[[RosterRow, datetime, bool], str]


def _flags(row: RosterRow, _now: datetime, _csv: bool) -> str:
    if row.flags is None:
        return NOT_SHARED
    if not row.flags:
        return "none"
    return "; ".join(f"{BY_SLUG[s].rung.label}: {BY_SLUG[s].name}" for s in row.flags)


def _last_hard(row: RosterRow, now: datetime, for_csv: bool) -> str:
    if not row.runs_shared:
        return NOT_SHARED
    run = row.last_hard_run
    if run is None:
        return "none this week"
    return stamp(run.start, row.zone) if for_csv else when_text(run.start, row.zone, now)


def _how_hard(row: RosterRow, _now: datetime, _csv: bool) -> str:
    if not row.runs_shared:
        return NOT_SHARED
    return "-" if row.last_hard_run is None else row.last_hard_run.intensity.label


def _cool_down(row: RosterRow, _now: datetime, _csv: bool) -> str:
    if row.adherence is None:
        return NOT_SHARED
    last = row.adherence.last
    return "no hard run" if last is None else OUTCOME_WORDS[last]


def _cooled(row: RosterRow, _now: datetime, _csv: bool) -> str:
    if row.adherence is None:
        return NOT_SHARED
    if not row.adherence.hard_runs:
        return "no hard runs"
    return f"{row.adherence.cooled_down} of {row.adherence.hard_runs}"


def _soreness(row: RosterRow, _now: datetime, _csv: bool) -> str:
    if row.soreness is None:
        return NOT_SHARED
    if not row.soreness:
        return "none rated"
    # Rising first: what the coach looks for.
    order = {"rising": 0, "steady": 1, "falling": 2}
    areas = sorted(row.soreness.items(), key=lambda item: order[item[1]])
    return ", ".join(f"{area_name(area)} {trend}" for area, trend in areas)


def _checkin(row: RosterRow, _now: datetime, _csv: bool) -> str:
    days = row.days_since_checkin
    if days is None:
        return NOT_SHARED
    return "never" if days < 0 else str(days)


def _number(pick: Callable[[RosterRow], int | None], signed: bool = False) -> Callable[..., str]:
    def text(row: RosterRow, _now: datetime, _csv: bool) -> str:
        if row.load is None:
            return NOT_SHARED
        value = pick(row)
        return "-" if value is None else (f"{value:+d}" if signed else str(value))

    return text


def _quiet(row: RosterRow, _now: datetime, _csv: bool) -> str:
    if row.quiet_days < 0:
        return "yes (nothing shared yet)"
    if row.quiet_days >= QUIET_DAYS:
        return f"yes ({row.quiet_days} days)"
    return "no"


COLUMNS: tuple[Column, ...] = (
    Column("Athlete", "name", lambda row, _now, _csv: row.name),
    Column("Red flags (7 days)", "flags", _flags),
    Column("Last hard run", "hard_run", _last_hard),
    Column("How hard", "hard_run", _how_hard),
    Column("Cool-down after it", "cool_down", _cool_down),
    Column("Hard runs cooled down (7 days)", "cool_down", _cooled),
    Column("Soreness trend", "soreness", _soreness),
    Column("Days since check-in", "checkin", _checkin),
    Column(
        "Fatigue", "fatigue", _number(lambda row: None if row.load is None else row.load.fatigue)
    ),
    Column(
        "Fitness", "fitness", _number(lambda row: None if row.load is None else row.load.fitness)
    ),
    Column(
        "Form",
        "form",
        _number(lambda row: None if row.load is None else row.load.form, signed=True),
    ),
    Column("Gone quiet", "quiet", _quiet),
)


@dataclass(frozen=True)
class Cell:
    label: str
    text: str
    #: What the page's script sorts by ("" for not shared: always last).
    sort: str
    shared: bool


def cells(row: RosterRow, now: datetime) -> list[Cell]:
    """The row as the page shows it."""
    found = []
    for column in COLUMNS:
        value = sort_value(row, column.sort)
        text = column.text(row, now, False)
        found.append(
            Cell(column.header, text, "" if value is None else str(value), text != NOT_SHARED)
        )
    return found


def roster_csv(rows: Sequence[RosterRow], now: datetime) -> str:
    """The roster as CSV (RFC 4180 quoting, CRLF line ends), the page's columns in order."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([column.header for column in COLUMNS])
    for row in rows:
        writer.writerow([column.text(row, now, True) for column in COLUMNS])
    return out.getvalue()
