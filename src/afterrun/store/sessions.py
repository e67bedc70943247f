"""Played cool-downs in the database: write, replace, read, the pain reported during them,
and the JSON the CLI prints. Each function runs inside the transaction the Store opens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast, get_args

from sqlalchemy import Select, delete, insert, select, update
from sqlalchemy.orm import Session

from afterrun.core.errors import InvalidInput, NotFound, StorageError
from afterrun.core.hints import Hint
from afterrun.core.records import (
    PainReport,
    SessionRecord,
    SessionStatus,
    StepRecord,
    StepStatus,
    work_tally,
)
from afterrun.store.tables import PainRow, SessionRow, StepRow


@dataclass(frozen=True)
class StoredSession:
    """A session as the store holds it: its id and what was played."""

    id: int
    record: SessionRecord

    def to_json(self) -> dict[str, Any]:
        return session_to_json(self.record, self.id)


def total_planned_seconds(record: SessionRecord) -> int:
    return sum(step.planned_seconds for step in record.steps)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def session_to_json(record: SessionRecord, session_id: int | None = None) -> dict[str, Any]:
    """A JSON-ready dict: ISO 8601 UTC times, steps, pains, and the counts of the work steps
    (get-ready, transitions and switches are not counted) with what the session counts as."""
    tally = work_tally(record.steps)
    return {
        "id": session_id,
        "started_at": _iso(record.started_at),
        "ended_at": None if record.ended_at is None else _iso(record.ended_at),
        "status": record.status,
        "intensity": record.intensity,
        "minutes": record.minutes,
        "total_planned_seconds": total_planned_seconds(record),
        "total_actual_seconds": sum(step.actual_seconds for step in record.steps),
        "steps_done": tally.done,
        "steps_partial": tally.partial,
        "steps_skipped": tally.skipped,
        "steps_not_reached": tally.not_reached,
        "work_share": round(tally.share, 3),
        "cool_down": tally.outcome,
        "summary": f"{tally.text()}.",
        "plan": record.plan,
        "steps": [
            {
                "index": step.index,
                "exercise": step.exercise,
                "variant": step.variant,
                "side": step.side,
                "kind": step.kind,
                "planned_seconds": step.planned_seconds,
                "reps": step.reps,
                "actual_seconds": step.actual_seconds,
                "status": step.status,
            }
            for step in record.steps
        ],
        "pains": [
            {
                "step_index": pain.step_index,
                "exercise": pain.exercise,
                "area": pain.area,
                "offset_seconds": pain.offset_seconds,
                "at": _iso(pain.at),
                "side": pain.side,
            }
            for pain in record.pains
        ],
    }


def not_found(session_id: int) -> NotFound:
    return NotFound(f"No session {session_id}.", Hint.LIST_SESSIONS)


def _session_values(record: SessionRecord) -> dict[str, Any]:
    return {
        "started_at": record.started_at,
        "ended_at": record.ended_at,
        "status": record.status,
        "intensity": record.intensity,
        "minutes": record.minutes,
        "total_planned_seconds": total_planned_seconds(record),
        "plan": record.plan,
    }


def _step_values(session_id: int, step: StepRecord) -> dict[str, Any]:
    return {
        "session_id": session_id,
        "step_index": step.index,
        "exercise": step.exercise,
        "variant": step.variant,
        "side": step.side,
        "kind": step.kind,
        "planned_seconds": step.planned_seconds,
        "reps": step.reps,
        "actual_seconds": step.actual_seconds,
        "status": step.status,
    }


def _pain_values(session_id: int, pain: PainReport) -> dict[str, Any]:
    return {
        "session_id": session_id,
        "step_index": pain.step_index,
        "exercise": pain.exercise,
        "area": pain.area,
        "offset_seconds": pain.offset_seconds,
        "at": pain.at,
        "side": pain.side,
    }


def _insert_children(db: Session, session_id: int, record: SessionRecord) -> None:
    if record.steps:
        db.execute(insert(StepRow), [_step_values(session_id, s) for s in record.steps])
    if record.pains:
        db.execute(insert(PainRow), [_pain_values(session_id, p) for p in record.pains])


def insert_session(db: Session, athlete: int, record: SessionRecord) -> int:
    row = SessionRow(athlete_id=athlete, **_session_values(record))
    db.add(row)
    db.flush()
    _insert_children(db, row.id, record)
    return row.id


def replace_session(db: Session, athlete: int, session_id: int, record: SessionRecord) -> None:
    """Overwrite a session, its steps and its pains. The UPDATE comes first so that SQLite
    takes the write lock before anything is read; another athlete's session is not found."""
    updated = db.connection().execute(
        update(SessionRow)
        .where(SessionRow.id == session_id, SessionRow.athlete_id == athlete)
        .values(**_session_values(record))
    )
    if updated.rowcount == 0:
        raise not_found(session_id)
    db.execute(delete(StepRow).where(StepRow.session_id == session_id))
    db.execute(delete(PainRow).where(PainRow.session_id == session_id))
    _insert_children(db, session_id, record)


