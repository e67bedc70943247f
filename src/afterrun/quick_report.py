"""The weekly report from a SQLite file, read with the standard library.

A report reads every activity's timing and load and the sessions and check-ins of its
weeks; loading SQLAlchemy (and checking migrations) would cost several times more than
reading them. On a SQLite file at the schema `quick_read` knows, `afterrun report` reads
those rows here and hands them to `services.report.report_from`, the one place a report
is made; anything else (another schema, PostgreSQL, a value this afterrun does not know)
answers None and the caller goes through the store, which migrates and says what is wrong.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any, cast, get_args

from afterrun.core.activity import ActivityLoad, Sport
from afterrun.core.records import PainReport, SessionRecord, SessionStatus, StepRecord, StepStatus
from afterrun.core.report import ReportCheckin, WeeklyReport
from afterrun.services.report import report_from
from afterrun.sqlite_file import connect, stored_text, utc_time
from afterrun.zones import zone_for

_SPORTS = {sport.value: sport for sport in Sport}
#: Thousands of rows: the start comes back with its UTC offset, parsed in one step.
_ACTIVITIES = (
    "SELECT id, sport, includes_run, started_at || '+00:00', elapsed_seconds, moving_seconds, "
    "rpe, load, load_method FROM activities ORDER BY started_at DESC, id DESC"
)
_SESSIONS = (
    "SELECT id, started_at, ended_at, status, intensity, minutes, plan FROM sessions "
    "WHERE started_at >= ? ORDER BY started_at DESC, id DESC"
)
_STEPS = (
    "SELECT session_id, step_index, exercise, variant, side, kind, planned_seconds, reps, "
    "actual_seconds, status FROM session_steps WHERE session_id IN "
    "(SELECT id FROM sessions WHERE started_at >= ?) ORDER BY step_index"
)
_PAINS = (
    "SELECT session_id, step_index, exercise, area, offset_seconds, at, side FROM pain_reports "
    "WHERE session_id IN (SELECT id FROM sessions WHERE started_at >= ?) ORDER BY id"
)
_CHECKINS = "SELECT at, ratings, red_flags FROM checkins WHERE at >= ? ORDER BY at DESC, id DESC"


class _Unknown(ValueError):
    """A value this afterrun does not know: the store reads it and says so."""


def _known(value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise _Unknown(value)
    return value


@dataclass(frozen=True)
class _FileReads:
    """`services.report.ReportReads` over an open SQLite connection."""

    connection: sqlite3.Connection

    def zone(self) -> tzinfo:
        row = self.connection.execute("SELECT timezone FROM profile LIMIT 1").fetchone()
        return zone_for(None if row is None else row[0])

    def activity_loads(self) -> list[ActivityLoad]:
        make, parse, other = ActivityLoad._make, datetime.fromisoformat, Sport.OTHER
        return [
            make((row_id, _SPORTS.get(sport, other), bool(includes_run), parse(start), *rest))
            for row_id, sport, includes_run, start, *rest in self.connection.execute(_ACTIVITIES)
        ]

    def sessions(self, since: datetime) -> list[SessionRecord]:
        after = (stored_text(since),)
        steps: dict[int, list[StepRecord]] = {}
        for (
            session_id,
            index,
            exercise,
            variant,
            side,
            kind,
            planned,
            reps,
            actual,
            status,
        ) in self.connection.execute(_STEPS, after):
            known = cast(StepStatus, _known(status, get_args(StepStatus)))
            step = StepRecord(index, exercise, variant, side, kind, planned, reps, actual, known)
            steps.setdefault(session_id, []).append(step)
        pains: dict[int, list[PainReport]] = {}
        for session_id, index, exercise, area, offset, at, side in self.connection.execute(
            _PAINS, after
        ):
            pain = PainReport(index, exercise, area, offset, utc_time(at), side)
            pains.setdefault(session_id, []).append(pain)
        return [
            SessionRecord(
                started_at=utc_time(started),
                ended_at=None if ended is None else utc_time(ended),
                status=cast(SessionStatus, _known(status, get_args(SessionStatus))),
                intensity=intensity,
                minutes=minutes,
                plan=_json(plan),
                steps=tuple(steps.get(session_id, ())),
                pains=tuple(pains.get(session_id, ())),
            )
            for session_id, started, ended, status, intensity, minutes, plan in (
                self.connection.execute(_SESSIONS, after)
            )
        ]

    def checkins(self, since: datetime) -> tuple[bool, list[ReportCheckin]]:
        rows = self.connection.execute(_CHECKINS, (stored_text(since),))
        return True, [
            ReportCheckin(utc_time(at), _ratings(ratings), _flags(flags))
            for at, ratings, flags in rows
        ]


def _json(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def _ratings(text: str | None) -> dict[str, float]:
    """As the store reads them: whole ratings per area, nothing for a foreign value."""
    value = _json(text)
    if not isinstance(value, dict):
        return {}
    return {str(area): int(rating) for area, rating in value.items()}


def _flags(text: str | None) -> tuple[str, ...]:
    value = _json(text)
    return tuple(str(item) for item in value) if isinstance(value, list) else ()


def read_report(path: Path, now: datetime, weeks: int) -> WeeklyReport | None:
    """The report from the SQLite file at `path`, or None to make it through the store."""
    connection = connect(path)
    if connection is None:
        return None
    try:
        return report_from(_FileReads(connection), now, weeks)
    except (sqlite3.Error, ValueError, TypeError):
        return None  # anything unexpected: the store reads it, and says what is wrong
    finally:
        connection.close()
