"""`afterrun serve --workers 2` for real: two processes answer, and the writes of both are
all stored (the database is the only state they share)."""

from __future__ import annotations

import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from afterrun.store import Store
from afterrun.web.worker_pid import WORKER_HEADER_ENV
from conftest import Cli
from test_serve import STARTUP_SECONDS, WRITE, environment, free_port, spawn_server

WRITES = 24


def start_workers(tmp_path: Path, db_url: str, workers: int) -> tuple[subprocess.Popen[str], str]:
    port = free_port()
    command = [sys.executable, "-m", "afterrun", "--db", db_url, "serve", "--port", str(port)]
    command.extend(("--workers", str(workers)))
    env = environment(tmp_path, **{WORKER_HEADER_ENV: "1"})
    return spawn_server(command, env, port, "afterrun serve --workers")


def checkin(base: str, number: int) -> str:
    with httpx.Client(base_url=base, headers=WRITE, timeout=60) as client:
        answer = client.post("/api/checkins", json={"ratings": {"calves": number % 11}})
        assert answer.status_code == 201, answer.text
        return answer.headers["x-afterrun-worker"]


def test_two_worker_processes_answer_and_store_every_write(tmp_path: Path, db_url: str) -> None:
    with Store.open(db_url):
        pass  # migrated here, so the server's start-up check finds it ready
    process, base = start_workers(tmp_path, db_url, 2)
    try:
        pids: set[str] = set()
        deadline = time.monotonic() + STARTUP_SECONDS
        while len(pids) < 2 and time.monotonic() < deadline:
            with ThreadPoolExecutor(8) as pool:
                pids.update(pool.map(lambda _: _today_pid(base), range(8)))
        assert len(pids) == 2, f"only worker {pids} answered"
        writers: set[str] = set()
        written = 0
        while writers != pids and written < 10 * WRITES:
            with ThreadPoolExecutor(8) as pool:
                numbers = range(written, written + WRITES)
                writers.update(pool.map(lambda number: checkin(base, number), numbers))
            written += WRITES
        assert writers == pids
    finally:
        process.terminate()
        process.communicate(timeout=30)
    assert process.returncode == 0
    with Store.open(db_url) as store:
        assert len(store.list_checkins()) == written


def _today_pid(base: str) -> str:
    answer = httpx.get(f"{base}/api/today", timeout=30)
    assert answer.status_code == 200, answer.text
    return answer.headers["x-afterrun-worker"]


def test_watching_folders_needs_a_single_worker(cli: Cli, tmp_path: Path) -> None:
    result = cli("serve", "--watch", str(tmp_path), "--workers", "2")
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "Error: --watch needs a single worker process (several would each import the same "
        "files): leave out --workers, or run 'afterrun watch DIR' beside the server.\n"
    )
