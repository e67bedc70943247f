"""Soreness check-ins and clearances of warning signs in the database. Each function runs
inside the transaction the Store opens for it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from afterrun.store.activities import not_found as run_not_found
from afterrun.store.tables import ActivityRow, CheckinRow, ClearanceRow, json_list

if TYPE_CHECKING:
    # The soreness model loads the catalogue's (pydantic) areas: only when a check-in is made.
    from afterrun.core.soreness import CheckIn


@dataclass(frozen=True)
class StoredCheckin:
    """A check-in as stored: its id and the fields of core.soreness.CheckIn, flat."""

    id: int
    at: datetime
    ratings: dict[str, int]
    red_flags: tuple[str, ...]
    run_id: int | None
    hours_after_run: float | None
    note: str | None

    @classmethod
    def of(cls, checkin_id: int, checkin: CheckIn) -> StoredCheckin:
        return cls(
            checkin_id,
            checkin.at,
            dict(checkin.ratings),
            checkin.red_flags,
            checkin.run_id,
            checkin.hours_after_run,
            checkin.note,
        )

    @property
    def checkin(self) -> CheckIn:
        from afterrun.core.soreness import CheckIn  # noqa: PLC0415

        return CheckIn(
            self.at, self.ratings, self.red_flags, self.run_id, self.hours_after_run, self.note
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at.astimezone(UTC).isoformat(),
            "run_id": self.run_id,
            "hours_after_run": self.hours_after_run,
            "ratings": dict(self.ratings),
            "red_flags": list(self.red_flags),
            "note": self.note,
        }


def _ratings(value: Any) -> dict[str, int]:
    if not isinstance(value, dict):
        return {}
    return {str(area): int(rating) for area, rating in value.items()}


def _to_stored(row: CheckinRow) -> StoredCheckin:
    return StoredCheckin(
        id=row.id,
        at=row.at,
        ratings=_ratings(row.ratings),
        red_flags=tuple(json_list(row.red_flags)),
        run_id=row.run_id,
        hours_after_run=row.hours_after_run,
        note=row.note,
    )


def insert_checkin(db: Session, athlete: int, checkin: CheckIn) -> int:
    if checkin.run_id is not None:
        run = db.get(ActivityRow, checkin.run_id)
        if run is None or run.athlete_id != athlete:
            raise run_not_found(checkin.run_id)
    row = CheckinRow(
        athlete_id=athlete,
        at=checkin.at,
        run_id=checkin.run_id,
        hours_after_run=checkin.hours_after_run,
        ratings=dict(checkin.ratings),
        red_flags=list(checkin.red_flags),
        note=checkin.note,
    )
    db.add(row)
    db.flush()
    return row.id


def load_checkins(db: Session, athlete: int, since: datetime | None = None) -> list[StoredCheckin]:
    """Newest first; ties by id, so the last one added comes first."""
    query = (
        select(CheckinRow)
        .where(CheckinRow.athlete_id == athlete)
        .order_by(CheckinRow.at.desc(), CheckinRow.id.desc())
    )
    if since is not None:
        query = query.where(CheckinRow.at >= since)
    return [_to_stored(row) for row in db.scalars(query)]


def insert_clearance(db: Session, athlete: int, at: datetime, note: str | None) -> int:
    row = ClearanceRow(athlete_id=athlete, at=at, note=note)
    db.add(row)
    db.flush()
    return row.id


def load_latest_clearance(db: Session, athlete: int) -> datetime | None:
    query = (
        select(ClearanceRow.at)
        .where(ClearanceRow.athlete_id == athlete)
        .order_by(ClearanceRow.at.desc())
        .limit(1)
    )
    return db.scalars(query).first()
