"""Read distances, durations and times the way runners type them."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, tzinfo

from afterrun.core.errors import InvalidInput, verbatim

_DISTANCE = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(km|k|m|mi|miles?)?\s*$", re.IGNORECASE)
_UNIT_METRES = {
    "km": 1000.0,
    "k": 1000.0,
    "m": 1.0,
    "mi": 1609.344,
    "mile": 1609.344,
    "miles": 1609.344,
}
MAX_DISTANCE_M = 1_000_000
MAX_DURATION_S = 7 * 24 * 3600


def parse_distance(text: str) -> float:
    """'10km', '10 k', '6.2mi' or '800m'; returns metres. A bare number is refused: 10 could
    be kilometres or miles."""
    match = _DISTANCE.match(text)
    if not match:
        raise InvalidInput(f"distance {text!r} not understood: write it like 10km, 800m or 6.2mi.")
    if match.group(2) is None:
        raise InvalidInput(
            f"distance {text!r} has no unit: give km or mi, e.g. "
            f"{match.group(1)}km or {match.group(1)}mi."
        )
    value = float(match.group(1).replace(",", "."))
    unit = match.group(2).lower()
    metres = value * _UNIT_METRES[unit]
    if not 0 < metres <= MAX_DISTANCE_M:
        raise InvalidInput(
            f"distance {text!r} is out of range: give more than 0 and at most 1000 km."
        )
    return metres


def parse_duration(text: str) -> float:
    """'52:30', '1:02:03', '45m', '90s', '1h30m', '2d' or a bare number of minutes; in seconds."""
    raw = text.strip().lower()
    seconds: float | None = None
    if re.fullmatch(r"\d+(:\d{1,2}){1,2}", raw):
        parts = [int(p) for p in raw.split(":")]
        if any(p >= 60 for p in parts[1:]):
            seconds = None
        elif len(parts) == 2:
            seconds = parts[0] * 60 + parts[1]
        else:
            seconds = parts[0] * 3600 + parts[1] * 60 + parts[2]
    elif match := re.fullmatch(
        r"(?:(\d+)d)?\s*(?:(\d+)h)?\s*(?:(\d+)m(?:in)?)?\s*(?:(\d+)s)?", raw
    ):
        if any(match.groups()):
            d, h, m, s = (int(g) if g else 0 for g in match.groups())
            seconds = d * 86400 + h * 3600 + m * 60 + s
    elif re.fullmatch(r"\d+(\.\d+)?", raw):
        seconds = float(raw) * 60
    if seconds is None:
        raise InvalidInput(f"time {text!r} not understood: write it like 52:30, 1:02:03 or 45m.")
    if not 0 < seconds <= MAX_DURATION_S:
        raise InvalidInput(f"time {text!r} is out of range: give more than 0 and at most 7 days.")
    return float(seconds)


def parse_next_session(text: str | None) -> timedelta | None:
    """Time to the next hard session: '6h', '90m', '2d', or a bare number of hours."""
    if text is None:
        return None
    spoken = text
    if text.strip().replace(".", "", 1).isdigit():
        spoken = f"{round(float(text) * 60)}m"  # a bare number here means hours, not minutes
    try:
        return timedelta(seconds=parse_duration(spoken))
    except InvalidInput:
        raise InvalidInput.naming(
            f"{{next_session_in}} {verbatim(repr(text))} not understood: "
            "write it like 6h, 90m or 2d."
        ) from None


def parse_when(text: str, local: tzinfo) -> datetime:
    """'2026-11-23 07:30' or ISO 8601; a time without a zone is taken in `local`."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(
            f'date {text!r} not understood: write it like "2026-11-23 07:30".'
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=local)


def check_rpe(value: float) -> float:
    """Session RPE on the CR-10 scale: 0 (rest) to 10 (maximal)."""
    if not 0 <= value <= 10:
        raise InvalidInput(
            f"RPE {value:g} is out of range: rate the run from 0 (rest) to 10 (maximal)."
        )
    return value
