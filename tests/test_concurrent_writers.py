"""The CLI and the web server writing to one SQLite database at the same time lose nothing."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from test_serve import WRITE, Server, afterrun, start

API_WRITES = 12
CLI_WRITES = 6


def api_writer(server: Server, number: int) -> list[int]:
    """A phone: a cool-down saved twice, and a check-in."""
    with httpx.Client(base_url=server.base, headers=WRITE, timeout=60) as client:
        started = client.post("/api/sessions", json={"minutes": 3, "intensity": "easy"})
        assert started.status_code == 201, started.text
        session = started.json()["id"]
        for until in (20_000, 400_000):
            saved = client.put(
                f"/api/sessions/{session}/progress",
                json={"events": [{"at_ms": 1_000, "action": "skip"}], "until_ms": until},
            )
            assert saved.status_code == 200, saved.text
        checked = client.post("/api/checkins", json={"ratings": {"calves": number % 11}})
        assert checked.status_code == 201, checked.text
    return [session]


def cli_writer(tmp_path: Path, db: str, number: int) -> None:
    """The runner at the terminal: a run typed in and a check-in."""
    added = afterrun(
        tmp_path,
        *("--db", db, "run", "add", "--distance", f"{5 + number}km", "--time", "30:00"),
        *("--at", f"2026-11-{number + 1:02d} 07:30"),
    )
    assert added.returncode == 0, added.stderr
    checked = afterrun(tmp_path, "--db", db, "checkin", "hamstrings=2", "--json")
    assert checked.returncode == 0, checked.stderr


def test_cli_and_server_writing_together_keep_every_write(tmp_path: Path) -> None:
    server = start(tmp_path)
    try:
        with ThreadPoolExecutor(max_workers=6) as pool:
            phones = [pool.submit(api_writer, server, n) for n in range(API_WRITES)]
            terminals = [pool.submit(cli_writer, tmp_path, server.db, n) for n in range(CLI_WRITES)]
            sessions = sorted(s for future in phones for s in future.result())
            for future in terminals:
                future.result()
    finally:
        server.stop()
    exported = afterrun(tmp_path, "--db", server.db, "export")
    assert exported.returncode == 0, exported.stderr
    document = json.loads(exported.stdout)
    assert len(document["runs"]) == CLI_WRITES
    assert len(document["checkins"]) == API_WRITES + CLI_WRITES
    stored = {s["id"]: s for s in document["sessions"]}
    assert sorted(stored) == sessions
    # The skip at 1 s skipped the get-ready, which is not one of the steps counted as work.
    assert all(
        s["status"] == "completed"
        and [step["status"] for step in s["steps"]].count("skipped") == 1
        and s["steps_skipped"] == 0
        for s in stored.values()
    )
    integrity = afterrun(tmp_path, "--db", server.db, "history", "--json")
    assert len(json.loads(integrity.stdout)) == API_WRITES
