"""Opening an afterrun SQLite file read-only with the standard library, for the quick
reads (`quick_read.py`, `quick_report.py`) that skip the ORM; and its time values.

Only a personal file (one athlete, who owns every row) at the schema revision the quick
reads are written for is opened: any other goes through `Store`, which migrates it or
reads the one athlete asked for.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

#: The schema revision these queries are written for (`store.db.HEAD_REVISION`; a test
#: checks that they agree).
SCHEMA_REVISION = "0008"


def _uri_path(path: Path) -> str:
    """The path as SQLite's URI syntax needs it: %, ? and # escaped."""
    return str(path).replace("%", "%25").replace("?", "%3f").replace("#", "%23")


def utc_time(text: str) -> datetime:
    """SQLite holds naive UTC text, e.g. '2026-11-23 07:30:00.000000'."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def stored_text(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")


def connect(path: Path) -> sqlite3.Connection | None:
    """The SQLite file at `path`, read-only, when it is a personal database at
    SCHEMA_REVISION; else None."""
    try:
        connection = sqlite3.connect(f"file:{_uri_path(path)}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        version = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        # A club's file (several athletes, or an admin) goes through the Store.
        athletes = connection.execute(
            "SELECT count(*), sum(role = 'admin') FROM athletes"
        ).fetchone()
    except sqlite3.Error:
        version = athletes = None
    if version is None or version[0] != SCHEMA_REVISION or athletes != (1, 0):
        connection.close()
        return None
    return connection
