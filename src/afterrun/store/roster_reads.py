"""What the coach's roster reads, for many athletes at once: one query per table over the
athletes given (never anyone else), each limited to the window the roster needs, so that
a squad of a hundred with years of history is read in a handful of queries. Each function
runs inside the transaction the Store opens for it; the caller passes only the ids whose
athletes share that part with the coach."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import cast, get_args

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from afterrun.core.activity import ActivityLoad, Sport
from afterrun.core.records import Outcome, StepRecord, StepStatus, work_tally
from afterrun.core.soreness import CheckIn
from afterrun.store.activities import SPORTS
from afterrun.store.tables import (
    ActivityRow,
    CheckinRow,
    ProfileRow,
    SessionRow,
    StepRow,
    json_list,
)

_STATUSES = get_args(StepStatus)


def zones_of(db: Session, ids: Collection[int]) -> dict[int, str | None]:
    """Each athlete's time zone name, as their profile gives it (absent: none set)."""
    if not ids:
        return {}
    query = select(ProfileRow.athlete_id, ProfileRow.timezone).where(ProfileRow.athlete_id.in_(ids))
    return {athlete: zone for athlete, zone in db.execute(query)}


def activity_loads_of(
    db: Session, ids: Collection[int], since: datetime
) -> dict[int, list[ActivityLoad]]:
    """Each athlete's activities started at or after `since`, timing and load, newest first."""
    found: dict[int, list[ActivityLoad]] = {athlete: [] for athlete in ids}
    if not ids:
        return found
    query = (
        select(
            ActivityRow.athlete_id,
            ActivityRow.id,
            ActivityRow.sport,
            ActivityRow.includes_run,
            ActivityRow.started_at,
            ActivityRow.elapsed_seconds,
            ActivityRow.moving_seconds,
            ActivityRow.rpe,
            ActivityRow.load,
            ActivityRow.load_method,
        )
        .where(ActivityRow.athlete_id.in_(ids), ActivityRow.started_at >= since)
        .order_by(ActivityRow.started_at.desc(), ActivityRow.id.desc())
    )
    for athlete, row_id, sport, runs, start, elapsed, moving, rpe, load, method in db.execute(
        query
    ):
        found[athlete].append(
            ActivityLoad(
                row_id,
                SPORTS.get(sport, Sport.OTHER),
                bool(runs),
                start,
                elapsed,
                moving,
                rpe,
                load,
                method,
            )
        )
    return found


def last_activity_of(db: Session, ids: Collection[int]) -> dict[int, datetime]:
    """When each athlete's latest activity started (athletes without one are absent)."""
    if not ids:
        return {}
    query = (
        select(ActivityRow.athlete_id, func.max(ActivityRow.started_at))
        .where(ActivityRow.athlete_id.in_(ids))
        .group_by(ActivityRow.athlete_id)
    )
    return {athlete: at for athlete, at in db.execute(query) if at is not None}


def session_outcomes_of(
    db: Session, ids: Collection[int], since: datetime
) -> dict[int, list[tuple[datetime, Outcome]]]:
    """Each athlete's cool-downs started at or after `since`: (start, how much counts)."""
    found: dict[int, list[tuple[datetime, Outcome]]] = {athlete: [] for athlete in ids}
    if not ids:
        return found
    chosen = select(SessionRow.id).where(
        SessionRow.athlete_id.in_(ids), SessionRow.started_at >= since
    )
    heads = db.execute(
        chosen.with_only_columns(SessionRow.id, SessionRow.athlete_id, SessionRow.started_at)
    ).all()
    steps: dict[int, list[StepRecord]] = {}
    step_rows = select(
        StepRow.session_id,
        StepRow.step_index,
        StepRow.kind,
        StepRow.planned_seconds,
        StepRow.actual_seconds,
        StepRow.status,
    ).where(StepRow.session_id.in_(chosen.scalar_subquery()))
    for session_id, index, kind, planned, actual, status in db.execute(step_rows):
        known = status if status in _STATUSES else "not-reached"
        steps.setdefault(session_id, []).append(
            StepRecord(index, "", None, None, kind, planned, None, actual, cast(StepStatus, known))
        )
    for session_id, athlete, started_at in heads:
        found[athlete].append((started_at, work_tally(steps.get(session_id, ())).outcome))
    return found


def checkins_of(db: Session, ids: Collection[int], since: datetime) -> dict[int, list[CheckIn]]:
    """Each athlete's check-ins at or after `since`, newest first."""
    found: dict[int, list[CheckIn]] = {athlete: [] for athlete in ids}
    if not ids:
        return found
    query = (
        select(
            CheckinRow.athlete_id,
            CheckinRow.at,
            CheckinRow.ratings,
            CheckinRow.red_flags,
            CheckinRow.run_id,
            CheckinRow.hours_after_run,
        )
        .where(CheckinRow.athlete_id.in_(ids), CheckinRow.at >= since)
        .order_by(CheckinRow.at.desc(), CheckinRow.id.desc())
    )
    for athlete, at, ratings, flags, run_id, hours in db.execute(query):
        rated = {str(a): int(r) for a, r in ratings.items()} if isinstance(ratings, dict) else {}
        found[athlete].append(CheckIn(at, rated, tuple(json_list(flags)), run_id, hours))
    return found


def last_checkin_of(db: Session, ids: Collection[int]) -> dict[int, datetime]:
    """When each athlete last checked in (athletes who never did are absent)."""
    if not ids:
        return {}
    query = (
        select(CheckinRow.athlete_id, func.max(CheckinRow.at))
        .where(CheckinRow.athlete_id.in_(ids))
        .group_by(CheckinRow.athlete_id)
    )
    return {athlete: at for athlete, at in db.execute(query) if at is not None}
