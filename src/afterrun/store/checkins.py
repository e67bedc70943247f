"""Soreness check-ins and cool-down pain reports in the database; each function runs inside
one transaction. Also the CheckinMethods mixed into Store."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from afterrun.core.records import PainReport
from afterrun.core.soreness import CheckIn
from afterrun.store.activities import not_found as run_not_found
from afterrun.store.activity_tables import ActivityRow, json_list
from afterrun.store.checkin_tables import CheckinRow, ClearanceRow
from afterrun.store.tables import PainRow

_T = TypeVar("_T")


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


def insert_checkin(db: Session, checkin: CheckIn) -> int:
    if checkin.run_id is not None and db.get(ActivityRow, checkin.run_id) is None:
        raise run_not_found(checkin.run_id)
    row = CheckinRow(
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


def load_checkins(db: Session, since: datetime | None = None) -> list[StoredCheckin]:
    """Newest first; ties by id, so the last one added comes first."""
    query = select(CheckinRow).order_by(CheckinRow.at.desc(), CheckinRow.id.desc())
    if since is not None:
        query = query.where(CheckinRow.at >= since)
    return [_to_stored(row) for row in db.scalars(query)]


def load_pains(db: Session, since: datetime | None = None) -> list[tuple[int, PainReport]]:
    """(session id, report), newest first."""
    query = select(PainRow).order_by(PainRow.at.desc(), PainRow.id.desc())
    if since is not None:
        query = query.where(PainRow.at >= since)
    return [
        (
            row.session_id,
            PainReport(row.step_index, row.exercise, row.area, row.offset_seconds, row.at),
        )
        for row in db.scalars(query)
    ]


def insert_clearance(db: Session, at: datetime, note: str | None) -> int:
    row = ClearanceRow(at=at, note=note)
    db.add(row)
    db.flush()
    return row.id


def load_latest_clearance(db: Session) -> datetime | None:
    query = select(ClearanceRow.at).order_by(ClearanceRow.at.desc()).limit(1)
    return db.scalars(query).first()


class CheckinMethods:
    """Each method is one transaction; `_run` comes from Store."""

    def _run(self, action: str, work: Callable[[Session], _T]) -> _T:  # pragma: no cover
        raise NotImplementedError

    def add_checkin(self, checkin: CheckIn) -> int:
        """Store a check-in; returns its id. NotFound if it names a run that is not stored."""
        return self._run("write to", lambda db: insert_checkin(db, checkin))

    def list_checkins(self, since: datetime | None = None) -> list[StoredCheckin]:
        """Newest first; only those at or after `since` when given."""
        return self._run("read", lambda db: load_checkins(db, since))

    def add_clearance(self, at: datetime, note: str | None = None) -> int:
        """The runner has been seen by a clinician at `at`; returns the clearance's id."""
        return self._run("write to", lambda db: insert_clearance(db, at, note))

    def latest_clearance(self) -> datetime | None:
        """When the runner last said a clinician had seen them, if ever."""
        return self._run("read", load_latest_clearance)

    def list_pain_reports(self, since: datetime | None = None) -> list[tuple[int, PainReport]]:
        """Pain reported in cool-downs, as (session id, report), newest first."""
        return self._run("read", lambda db: load_pains(db, since))
