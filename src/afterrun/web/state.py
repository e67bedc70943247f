"""What every request handler shares: settings, the open store and the catalogue."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar

from fastapi import Request

from afterrun.catalogue_files import load_catalogue
from afterrun.core.catalogue import Catalogue
from afterrun.store import Store
from afterrun.web.cue_tracks import CueTracks
from afterrun.web.settings import WebSettings

if TYPE_CHECKING:
    from afterrun.services.import_queue import ImportQueue

_T = TypeVar("_T")


#: How long a read-only answer (Today, a plan) is reused. Writes through the web app
#: clear it at once; a write by the CLI shows within this time.
CACHE_SECONDS = 2.0


@dataclass
class AppState:
    settings: WebSettings
    _cache: dict[Hashable, tuple[float, Any]] = field(default_factory=dict)
    # Reentrant: the Today page's cached answer is made from the cached Today API answer,
    # and a plain Lock taken twice by one thread never comes back.
    _refreshing: threading.RLock = field(default_factory=threading.RLock)
    #: The phone's audio tracks of cues, made on demand.
    tracks: CueTracks = field(default_factory=CueTracks)

    def cached(self, key: Hashable, compute: Callable[[], _T]) -> _T:
        """`compute()`, reused for CACHE_SECONDS: the phone's pages stay fast under load.

        When an answer is out of date, one request computes the new one while the
        others are given the old one, so a burst never computes it many times over.
        """
        now = time.monotonic()
        hit = self._cache.get(key)
        if hit is not None and now - hit[0] < CACHE_SECONDS:
            value: _T = hit[1]
            return value
        if hit is not None and not self._refreshing.acquire(blocking=False):
            stale: _T = hit[1]
            return stale
        if hit is None:
            self._refreshing.acquire()
            done = self._cache.get(key)  # computed by the request we waited for
            if done is not None:
                self._refreshing.release()
                ready: _T = done[1]
                return ready
        try:
            fresh = compute()
            self._cache[key] = (time.monotonic(), fresh)
        finally:
            self._refreshing.release()
        return fresh

    def changed(self) -> None:
        """Something was written: forget every cached answer."""
        self._cache.clear()

    @cached_property
    def store(self) -> Store:
        return Store.open(self.settings.db_url)

    @cached_property
    def queue(self) -> ImportQueue | None:
        """The background import queue: a club on PostgreSQL only."""
        if not self.settings.background_imports:
            return None
        # procrastinate is loaded only by a server that uses it.
        from afterrun.services.import_queue import ImportQueue, Timings  # noqa: PLC0415

        uploads = (self.settings.data_dir or self.settings.config_dir) / "uploads"
        return ImportQueue(
            self.store,
            uploads,
            self.settings.clock,
            self.settings.import_workers,
            Timings(self.settings.stalled_job_seconds),
        )

    @cached_property
    def catalogue(self) -> Catalogue:
        return load_catalogue(self.settings.config_dir)

    def now(self) -> datetime:
        return self.settings.clock()

    def close(self) -> None:
        self.tracks.close()
        if "store" in self.__dict__:
            self.store.close()


def app_state(request: Request) -> AppState:
    state: AppState = request.app.state.afterrun
    return state
