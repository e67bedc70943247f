"""Everything the store holds, as one JSON document or a zip of CSV tables; and reminders.

The export leaves out nothing a runner entered: run names, RPE and notes, every session
with its steps and pain reports, the profile, and check-ins with their ratings and red
flags when this store keeps them. The JSON export holds each run's per-second heart-rate
and speed streams too (the CSV tables give their sample counts), and
`afterrun import` reads it back (`importers/afterrun_export.py`).

CSV: there are several tables, so they go into one zip (runs.csv, sessions.csv, steps.csv,
pains.csv, profile.csv, and checkins.csv with checkin_ratings.csv when present). Lists
and the plan are JSON text in their cells, so nothing is lost by flattening.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import TYPE_CHECKING, Any

from afterrun import __version__
from afterrun.core.advice import recovery_timeline
from afterrun.core.calendar import CalendarEvent, calendar_text, recovery_reminders
from afterrun.services.advice import advice_request, run_or_latest
from afterrun.services.report import red_flags

if TYPE_CHECKING:
    from afterrun.core.activity import Stream
    from afterrun.store import Store
    from afterrun.store.activities import StoredActivity

EXPORT_FORMAT = "afterrun-export"
EXPORT_VERSION = 1
#: Every check-in is at or after this.
BEGINNING = datetime(1900, 1, 1, tzinfo=UTC)
RUN_KEY_LENGTH = 16


def _plain(value: Any) -> Any:
    """JSON-ready: datetimes as ISO 8601 UTC, enums as values, tuples as lists."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(item) for item in value]
    return value


def _checkin_json(item: Any, number: int) -> dict[str, Any]:
    """Every field of a stored check-in; an `id` of its position when it has none."""
    if dataclasses.is_dataclass(item) and not isinstance(item, type):
        data: dict[str, Any] = _plain(
            {f.name: getattr(item, f.name) for f in dataclasses.fields(item)}
        )
    else:
        data = {
            "at": _plain(item.at),
            "run_id": item.run_id,
            "ratings": _plain(item.ratings),
            "red_flags": list(red_flags(item.red_flags)),
        }
    data.setdefault("id", number)
    return data


def checkins_json(store: Store) -> list[dict[str, Any]] | None:
    """Every check-in, oldest first; None when this store does not keep check-ins."""
    if not hasattr(store, "list_checkins"):
        return None
    stored: Iterable[Any] = store.list_checkins(BEGINNING)
    ordered = sorted(stored, key=lambda item: item.at)
    return [_checkin_json(item, number) for number, item in enumerate(ordered, 1)]


def _stream_json(stream: Stream | None) -> dict[str, list[Any]] | None:
    if stream is None:
        return None
    return {"offsets": list(stream.offsets), "values": list(stream.values)}


def _run_json(stored: StoredActivity) -> dict[str, Any]:
    """A run in full, its per-second heart-rate and speed streams included."""
    data = stored.to_json()
    data["content_hash"] = stored.content_hash
    data["heart_rate"] = _stream_json(stored.activity.heart_rate)
    data["speed"] = _stream_json(stored.activity.speed)
    return data


def export_document(store: Store, now: datetime) -> dict[str, Any]:
    """One JSON document with keys profile, runs, sessions and (when kept) checkins."""
    document: dict[str, Any] = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "afterrun": __version__,
        "exported_at": now.astimezone(UTC).isoformat(),
        "profile": dataclasses.asdict(store.get_profile()),
        "runs": [
            _run_json(store.get_activity(s.id, with_streams=True))
            for s in sorted(store.list_activities(), key=lambda s: s.id)
        ],
        "sessions": [s.to_json() for s in sorted(store.list_sessions(), key=lambda s: s.id)],
    }
    checkins = checkins_json(store)
    if checkins is not None:
        document["checkins"] = checkins
    return document


def _cell(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return "" if value is None else value


def _rows_with(rows: Sequence[Mapping[str, Any]], leave_out: tuple[str, ...] = ()) -> list[Any]:
    return [{k: v for k, v in row.items() if k not in leave_out} for row in rows]


def csv_tables(document: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The document as flat tables: file name -> rows (children point at their parent's id)."""
    sessions = document["sessions"]
    tables: dict[str, list[dict[str, Any]]] = {
        "profile.csv": [dict(document["profile"])],
        # Streams stay in the JSON export: a cell per run would hold thousands of samples.
        "runs.csv": _rows_with(document["runs"], ("heart_rate", "speed")),
        "sessions.csv": _rows_with(sessions, ("steps", "pains")),
        "steps.csv": [
            {"session_id": session["id"], **step}
            for session in sessions
            for step in session["steps"]
        ],
        "pains.csv": [
            {"session_id": session["id"], **pain}
            for session in sessions
            for pain in session["pains"]
        ],
    }
    if "checkins" in document:
        checkins = document["checkins"]
        tables["checkins.csv"] = _rows_with(checkins, ("ratings",))
        tables["checkin_ratings.csv"] = [
            {"checkin_id": checkin["id"], "area": area, "rating": rating}
            for checkin in checkins
            for area, rating in (checkin.get("ratings") or {}).items()
        ]
    return tables


_COLUMNS = {
    "steps.csv": (
        "session_id",
        "index",
        "exercise",
        "variant",
        "side",
        "kind",
        "planned_seconds",
        "reps",
        "actual_seconds",
        "status",
    ),
    "pains.csv": ("session_id", "step_index", "exercise", "area", "offset_seconds", "at"),
    "checkin_ratings.csv": ("checkin_id", "area", "rating"),
}


def _csv_text(name: str, rows: Sequence[Mapping[str, Any]]) -> str:
    columns: dict[str, None] = dict.fromkeys(_COLUMNS.get(name, ()))
    for row in rows:
        columns.update(dict.fromkeys(row))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: _cell(value) for key, value in row.items()})
    return buffer.getvalue()


def csv_zip(document: Mapping[str, Any], now: datetime) -> bytes:
    """A zip of UTF-8 CSV files, one per table, stamped with the export time."""
    stamp = now.astimezone(UTC).timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, rows in csv_tables(document).items():
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, _csv_text(name, rows).encode())
    return buffer.getvalue()


# -- reminders ------------------------------------------------------------------


def reminders(
    store: Store,
    run_id: int | None,
    next_session_in: timedelta | None,
    now: datetime,
    checkin_hint: str | None = None,
) -> tuple[StoredActivity, list[CalendarEvent], str]:
    """The run (the latest by default), its reminder events and the calendar text.

    The request is built as `afterrun advice` builds it (less the load line, which is
    no reminder), so the calendar says what the advice says.
    """
    stored = run_or_latest(store, run_id)
    _, request = advice_request(
        store, stored, now, next_session_in=next_session_in, with_load=False
    )
    events = recovery_reminders(
        recovery_timeline(request),
        request.run_end,
        stored.content_hash[:RUN_KEY_LENGTH],
        checkin_hint,
    )
    return stored, events, calendar_text(events, now)
