"""afterrun's own JSON export (`afterrun export --format json`) read back as activities.

Each run comes back as it was stored: sport, times, totals, name, RPE, notes, the partial
and corrected flags, the legs of a multisport activity and the per-second heart-rate and
speed streams. Loads are worked out again with the current profile, as for any import.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from afterrun.core.activity import Activity, Part, Sport, Stream
from afterrun.core.errors import ImportFailed

#: The value of the export's "format" key (services.export.EXPORT_FORMAT).
EXPORT_FORMAT = "afterrun-export"
#: Why an export without runs gives no activity (its sessions and check-ins still count).
NO_RUNS = "afterrun export holds no runs"


def looks_like_export(head: bytes) -> bool:
    """Whether the first bytes of a file are those of an afterrun JSON export."""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:200]
    return start.startswith(b"{") and b'"format": "afterrun-export"' in start


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _moment(value: object, what: str) -> datetime:
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError as exc:
        raise ImportFailed(f"afterrun export: {what} is not a date and time ({value!r})") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _sport(value: object) -> Sport:
    try:
        return Sport(str(value))
    except ValueError:
        return Sport.OTHER


def _stream(value: object) -> Stream | None:
    if not isinstance(value, dict):
        return None
    offsets, values = value.get("offsets"), value.get("values")
    if not isinstance(offsets, list) or not isinstance(values, list):
        return None
    try:
        return Stream(tuple(int(o) for o in offsets), tuple(_number(v) for v in values))
    except (TypeError, ValueError) as exc:
        raise ImportFailed("afterrun export: a stream is damaged") from exc


def _part(item: dict[str, Any]) -> Part:
    try:
        return Part.from_json(item)
    except ValueError as exc:
        raise ImportFailed(
            f"afterrun export: a leg's start is not a date and time ({item.get('start')!r})"
        ) from exc


def _activity(run: dict[str, Any]) -> Activity:
    notes = run.get("notes")
    parts = run.get("parts")
    return Activity(
        sport=_sport(run.get("sport")),
        start=_moment(run.get("start"), "a run's start"),
        elapsed_seconds=_number(run.get("elapsed_seconds")) or 0.0,
        sub_sport=_text(run.get("sub_sport")),
        device=_text(run.get("device")),
        name=_text(run.get("name")),
        moving_seconds=_number(run.get("moving_seconds")),
        distance_m=_number(run.get("distance_m")),
        elevation_gain_m=_number(run.get("elevation_gain_m")),
        avg_hr=_number(run.get("avg_hr")),
        max_hr=_number(run.get("max_hr")),
        avg_cadence=_number(run.get("avg_cadence")),
        rpe=_number(run.get("rpe")),
        partial=run.get("partial") is True,
        # Why the original file broke off is in the run's notes; the summary says where
        # this copy comes from rather than blaming the export file.
        partial_reason="it was already partial when exported" if run.get("partial") else None,
        corrected=run.get("corrected") is True,
        source_format=_text(run.get("format")) or "manual",
        heart_rate=_stream(run.get("heart_rate")),
        speed=_stream(run.get("speed")),
        notes=tuple(str(n) for n in notes) if isinstance(notes, list) else (),
        parts=tuple(_part(p) for p in parts if isinstance(p, dict))
        if isinstance(parts, list)
        else (),
    )


def read_export(data: bytes, name: str = "") -> list[Activity]:
    """Every run of an afterrun JSON export, oldest first."""
    try:
        document = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise ImportFailed("afterrun export is not valid JSON; export it again") from exc
    if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT:
        raise ImportFailed('not an afterrun export (no "format": "afterrun-export")')
    runs = document.get("runs")
    if not isinstance(runs, list):
        raise ImportFailed("afterrun export holds no list of runs")
    if not runs:
        raise ImportFailed(NO_RUNS)
    activities = [_activity(run) for run in runs if isinstance(run, dict)]
    return sorted(activities, key=lambda a: a.start)
