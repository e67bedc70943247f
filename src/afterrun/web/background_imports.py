"""Uploads imported in the background (a club on PostgreSQL): queued here, followed at
/api/imports/{job_id} by their owner only, and worked on by every server process."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, BinaryIO

import anyio.from_thread
from fastapi import APIRouter

from afterrun.services.imports import estimate_count
from afterrun.services.uploads import keep_names, save_uploads
from afterrun.store.jobs import ImportJobs
from afterrun.web.deps import RowId, State
from afterrun.web.errors import COMMON_ERRORS, NOT_FOUND
from afterrun.web.signed_in import Me, SignedIn
from afterrun.web.state import AppState

router = APIRouter(prefix="/api", tags=["runs"], responses=COMMON_ERRORS)


def queue_upload(
    state: AppState, me: SignedIn, uploads: list[tuple[str | None, BinaryIO]]
) -> dict[str, Any]:
    """Save the files where every process can read them and queue their import."""
    queue = state.queue
    assert queue is not None  # noqa: S101 - the caller checked
    label = uploads[0][0] or "upload" if len(uploads) == 1 else f"{len(uploads)} files"
    job_id = queue.jobs.create(me.athlete_id, label, state.now())
    folder = queue.folder(job_id)
    try:
        folder.mkdir(parents=True, exist_ok=False)
        names = save_uploads(folder, uploads)
        keep_names(folder, names)
        queue.jobs.update(job_id, files_total=estimate_count([Path(p) for p in names]))
        anyio.from_thread.run(queue.defer, job_id)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        queue.jobs.update(job_id, status="failed", summary={"error": "the upload was not saved"})
        raise
    return queue.jobs.get(job_id).to_json()


@router.get(
    "/imports/{job_id}",
    summary="A background import's progress and, once done, its summary",
    responses=NOT_FOUND,
)
def import_job(state: State, me: Me, job_id: RowId) -> dict[str, Any]:
    """Yours only: another athlete's import is not found, as one that does not exist."""
    jobs = state.queue.jobs if state.queue is not None else ImportJobs(state.store.engine)
    return jobs.get(job_id, me.athlete_id).to_json()


@contextlib.asynccontextmanager
async def working(state: AppState) -> AsyncIterator[None]:
    """While the app runs: this process's worker, and the watch for stalled jobs."""
    queue = state.queue
    if queue is None:
        yield
        return
    await queue.open()
    tasks = [asyncio.create_task(queue.work()), asyncio.create_task(queue.retry_stalled())]
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await queue.close()
