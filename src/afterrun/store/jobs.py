"""Background imports in a club: one `import_jobs` row per upload, owned by its athlete.

The row is what the athlete's page reads for progress; the job queue only says which
row to work on. Every read by an athlete is scoped to their own rows: another athlete's
job id is NotFound, exactly as an id that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Engine, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import sessionmaker

from afterrun.core.errors import NotFound
from afterrun.store.db import WRITE_OPTION, storage_error
from afterrun.store.tables import ImportJobRow

JobStatus = Literal["queued", "running", "done", "failed"]


@dataclass(frozen=True)
class ImportJob:
    id: int
    athlete_id: int
    filename: str
    status: JobStatus
    files_total: int | None
    files_done: int
    summary: dict[str, Any] | None
    created_at: datetime
    finished_at: datetime | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "filename": self.filename,
            "status": self.status,
            "files_total": self.files_total,
            "files_done": self.files_done,
            "summary": self.summary,
            "created_at": self.created_at.isoformat(),
            "finished_at": None if self.finished_at is None else self.finished_at.isoformat(),
        }


def _job(row: ImportJobRow) -> ImportJob:
    status: Any = row.status
    return ImportJob(
        row.id,
        row.athlete_id,
        row.filename,
        status,
        row.files_total,
        row.files_done,
        row.summary,
        row.created_at,
        row.finished_at,
    )


class ImportJobs:
    """The `import_jobs` table over an open Store's engine; each method one transaction."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._readers = sessionmaker(engine)
        self._writers = sessionmaker(engine.execution_options(**{WRITE_OPTION: True}))

    def create(self, athlete_id: int, filename: str, now: datetime) -> int:
        row = ImportJobRow(
            athlete_id=athlete_id,
            filename=filename[:200],
            status="queued",
            files_done=0,
            created_at=now,
        )
        try:
            with self._writers.begin() as db:
                db.add(row)
                db.flush()
                return row.id
        except DBAPIError as exc:
            raise storage_error("write to", self._engine.url, exc) from exc

    def get(self, job_id: int, athlete_id: int | None = None) -> ImportJob:
        """The job; NotFound when there is none, or it is not `athlete_id`'s."""
        query = select(ImportJobRow).where(ImportJobRow.id == job_id)
        if athlete_id is not None:
            query = query.where(ImportJobRow.athlete_id == athlete_id)
        try:
            with self._readers.begin() as db:
                row = db.scalar(query)
                found = None if row is None else _job(row)
        except DBAPIError as exc:
            raise storage_error("read", self._engine.url, exc) from exc
        if found is None:
            raise NotFound(f"No import {job_id}: its page lists your imports.")
        return found

    def update(self, job_id: int, **values: Any) -> None:
        """Set columns of one job: status, files_total, files_done, summary, finished_at."""
        try:
            with self._writers.begin() as db:
                db.execute(update(ImportJobRow).where(ImportJobRow.id == job_id).values(**values))
        except DBAPIError as exc:
            raise storage_error("write to", self._engine.url, exc) from exc

    def ids_of(self, athlete_id: int) -> list[int]:
        with self._readers.begin() as db:
            query = select(ImportJobRow.id).where(ImportJobRow.athlete_id == athlete_id)
            return list(db.scalars(query))
