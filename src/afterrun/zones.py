"""The one place that decides the runner's time zone: the profile's, else the system's.

The core never reads the system zone; it is given a `tzinfo` from here. A zone name is an
IANA name ("Europe/Berlin"), read with `zoneinfo`: from the system's zone files, or from the
`tzdata` package where the platform has none (Windows).
"""

from __future__ import annotations

import os
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from afterrun.core.errors import InvalidInput

if TYPE_CHECKING:
    from afterrun.core.load import Profile

LOCALTIME = Path("/etc/localtime")
MAX_NAME = 64


def zone_named(name: str) -> ZoneInfo:
    """The IANA zone `name`, or InvalidInput saying what a zone name looks like."""
    text = name.strip()
    problem = (
        f"unknown time zone {text[:MAX_NAME]!r}: give an IANA name such as Europe/Berlin, "
        "America/New_York or UTC."
    )
    if not text or len(text) > MAX_NAME or text.startswith(("/", ".")) or ".." in text:
        raise InvalidInput(problem)
    if text.upper() in ("UTC", "GMT"):
        text = text.upper()  # "utc" as typed is the same zone on every system
    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError, OSError) as error:
        raise InvalidInput(problem) from error


def system_zone() -> tzinfo:
    """The system's zone with its daylight-saving rules: $TZ, else /etc/localtime.

    Falls back to the current UTC offset (without rules) only when neither names a zone.
    """
    name = os.environ.get("TZ", "").lstrip(":")
    if name:
        try:
            return zone_named(name)
        except InvalidInput:
            pass
    try:
        target = LOCALTIME.resolve()
        parts = target.parts
        if "zoneinfo" in parts:
            return zone_named("/".join(parts[parts.index("zoneinfo") + 1 :]))
        with LOCALTIME.open("rb") as data:
            return ZoneInfo.from_file(data, key="localtime")
    except (OSError, ValueError, InvalidInput):
        pass
    return datetime.now().astimezone().tzinfo or ZoneInfo("UTC")


def runner_zone(profile: Profile) -> tzinfo:
    """The profile's zone, else the system's."""
    return zone_for(profile.timezone)


def zone_for(name: str | None) -> tzinfo:
    """The zone a profile names (`profile.timezone`), else the system's."""
    if name:
        try:
            return zone_named(name)
        except InvalidInput:
            return system_zone()
    return system_zone()


def zone_name(zone: tzinfo) -> str:
    return getattr(zone, "key", None) or str(zone)
