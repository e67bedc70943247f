"""The coach's roster from the store: the athletes who share anything with the coach, each
read only for what they share, in a few queries for the whole squad (`store.roster_reads`).

What is read: fatigue and fitness as sums over each athlete's whole history (the same
numbers as their own report; PostgreSQL sums them, see `roster_reads.decayed_loads_of`),
the activities of the week and the six weeks before it (a run is rated against the six
weeks before it), cool-downs of the last week and check-ins of the last two.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from afterrun.core.activity import ActivityLoad, Sport
from afterrun.core.load import model_today
from afterrun.core.rating import RELATIVE_WINDOW_DAYS
from afterrun.core.report import ReportRun
from afterrun.core.roster import (
    TREND_WINDOW,
    WEEK,
    AthleteWeek,
    RosterRow,
    Shared,
    ordered,
    roster_row,
)
from afterrun.services.consent import sharing_with
from afterrun.services.training import run_intensities
from afterrun.store import roster_reads as reads
from afterrun.zones import zone_for

if TYPE_CHECKING:
    from afterrun.core.records import Outcome
    from afterrun.core.soreness import CheckIn
    from afterrun.store import Store
    from afterrun.store.shares import Share

#: What rating the week's runs needs: the week and the six weeks before its first day.
RATING_HISTORY = WEEK + timedelta(days=RELATIVE_WINDOW_DAYS)


@dataclass(frozen=True)
class _Read:
    zones: dict[int, tzinfo]
    models: dict[int, tuple[float, float]]
    loads: dict[int, list[ActivityLoad]]
    last_activity: dict[int, datetime]
    sessions: dict[int, list[tuple[datetime, Outcome]]]
    checkins: dict[int, list[CheckIn]]
    last_checkin: dict[int, datetime]


def _ids(sharing: Sequence[tuple[Any, Share]], *parts: str) -> list[int]:
    return [athlete.id for athlete, share in sharing if any(getattr(share, p) for p in parts)]


def _read(store: Store, sharing: Sequence[tuple[Any, Share]], now: datetime) -> _Read:
    everyone = [athlete.id for athlete, _ in sharing]
    with_load = _ids(sharing, "load_and_runs")
    with_runs = _ids(sharing, "load_and_runs", "adherence")
    with_sessions = _ids(sharing, "adherence")
    with_checkins = _ids(sharing, "soreness_and_flags")

    def work(db: Any) -> _Read:
        names = reads.zones_of(db, everyone)
        zones = {athlete: zone_for(names.get(athlete)) for athlete in everyone}
        sums = reads.decayed_loads_of(db, {i: zones[i] for i in with_load}, now)
        models = {i: model_today(loads, scale.ratio) for i, (loads, scale) in sums.items()}
        return _Read(
            zones=zones,
            models=models,
            loads=reads.run_loads_of(db, with_runs, now - RATING_HISTORY),
            last_activity=reads.last_activity_of(db, with_runs),
            sessions=reads.session_outcomes_of(db, with_sessions, now - WEEK),
            checkins=reads.checkins_of(db, with_checkins, now - TREND_WINDOW),
            last_checkin=reads.last_checkin_of(db, with_checkins),
        )

    return store.read_with(work)


def _week_runs(loads: Sequence[ActivityLoad], now: datetime) -> list[ReportRun]:
    """The runs of the last seven days, rated as the report rates them."""
    every_run = [entry for entry in loads if entry.sport is Sport.RUNNING]  # runs only
    in_week = [entry for entry in every_run if entry.start > now - WEEK]
    ratings = run_intensities(in_week, every_run)
    return [
        ReportRun(entry.id, entry.start, entry.elapsed_seconds, ratings[entry.id])
        for entry in in_week
    ]


def roster(store: Store, coach_id: int, now: datetime, sort: str | None = None) -> list[RosterRow]:
    """One row per athlete who shares anything with the coach, in triage order (or `sort`)."""
    sharing = sharing_with(store, coach_id)
    read = _read(store, sharing, now)
    rows = []
    for athlete, share in sharing:
        week = AthleteWeek(
            athlete_id=athlete.id,
            name=athlete.name,
            zone=read.zones[athlete.id],
            shared=Shared(share.load_and_runs, share.adherence, share.soreness_and_flags),
            runs=_week_runs(read.loads.get(athlete.id, []), now),
            sessions=read.sessions.get(athlete.id, []),
            model=read.models.get(athlete.id, (0.0, 0.0)),
            checkins=read.checkins.get(athlete.id, []),
            last_activity=read.last_activity.get(athlete.id),
            last_checkin=read.last_checkin.get(athlete.id),
        )
        rows.append(roster_row(week, now))
    return ordered(rows, sort)
