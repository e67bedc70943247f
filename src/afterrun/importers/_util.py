"""Small pure helpers the FIT, GPX and TCX readers share.

Nothing here touches a file, a database or global state: numbers in, numbers out.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import UTC, datetime

from afterrun.core.activity import Sport, SportSource
from afterrun.importers.track import MAX_MAGNITUDE

#: Why a course (FIT, TCX) or a route (GPX) is refused, in every format's words.
PLANNED_ROUTE = "this is a planned route, not an activity: import the recording of the run instead"


def number(value: object, limit: float = MAX_MAGNITUDE) -> float | None:
    """A finite float no larger than `limit` either way from an int/float/str value,
    else None (bools and junk refused)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        result = float(value)
    elif isinstance(value, str):
        try:
            result = float(value.strip())
        except ValueError:
            return None
    else:
        return None
    return result if math.isfinite(result) and abs(result) <= limit else None


def heart_rate(value: object) -> float | None:
    """A plausible heart rate in bpm; 0 (strap lost contact) and absurd values are None."""
    bpm = number(value)
    if bpm is None or bpm <= 0 or bpm > 260:
        return None
    return bpm


def weighted_mean(pairs: Iterable[tuple[float | None, float | None]]) -> float | None:
    """Mean of values weighted by (value, weight) pairs, skipping missing or zero weights."""
    total = 0.0
    weights = 0.0
    for value, weight in pairs:
        if value is None or weight is None or weight <= 0:
            continue
        total += value * weight
        weights += weight
    return total / weights if weights > 0 else None


#: No satellite fix is older than GPS time itself (1980-01-06) ...
EARLIEST_TIME = datetime(1980, 1, 6, tzinfo=UTC)
#: ... and a recording dated this late is corrupt. The window is 120 years wide, so
#: seconds from an activity's start always fit the store's unsigned 32-bit offsets.
LATEST_TIME = datetime(2100, 1, 1, tzinfo=UTC)


def parse_time(text: str | None) -> datetime | None:
    """An ISO 8601 timestamp as aware UTC; a time without zone is taken as UTC.

    Text that is no timestamp, or a time outside `EARLIEST_TIME`..`LATEST_TIME`
    (year 1 or 9999 in a damaged file), counts as no time at all.
    """
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.strip())
        moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    except (ValueError, OverflowError):  # OverflowError: year 1 or 9999 shifted by its zone
        return None
    return moment if EARLIEST_TIME <= moment < LATEST_TIME else None


# Order matters: the first group whose fragment occurs in the normalised text wins.
_SPORT_FRAGMENTS: tuple[tuple[tuple[str, ...], Sport], ...] = (
    (("motor",), Sport.OTHER),  # before "cycl": motorcycling is no ride
    (("multisport", "triathlon", "duathlon"), Sport.MULTISPORT),
    (("crosscountry", "nordicski", "xcski", "skiskating"), Sport.CROSS_COUNTRY_SKIING),
    (("run", "jog", "treadmill"), Sport.RUNNING),
    (("cycl", "bik", "ride"), Sport.CYCLING),
    (("swim",), Sport.SWIMMING),
    (("walk",), Sport.WALKING),
    (("hik",), Sport.HIKING),
)

#: Strava's GPX exports once wrote numeric types; only the two that are well
#: attested are mapped (9 = Run, 1 = Ride). Other numbers become OTHER.
_NUMERIC_SPORTS = {"9": Sport.RUNNING, "1": Sport.CYCLING}


def sport_from_text(text: str | None) -> Sport | None:
    """Map a sport word from any format ('running', 'Biking', 'TrailRun', 'cross_country_skiing').

    Returns None when the text is empty, OTHER when it names something else.
    """
    if text is None:
        return None
    raw = text.strip()
    if not raw:
        return None
    if raw in _NUMERIC_SPORTS:
        return _NUMERIC_SPORTS[raw]
    key = re.sub(r"[^a-z]", "", raw.lower())
    for fragments, sport in _SPORT_FRAGMENTS:
        if any(fragment in key for fragment in fragments):
            return sport
    return Sport.OTHER


#: Words a file uses for "no sport given": FIT's "generic", TCX's "Other".
_NO_SPORT_WORDS = frozenset({"generic", "other", "unknown", "all"})


def names_no_sport(text: str | None) -> bool:
    """True when a file's sport field says nothing (absent, empty, "generic", "Other")."""
    if text is None:
        return True
    return re.sub(r"[^a-z]", "", text.lower()) in _NO_SPORT_WORDS | {""}


def sport_source(texts: Iterable[str | None]) -> SportSource:
    """ "unstated" when no sport field of the file names a sport, else "file"."""
    return "unstated" if all(names_no_sport(text) for text in texts) else "file"


def one_line(text: str, limit: int = 160) -> str:
    """Squash an exception's text to a single short line for an ImportFailed message."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
