"""`serve --watch`: the folders' new activity files imported in a thread beside the server.

Writes go through the server's own store, and each one clears the cached answers, so the
next request (the Today page checking for news) sees the new run at once.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from afterrun.services.arrivals import Arrival, Follower, FollowTimes
from afterrun.web.state import AppState

log = logging.getLogger("afterrun.watch")


@dataclass
class Following:
    """The thread that follows the folders, and the signal that stops it."""

    thread: threading.Thread
    stop: threading.Event

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=10)


def start_following(state: AppState) -> Following | None:
    """Follow the settings' watch folders, or do nothing when there are none."""
    settings = state.settings
    if not settings.watch_folders:
        return None
    store = state.store  # opened here, before the thread shares it with the requests

    def arrived(arrival: Arrival) -> None:
        state.changed()
        summary = arrival.summary
        for _label, reason in summary.failed:
            log.info("%s could not be imported: %s", arrival.name, reason)
        for activity_id in sorted(summary.new_ids):
            log.info("Imported %s: run %d.", arrival.name, activity_id)

    times = FollowTimes(settle=settings.watch_settle, poll=min(0.5, settings.watch_settle / 4))
    follower = Follower(store, list(settings.watch_folders), state.now, arrived, times)
    stop = threading.Event()

    def run() -> None:
        try:
            follower.follow(stop)
        except Exception:  # a failed watch must not take the server down with it
            log.exception("afterrun stopped watching %s", ", ".join(map(str, follower.folders)))

    thread = threading.Thread(target=run, name="afterrun-watch", daemon=True)
    thread.start()
    return Following(thread, stop)
