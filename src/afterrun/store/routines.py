"""Coaches' routines in the database: one per coach (club exercises in the custom-exercise
format, as JSON, and planning defaults), and the routines an athlete's plans use: those of
the coaches they share anything with. Each function runs inside the transaction the
Store opens for it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from afterrun.store.tables import AthleteRow, RoutineRow, ShareRow


@dataclass(frozen=True)
class StoredRoutine:
    coach_id: int
    coach: str
    name: str
    #: Each exercise as its [[exercise]] table in the custom-exercise format.
    exercises: list[dict[str, Any]]
    defaults: dict[str, Any]
    updated_at: datetime


def _latest(db: Session, coach: int) -> RoutineRow | None:
    query = (
        select(RoutineRow)
        .where(RoutineRow.coach_id == coach)
        .order_by(RoutineRow.updated_at.desc(), RoutineRow.id.desc())
        .limit(1)
    )
    return db.scalars(query).first()


def _stored(row: RoutineRow, coach: str) -> StoredRoutine:
    exercises = row.exercises if isinstance(row.exercises, list) else []
    defaults = row.defaults if isinstance(row.defaults, dict) else {}
    return StoredRoutine(row.coach_id, coach, row.name, exercises, defaults, row.updated_at)


def load_routine(db: Session, coach: int) -> StoredRoutine | None:
    """The coach's routine, if they have saved one."""
    row = _latest(db, coach)
    if row is None:
        return None
    name = db.scalar(select(AthleteRow.name).where(AthleteRow.id == coach)) or ""
    return _stored(row, name)


def save_routine(
    db: Session,
    coach: int,
    name: str,
    exercises: list[dict[str, Any]],
    defaults: dict[str, Any],
    now: datetime,
) -> None:
    """Replace the coach's routine (the row is kept, with its creation time)."""
    row = _latest(db, coach)
    if row is None:
        row = RoutineRow(coach_id=coach, created_at=now)
        db.add(row)
    row.name = name
    row.exercises = exercises
    row.defaults = defaults
    row.updated_at = now


def routines_for(db: Session, athlete: int) -> list[StoredRoutine]:
    """The routines of the coaches this athlete shares anything with, newest first."""
    query = (
        select(RoutineRow, AthleteRow.name)
        .join(AthleteRow, AthleteRow.id == RoutineRow.coach_id)
        .join(ShareRow, ShareRow.coach_id == RoutineRow.coach_id)
        .where(
            ShareRow.athlete_id == athlete,
            AthleteRow.role == "coach",
            AthleteRow.disabled_at.is_(None),
            or_(ShareRow.load_and_runs, ShareRow.adherence, ShareRow.soreness_and_flags),
        )
        .order_by(RoutineRow.updated_at.desc(), RoutineRow.id.desc())
    )
    return [_stored(row, name) for row, name in db.execute(query)]
