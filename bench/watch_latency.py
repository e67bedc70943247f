"""How long after a file lands in a followed folder its run is stored (`afterrun watch`).

Run: python bench/watch_latency.py [--files 5] [--settle 2] [--minutes 60]

Drops `--files` FIT runs of `--minutes` minutes each (one record a second, written by
Garmin's encoder as the tests do) into a followed folder, one at a time, each once the one
before is stored, and times from the moment each file is closed to the moment its import is
reported. The floor is the settle time: a file counts as written once it has stayed the same
that long; the rest is the look interval (a quarter of the settle time, at most 0.5 s) and
reading the file twice (once to check it is whole, once to import it).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))

from activity_files import Leg, fit_file
from afterrun.services.arrivals import Arrival, Follower, FollowTimes
from afterrun.store import Store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=5)
    parser.add_argument("--settle", type=float, default=2.0)
    parser.add_argument("--minutes", type=int, default=60)
    args = parser.parse_args()
    now = datetime.now(UTC).replace(microsecond=0)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "inbox"
        folder.mkdir()
        arrived: dict[str, float] = {}
        ready = threading.Event()
        stop = threading.Event()

        def heard(arrival: Arrival) -> None:
            arrived[arrival.name] = time.monotonic()

        times = FollowTimes(settle=args.settle, poll=min(0.5, args.settle / 4))
        with Store.open(f"sqlite:///{Path(scratch) / 'a.db'}") as store:
            follower = Follower(store, [folder], lambda: now, heard, times, on_ready=ready.set)
            thread = threading.Thread(target=follower.follow, args=(stop,), daemon=True)
            thread.start()
            ready.wait(30)
            waits = []
            size = 0
            for index in range(args.files):
                start = now - timedelta(days=index + 1)
                data = fit_file([Leg(start=start, seconds=args.minutes * 60)])
                size = len(data)
                name = f"run-{index}.fit"
                (folder / name).write_bytes(data)
                closed = time.monotonic()
                while name not in arrived:
                    time.sleep(0.01)
                waits.append(arrived[name] - closed)
            stop.set()
            thread.join(30)
    print(
        f"{args.files} files of {size / 1024:.0f} KiB ({args.minutes} min runs), settle "
        f"{args.settle:g} s: stored {statistics.median(waits):.2f} s after the file was "
        f"closed (median; min {min(waits):.2f} s, max {max(waits):.2f} s)"
    )


if __name__ == "__main__":
    main()
