"""Crash safety with real processes and a real SIGKILL.

A batch import and a guided cool-down are killed part-way. Afterwards the database must
open, hold nothing half-stored or twice, and the same commands must finish the job:
`afterrun import` stores exactly the rest, `afterrun go --resume` plays on in the same session.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import math
import os
import pty
import signal
import sqlite3
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from afterrun.core.records import SessionRecord
from afterrun.core.step_kinds import WORK_KINDS
from afterrun.store import Store, stream_codec

FILES = 400
POINTS = 600
KILL_AFTER = (25, 120)  # kill the first import past 25 stored, the second past 120
LIMIT_S = 120


# --- helpers ---------------------------------------------------------------------------


def gpx(number: int, points: int = POINTS) -> str:
    """A distinct 10-minute run with heart rate: its own day, so never 'the same run'."""
    start = datetime(2025, 1, 1, 7, 0, tzinfo=UTC) + timedelta(days=number, minutes=number % 60)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<gpx version="1.1" creator="afterrun-test" xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">',
        f"<trk><name>Run {number}</name><type>running</type><trkseg>",
    ]
    for i in range(points):
        moment = (start + timedelta(seconds=i)).strftime("%Y-%m-%dT%H:%M:%SZ")
        lat = 59.9 + i * 0.00003
        lon = 10.7 + 0.0001 * math.sin(i / 50 + number)
        hr = 120 + (i * 40) // points + number % 7
        lines.append(
            f'<trkpt lat="{lat:.7f}" lon="{lon:.7f}"><ele>{100 + 5 * math.sin(i / 100):.1f}</ele>'
            f"<time>{moment}</time><extensions><gpxtpx:TrackPointExtension>"
            f"<gpxtpx:hr>{hr}</gpxtpx:hr></gpxtpx:TrackPointExtension></extensions></trkpt>"
        )
    lines.append("</trkseg></trk></gpx>")
    return "\n".join(lines)


def environment(tmp_path: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("AFTERRUN_")}
    env.update(
        AFTERRUN_DB=str(tmp_path / "afterrun.db"),
        AFTERRUN_CONFIG_DIR=str(tmp_path / "config"),
        AFTERRUN_DATA_DIR=str(tmp_path / "data"),
        TERM="xterm-256color",
        COLUMNS="80",
        LINES="24",
    )
    return env


AFTERRUN = [sys.executable, "-m", "afterrun"]


def query(db: Path, sql: str) -> list[tuple[object, ...]]:
    """Read with a plain sqlite3 connection, as another process would; [] before tables exist."""
    if not db.exists():
        return []
    connection = sqlite3.connect(db, timeout=5)
    try:
        return connection.execute(sql).fetchall()
    except sqlite3.OperationalError as error:
        if "no such table" in str(error):
            return []
        raise
    finally:
        connection.close()


def wait_for(what: str, check: Callable[[], bool], process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + LIMIT_S
    while not check():
        if process.poll() is not None:
            raise AssertionError(f"the process ended (status {process.returncode}) before {what}")
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


def kill_group(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL the process we started, then anything it left behind (its pool workers)."""
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


def integrity_ok(db: Path) -> None:
    assert query(db, "PRAGMA integrity_check") == [("ok",)]
    assert query(db, "PRAGMA foreign_key_check") == []


def stored_count(db: Path) -> int:
    rows = query(db, "SELECT count(*) FROM activities")
    return int(rows[0][0]) if rows else 0  # type: ignore[call-overload]


