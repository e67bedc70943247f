"""A club under load: many athletes and their coaches at once on one PostgreSQL.

Run: python bench/club_load.py --db postgresql://USER:PASS@HOST/DB
         [--athletes 500] [--years 2] [--clients 200] [--coach-clients CLIENTS/10]
         [--seconds 60] [--workers 2] [--think-ms 1000] [--upload-runs 300]
     (--db defaults to $AFTERRUN_TEST_POSTGRES_URL; a quick run: --athletes 50 --years 1)

Seeds a club in a fresh schema of that database (`club_seed.py`: athletes with years of
runs, cool-downs and check-ins, coaches who each see ~100 athletes; bulk inserts), then
starts `afterrun serve --club --workers N` on a free loopback port and drives
`--clients` concurrent clients with httpx for `--seconds`. An athlete's client signs in,
then loops: Today (the page), the plan API, a cool-down started and its progress saved
twice, a check-in; each step after a pause of 0.5 to 1.5 times `--think-ms`. A coach's
client signs in and reads the roster (`--roster-path`, default /coach) over and over.
Afterwards it counts the rows the clients wrote (cool-downs started, saved to the end,
check-ins), athlete by athlete, against what the server confirmed: a write missing,
doubled or stored in another athlete's account fails the run. With `--upload-runs N`
one more athlete uploads a zip of N recorded runs as the load starts and follows its
import (in the background on PostgreSQL) to the end: the other athletes' latencies show
what it costs them. Prints p50/p99/max per route, the errors, and the roster's p99
against 200 ms; exits 1 on an error, a write not as confirmed, or a missed budget.

Every client signs in as a member does: `POST /api/signin` with its name and password
(every seeded member has the same one, hashed once with Argon2), then keeps the session
cookie the server sets (`afterrun_session`). The schema is dropped afterwards
unless --keep.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

WRITE = {"X-Requested-By": "afterrun"}
ROSTER_BUDGET_MS = 200.0
SESSION_COOKIE = "afterrun_session"


@dataclass
class Tally:
    """What the clients saw: latencies per route, errors, and writes the server confirmed."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    #: Per athlete id: cool-downs started, saved to the end, and check-ins.
    started: Counter[int] = field(default_factory=Counter)
    finished: Counter[int] = field(default_factory=Counter)
    checkins: Counter[int] = field(default_factory=Counter)
    #: The big upload's outcome (`--upload-runs`): status, seconds, runs imported.
    upload: dict[str, Any] = field(default_factory=dict)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def fresh_schema(base: str) -> tuple[str, str]:
    from sqlalchemy import create_engine, make_url

    from afterrun.paths import normalise_db_url

    schema = f"afterrun_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(normalise_db_url(base))
    with admin.begin() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    admin.dispose()
    url = make_url(normalise_db_url(base)).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False), schema


def drop_schema(base: str, schema: str) -> None:
    from sqlalchemy import create_engine

    from afterrun.paths import normalise_db_url

    admin = create_engine(normalise_db_url(base))
    with admin.begin() as connection:
        connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    admin.dispose()


