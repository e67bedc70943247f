"""iCalendar (RFC 5545) text for the recovery reminders, built by hand.

Hand-built because the format is small and a dependency would be imported on every
`afterrun remind`. Lines end in CRLF and are folded at 75 octets without splitting a
UTF-8 character; TEXT values escape backslash, semicolon, comma and newlines; times are
UTC ("Z"). Each event's UID is derived from the run's content and the reminder's purpose,
not its time, so importing the file again updates the events instead of adding copies.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from afterrun.core.advice import AdviceLine

PRODID = "-//afterrun//recovery reminders//EN"
UID_DOMAIN = "afterrun.invalid"
FOLD_OCTETS = 75
EVENT_MINUTES = 15


@dataclass(frozen=True)
class CalendarEvent:
    """One reminder: when, what, and an alarm at its start."""

    uid: str
    start: datetime
    summary: str
    description: str
    duration: timedelta = timedelta(minutes=EVENT_MINUTES)


def escape_text(value: str) -> str:
    """Escape a TEXT value (RFC 5545 3.3.11)."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets, joined by CRLF and a space."""
    pieces: list[str] = []
    current = ""
    size = 0
    limit = FOLD_OCTETS
    for char in line:
        octets = len(char.encode())
        if size + octets > limit:
            pieces.append(current)
            current, size, limit = "", 0, FOLD_OCTETS - 1  # continuation lines start with a space
        current += char
        size += octets
    pieces.append(current)
    return "\r\n ".join(pieces)


def utc_stamp(moment: datetime) -> str:
    """A DATE-TIME in UTC form, e.g. 20261123T082000Z (fractions of a second dropped)."""
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _duration(span: timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    return f"PT{minutes}M"


def calendar_text(events: Sequence[CalendarEvent], now: datetime) -> str:
    """A VCALENDAR with one VEVENT and one display VALARM per event."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN"]
    lines.append("METHOD:PUBLISH")
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.uid}",
            f"DTSTAMP:{utc_stamp(now)}",
            f"DTSTART:{utc_stamp(event.start)}",
            f"DURATION:{_duration(event.duration)}",
            f"SUMMARY:{escape_text(event.summary)}",
            f"DESCRIPTION:{escape_text(event.description)}",
            "TRANSP:TRANSPARENT",
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            "TRIGGER:PT0S",
            f"DESCRIPTION:{escape_text(event.summary)}",
            "END:VALARM",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def _purpose(line: AdviceLine) -> tuple[str, str] | None:
    """(UID part, summary) for the lines worth a reminder; None for the rest.

    The cool-down, fluids and red-flag lines apply straight away or at any time, and the
    load line is a description: none of them is something to be reminded of later.
    """
    hours = int(line.after.total_seconds() // 3600)
    if line.topic == "food":
        return "refuel", "Refuel after your run"
    if line.topic == "soreness":
        return f"checkin-{hours}h", f"Soreness check-in, {hours} h after your run"
    return None


def recovery_reminders(
    lines: Sequence[AdviceLine],
    run_end: datetime,
    run_key: str,
    checkin_hint: str | None = None,
) -> list[CalendarEvent]:
    """Events for the refuelling and check-in lines of a recovery timeline.

    `run_key` identifies the run across databases (its content hash), which keeps UIDs
    stable when the file is written again, even with another next-session time.
    `checkin_hint` is how the edge that writes the file lets the runner check in.
    """
    warnings = "\n".join(
        f"{line.text.removeprefix('At any time: ')} ({line.cited()})"
        for line in lines
        if line.topic == "red-flags"
    )
    events = []
    for line in lines:
        purpose = _purpose(line)
        if purpose is None:
            continue
        slug, summary = purpose
        description = f"{line.text}\n\nSources: {line.cited()}"
        if line.topic == "soreness" and checkin_hint:
            description = f"{line.text} {checkin_hint}.\n\nSources: {line.cited()}"
        if line.topic == "soreness" and warnings:
            description += f"\n\nWarning signs, at any time:\n{warnings}"
        events.append(
            CalendarEvent(
                uid=f"{run_key}-{slug}@{UID_DOMAIN}",
                start=run_end + line.after,
                summary=summary,
                description=description,
            )
        )
    return events