def _checked(value: str, allowed: tuple[str, ...], what: str) -> str:
    if value not in allowed:
        raise StorageError(
            f"The database holds a {what} '{value}' this afterrun does not know: "
            "a newer afterrun wrote it. Upgrade afterrun."
        )
    return value


_STEP_COLUMNS = (
    StepRow.session_id,
    StepRow.step_index,
    StepRow.exercise,
    StepRow.variant,
    StepRow.side,
    StepRow.kind,
    StepRow.planned_seconds,
    StepRow.reps,
    StepRow.actual_seconds,
    StepRow.status,
)
_PAIN_COLUMNS = (
    PainRow.session_id,
    PainRow.step_index,
    PainRow.exercise,
    PainRow.area,
    PainRow.offset_seconds,
    PainRow.at,
    PainRow.side,
)


def _step(row: Any) -> StepRecord:
    _, index, exercise, variant, side, kind, planned, reps, actual, status = row
    return StepRecord(
        index=index,
        exercise=exercise,
        variant=variant,
        side=side,
        kind=kind,
        planned_seconds=planned,
        reps=reps,
        actual_seconds=actual,
        status=cast(StepStatus, _checked(status, get_args(StepStatus), "step status")),
    )


def _pain(row: Any) -> PainReport:
    _, index, exercise, area, offset, at, side = row
    return PainReport(
        step_index=index, exercise=exercise, area=area, offset_seconds=offset, at=at, side=side
    )


def _read(db: Session, chosen: Select[int]) -> list[StoredSession]:
    """The sessions whose ids `chosen` selects, in its order, with their steps and pains:
    three plain queries, whatever the number of sessions."""
    heads = db.execute(
        chosen.with_only_columns(
            SessionRow.id,
            SessionRow.started_at,
            SessionRow.ended_at,
            SessionRow.status,
            SessionRow.intensity,
            SessionRow.minutes,
            SessionRow.plan,
        )
    ).all()
    if not heads:
        return []
    ids = chosen.scalar_subquery()
    steps: dict[int, list[StepRecord]] = {}
    step_rows = select(*_STEP_COLUMNS).where(StepRow.session_id.in_(ids))
    for step in db.execute(step_rows.order_by(StepRow.step_index)):
        steps.setdefault(step[0], []).append(_step(step))
    pains: dict[int, list[PainReport]] = {}
    pain_rows = select(*_PAIN_COLUMNS).where(PainRow.session_id.in_(ids))
    for pain in db.execute(pain_rows.order_by(PainRow.id)):
        pains.setdefault(pain[0], []).append(_pain(pain))
    stored = []
    for session_id, started_at, ended_at, status, intensity, minutes, plan in heads:
        known = _checked(status, get_args(SessionStatus), "session status")
        record = SessionRecord(
            started_at=started_at,
            ended_at=ended_at,
            status=cast(SessionStatus, known),
            intensity=intensity,
            minutes=minutes,
            plan=plan,
            steps=tuple(steps.get(session_id, ())),
            pains=tuple(pains.get(session_id, ())),
        )
        stored.append(StoredSession(id=session_id, record=record))
    return stored


def load_sessions(
    db: Session, athlete: int, limit: int | None = None, since: datetime | None = None
) -> list[StoredSession]:
    """Newest first by start time; ties by id, so the last one started comes first."""
    if limit is not None and limit < 0:
        raise InvalidInput(f"The limit must be 0 or more, not {limit}.")
    query = (
        select(SessionRow.id)
        .where(SessionRow.athlete_id == athlete)
        .order_by(SessionRow.started_at.desc(), SessionRow.id.desc())
    )
    if since is not None:
        query = query.where(SessionRow.started_at >= since)
    if limit is not None:
        query = query.limit(limit)
    return _read(db, query)


def load_session(db: Session, athlete: int, session_id: int) -> StoredSession:
    chosen = select(SessionRow.id).where(
        SessionRow.id == session_id, SessionRow.athlete_id == athlete
    )
    found = _read(db, chosen)
    if not found:
        raise not_found(session_id)
    return found[0]


def load_pains(
    db: Session, athlete: int, since: datetime | None = None
) -> list[tuple[int, PainReport]]:
    """(session id, report), newest first."""
    query = (
        select(PainRow)
        .join(SessionRow, SessionRow.id == PainRow.session_id)
        .where(SessionRow.athlete_id == athlete)
        .order_by(PainRow.at.desc(), PainRow.id.desc())
    )
    if since is not None:
        query = query.where(PainRow.at >= since)
    return [
        (
            row.session_id,
            PainReport(
                row.step_index, row.exercise, row.area, row.offset_seconds, row.at, row.side
            ),
        )
        for row in db.scalars(query)
    ]
