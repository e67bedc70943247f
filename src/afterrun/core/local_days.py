"""Local days and weeks: loads, report weeks and soreness days count by the runner's own
calendar, in the zone they are given (never the system's)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo


def local_date(moment: datetime, tz: tzinfo) -> date:
    """The runner's calendar day of `moment`."""
    return moment.astimezone(tz).date()


def week_start(day: date) -> date:
    """The Monday of the ISO week that holds `day`."""
    return day - timedelta(days=day.weekday())


def local_midnight(day: date, tz: tzinfo) -> datetime:
    """Midnight at the start of `day` in `tz`, timezone-aware."""
    return datetime.combine(day, time(), tzinfo=tz)
