"""How `afterrun report` grows with history: 100, 1,000 and 5,000 stored activities.

Run: python bench/report_speed.py [--runs 7] [--sizes 100,1000,5000]
Builds one database per size (runs most days, a ride or a swim now and then, heart rate
on most, an RPE on some, cool-downs and check-ins in the last year), then times, as
separate processes, `afterrun report --weeks 52` and `afterrun report --weeks 52 --out
FILE.html` on each: the whole command's CPU time (user + system, median), and that time
over a bare interpreter (`python -c pass`, measured in the same run), so that figures
from different machines compare. The same report on an empty database is shown too (the
command's fixed cost), and the report alone, made in-process as the command makes it.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from afterrun.store import Store

NOW = datetime.now(UTC).replace(microsecond=0)
SPORTS = ("running",) * 8 + ("cycling", "swimming")


def build_database(path: Path, count: int, seed: int = 7) -> None:
    """`count` activities ending today, about 1.4 a day, with sessions and check-ins."""
    from afterrun.core.activity import Activity, Sport
    from afterrun.core.load import Profile, activity_load
    from afterrun.core.soreness import CheckIn
    from afterrun.store import Store

    rng = random.Random(seed)  # noqa: S311 - made-up history, not secrets
    profile = Profile(hr_max=190, hr_rest=50)
    with Store.open(str(path)) as store:
        store.save_profile(profile, NOW)
        for index in range(count):
            start = NOW - timedelta(hours=17 * (index + 1) + rng.random())
            minutes = rng.uniform(20, 100)
            activity = Activity(
                sport=Sport(rng.choice(SPORTS)),
                start=start,
                elapsed_seconds=minutes * 60,
                moving_seconds=minutes * 58,
                distance_m=minutes * rng.uniform(150, 220),
                avg_hr=rng.uniform(120, 170) if rng.random() < 0.8 else None,
                rpe=round(rng.uniform(2, 9)) if rng.random() < 0.3 else None,
                source_format="gpx",
            )
            load = activity_load(activity, profile, NOW.year)
            store.add_activity(activity, f"bench-{index}", f"bench/{index}.gpx", load, NOW)
            if index % 3 == 0 and start > NOW - timedelta(days=365):
                _add_session(store, start + timedelta(minutes=minutes + 5))
            if index % 5 == 0 and start > NOW - timedelta(days=365):
                ratings = {"calves": rng.randrange(0, 8), "quads": rng.randrange(0, 6)}
                store.add_checkin(CheckIn(start + timedelta(hours=24), ratings))


def _add_session(store: Store, started: datetime) -> None:
    from afterrun.core.records import SessionRecord, StepRecord

    steps = tuple(
        StepRecord(
            index=i,
            exercise="calf-stretch",
            variant=None,
            side=None,
            kind="hold",
            planned_seconds=30,
            reps=None,
            actual_seconds=30.0,
            status="done",
        )
        for i in range(6)
    )
    played = SessionRecord(
        started_at=started,
        ended_at=started + timedelta(minutes=8),
        status="completed",
        intensity="hard",
        minutes=8,
        plan={},
        steps=steps,
        pains=(),
    )
    store.start_session(played)


def median_cpu(argv: list[str], runs: int, env: dict[str, str]) -> float:
    """The median CPU time (user + system) of the command: steadier than wall time on a
    busy machine."""
    samples = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=env)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        samples.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(samples)


def median_in_process(db: Path, runs: int) -> tuple[float, float]:
    """CPU seconds of the report itself, start-up excluded: (text, HTML), read as the
    command reads a SQLite file (`quick_report.read_report`)."""
    from afterrun.cli.commands.report import render_text
    from afterrun.quick_report import read_report
    from afterrun.rendering.report import render_html

    text, html = [], []
    for _ in range(runs + 1):
        began = time.process_time()
        weekly = read_report(db, NOW, 52)
        if weekly is None:
            raise RuntimeError(f"{db} is not at the schema the quick read knows")
        render_text(weekly)
        middle = time.process_time()
        weekly = read_report(db, NOW, 52)
        assert weekly is not None
        render_html(weekly)
        text.append(middle - began)
        html.append(time.process_time() - middle)
    return statistics.median(text[1:]), statistics.median(html[1:])


def report_commands(db: Path, out: Path) -> dict[str, list[str]]:
    base = [sys.executable, "-m", "afterrun", "--db", str(db), "report", "--weeks", "52"]
    return {"report --weeks 52": base, "report --weeks 52 --out": [*base, "--out", str(out)]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sizes", default="100,1000,5000")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        # Bytecode kept, as an installed package has it (a setting that forbids writing it
        # would compile edited modules again on every run).
        kept = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env = {**kept, "AFTERRUN_CONFIG_DIR": scratch, "AFTERRUN_DATA_DIR": scratch}
        out = folder / "report.html"
        databases = {0: folder / "empty.db"}
        build_database(databases[0], 0)
        for size in sizes:
            began = time.perf_counter()
            databases[size] = folder / f"history-{size}.db"
            build_database(databases[size], size)
            print(f"built {size:5d} activities in {time.perf_counter() - began:5.1f} s")
        bare = median_cpu([sys.executable, "-c", "pass"], args.runs * 2, env)
        results: dict[tuple[int, str], float] = {}
        inside: dict[int, tuple[float, float]] = {}
        for size, db in databases.items():
            for name, argv in report_commands(db, out).items():
                subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=env)  # warm
                results[size, name] = median_cpu(argv, args.runs, env)
            inside[size] = median_in_process(db, args.runs)
    print(
        f"median CPU time of {args.runs} runs each ({sys.version.split()[0]}), "
        f"load average {os.getloadavg()[0]:.2f}; python -c pass {bare * 1000:.1f} ms"
    )
    for column, name in enumerate(("report --weeks 52", "report --weeks 52 --out")):
        for size in (0, *sizes):
            seconds = results[size, name]
            what = "empty database" if size == 0 else f"{size:,} activities"
            alone = "" if size == 0 else f"; the report alone {inside[size][column] * 1000:6.1f} ms"
            print(
                f"{name:24s} {what:>16s} {seconds * 1000:7.1f} ms"
                f"  (+{(seconds - bare) * 1000:6.1f} ms over python -c pass){alone}"
            )


if __name__ == "__main__":
    main()