class Terminal:
    """A command in a pseudo-terminal of 80x24, its output drained so it never blocks."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.process = subprocess.Popen(
            args,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        self._master = master
        self._output = bytearray()
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        while True:
            try:
                chunk = os.read(self._master, 65536)
            except OSError:
                return
            if not chunk:
                return
            self._output.extend(chunk)

    @property
    def output(self) -> str:
        return self._output.decode("utf-8", "replace")

    def press(self, keys: bytes) -> None:
        """Type `keys` at the terminal."""
        os.write(self._master, keys)

    def wait(self, timeout: float = LIMIT_S) -> int:
        code = self.process.wait(timeout=timeout)
        self._reader.join(timeout=5)
        return code

    def close(self) -> None:
        if self.process.poll() is None:
            kill_group(self.process)
        with contextlib.suppress(OSError):
            os.close(self._master)


@pytest.fixture
def terminals() -> Iterator[list[Terminal]]:
    opened: list[Terminal] = []
    yield opened
    for terminal in opened:
        terminal.close()


# --- SQLite settings -------------------------------------------------------------------


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path: Path) -> None:
    with Store.open(str(tmp_path / "afterrun.db")) as store, store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_a_writer_waits_for_another_process_lock_instead_of_failing(tmp_path: Path) -> None:
    """Two afterruns at once (an import and a cool-down): the second waits, it does not fail."""
    path = tmp_path / "afterrun.db"
    Store.open(str(path)).close()
    script = (
        "import sqlite3, time\n"
        f"c = sqlite3.connect({str(path)!r}, isolation_level=None)\n"
        "c.execute('BEGIN IMMEDIATE')\n"
        "print('locked', flush=True)\n"
        "time.sleep(1.0)\n"
        "c.execute('COMMIT')\n"
    )
    with subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE) as holder:
        assert holder.stdout is not None
        assert holder.stdout.readline() == b"locked\n"
        started = time.monotonic()
        with Store.open(str(path)) as store:
            session_id = store.start_session(_record())
            waited = time.monotonic() - started
            assert store.get_session(session_id).record == _record()
    assert holder.returncode == 0
    assert 0.3 < waited < 5


def _record() -> SessionRecord:
    return SessionRecord(
        started_at=datetime(2026, 11, 23, 8, 0, tzinfo=UTC),
        ended_at=None,
        status="in-progress",
        intensity="easy",
        minutes=5,
        plan={"steps": []},
        steps=(),
        pains=(),
    )


# --- kill -9 during a batch import -----------------------------------------------------


def _check_every_activity_is_whole(db: Path, folder: Path) -> None:
    rows = query(
        db,
        "SELECT source, name, content_hash, sport, elapsed_seconds, distance_m, avg_hr, "
        "load, load_method, hr_stream, speed_stream, partial FROM activities",
    )
    hashes = [row[2] for row in rows]
    assert len(set(hashes)) == len(hashes), "an activity is stored twice"
    sources = [row[0] for row in rows]
    assert len(set(sources)) == len(sources), "a file is stored twice"
    for source, name, _, sport, elapsed, distance, avg_hr, load, method, hr, speed, part in rows:
        number = int(Path(str(source)).stem.removeprefix("run-"))
        assert Path(str(source)).parent == folder
        assert (name, sport, part) == (f"Run {number}", "running", 0), source
        assert elapsed == POINTS - 1
        assert isinstance(distance, float) and distance > 1000
        assert isinstance(avg_hr, float) and 120 < avg_hr < 170
        assert isinstance(load, float) and load > 0 and method == "trimp-stream"
        hr_stream = stream_codec.decode(hr)  # type: ignore[arg-type]
        speed_stream = stream_codec.decode(speed)  # type: ignore[arg-type]
        assert hr_stream is not None and len(hr_stream.offsets) == POINTS, source
        assert speed_stream is not None and len(speed_stream.offsets) > 0, source


def _import(env: dict[str, str], folder: Path) -> dict[str, int]:
    result = subprocess.run(
        [*AFTERRUN, "import", "--json", str(folder)],
        env=env,
        capture_output=True,
        text=True,
        timeout=LIMIT_S,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    return {key: summary[key] for key in ("imported", "already_there", "partial", "failed")}


def test_an_import_killed_twice_keeps_whole_activities_and_finishes_on_the_next_run(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    for number in range(FILES):
        (folder / f"run-{number:04d}.gpx").write_text(gpx(number))
    env = environment(tmp_path)
    db = Path(env["AFTERRUN_DB"])

    counts = []
    for threshold in KILL_AFTER:
        process = subprocess.Popen(
            [*AFTERRUN, "import", str(folder)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            wait_for(f"{threshold} activities", lambda t=threshold: stored_count(db) >= t, process)
        finally:
            kill_group(process)
        assert process.returncode == -signal.SIGKILL
        integrity_ok(db)
        counts.append(stored_count(db))
        assert threshold <= counts[-1] < FILES, "the import was not killed part-way"
        _check_every_activity_is_whole(db, folder)

    second = _import(env, folder)
    assert second == {
        "imported": FILES - counts[-1],
        "already_there": counts[-1],
        "partial": 0,
        "failed": 0,
    }
    assert stored_count(db) == FILES
    _check_every_activity_is_whole(db, folder)
    third = _import(env, folder)
    assert third == {"imported": 0, "already_there": FILES, "partial": 0, "failed": 0}
    assert stored_count(db) == FILES
    integrity_ok(db)


def _living_in_group(pgid: int) -> list[int]:
    """Processes of the group that are not zombies, from /proc (Linux)."""
    living = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            living.append(int(stat.parent.name))
    return living


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
def test_killing_the_import_leaves_no_worker_processes_behind(tmp_path: Path) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    for number in range(60):
        (folder / f"run-{number:04d}.gpx").write_text(gpx(number))
    env = environment(tmp_path)
    db = Path(env["AFTERRUN_DB"])
    process = subprocess.Popen(
        [*AFTERRUN, "import", str(folder)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_for("10 activities", lambda: stored_count(db) >= 10, process)
        process.send_signal(signal.SIGKILL)  # the import only, as `kill -9 PID` does
        process.wait(timeout=10)
        deadline = time.monotonic() + 5
        while _living_in_group(process.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _living_in_group(process.pid) == []
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)


# --- kill -9 during a guided cool-down -------------------------------------------------


def _steps(db: Path) -> list[tuple[int, str, float]]:
    rows = query(
        db, "SELECT step_index, status, actual_seconds FROM session_steps ORDER BY step_index"
    )
    return [(int(i), str(s), float(a)) for i, s, a in rows]  # type: ignore[call-overload]


def test_a_cool_down_killed_part_way_resumes_in_the_same_session(
    tmp_path: Path, terminals: list[Terminal]
) -> None:
    env = environment(tmp_path)
    db = Path(env["AFTERRUN_DB"])
    first = Terminal([*AFTERRUN, "go", "-m", "4", "--speed", "20"], env)
    terminals.append(first)

    def enough_done() -> bool:
        return sum(status == "done" for _, status, _ in _steps(db)) >= 4

    wait_for("4 steps saved as done", enough_done, first.process)
    first.process.send_signal(signal.SIGKILL)
    assert first.wait() == -signal.SIGKILL

    integrity_ok(db)
    assert query(db, "SELECT id, status, ended_at FROM sessions") == [(1, "in-progress", None)]
    before = _steps(db)
    done = [index for index, status, _ in before if status == "done"]
    assert len(done) >= 4
    assert done == list(range(len(done))), "steps are saved in order"
    assert all(status == "not-reached" for _, status, _ in before[len(done) + 1 :])
    reached = len(done)  # the step that was running: partial, or not yet saved

    second = Terminal([*AFTERRUN, "go", "--resume", "--speed", "100"], env)
    terminals.append(second)
    assert second.wait() == 0, second.output
    assert f"Resuming session 1 at {_name(db, reached)}, step {reached + 1} of " in second.output
    assert "Cool-down complete: " in second.output
    assert "Saved as session 1;" in second.output

    integrity_ok(db)
    after = _steps(db)
    assert len(after) == len(before)
    assert after[:reached] == before[:reached], "the steps done before the crash are kept"
    assert all(status == "done" for _, status, _ in after)
    history = subprocess.run(
        [*AFTERRUN, "history", "--json"], env=env, capture_output=True, text=True, check=True
    )
    sessions = json.loads(history.stdout)
    assert [(s["id"], s["status"]) for s in sessions] == [(1, "completed")]
    work = [step for step in sessions[0]["steps"] if step["kind"] in WORK_KINDS]
    assert sessions[0]["steps_done"] == len(work) < len(after), "work steps only are counted"
    assert sessions[0]["ended_at"] is not None


def _name(db: Path, index: int) -> str:
    (plan,) = query(db, "SELECT plan FROM sessions")[0]
    return str(json.loads(str(plan))["steps"][index]["name"])


def test_a_cool_down_after_a_hard_run_walks_first_and_counts_the_walk(
    tmp_path: Path, terminals: list[Terminal]
) -> None:
    env = environment(tmp_path)
    go = Terminal([*AFTERRUN, "go", "-m", "3", "-i", "hard", "--speed", "100"], env)
    terminals.append(go)
    assert go.wait() == 0, go.output
    # 1 min of walking, then the calf stretch: 4 holds.
    assert (
        "Cool-down complete: 5 of 5 steps (the walk, holds and sets) done, 0 skipped. "
        "Saved as session 1; see 'afterrun history'." in go.output
    )
    history = subprocess.run(
        [*AFTERRUN, "history"], env=env, capture_output=True, text=True, check=True
    )
    assert " hard  completed  5/5   0        done    -" in history.stdout
    steps = query(
        Path(env["AFTERRUN_DB"]),
        "SELECT kind, planned_seconds FROM session_steps ORDER BY step_index",
    )
    assert steps[0] == ("walk", 60)
