"""How a duration, a day and a local time are written, the same on every surface.

Month and weekday names are spelled here rather than by `strftime`, so the text does not
change with the computer's locale. Times are shown in the runner's zone, which the caller
passes in; nothing here reads a clock.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo

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


def counted(count: int, word: str) -> str:
    """'1 day', '3 days'."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def age_text(moment: datetime, now: datetime) -> str:
    """How long ago `moment` was, in the largest unit that fits: '5 hours ago', '3 days
    ago', '2 weeks ago', '4 months ago', '3 years ago'."""
    hours = int((now - moment).total_seconds() // 3600)
    days = hours // 24
    if days < 1:
        return f"{counted(max(hours, 0), 'hour')} ago"
    if days < 14:
        return f"{counted(days, 'day')} ago"
    if days < 61:
        return f"{counted(days // 7, 'week')} ago"
    if days < 365:
        return f"{counted(days // 30, 'month')} ago"
    return f"{counted(days // 365, 'year')} ago"


def after_text(after: timedelta) -> str:
    """When a line of advice applies, counted from the run's end: 'at the end', '1 h after',
    '1 day after' (for a run too old for clock times)."""
    hours = int(after.total_seconds() // 3600)
    if hours <= 0:
        return "at the end"
    if hours % 24 == 0:
        return f"{counted(hours // 24, 'day')} after"
    return f"{hours} h after"
