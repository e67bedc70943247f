"""Start-up cost of the commands a runner types most, as CPU over a bare interpreter.

Run: python bench/startup.py [--runs 15] [--activities 1000]

Each command runs in a fresh process, in a scratch home folder whose default database
(where afterrun keeps it for a runner who set nothing) holds `--activities` runs (one a
day, the latest an hour ago) and check-ins of the last days,
and is measured as user + system CPU time of the child process (less sensitive than wall
time to other work on the machine), median of `--runs`. `python -c pass` is measured in
the same run and subtracted: the figure is what afterrun adds.

Commands run as the runner types them: the `afterrun` script installed beside the
interpreter (else `python -m afterrun`), with Python's compiled bytecode kept as an
installed package has it.

`afterrun go` runs in a pseudo-terminal. Its first frame is the first screen the runner
sees: the first step, its countdown and the keys line, which `go` draws with plain
terminal codes before the Textual player has loaded. Its figure is the process's CPU
time at the moment that frame arrives (read from /proc/PID/schedstat), so nothing after
it counts. Two more lines give, for comparison, the CPU until the Textual player has
drawn over it (the keys line a second time) and for the whole run, `q` sent then and the
closing summary included.
"""

from __future__ import annotations

import argparse
import os
import pty
import select
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

#: The command the runner types: the installed `afterrun` script beside this interpreter,
#: else the module.
_SCRIPT = Path(sys.executable).with_name("afterrun")
AFTERRUN = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "afterrun"]


def make_database(path: Path, activities: int) -> None:
    """`activities` runs, one a day up to an hour ago, and check-ins of the last days."""
    from afterrun.core.activity import Activity, Sport
    from afterrun.core.load import Profile, activity_load
    from afterrun.core.soreness import CheckIn
    from afterrun.store import Store

    now = datetime.now(UTC)
    with Store.open(f"sqlite:///{path}") as store:
        for day in range(activities):
            start = now - timedelta(days=day, hours=1, minutes=50)
            run = Activity(
                sport=Sport.RUNNING,
                start=start,
                elapsed_seconds=3000 + day % 7 * 120,
                distance_m=10_000 + day % 5 * 500,
                rpe=4 + day % 5,
            )
            load = activity_load(run, Profile(), now.year)
            store.add_activity(run, f"bench-{day}", "bench", load, now)
        for hours in (50, 26, 3):
            ratings = {"calves": 3, "hamstrings": 2}
            store.add_checkin(CheckIn(now - timedelta(hours=hours), ratings, ()))


def cpu_seconds(argv: list[str], env: dict[str, str]) -> float:
    """User + system CPU of one run of `argv`, from the kernel's accounting of the child."""
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise subprocess.CalledProcessError(child.returncode, argv)
    return usage.ru_utime + usage.ru_stime


def _cpu_so_far(pid: int) -> float:
    """CPU seconds a running process has used, from the kernel's scheduler statistics."""
    with open(f"/proc/{pid}/schedstat", encoding="ascii") as stats:
        return int(stats.read().split()[0]) / 1e9


def go_cpu_seconds(argv: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """CPU of `afterrun go` in a terminal: (to its first frame, to the Textual player's
    first frame, the whole run with `q` pressed once the player has drawn)."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: become afterrun go
        os.execvpe(argv[0], argv, {**env, "TERM": "xterm-256color", "COLUMNS": "80"})  # noqa: S606
    seen = b""
    deadline = time.monotonic() + 60
    marks: list[float] = []
    while True:
        ready, _, _ = select.select([fd], [], [], 0.01)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        # The keys line: once in the first frame, again when the player has drawn.
        while len(marks) < 2 and seen.count(b"pause/resume") > len(marks):
            marks.append(_cpu_so_far(pid))
            if len(marks) == 2:
                os.write(fd, b"q")
        if time.monotonic() > deadline:
            os.kill(pid, 9)
            break
    _, status, usage = os.wait4(pid, 0)
    os.close(fd)
    if len(marks) < 2:
        raise RuntimeError(f"afterrun go drew no player (status {status}): {seen[-400:]!r}")
    return marks[0], marks[1], usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--activities", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        # A runner's own layout: a home folder, with the database where afterrun puts it
        # by default (found through platformdirs on every start, as for the runner). Kept
        # bytecode, as an installed package has it: a setting that forbids writing it would
        # make every edited module compile again on each run.
        env = {
            **{
                k: v
                for k, v in os.environ.items()
                if k != "PYTHONDONTWRITEBYTECODE" and not k.startswith(("AFTERRUN_", "XDG_"))
            },
            "HOME": scratch,
        }
        os.environ.clear()
        os.environ.update(env)
        from afterrun.paths import DB_FILENAME, data_dir

        db = data_dir() / DB_FILENAME
        db.parent.mkdir(parents=True)
        began = time.perf_counter()
        make_database(db, args.activities)
        made = time.perf_counter() - began
        commands = {
            "python -c pass (baseline)": [sys.executable, "-c", "pass"],
            "afterrun --help": [*AFTERRUN, "--help"],
            "afterrun plan": [*AFTERRUN, "plan"],
            "afterrun plan --json -m 12 -i hard": [
                *AFTERRUN,
                "plan",
                "--json",
                "-m",
                "12",
                "-i",
                "hard",
            ],
            "afterrun (bare)": AFTERRUN,
        }
        for argv in commands.values():  # warm the file cache, bytecode and plan cache
            subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=env)
        # Round by round, every command once a round: a burst of other work on the machine
        # then weighs on all of them alike instead of on one command's block of runs.
        samples: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, argv in commands.items():
                samples[name].append(cpu_seconds(argv, env))
        results = {name: statistics.median(times) for name, times in samples.items()}
        go = [*AFTERRUN, "go", "-m", "5"]
        go_cpu_seconds(go, env)  # warm
        played = [go_cpu_seconds(go, env) for _ in range(args.runs)]
        for index, name in enumerate(
            (
                "afterrun go (to the first frame)",
                "afterrun go (to the Textual player)",
                "afterrun go (whole run, q at once)",
            )
        ):
            results[name] = statistics.median(run[index] for run in played)
    baseline = results.pop("python -c pass (baseline)")
    print(
        f"CPU (user + system), median of {args.runs} runs, Python {sys.version.split()[0]}; "
        f"database of {args.activities} runs and 3 check-ins (made in {made:.1f} s); "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    print(f"{'python -c pass (baseline)':38s} {baseline * 1000:7.1f} ms")
    for name, seconds in results.items():
        print(f"{name:38s} {seconds * 1000:7.1f} ms  (+{(seconds - baseline) * 1000:.1f} ms)")


if __name__ == "__main__":
    main()
