"""How long the coach's roster takes for a squad: 100 athletes with two years each.

Run: python bench/roster_speed.py [--db URL] [--athletes 100] [--years 2] [--runs 30]
Without --db it uses $AFTERRUN_TEST_POSTGRES_URL, in a schema of its own that is dropped
at the end. It seeds, in bulk, a club where every athlete shares everything with one
coach: about one activity a day (heart rate on most, an RPE on some), a cool-down of ten
holds after every third and a check-in after every fifth (a red flag now and then), then
times `services.roster.roster` (what /coach and /coach/roster.csv compute) and the CSV
made from it, in-process: median and slowest of `--runs`, after one warm-up, with this
process's CPU time and the machine's load average (on a busy machine the wall time is
mostly waiting for a core).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

NOW = datetime.now(UTC).replace(microsecond=0)


def _activity(athlete: int, index: int, start: datetime, rng: random.Random) -> dict[str, Any]:
    minutes = rng.uniform(25, 100)
    running = rng.random() < 0.85
    hr = rng.random() < 0.8
    return {
        "athlete_id": athlete,
        "content_hash": f"bench-{athlete}-{index}",
        "source": f"bench/{index}.fit",
        "source_format": "fit",
        "sport": "running" if running else "cycling",
        "started_at": start,
        "elapsed_seconds": minutes * 60,
        "moving_seconds": minutes * 58,
        "distance_m": minutes * 180,
        "avg_hr": rng.uniform(120, 170) if hr else None,
        "rpe": None if hr else float(rng.randrange(2, 10)),
        "partial": False,
        "corrected": False,
        "includes_run": running,
        "notes": [],
        "load": minutes * rng.uniform(0.6, 2.2) if hr else minutes * rng.randrange(2, 10),
        "load_method": "trimp-average" if hr else "session-rpe",
        "imported_at": start,
    }


def seed(url: str, athletes: int, years: int) -> int:
    """The club; returns the coach's id."""
    from sqlalchemy import insert

    from afterrun.services.consent import set_share
    from afterrun.store import Store
    from afterrun.store.shares import Share
    from afterrun.store.tables import ActivityRow, CheckinRow, SessionRow, StepRow

    rng = random.Random(13)  # noqa: S311 - made-up history, not secrets
    with Store.open(url) as store:
        coach = store.add_athlete("Coach Dana", NOW, role="coach")
        ids = [store.add_athlete(f"Athlete {n:03d}", NOW) for n in range(athletes)]
        activities, sessions, steps, checkins = [], [], [], []
        session_id = 0
        for athlete in ids:
            for day in range(365 * years):
                start = NOW - timedelta(days=day, hours=rng.uniform(1, 12))
                activities.append(_activity(athlete, day, start, rng))
                if day % 3 == 0:
                    session_id += 1
                    began = start + timedelta(minutes=105)
                    sessions.append(
                        {
                            "id": session_id,
                            "athlete_id": athlete,
                            "started_at": began,
                            "ended_at": began + timedelta(minutes=10),
                            "status": "completed",
                            "intensity": "hard",
                            "minutes": 10,
                            "total_planned_seconds": 600,
                            "plan": {},
                        }
                    )
                    done = rng.random() < 0.7
                    steps.extend(
                        {
                            "session_id": session_id,
                            "step_index": i,
                            "exercise": "calf-stretch",
                            "variant": None,
                            "side": None,
                            "kind": "hold",
                            "planned_seconds": 60,
                            "reps": None,
                            "actual_seconds": 60.0 if done else 0.0,
                            "status": "done" if done else "skipped",
                        }
                        for i in range(10)
                    )
                if day % 5 == 0:
                    flags = ["swelling"] if rng.random() < 0.02 else []
                    ratings = {"calves": rng.randrange(0, 8), "quads": rng.randrange(0, 6)}
                    checkins.append(
                        {
                            "athlete_id": athlete,
                            "at": start + timedelta(hours=20),
                            "ratings": ratings,
                            "red_flags": flags,
                        }
                    )

        def write(db: Any) -> None:
            for table, rows in (
                (ActivityRow, activities),
                (SessionRow, sessions),
                (StepRow, steps),
                (CheckinRow, checkins),
            ):
                for first in range(0, len(rows), 5000):
                    db.execute(insert(table), rows[first : first + 5000])

        store.write_with(write)
        for athlete in ids:
            set_share(store, athlete, coach, Share(True, True, True), NOW)
        print(
            f"seeded {athletes} athletes: {len(activities)} activities, {len(sessions)} "
            f"cool-downs ({len(steps)} steps), {len(checkins)} check-ins"
        )
        return coach


def _schema_url(base: str) -> tuple[str, str]:
    from sqlalchemy.engine import make_url

    schema = f"afterrun_bench_{uuid.uuid4().hex[:10]}"
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False), schema


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=None, help="a PostgreSQL URL (default: a fresh schema)")
    parser.add_argument("--athletes", type=int, default=100)
    parser.add_argument("--years", type=int, default=2)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    from sqlalchemy import create_engine

    from afterrun.paths import normalise_db_url
    from afterrun.rendering.roster import roster_csv
    from afterrun.services.roster import roster
    from afterrun.store import Store

    base = args.db or os.environ.get("AFTERRUN_TEST_POSTGRES_URL")
    if not base:
        print("give --db URL or set AFTERRUN_TEST_POSTGRES_URL", file=sys.stderr)
        return 2
    base = normalise_db_url(base)
    schema = None
    if args.db is None:
        url, schema = _schema_url(base)
        admin = create_engine(base)
        with admin.begin() as connection:
            connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    else:
        url = base
    try:
        coach = seed(url, args.athletes, args.years)
        with Store.open(url) as store:
            rows = roster(store, coach, NOW)  # warm-up: connections, caches
            took, cpu, csv_took = [], [], []
            for _ in range(args.runs):
                began, began_cpu = time.perf_counter(), time.process_time()
                rows = roster(store, coach, NOW)
                took.append(time.perf_counter() - began)
                cpu.append(time.process_time() - began_cpu)
                began = time.perf_counter()
                roster_csv(rows, NOW)
                csv_took.append(time.perf_counter() - began)
        print(
            f"roster of {len(rows)} athletes: median {statistics.median(took) * 1000:.0f} ms, "
            f"slowest {max(took) * 1000:.0f} ms over {args.runs} runs (this process's CPU: "
            f"median {statistics.median(cpu) * 1000:.0f} ms); "
            f"its CSV {statistics.median(csv_took) * 1000:.1f} ms more; load average "
            f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
        )
    finally:
        if schema is not None:
            with admin.begin() as connection:
                connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
            admin.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
