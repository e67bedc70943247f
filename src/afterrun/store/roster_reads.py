"""What the coach's roster reads, for many athletes at once: one query per table over the
athletes given (never anyone else), each limited to the window the roster needs, so that
a squad of a hundred with years of history is read in a handful of queries. Each function
runs inside the transaction the Store opens for it; the caller passes only the ids whose
athletes share that part with the coach."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime, tzinfo
from typing import Any

from sqlalchemy import Date, Float, Integer, bindparam, case, func, literal, select
from sqlalchemy import cast as sql_cast
from sqlalchemy.orm import Session

from afterrun.core.activity import ActivityLoad, Sport
from afterrun.core.load import (
    FATIGUE_DAYS,
    FITNESS_DAYS,
    MAX_AGE_DAYS,
    DecayedLoads,
    LoadScale,
    decayed_loads,
    kept,
    rpe_scale,
    session_rpe,
)
from afterrun.core.records import Outcome, WorkTally
from afterrun.core.soreness import CheckIn
from afterrun.core.step_kinds import WORK_KINDS
from afterrun.store.tables import (
    ActivityRow,
    CheckinRow,
    ProfileRow,
    SessionRow,
    StepRow,
    json_list,
)


def zones_of(db: Session, ids: Collection[int]) -> dict[int, str | None]:
    """Each athlete's time zone name, as their profile gives it (absent: none set)."""
    if not ids:
        return {}
    query = select(ProfileRow.athlete_id, ProfileRow.timezone).where(ProfileRow.athlete_id.in_(ids))
    return {athlete: zone for athlete, zone in db.execute(query)}


