"""Latency of the web app under 50 concurrent clients, on loopback only.

Run: python bench/web_load.py [--clients 50] [--requests 1500] [--think-ms 1000]

Starts `afterrun serve` on a free loopback port over a fresh SQLite database
holding a few real runs from ../shared/corpus (so Today has a rating and advice
to show), then runs `--clients` concurrent clients, each with its own
connection, like phones in use: a request, then a pause drawn uniformly from
0.5 to 1.5 times `--think-ms` (default 1 s; 0 sends back to back, which measures
saturation rather than latency). Each route is loaded until `--requests` have
been answered or `--max-seconds` have passed. Prints p50, p99 and max per route,
and the ratio to /api/health measured the same way in the same run (the
server's floor). Exits 1 if any request failed or p99 of Today or the plan API
is over the budget.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
SAMPLE_RUNS = (
    "dtcooper__garmin-fenix-5-run.fit",
    "tkrajina__korita-zbevnica.gpx",
)
ROUTES = {
    "Today page (/)": "/",
    "plan API (/api/plan?minutes=15)": "/api/plan?minutes=15",
}
BASELINE = ("health (/api/health), baseline", "/api/health")
BUDGET_P99_MS = 50.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def prepare(db: Path, env: dict[str, str]) -> None:
    files = [str(CORPUS / name) for name in SAMPLE_RUNS if (CORPUS / name).exists()]
    if files:
        subprocess.run(
            [sys.executable, "-m", "afterrun", "--db", str(db), "import", *files],
            check=False,
            stdout=subprocess.DEVNULL,
            env=env,
        )


async def wait_until_up(base: str, deadline: float) -> None:
    async with httpx.AsyncClient(base_url=base) as client:
        while time.monotonic() < deadline:
            try:
                if (await client.get("/api/health")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise SystemExit("the server did not start")


async def load(
    base: str, path: str, clients: int, requests: int, max_seconds: float, think_ms: float
) -> tuple[list[float], int]:
    """Latencies in ms of `requests` GETs of `path` by `clients` concurrent clients."""
    latencies: list[float] = []
    failures = 0
    remaining = requests
    stop_at = time.monotonic() + max_seconds

    async def client_loop(seed: int) -> None:
        nonlocal remaining, failures
        pauses = random.Random(seed)  # noqa: S311 - pacing, not secrets
        limits = httpx.Limits(max_connections=1)
        async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
            await asyncio.sleep(pauses.uniform(0, think_ms / 1000))  # clients do not start in step
            while remaining > 0 and time.monotonic() < stop_at:
                remaining -= 1
                began = time.perf_counter()
                try:
                    response = await client.get(path)
                    ok = response.status_code == 200
                except httpx.HTTPError:
                    ok = False
                latencies.append((time.perf_counter() - began) * 1000)
                failures += not ok
                if think_ms:
                    await asyncio.sleep(pauses.uniform(0.5, 1.5) * think_ms / 1000)

    await asyncio.gather(*(client_loop(seed) for seed in range(clients)))
    return latencies, failures


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def measure(base: str, args: argparse.Namespace) -> bool:
    await load(base, "/", args.clients, args.clients * 2, 10, 0)  # warm up
    results = {}
    for label, path in (BASELINE, *ROUTES.items()):
        latencies, failures = await load(
            base, path, args.clients, args.requests, args.max_seconds, args.think_ms
        )
        results[label] = (latencies, failures)
    floor = statistics.median(results[BASELINE[0]][0])
    pacing = f"think time {args.think_ms:.0f} ms" if args.think_ms else "back to back"
    print(f"{args.clients} concurrent clients, {pacing}, loopback, {os.cpu_count()} cores")
    print(f"{'route':40} {'n':>6} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'p50 ratio':>10}")
    ok = True
    for label, (latencies, failures) in results.items():
        p50, p99 = percentile(latencies, 0.5), percentile(latencies, 0.99)
        print(
            f"{label:40} {len(latencies):>6} {p50:>8.1f} {p99:>8.1f} {max(latencies):>8.1f} "
            f"{p50 / floor:>9.2f}x" + (f"  FAILED {failures}" if failures else "")
        )
        ok &= failures == 0
        if label in ROUTES:
            ok &= p99 < BUDGET_P99_MS
    verdict = "met" if ok else "MISSED"
    print(f"budget: p99 < {BUDGET_P99_MS:.0f} ms for Today and the plan API: {verdict}")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=1500)
    parser.add_argument("--think-ms", type=float, default=1000)
    parser.add_argument("--max-seconds", type=float, default=60)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="afterrun-load-"))
    env = {**os.environ, "AFTERRUN_CONFIG_DIR": str(folder / "config")}
    db = folder / "afterrun.db"
    prepare(db, env)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "afterrun", "--db", str(db), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        env=env,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        asyncio.run(wait_until_up(base, time.monotonic() + 30))
        ok = asyncio.run(measure(base, args))
    finally:
        server.terminate()
        server.wait(10)
        shutil.rmtree(folder, ignore_errors=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
