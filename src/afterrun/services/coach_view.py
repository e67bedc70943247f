"""An athlete's report as their coach sees it: the report they see themselves, built only
from what they share with this coach (nothing else is read)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from afterrun.core.errors import NotFound
from afterrun.rendering.report.page import Shown
from afterrun.services.consent import sharing_with
from afterrun.services.report import StoreReads, report_from

if TYPE_CHECKING:
    from afterrun.core.activity import ActivityLoad
    from afterrun.core.records import SessionRecord
    from afterrun.core.report import ReportCheckin, WeeklyReport
    from afterrun.store import Store
    from afterrun.store.shares import Share

#: The weeks the coach's view shows, as the athlete's own report page does.
WEEKS = 8


@dataclass(frozen=True)
class SharedReads:
    """The report's reads of one athlete, limited to what they share."""

    inner: StoreReads
    share: Share

    def zone(self) -> tzinfo:
        return self.inner.zone()

    def activity_loads(self) -> list[ActivityLoad]:
        # Adherence counts hard runs, so it needs the runs and their ratings too.
        if self.share.load_and_runs or self.share.adherence:
            return self.inner.activity_loads()
        return []

    def sessions(self, since: datetime) -> list[SessionRecord]:
        return self.inner.sessions(since) if self.share.adherence else []

    def checkins(self, since: datetime) -> tuple[bool, list[ReportCheckin]]:
        return self.inner.checkins(since) if self.share.soreness_and_flags else (True, [])


@dataclass(frozen=True)
class CoachView:
    name: str
    report: WeeklyReport
    shown: Shown


def athlete_for_coach(store: Store, coach_id: int, athlete_id: int, now: datetime) -> CoachView:
    """The athlete's report as this coach may see it; NotFound, as for a missing id, when
    the athlete shares nothing with the coach."""
    found = next(
        (
            (athlete, share)
            for athlete, share in sharing_with(store, coach_id)
            if athlete.id == athlete_id
        ),
        None,
    )
    if found is None:
        raise NotFound(f"There is no athlete {athlete_id} on your roster.")
    athlete, share = found
    reads = SharedReads(StoreReads(store.for_athlete(athlete_id)), share)
    shown = Shown(share.load_and_runs, share.adherence, share.soreness_and_flags)
    return CoachView(athlete.name, report_from(reads, now, WEEKS), shown)
