"""How a duration, a day and a local time are written, the same on every surface.

Month and weekday names are spelled here rather than by `strftime`, so the text does not
change with the computer's locale. Times are shown in the runner's zone, which the caller
passes in; nothing here reads a clock.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def duration(seconds: float | None) -> str:
    """'9:53', or '1:02:03' from an hour up; None is no time at all."""
    whole = round(seconds or 0)
    if whole >= 3600:
        return f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"
    return f"{whole // 60}:{whole % 60:02d}"


def day_text(day: date) -> str:
    """'20 Nov'."""
    return f"{day.day} {MONTHS[day.month - 1]}"


def day_and_time(moment: datetime, zone: tzinfo | None) -> str:
    """'2 Dec 07:30' in the runner's zone."""
    local = moment.astimezone(zone)
    return f"{day_text(local)} {local:%H:%M}"


def weekday_and_time(moment: datetime, zone: tzinfo) -> str:
    """'Mon 07:30' in the runner's zone: a time within the coming days."""
    local = moment.astimezone(zone)
    return f"{WEEKDAYS[local.weekday()]} {local:%H:%M}"


def when_text(moment: datetime, zone: tzinfo, now: datetime | None = None) -> str:
    """'Mon 23 Nov 07:30' in the runner's zone; given `now`, with the year when it is not
    now's year."""
    local = moment.astimezone(zone)
    day = f"{WEEKDAYS[local.weekday()]} {local.day:02d} {MONTHS[local.month - 1]}"
    if now is not None and local.year != now.astimezone(zone).year:
        day += f" {local.year}"
    return f"{day} {local:%H:%M}"


def stamp(moment: datetime, zone: tzinfo) -> str:
    """'2026-11-23 07:30' in the runner's zone: sortable, for tables."""
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")
