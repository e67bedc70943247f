"""Background imports for a club on PostgreSQL, through procrastinate's job queue.

An upload is saved in a folder every worker process can read, an `import_jobs` row
records it for its athlete, and a job naming that row goes into procrastinate's
tables in the same PostgreSQL. Each server process runs a procrastinate worker that
takes one job at a time and imports it for the row's athlete, writing progress to
the row as it goes. A process killed mid-import leaves its job "doing" with no
heartbeat: any live process puts it back in the queue (`retry_stalled`), and the
import runs again; files already stored are recognised by their content and not
stored twice.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import procrastinate
from procrastinate.schema import SchemaManager
from sqlalchemy import URL, Engine

from afterrun.core.errors import AfterrunError, NotFound
from afterrun.services.import_workers import brief
from afterrun.services.imports import import_paths
from afterrun.services.uploads import kept_names, uploaded_name
from afterrun.store import Store
from afterrun.store.jobs import ImportJobs

QUEUE = "afterrun-imports"
TASK = "afterrun.import_upload"
#: Held while procrastinate's tables are created, so that worker processes starting
#: together create them once.
_SCHEMA_LOCK = 0x61667472  # "aftr"
GONE = "the uploaded files are no longer on the server: upload them again"
log = logging.getLogger("afterrun.imports")


@dataclass(frozen=True)
class Timings:
    """How often a worker says it is alive, and after how long without a word its job
    goes back to the queue."""

    stalled_after: float = 30.0

    @property
    def heartbeat(self) -> float:
        return self.stalled_after / 6


def libpq_url(db_url: URL) -> str:
    """SQLAlchemy's postgresql+psycopg URL as psycopg itself takes it (query kept)."""
    return db_url.set(drivername="postgresql").render_as_string(hide_password=False)


def ensure_schema(engine: Engine) -> None:
    """Create procrastinate's tables unless they are there (once, whoever asks first)."""
    with engine.begin() as connection:
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_SCHEMA_LOCK})")
        there = connection.exec_driver_sql("SELECT to_regclass('procrastinate_jobs')").scalar()
        if there is None:
            raw: Any = connection.connection.driver_connection
            raw.execute(SchemaManager.get_schema())


class ImportQueue:
    """The queue of one server process: defers uploads and works on them."""

    def __init__(
        self,
        store: Store,
        uploads: Path,
        clock: Callable[[], datetime],
        import_workers: int | None = None,
        timings: Timings = Timings(),
    ) -> None:
        self.store = store
        self.jobs = ImportJobs(store.engine)
        self.uploads = uploads
        self.clock = clock
        self.import_workers = import_workers
        self.timings = timings
        connector = procrastinate.PsycopgConnector(conninfo=libpq_url(store.engine.url))
        self.app = procrastinate.App(connector=connector)
        self.app.task(name=TASK, queue=QUEUE)(self._work_on)

    def folder(self, job_id: int) -> Path:
        return self.uploads / str(job_id)

    async def open(self) -> None:
        await asyncio.to_thread(ensure_schema, self.store.engine)
        await self.app.open_async()

    async def close(self) -> None:
        await self.app.close_async()

    async def defer(self, job_id: int) -> None:
        await self.app.configure_task(TASK).defer_async(job_id=job_id)

    async def work(self) -> None:
        """Run this process's worker until cancelled: one import at a time."""
        await self.app.run_worker_async(
            queues=[QUEUE],
            concurrency=1,
            install_signal_handlers=False,
            update_heartbeat_interval=self.timings.heartbeat,
            stalled_worker_timeout=self.timings.stalled_after,
            delete_jobs="successful",
        )

    async def retry_stalled(self) -> None:
        """Put back in the queue, until cancelled, the jobs of processes that stopped."""
        manager = self.app.job_manager
        while True:
            stalled = await manager.get_stalled_jobs(
                queue=QUEUE, seconds_since_heartbeat=self.timings.stalled_after
            )
            for job in stalled:
                log.warning("import job %s was left by a stopped process: queued again", job.id)
                await manager.retry_job(job)
            await asyncio.sleep(self.timings.heartbeat)

    def _work_on(self, job_id: int) -> None:
        """The job: import the row's upload for its athlete (runs in a worker thread)."""
        try:
            job = self.jobs.get(job_id)
        except NotFound:
            return  # its athlete deleted their account meanwhile
        if job.status in ("done", "failed"):
            return  # finished before its process stopped: nothing left to do
        folder = self.folder(job_id)
        try:
            names = kept_names(folder)
        except (OSError, ValueError):
            self._finish(job_id, "failed", {"error": GONE})
            return
        self.jobs.update(job_id, status="running")
        try:
            summary = import_paths(
                self.store.for_athlete(job.athlete_id),
                [Path(path) for path in names],
                self.clock(),
                progress=_Progress(self.jobs, job_id),
                workers=self.import_workers,
                relabel=lambda label: uploaded_name(label, names),
            )
        except AfterrunError as error:
            self._finish(job_id, "failed", {"error": error.message})
        except Exception as error:
            log.exception("import job %s failed", job_id)
            self._finish(job_id, "failed", {"error": f"could not be imported ({brief(error)})"})
        else:
            data = summary.to_json()
            done = data["file_count"]
            self._finish(job_id, "done", data, files_done=done, files_total=done)
        shutil.rmtree(folder, ignore_errors=True)

    def _finish(self, job_id: int, status: str, summary: dict[str, Any], **values: Any) -> None:
        self.jobs.update(job_id, status=status, summary=summary, finished_at=self.clock(), **values)


class _Progress:
    """Writes files done/total to the job's row, at most every half second."""

    EVERY = 0.5

    def __init__(self, jobs: ImportJobs, job_id: int) -> None:
        self.jobs = jobs
        self.job_id = job_id
        self.written = 0.0

    def __call__(self, done: int, total: int, _label: str) -> None:
        now = time.monotonic()
        if now - self.written >= self.EVERY or done == total:
            self.written = now
            self.jobs.update(self.job_id, files_done=done, files_total=total)
