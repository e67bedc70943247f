"""What recent warning signs mean for the next cool-down.

A sign reported in a check-in is repeated wherever the runner plans next, most urgent
first, for `SHOW_DAYS`, until the runner says a clinician has seen them. A sign on the
emergency or same-day rung also holds the cool-down back: stretching is not what a runner
with dark urine or a possible fracture needs. It does so until the runner says a clinician
has seen them, or until the sign is older than `SHOW_DAYS`, after which a stop sign that was
never followed up no longer says anything about today.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from afterrun.core.time_text import day_and_time, day_text

if TYPE_CHECKING:
    from afterrun.core.red_flags import RedFlag

#: How long a reported sign is repeated, and how long a stop sign holds the cool-down back.
SHOW_DAYS = 7


@dataclass(frozen=True)
class ReportedFlag:
    """A warning sign and when the runner reported it (the newest report of it)."""

    flag: RedFlag
    at: datetime


@dataclass(frozen=True)
class Safety:
    """The warning signs of the last days and whether they hold back the cool-down."""

    #: Every sign reported in the last SHOW_DAYS, most urgent first, each once.
    recent: tuple[ReportedFlag, ...] = ()
    #: The stop signs among them that no clearance came after.
    holding_back: tuple[ReportedFlag, ...] = ()
    tz: tzinfo | None = None
    #: When the runner last said a clinician had seen them, if that was in the last days.
    seen_at: datetime | None = None

    @property
    def flags(self) -> list[RedFlag]:
        return [reported.flag for reported in self.recent]

    @property
    def withheld(self) -> bool:
        return bool(self.holding_back)

    def when(self, reported: ReportedFlag) -> str:
        """'2 Dec 07:30' in the runner's zone."""
        return day_and_time(reported.at, self.tz)

    def to_json(self) -> dict[str, Any]:
        return {
            "red_flags": [
                {**reported.flag.to_json(), "reported_at": reported.at.isoformat()}
                for reported in self.recent
            ],
            "cool_down_withheld": self.withheld,
            "withheld_reason": self.reason or None,
            "seen_note": self.seen_note or None,
        }

    @property
    def seen_note(self) -> str:
        """What replaces the signs a clinician has seen to; empty when there is none."""
        if self.seen_at is None:
            return ""
        seen = day_text(self.seen_at.astimezone(self.tz))
        return (
            f"A clinician saw you about your warning signs ({seen}): follow their advice, "
            "and stop and ask again if a sign comes back or gets worse."
        )

    @property
    def reason(self) -> str:
        """Why no cool-down is offered; empty when one is. Edges add how to say 'seen'."""
        if not self.holding_back:
            return ""
        first = self.holding_back[0]
        signs = ", ".join(
            f"{reported.flag.name} ({self.when(reported)})" for reported in self.holding_back
        )
        return (
            f"No cool-down for now: you reported {signs}, which needs "
            f"{'emergency care' if first.flag.level == 'emergency' else 'medical care today'}"
            ". A cool-down is not what that needs; it is offered again once a clinician has "
            "seen you."
        )


def safety(
    reports: Iterable[tuple[datetime, Iterable[str]]],
    cleared_at: datetime | None,
    now: datetime,
    tz: tzinfo | None = None,
) -> Safety:
    """The state of the runner's warning signs at `now`.

    `reports` are (time, flag slugs) of check-ins; those after `now` or older than
    SHOW_DAYS are ignored, and so are unknown slugs from an older afterrun. Signs reported
    before `cleared_at` (a clinician has seen the runner) are no longer shown: a note that
    the runner was seen takes their place.
    """
    since = now - timedelta(days=SHOW_DAYS)
    reports = [(at, slugs) for at, slugs in reports if slugs and since <= at <= now]
    if not reports:
        return Safety(tz=tz)  # the common case: the sign texts need not even load
    from afterrun.core.red_flags import BY_SLUG, RANK  # noqa: PLC0415

    if cleared_at is not None and cleared_at > now:
        cleared_at = None
    newest: dict[str, datetime] = {}
    seen = False
    for at, slugs in reports:
        if cleared_at is not None and at <= cleared_at:
            seen = seen or any(slug in BY_SLUG for slug in slugs)
            continue
        for slug in slugs:
            if slug in BY_SLUG and (slug not in newest or newest[slug] < at):
                newest[slug] = at
    recent = [
        ReportedFlag(BY_SLUG[slug], newest[slug]) for slug in sorted(newest, key=RANK.__getitem__)
    ]
    holding = tuple(reported for reported in recent if reported.flag.stops_cool_down)
    return Safety(tuple(recent), holding, tz, cleared_at if seen else None)
