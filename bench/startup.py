"""Start-up time of `afterrun --help` and `afterrun plan`, against `python -c pass`.

Run: python bench/startup.py [--runs 20]
Prints the median wall time of each command and its ratio to the bare
interpreter measured in the same run, so figures from different machines compare.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

COMMANDS: dict[str, list[str]] = {
    "python -c pass (baseline)": [sys.executable, "-c", "pass"],
    "afterrun --help": [sys.executable, "-m", "afterrun", "--help"],
    "afterrun plan": [sys.executable, "-m", "afterrun", "plan"],
    "afterrun plan --json -m 12 -i hard": [
        *[sys.executable, "-m", "afterrun", "plan", "--json", "-m", "12", "-i", "hard"],
    ],
    "afterrun plan (runs stored: reads the db)": [
        *[sys.executable, "-m", "afterrun", "--db", "{db}", "plan"],
    ],
}


def median_seconds(argv: list[str], runs: int, env: dict[str, str]) -> float:
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=env)
        samples.append(time.perf_counter() - began)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        env = {**os.environ, "AFTERRUN_CONFIG_DIR": scratch, "AFTERRUN_DATA_DIR": scratch}
        db = os.path.join(scratch, "with-runs.db")
        subprocess.run(
            [
                sys.executable,
                "-m",
                "afterrun",
                "--db",
                db,
                "run",
                "add",
                "--distance",
                "10km",
                "--time",
                "50:00",
                "--rpe",
                "7",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            env=env,
        )
        commands = {name: [a.replace("{db}", db) for a in argv] for name, argv in COMMANDS.items()}
        for argv in commands.values():  # warm the file cache and bytecode
            subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=env)
        results = {name: median_seconds(argv, args.runs, env) for name, argv in commands.items()}
    baseline = results["python -c pass (baseline)"]
    print(f"median of {args.runs} runs each ({sys.version.split()[0]})")
    for name, seconds in results.items():
        print(
            f"{name:40s} {seconds * 1000:7.1f} ms  {seconds / baseline:5.2f}x baseline"
            f"  (+{(seconds - baseline) * 1000:.1f} ms)"
        )


if __name__ == "__main__":
    main()
