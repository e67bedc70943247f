"""A club on PostgreSQL imports uploads in the background, through procrastinate's queue:
a server process killed mid-import loses nothing, every run is stored once, and only the
owner can follow the import. The members sign in with their passwords; their sessions,
kept in the database, outlive the process."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
import zipfile
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from activity_files import T0, Leg, fit_file
from afterrun.store import Store
from afterrun.web.settings import SETTINGS_ENV, WebSettings
from club_helpers import make_club, session_cookie
from test_serve import WRITE, environment, free_port, spawn_server

pytestmark = pytest.mark.postgres
RUNS = 6


def archive() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zipped:
        for day in range(RUNS):
            leg = Leg(start=T0 + timedelta(days=day), seconds=1200 + 60 * day)
            zipped.writestr(f"export/run-{day}.fit", fit_file([leg]))
    return out.getvalue()


def club_server(tmp_path: Path, db_url: str) -> tuple[subprocess.Popen[str], str]:
    """A club server process, as `afterrun serve --club --workers N` starts each of its
    workers (the app's own factory, its settings in the environment), here with a short
    wait before a stopped process's import is taken up again."""
    port = free_port()
    settings = WebSettings(
        db_url=db_url,
        config_dir=tmp_path / "config",
        club=True,
        data_dir=tmp_path / "data",
        stalled_job_seconds=3.0,
    )
    env = environment(tmp_path, **{SETTINGS_ENV: settings.to_env()})
    command = [sys.executable, "-m", "uvicorn", "--factory", "afterrun.web.app:create_app_from_env"]
    command.extend(("--port", str(port), "--log-level", "warning"))
    return spawn_server(command, env, port, "the club server")


def stop(process: subprocess.Popen[str], sig: int = signal.SIGTERM) -> None:
    if process.poll() is None:
        os.kill(process.pid, sig)
    process.communicate(timeout=60)


def test_a_killed_worker_loses_no_import_and_doubles_no_run(
    tmp_path: Path, postgres_url: str
) -> None:
    ids = make_club(postgres_url, ("Ana", "athlete"), ("Ben", "athlete"), admin="Ada")
    ana, ben = ids["Ana"], ids["Ben"]
    first, base = club_server(tmp_path, postgres_url)
    try:
        with httpx.Client(base_url=base, timeout=30) as client:
            as_ana, as_ben = session_cookie(client, "Ana"), session_cookie(client, "Ben")
        answer = httpx.post(
            f"{base}/api/imports",
            headers={**WRITE, **as_ana},
            files={"files": ("my-export.zip", archive(), "application/zip")},
            timeout=60,
        )
        assert answer.status_code == 202, answer.text
        job = answer.json()["job"]
        assert job["status"] in ("queued", "running", "done")
        assert job["filename"] == "my-export.zip"
        killed_at = _once_running(postgres_url, job["id"])
    finally:
        stop(first, signal.SIGKILL)  # mid-import, or just after: nothing may be lost
    assert killed_at.startswith(("running", "done")), killed_at
    second, base = club_server(tmp_path, postgres_url)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            followed = httpx.get(f"{base}/api/imports/{job['id']}", headers=as_ana, timeout=30)
            assert followed.status_code == 200, followed.text
            if followed.json()["status"] in ("done", "failed"):
                break
            time.sleep(0.5)
        done = followed.json()
        assert done["status"] == "done", done
        assert done["files_done"] == done["files_total"] == RUNS
        stored = done["summary"]["imported"] + done["summary"]["already_there"]
        assert stored == RUNS
        theirs = httpx.get(f"{base}/api/imports/{job['id']}", headers=as_ben, timeout=30)
        assert theirs.status_code == 404
        assert theirs.json() == {"error": f"No import {job['id']}: its page lists your imports."}
    finally:
        stop(second)
    with Store.open(postgres_url) as store:
        runs = store.for_athlete(ana).list_activities()
        assert len(runs) == RUNS
        assert len({run.activity.start for run in runs}) == RUNS
        assert store.for_athlete(ben).list_activities() == []
    assert not any((tmp_path / "data" / "uploads").iterdir())


def _once_running(db_url: str, job_id: int) -> str:
    """Wait until the import has started (or finished): the moment to kill its process."""
    from afterrun.store.jobs import ImportJobs

    with Store.open(db_url) as store:
        jobs = ImportJobs(store.engine)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            job = jobs.get(job_id)
            if job.status != "queued":
                return f"{job.status} {job.files_done}/{job.files_total}"
            time.sleep(0.02)
    return "queued"
