"""The few rows a plan needs, read from a SQLite file with the standard library.

`afterrun plan`, `go` and bare `afterrun` run often and read little: the latest run and
the loads of the six weeks before it,
the last two weeks of check-ins and cool-down pain, the latest clearance and the
profile's zone. Loading SQLAlchemy (and checking migrations) costs several times more
than reading those rows, so on SQLite this module reads them directly. It never writes,
and answers None when the file is not at the schema it knows; the caller then goes
through `Store`, which migrates, and which every other database (PostgreSQL) uses.
It lives outside `store/` because importing that package loads SQLAlchemy.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

from afterrun.core.plan_facts import PlanFacts, RunFacts
from afterrun.core.rating import rating_window, stored_run_load
from afterrun.core.soreness import WINDOW, CheckIn
from afterrun.sqlite_file import SCHEMA_REVISION, connect, stored_text, utc_time
from afterrun.zones import zone_for

__all__ = ["SCHEMA_REVISION", "read_plan_facts"]

_LATEST_START = (
    "SELECT started_at FROM activities WHERE sport = 'running' OR includes_run "
    "ORDER BY started_at DESC, id DESC LIMIT 1"
)
_RUNS = (
    "SELECT id, started_at, elapsed_seconds, moving_seconds, distance_m, load, load_method "
    "FROM activities WHERE (sport = 'running' OR includes_run) AND started_at >= ? "
    "ORDER BY started_at DESC, id DESC"
)
_CHECKINS = (
    "SELECT id, at, run_id, hours_after_run, ratings, red_flags, note FROM checkins "
    "WHERE at >= ? ORDER BY at DESC, id DESC"
)
_PAINS = "SELECT session_id, area, at FROM pain_reports WHERE at >= ? ORDER BY at DESC, id DESC"
_CLEARANCE = "SELECT at FROM flag_clearances ORDER BY at DESC LIMIT 1"


def _json(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def _checkin(row: tuple[Any, ...]) -> tuple[int, CheckIn]:
    checkin_id, at, run_id, hours, ratings, flags, note = row
    raw = _json(ratings)
    ratings_ = {str(a): int(r) for a, r in raw.items()} if isinstance(raw, dict) else {}
    red_flags = tuple(str(flag) for flag in _json(flags) or ())
    return checkin_id, CheckIn(utc_time(at), ratings_, red_flags, run_id, hours, note)


def read_plan_facts(path: Path, now: datetime) -> PlanFacts | None:
    """The plan's facts from the SQLite file at `path`, or None to use the store."""
    connection = connect(path)
    if connection is None:
        return None
    try:
        return _read(connection, now)
    except (sqlite3.Error, ValueError, TypeError):
        return None  # anything unexpected: the store reads it, and says what is wrong
    finally:
        connection.close()


def _read(connection: sqlite3.Connection, now: datetime) -> PlanFacts:
    zone_row = connection.execute("SELECT timezone FROM profile LIMIT 1").fetchone()
    latest = connection.execute(_LATEST_START).fetchone()
    window = () if latest is None else (stored_text(rating_window(utc_time(latest[0]))),)
    runs = [
        (run_id, utc_time(start), elapsed, moving, distance, stored_run_load(load, method))
        for run_id, start, elapsed, moving, distance, load, method in (
            connection.execute(_RUNS, window) if window else ()
        )
    ]
    since = (stored_text(now - WINDOW),)
    checkins = tuple(_checkin(row) for row in connection.execute(_CHECKINS, since))
    pains = tuple(
        (session_id, area, utc_time(at))
        for session_id, area, at in connection.execute(_PAINS, since)
    )
    cleared = connection.execute(_CLEARANCE).fetchone()
    return PlanFacts(
        zone=zone_for(None if zone_row is None else zone_row[0]),
        latest_run=RunFacts(*runs[0]) if runs else None,
        runs=tuple((run_id, start, load) for run_id, start, *_, load in runs),
        checkins=checkins,
        pains=pains,
        cleared_at=None if cleared is None else utc_time(cleared[0]),
    )