def start_server(db_url: str, args: argparse.Namespace, folder: Path) -> tuple[Any, str]:
    port = free_port()
    env = dict(os.environ)
    env.update(AFTERRUN_CONFIG_DIR=str(folder / "config"), AFTERRUN_DATA_DIR=str(folder / "data"))
    command = [sys.executable, "-m", "afterrun", "--db", db_url, "serve", "--club"]
    command += ["--workers", str(args.workers), "--port", str(port)]
    process = subprocess.Popen(command, env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited with {process.returncode}")
        try:
            if httpx.get(f"{base}/api/health", timeout=2).status_code == 200:
                return process, base
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the server did not answer within 60 s")


async def signed_in_client(base: str, name: str) -> httpx.AsyncClient:
    """A client signed in as `name`, as a member's phone is: name and password."""
    limits = httpx.Limits(max_connections=1)
    client = httpx.AsyncClient(base_url=base, limits=limits, timeout=60, headers=WRITE)
    from club_seed import PASSWORD

    answer = await client.post("/api/signin", json={"name": name, "password": PASSWORD})
    if SESSION_COOKIE not in client.cookies:
        await client.aclose()
        raise SystemExit(f"signing in as {name} failed ({answer.status_code}): {answer.text}")
    return client


async def timed(
    tally: Tally, route: str, client: httpx.AsyncClient, method: str, path: str, **kw: Any
) -> httpx.Response | None:
    began = time.perf_counter()
    try:
        answer = await client.request(method, path, **kw)
    except httpx.HTTPError as error:
        tally.errors[route].append(f"{type(error).__name__}: {error}")
        return None
    tally.latencies[route].append((time.perf_counter() - began) * 1000)
    if answer.status_code >= 400:
        tally.errors[route].append(f"{answer.status_code} {answer.text[:160]}")
        return None
    return answer


async def athlete_loop(
    client: httpx.AsyncClient,
    athlete: int,
    tally: Tally,
    stop_at: float,
    think: float,
    rng: random.Random,
) -> None:
    async def pause() -> None:
        await asyncio.sleep(rng.uniform(0.5, 1.5) * think)

    await asyncio.sleep(rng.uniform(0, think))
    while time.monotonic() < stop_at:
        await timed(tally, "Today page /", client, "GET", "/")
        await pause()
        await timed(tally, "plan GET /api/plan", client, "GET", "/api/plan?minutes=10")
        await pause()
        started = await timed(
            tally, "start POST /api/sessions", client, "POST", "/api/sessions", json={"minutes": 10}
        )
        if started is not None:
            tally.started[athlete] += 1
            session = started.json()["id"]
            for until in (20_000, 900_000):
                await pause()
                saved = await timed(
                    tally,
                    "save PUT /api/sessions/{id}/progress",
                    client,
                    "PUT",
                    f"/api/sessions/{session}/progress",
                    json={"events": [{"at_ms": 1_000, "action": "skip"}], "until_ms": until},
                )
                if saved is not None and until == 900_000:
                    tally.finished[athlete] += 1
        await pause()
        rating = {"calves": rng.randint(0, 5), "quads": rng.randint(0, 5)}
        checked = await timed(
            tally, "check-in POST /api/checkins", client, "POST", "/api/checkins",
            json={"ratings": rating},
        )  # fmt: skip
        tally.checkins[athlete] += checked is not None
        await pause()


async def coach_loop(
    client: httpx.AsyncClient,
    tally: Tally,
    stop_at: float,
    think: float,
    rng: random.Random,
    roster: str,
) -> None:
    await asyncio.sleep(rng.uniform(0, think))
    while time.monotonic() < stop_at:
        await timed(tally, f"roster GET {roster}", client, "GET", roster)
        await asyncio.sleep(rng.uniform(0.5, 1.5) * think)


def archive(runs: int) -> bytes:
    """A zip of `runs` recorded runs, one a day (real FIT files, ten minutes each)."""
    import io
    import zipfile
    from datetime import timedelta

    sys.path.insert(0, str(BENCH.parent / "tests"))
    from activity_files import T0, Leg, fit_file

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zipped:
        for day in range(runs):
            leg = Leg(start=T0 + timedelta(days=day), seconds=600, heart_rate=130 + day % 30)
            zipped.writestr(f"export/activities/{day}.fit", fit_file([leg]))
    return out.getvalue()


async def big_upload(client: httpx.AsyncClient, data: bytes, tally: Tally) -> None:
    """One athlete uploads a big archive while the others use the app, and follows it."""
    began = time.perf_counter()
    files = {"files": ("export.zip", data, "application/zip")}
    answer = await client.post("/api/imports", files=files, timeout=600)
    summary: dict[str, Any] = {}
    if answer.status_code == 202:
        job = answer.json()["job"]
        while job["status"] not in ("done", "failed") and time.perf_counter() - began < 900:
            await asyncio.sleep(1)
            job = (await client.get(f"/api/imports/{job['id']}")).json()
        tally.upload["status"] = f"background, {job['status']}"
        summary = job.get("summary") or {}
    else:
        tally.upload["status"] = f"answered {answer.status_code} after importing"
        summary = answer.json() if answer.status_code == 200 else {}
    tally.upload["seconds"] = time.perf_counter() - began
    tally.upload["imported"] = summary.get("imported", 0)


async def drive(base: str, club: Any, args: argparse.Namespace) -> tuple[Tally, float]:
    tally = Tally()
    big = archive(args.upload_runs) if args.upload_runs else b""
    rng = random.Random(7)  # noqa: S311 - pacing, not secrets
    athletes = [a for a in club.athletes if a[0] not in club.flagged]
    rng.shuffle(athletes)
    coach_clients = min(args.coach_clients, args.clients)
    chosen = athletes[: args.clients - coach_clients]
    clients: list[tuple[httpx.AsyncClient, str, int]] = []
    for who in chosen:
        clients.append((await signed_in_client(base, who[1]), "athlete", who[0]))
    for n in range(coach_clients):
        coach = club.coaches[n % len(club.coaches)]
        clients.append((await signed_in_client(base, coach[1]), "coach", coach[0]))
    probe = clients[-1][0] if coach_clients else None
    roster_missing = probe is not None and (await probe.get(args.roster_path)).status_code == 404
    if roster_missing:
        print(f"the roster {args.roster_path} is not on this server (404): coaches not driven")
    began = time.time()
    stop_at = time.monotonic() + args.seconds
    think = args.think_ms / 1000
    loops = []
    for n, (client, role, who) in enumerate(clients):
        pacing = random.Random(n)  # noqa: S311 - pacing, not secrets
        if role == "athlete":
            loops.append(athlete_loop(client, who, tally, stop_at, think, pacing))
        elif not roster_missing:
            loops.append(coach_loop(client, tally, stop_at, think, pacing, args.roster_path))
    if args.upload_runs:
        uploader = sorted(club.flagged)[0]
        who = next(a for a in club.athletes if a[0] == uploader)
        client = await signed_in_client(base, who[1])
        clients.append((client, "uploader", uploader))
        loops.append(big_upload(client, big, tally))
    await asyncio.gather(*loops)
    for client, _, _ in clients:
        await client.aclose()
    return tally, began


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


_STORED = {
    "cool-downs started": "SELECT athlete_id, count(*) FROM sessions "
    "WHERE started_at >= :t GROUP BY athlete_id",
    "cool-downs saved to the end": "SELECT athlete_id, count(*) FROM sessions "
    "WHERE started_at >= :t AND status <> 'in-progress' GROUP BY athlete_id",
    "check-ins": "SELECT athlete_id, count(*) FROM checkins WHERE at >= :t GROUP BY athlete_id",
}


def lost_writes(db_url: str, began: float, tally: Tally) -> list[str]:
    """What the server confirmed but the database does not hold, holds twice, or holds in
    another athlete's account."""
    from datetime import UTC, datetime

    from sqlalchemy import create_engine, text

    since = datetime.fromtimestamp(began - 1, UTC)
    engine = create_engine(db_url)
    with engine.connect() as db:
        stored = {
            what: Counter({row[0]: row[1] for row in db.execute(text(query), {"t": since})})
            for what, query in _STORED.items()
        }
    engine.dispose()
    found = []
    confirmed = {
        "cool-downs started": tally.started,
        "cool-downs saved to the end": tally.finished,
        "check-ins": tally.checkins,
    }
    for what, said in confirmed.items():
        held = stored[what]
        elsewhere = sum((held - said).values())
        print(
            f"{what:28} confirmed {said.total():>6}  stored {held.total():>6}  "
            f"in another account {elsewhere:>6}"
        )
        if +said != +held:
            found.append(
                f"{what}: confirmed {said.total()}, stored {held.total()}, "
                f"{elsewhere} in an account other than the one that wrote them"
            )
    return found


def report(tally: Tally, args: argparse.Namespace) -> bool:
    print(f"{'route':42} {'n':>7} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'errors':>7}")
    ok = True
    for route in sorted(tally.latencies.keys() | tally.errors.keys()):
        times = tally.latencies.get(route) or [0.0]
        failed = len(tally.errors.get(route, []))
        print(
            f"{route:42} {len(tally.latencies.get(route, [])):>7} {percentile(times, 0.5):>8.1f} "
            f"{percentile(times, 0.99):>8.1f} {max(times):>8.1f} {failed:>7}"
        )
        ok &= failed == 0
    for route, errors in tally.errors.items():
        for error in sorted(set(errors))[:3]:
            print(f"  {route}: {error}")
    if args.upload_runs:
        up = tally.upload
        print(
            f"upload of {args.upload_runs} runs: {up['status']} in {up['seconds']:.1f} s, "
            f"{up['imported']} imported"
        )
        ok &= up["imported"] == args.upload_runs
    roster = tally.latencies.get(f"roster GET {args.roster_path}")
    if roster:
        p99 = percentile(roster, 0.99)
        verdict = "met" if p99 < ROSTER_BUDGET_MS else "MISSED"
        print(f"roster p99 {p99:.1f} ms against {ROSTER_BUDGET_MS:.0f} ms: {verdict}")
        ok &= p99 < ROSTER_BUDGET_MS
    else:
        print("roster: not measured")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default=os.environ.get("AFTERRUN_TEST_POSTGRES_URL"))
    parser.add_argument("--athletes", type=int, default=500)
    parser.add_argument("--years", type=float, default=2.0)
    parser.add_argument("--runs-per-week", type=int, default=3)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument(
        "--coach-clients", type=int, default=None, help="of the clients (default: a tenth)"
    )
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--think-ms", type=float, default=1000.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--roster-path", default="/coach")
    parser.add_argument(
        "--upload-runs",
        type=int,
        default=0,
        help="one more athlete uploads a zip of this many runs during the load",
    )
    parser.add_argument("--keep", action="store_true", help="keep the seeded schema")
    args = parser.parse_args()
    if args.coach_clients is None:
        args.coach_clients = max(1, args.clients // 10)
    if not args.db or not args.db.startswith(("postgres", "postgresql")):
        raise SystemExit("give a PostgreSQL URL with --db (or set AFTERRUN_TEST_POSTGRES_URL)")
    from afterrun.store import Store
    from club_seed import seed, utc_now

    db_url, schema = fresh_schema(args.db)
    try:
        began = time.perf_counter()
        with Store.open(db_url) as store:
            club = seed(store, args.athletes, args.years, args.runs_per_week, utc_now())
        rows = ", ".join(f"{n} {table}" for table, n in club.rows.items())
        print(f"seeded {len(club.athletes)} athletes and {len(club.coaches)} coaches "
              f"({rows}) in {time.perf_counter() - began:.1f} s")  # fmt: skip
        with tempfile.TemporaryDirectory(prefix="afterrun-club-bench-") as folder:
            process, base = start_server(db_url, args, Path(folder))
            try:
                tally, started = asyncio.run(drive(base, club, args))
            finally:
                process.terminate()
                process.wait(timeout=60)
        print(
            f"{args.clients} clients ({args.coach_clients} coaches) for {args.seconds:.0f} s, "
            f"think {args.think_ms:.0f} ms, {args.workers} workers, "
            f"{os.cpu_count()} cores"
        )
        ok = report(tally, args)
        lost = lost_writes(db_url, started, tally)
        for line in lost:
            print(f"WRITES NOT AS CONFIRMED: {line}")
        ok &= not lost
    finally:
        if not args.keep:
            drop_schema(args.db, schema)
    print("OK" if ok else "FAILED")
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