def run_loads_of(
    db: Session, ids: Collection[int], since: datetime
) -> dict[int, list[ActivityLoad]]:
    """Each athlete's runs started at or after `since`, with what rating them needs (their
    timing and load), newest first."""
    found: dict[int, list[ActivityLoad]] = {athlete: [] for athlete in ids}
    if not ids:
        return found
    query = (
        select(
            ActivityRow.athlete_id,
            ActivityRow.id,
            ActivityRow.started_at,
            ActivityRow.elapsed_seconds,
            ActivityRow.load,
            ActivityRow.load_method,
        )
        .where(
            ActivityRow.athlete_id.in_(ids),
            ActivityRow.started_at >= since,
            ActivityRow.sport == Sport.RUNNING.value,
        )
        .order_by(ActivityRow.started_at.desc(), ActivityRow.id.desc())
    )
    running = Sport.RUNNING
    for athlete, row_id, start, elapsed, load, method in db.execute(query):
        found[athlete].append(
            ActivityLoad(row_id, running, True, start, elapsed, None, None, load, method)
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
    """Each athlete's cool-downs started at or after `since`: (start, how much counts),
    the work steps tallied by the database (`records.WorkTally` applies the rule)."""
    found: dict[int, list[tuple[datetime, Outcome]]] = {athlete: [] for athlete in ids}
    if not ids:
        return found
    work = StepRow.kind.in_(WORK_KINDS)

    def count(status: str) -> Any:
        return func.coalesce(func.sum(case((work & (StepRow.status == status), 1), else_=0)), 0)

    def seconds(value: Any) -> Any:
        return func.coalesce(func.sum(case((work, value), else_=0)), 0)

    capped = case(
        (StepRow.actual_seconds < StepRow.planned_seconds, StepRow.actual_seconds),
        else_=StepRow.planned_seconds,
    )
    query = (
        select(
            SessionRow.athlete_id,
            SessionRow.started_at,
            count("done"),
            count("partial"),
            count("skipped"),
            count("not-reached"),
            seconds(StepRow.planned_seconds),
            seconds(capped),
        )
        .outerjoin(StepRow, StepRow.session_id == SessionRow.id)
        .where(SessionRow.athlete_id.in_(ids), SessionRow.started_at >= since)
        .group_by(SessionRow.id, SessionRow.athlete_id, SessionRow.started_at)
    )
    for athlete, started_at, done, partial, skipped, left, planned, did in db.execute(query):
        tally = WorkTally(done, partial, skipped, left, int(planned), float(did))
        found[athlete].append((started_at, tally.outcome))
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


def scale_pairs_of(db: Session, ids: Collection[int]) -> dict[int, list[ActivityLoad]]:
    """Each athlete's activities with both an RPE and a heart-rate load, from all their
    history: what their session-RPE scale is worked out from (`training.load_scale`)."""
    found: dict[int, list[ActivityLoad]] = {athlete: [] for athlete in ids}
    if not ids:
        return found
    query = select(
        ActivityRow.athlete_id,
        ActivityRow.id,
        ActivityRow.started_at,
        ActivityRow.elapsed_seconds,
        ActivityRow.moving_seconds,
        ActivityRow.rpe,
        ActivityRow.load,
        ActivityRow.load_method,
    ).where(
        ActivityRow.athlete_id.in_(ids),
        ActivityRow.rpe.is_not(None),
        ActivityRow.load > 0,
        ActivityRow.load_method.like("trimp%"),
    )
    for athlete, row_id, start, elapsed, moving, rpe, load, method in db.execute(query):
        entry = ActivityLoad(row_id, Sport.OTHER, False, start, elapsed, moving, rpe, load, method)
        found[athlete].append(entry)
    return found


def _sums_in_python(
    db: Session, zones: Mapping[int, tzinfo], now: datetime
) -> dict[int, DecayedLoads]:
    query = select(
        ActivityRow.athlete_id, ActivityRow.started_at, ActivityRow.load, ActivityRow.load_method
    ).where(ActivityRow.athlete_id.in_(list(zones)), ActivityRow.load.is_not(None))
    today = {athlete: now.astimezone(zone).date() for athlete, zone in zones.items()}
    loads: dict[int, list[tuple[int, float, bool]]] = {athlete: [] for athlete in zones}
    for athlete, start, load, method in db.execute(query):
        age = (today[athlete] - start.astimezone(zones[athlete]).date()).days
        loads[athlete].append((age, load or 0.0, method == "session-rpe"))
    return {athlete: decayed_loads(found) for athlete, found in loads.items()}


def _sums_in_postgres(
    db: Session, zone: str, ids: Collection[int], now: datetime, tz: tzinfo
) -> dict[int, DecayedLoads]:
    """One pass over the athletes' activities, summed per athlete. The transaction's time
    zone is set to the athletes' (a timestamp's date is then its local day, far cheaper
    than timezone() on every row)."""
    today = bindparam("today", now.astimezone(tz).date(), type_=Date)
    local_day = sql_cast(ActivityRow.started_at, Date)
    age = func.least(sql_cast(today - local_day, Integer), MAX_AGE_DAYS)
    rpe = ActivityRow.load_method == "session-rpe"
    zero = literal(0.0, Float)
    trimp = case((rpe, zero), else_=ActivityRow.load)
    srpe = case((rpe, ActivityRow.load), else_=zero)
    fatigue = func.power(literal(kept(FATIGUE_DAYS), Float), age)
    fitness = func.power(literal(kept(FITNESS_DAYS), Float), age)
    query = (
        select(
            ActivityRow.athlete_id,
            func.sum(trimp * fatigue),
            func.sum(trimp * fitness),
            func.sum(srpe * fatigue),
            func.sum(srpe * fitness),
        )
        .where(ActivityRow.athlete_id.in_(ids), ActivityRow.load.is_not(None), local_day <= today)
        .group_by(ActivityRow.athlete_id)
    )
    # Until the transaction ends: the times read after it are the same instants (the
    # store makes every time it reads UTC), only written in this zone by the server.
    db.execute(select(func.set_config("TimeZone", zone, True)))
    found = {athlete: DecayedLoads() for athlete in ids}
    for athlete, *sums in db.execute(query):
        found[athlete] = DecayedLoads(*(float(value) for value in sums))
    return found


def decayed_loads_of(
    db: Session, zones: Mapping[int, tzinfo], now: datetime
) -> dict[int, tuple[DecayedLoads, LoadScale]]:
    """Each athlete's loads of all their history, summed as the load model weighs them
    today (`core.load.model_today`), by the local day of each athlete's zone, and their
    session-RPE scale.

    PostgreSQL sums them itself, one query per zone, so a long history is not sent;
    SQLite (and a zone without an IANA name) sends the four columns it needs.
    """
    pairs = scale_pairs_of(db, list(zones))
    found: dict[int, DecayedLoads] = {}
    by_zone: dict[str, list[int]] = {}
    elsewhere: dict[int, tzinfo] = {}
    for athlete, zone in zones.items():
        key = getattr(zone, "key", None)
        if db.get_bind().dialect.name == "postgresql" and key:
            by_zone.setdefault(key, []).append(athlete)
        else:
            elsewhere[athlete] = zone
    for key, ids in by_zone.items():
        found.update(_sums_in_postgres(db, key, ids, now, zones[ids[0]]))
    if elsewhere:
        found.update(_sums_in_python(db, elsewhere, now))
    return {
        athlete: (
            found[athlete],
            rpe_scale((session_rpe(e) or 0.0, e.load or 0.0) for e in pairs[athlete]),
        )
        for athlete in zones
    }
