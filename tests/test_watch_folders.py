"""Runs that arrive by themselves: `afterrun watch DIR` as a real process, and the service
under it, importing files dropped into a folder (one written slowly) exactly once."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from activity_files import Leg, fit_file
from afterrun.core.time_text import when_text
from afterrun.services.arrivals import Arrival, Follower, FollowTimes, is_followed
from afterrun.services.runs import rate_stored
from afterrun.store import Store
from conftest import WRITE, Cli

#: How long a test waits for a line or an import before it fails.
PATIENCE = 30.0


class Lines:
    """A process's output, line by line, read in a thread so a test can wait for one."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.process = process
        self.seen: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def wait_for(self, count: int) -> list[str]:
        """Until `count` lines have come; fails with what came if they do not."""
        deadline = time.monotonic() + PATIENCE
        while len(self.seen) < count:
            try:
                line = self._queue.get(timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                pytest.fail(f"waited for {count} lines, got: {self.seen}")
            if line is None:
                pytest.fail(f"the process ended after: {self.seen}")
            self.seen.append(line)
        return self.seen

    def rest(self) -> list[str]:
        """What is left once the process has ended."""
        while (line := self._queue.get(timeout=PATIENCE)) is not None:
            self.seen.append(line)
        return self.seen


def write_slowly(path: Path, data: bytes, pieces: int, pause: float) -> None:
    """The file written in `pieces` with a pause after each, as a slow sync would."""
    size = -(-len(data) // pieces)
    with path.open("wb") as out:
        for start in range(0, len(data), size):
            out.write(data[start : start + size])
            out.flush()
            os.fsync(out.fileno())
            time.sleep(pause)


@pytest.fixture
def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def test_watch_imports_each_file_once_it_is_whole_and_goes_on_after_a_bad_one(
    cli: Cli, tmp_path: Path, now: datetime
) -> None:
    inbox = tmp_path / "Garmin"
    inbox.mkdir()
    earlier = Leg(start=now - timedelta(hours=3), seconds=1800, metres_per_second=3.0)
    latest = Leg(start=now - timedelta(hours=1), seconds=2400, metres_per_second=3.2)
    env = {**os.environ, **cli.env, "TZ": "UTC", "PYTHONUNBUFFERED": "1"}
    # Settle 1 s, so the watch looks every 0.25 s: the slow file's pauses (0.5 s) are
    # longer than a look and shorter than the settle time.
    with subprocess.Popen(
        [sys.executable, "-m", "afterrun", "watch", "--settle", "1", str(inbox)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    ) as process:
        try:
            rest = _watch_and_stop(process, inbox, earlier, latest, cli, now)
        finally:
            if process.poll() is None:
                process.kill()
    assert len(rest) == 6
    assert rest[5].startswith("Watched for ")
    assert rest[5].endswith(": imported 2 runs; 1 file failed.")


def _watch_and_stop(
    process: subprocess.Popen[str], inbox: Path, earlier: Leg, latest: Leg, cli: Cli, now: datetime
) -> list[str]:
    """Drop the files, check what was printed and stored, then Ctrl-C: all it printed."""
    lines = Lines(process)
    assert lines.wait_for(1) == [
        f"Watching {inbox} for new activity files (each is imported once completely "
        "written). Press Ctrl-C to stop."
    ]
    (inbox / "morning.fit").write_bytes(fit_file([earlier]))
    (inbox / "evening.fit.part").write_bytes(fit_file([latest])[:5000])  # a download
    write_slowly(inbox / "evening.fit", fit_file([latest]), pieces=5, pause=0.5)
    (inbox / "broken.fit").write_bytes(b"this is not a FIT file")
    (inbox / ".evening.fit").write_bytes(b"a hidden copy")
    lines.wait_for(4)
    assert process.poll() is None  # still watching after the bad file
    (inbox / "copy-of-evening.fit").write_bytes(fit_file([latest]))
    seen = lines.wait_for(5)

    with Store.open(f"sqlite:///{cli.env['AFTERRUN_DB']}") as store:
        stored = sorted(store.list_activities(), key=lambda s: s.id)
        assert [(s.id, Path(s.source).name, s.activity.distance_m) for s in stored] == [
            (1, "morning.fit", 5400.0),
            (2, "evening.fit", 7680.0),
        ]
        assert not any(s.activity.partial for s in stored)
        hard = [rate_stored(store, s).intensity.label for s in stored]
    assert seen[1:] == [
        f"Imported morning.fit: run 1, {when_text(earlier.start, UTC, now)}, 5.40 km, "
        f"{hard[0]}. Cool down with 'afterrun go'.",
        f"Imported evening.fit: run 2, {when_text(latest.start, UTC, now)}, 7.68 km, "
        f"{hard[1]}. Cool down with 'afterrun go'.",
        "broken.fit could not be imported: not a FIT file (no '.FIT' signature in its header)",
        "copy-of-evening.fit: already there (run 2).",
    ]
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=PATIENCE) == 0
    return lines.rest()


def test_watch_refuses_a_missing_folder(cli: Cli, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"

    result = cli("watch", str(missing))

    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (
        f"Error: Invalid value for 'DIR...': Directory '{missing}' does not exist."
    )


def test_at_start_the_new_files_already_there_are_imported_and_stored_ones_left(
    cli: Cli, tmp_path: Path, now: datetime
) -> None:
    inbox = tmp_path / "Sync"
    (inbox / ".stversions").mkdir(parents=True)
    old = Leg(start=now - timedelta(days=3), seconds=1800, metres_per_second=3.0)
    new = Leg(start=now - timedelta(days=2), seconds=1800, metres_per_second=3.1)
    (inbox / "old.fit").write_bytes(fit_file([old]))
    assert cli("import", str(inbox / "old.fit")).exit_code == 0
    (inbox / "new.fit").write_bytes(fit_file([new]))
    (inbox / ".stversions" / "new~20261201.fit").write_bytes(fit_file([new]))
    arrivals: list[Arrival] = []
    stop = threading.Event()

    with Store.open(f"sqlite:///{cli.env['AFTERRUN_DB']}") as store:
        follower = Follower(
            store, [inbox], lambda: now, arrivals.append, FollowTimes(settle=0.3, poll=0.1)
        )
        thread = threading.Thread(target=follower.follow, args=(stop,), daemon=True)
        thread.start()
        try:
            _wait_until(lambda: len(arrivals) >= 1)
            time.sleep(0.6)  # nothing else comes
        finally:
            stop.set()
            thread.join(timeout=PATIENCE)
        assert not thread.is_alive()
        assert [(a.name, sorted(a.summary.new_ids)) for a in arrivals] == [("new.fit", [2])]
        assert len(store.list_activities()) == 2


def test_a_file_whose_writer_pauses_past_the_settle_time_is_not_taken_cut_short(
    tmp_path: Path, now: datetime
) -> None:
    """Read cut short once settled, it gets one more settle time; the rest comes in it."""
    inbox = tmp_path / "Downloads"
    inbox.mkdir()
    data = fit_file([Leg(start=now - timedelta(hours=1), seconds=2400)])
    arrivals: list[Arrival] = []
    stop = threading.Event()
    with Store.open(f"sqlite:///{tmp_path / 'a.db'}") as store:
        follower = Follower(
            store, [inbox], lambda: now, arrivals.append, FollowTimes(settle=1.0, poll=0.2)
        )
        follower.on_ready = lambda: None
        thread = threading.Thread(target=follower.follow, args=(stop,), daemon=True)
        thread.start()
        try:
            time.sleep(0.5)
            # Half, a pause longer than the settle time (shorter than two), the rest.
            write_slowly(inbox / "run.fit", data[: len(data) // 2], pieces=1, pause=1.4)
            with (inbox / "run.fit").open("ab") as out:
                out.write(data[len(data) // 2 :])
            _wait_until(lambda: len(arrivals) >= 1)
            time.sleep(1.5)
        finally:
            stop.set()
            thread.join(timeout=PATIENCE)
        assert len(arrivals) == 1
        summary = arrivals[0].summary
        assert (summary.imported, summary.partial, summary.failed) == (
            [(str(inbox / "run.fit"), 1)],
            [],
            [],
        )
        assert not store.get_activity(1).activity.partial


def _wait_until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + PATIENCE
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail("waited too long")
        time.sleep(0.05)


def test_the_version_today_checks_changes_when_a_run_is_stored(web: Any) -> None:
    """What the Today page asks every few seconds, on both databases."""
    empty = web.get("/api/today/version").json()["version"]
    data = fit_file([Leg(start=datetime(2026, 11, 30, 7, 0, tzinfo=UTC))])
    imported = web.post(
        "/api/imports",
        headers=WRITE,
        files={"files": ("run.fit", data, "application/octet-stream")},
    )
    assert imported.status_code == 200, imported.text

    after = web.get("/api/today/version").json()["version"]
    again = web.get("/api/today/version").json()["version"]

    assert empty == "0.0.0"
    assert after != empty
    assert after == again
    assert web.get("/").text.count(f'data-version="{after}"') == 1


@pytest.mark.parametrize(
    ("name", "followed"),
    [
        ("run.fit", True),
        ("2026/12/Run.FIT.GZ", True),
        ("walk.gpx", True),
        ("ride.tcx.gz", True),
        ("run.fit.part", False),
        ("run.fit.crdownload", False),
        ("run.fit~", False),
        ("run.fit.tmp", False),
        (".syncthing.run.fit.tmp", False),
        ("._run.fit", False),
        (".hidden.fit", False),
        (".stversions/run~20261201.fit", False),
        ("notes.txt", False),
        ("export.zip", False),
    ],
)
def test_which_files_are_followed(tmp_path: Path, name: str, followed: bool) -> None:
    assert is_followed(tmp_path / name, tmp_path) is followed
