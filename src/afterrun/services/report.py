"""The weekly report from what the store holds: runs rated, sessions, check-ins and load.

The report reads four things (the runner's zone, every activity's timing and load, the
sessions and the check-ins of its weeks) through `ReportReads`: `StoreReads` asks the
store, and `quick_report.py` reads a SQLite file at the current schema directly, so that
`afterrun report` need not load the ORM. Both feed the one `report_from`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any, Protocol

from afterrun.core.activity import ActivityLoad, Sport
from afterrun.core.rating import RELATIVE_WINDOW_DAYS
from afterrun.core.report import (
    ReportCheckin,
    ReportRun,
    WeeklyReport,
    first_week,
    local_midnight,
    weekly_report,
)
from afterrun.services.training import load_of, rate_runs, scaled_loads
from afterrun.zones import runner_zone

if TYPE_CHECKING:
    from afterrun.core.records import SessionRecord
    from afterrun.store import Store


def red_flags(value: Any) -> tuple[str, ...]:
    """A check-in's red flags as a tuple of strings, whichever way the store holds them."""
    if not value:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, bool):
        return ("red flag",)
    return tuple(str(item) for item in value)


def checkins_since(store: Store, since: datetime) -> tuple[bool, list[ReportCheckin]]:
    """(whether this store keeps check-ins, those at or after `since`)."""
    if not hasattr(store, "list_checkins"):
        return False, []
    stored: Iterable[Any] = store.list_checkins(since)
    return True, [
        ReportCheckin(item.at, dict(item.ratings), red_flags(item.red_flags))
        for item in stored
        if item.at >= since
    ]


class ReportReads(Protocol):
    """What a report reads, whoever reads it."""

    def zone(self) -> tzinfo:
        """The zone the runner's profile resolves to."""
        ...

    def activity_loads(self) -> list[ActivityLoad]:
        """Every activity's timing and load, newest first."""
        ...

    def sessions(self, since: datetime) -> list[SessionRecord]:
        """Sessions started at or after `since`."""
        ...

    def checkins(self, since: datetime) -> tuple[bool, list[ReportCheckin]]:
        """(whether check-ins are kept, those at or after `since`)."""
        ...


@dataclass(frozen=True)
class StoreReads:
    """The report's reads through the store (any database it opens)."""

    store: Store

    def zone(self) -> tzinfo:
        return runner_zone(self.store.get_profile())

    def activity_loads(self) -> list[ActivityLoad]:
        return self.store.list_activity_loads()

    def sessions(self, since: datetime) -> list[SessionRecord]:
        return [stored.record for stored in self.store.list_sessions(since=since)]

    def checkins(self, since: datetime) -> tuple[bool, list[ReportCheckin]]:
        return checkins_since(self.store, since)


def build_report(store: Store, now: datetime, weeks: int, tz: tzinfo | None = None) -> WeeklyReport:
    """The report from the store; `tz` is the runner's zone (None: their profile's)."""
    return report_from(StoreReads(store), now, weeks, tz)


def report_from(
    reads: ReportReads, now: datetime, weeks: int, tz: tzinfo | None = None
) -> WeeklyReport:
    """Rate each run in the window against its own history and aggregate by local week.

    `tz` is the runner's zone; None means the one their profile resolves to.
    """
    zone = tz if tz is not None else reads.zone()
    since = local_midnight(first_week(now, weeks, zone), zone).astimezone(UTC)
    everything = reads.activity_loads()  # once, and only the columns a report needs
    activities = [entry for entry in everything if entry.start >= since]
    in_window = [entry for entry in activities if entry.sport is Sport.RUNNING]
    # A run is rated against the six weeks before it: earlier runs play no part.
    earliest = since - timedelta(days=RELATIVE_WINDOW_DAYS)
    history = [e for e in everything if e.sport is Sport.RUNNING and e.start >= earliest]
    ratings = rate_runs(in_window, history)
    runs = [
        ReportRun(entry.id, entry.start, entry.elapsed_seconds, ratings[entry.id].intensity)
        for entry in in_window
    ]
    load = load_of(everything, now, zone)
    loads = scaled_loads(activities, load.scale)
    sessions = reads.sessions(since)
    supported, checkins = reads.checkins(since)
    return weekly_report(
        now=now,
        weeks=weeks,
        tz=zone,
        runs=runs,
        loads=loads,
        sessions=sessions,
        days=load.days,
        checkins=checkins,
        checkins_supported=supported,
    )
