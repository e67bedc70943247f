"""A FIT file's sessions: grouped into activities, and what their summaries say.

Sessions separated by more than `SEPARATE_AFTER` are separate activities (two runs in
one file); sessions close together are the legs of one (a triathlon), each kept as a
`Part`. A session ends at its start plus its total elapsed time, never at its
`timestamp`, which some watches set to the moment the file was saved.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from afterrun.core.activity import Part, Sport
from afterrun.importers._util import sport_from_text, sport_source, weighted_mean
from afterrun.importers.fit_messages import Collected, Session

#: Sessions further apart than this (end of one to start of the next) are separate
#: activities: two runs in one file, not the legs of one race.
SEPARATE_AFTER = timedelta(minutes=15)


def session_end(session: Session) -> datetime | None:
    """Start + total elapsed time (else timer time); the `timestamp` only as a last resort:
    some watches write the moment the file was saved there, hours later."""
    if session.start is not None:
        length = session.elapsed if session.elapsed is not None else session.timer
        if length is not None:
            return session.start + timedelta(seconds=length)
    return session.end


def group_sessions(sessions: list[Session]) -> list[list[Session]]:
    """Sessions in time order, split where a real gap separates two activities."""
    timed = sorted(
        ((s.start, s) for s in sessions if s.start is not None), key=lambda pair: pair[0]
    )
    groups: list[list[Session]] = []
    previous_end: datetime | None = None
    for start, session in timed:
        if not groups or previous_end is None or start - previous_end > SEPARATE_AFTER:
            groups.append([])
        groups[-1].append(session)
        end = session_end(session)
        if end is not None:
            previous_end = end if previous_end is None else max(previous_end, end)
    untimed = [s for s in sessions if s.start is None]
    if untimed:
        if groups:
            groups[-1].extend(untimed)
        else:
            groups.append(untimed)
    return groups


def _part(session: Session, fallback_start: datetime) -> Part:
    elapsed = session.elapsed if session.elapsed is not None else session.timer
    if elapsed is not None and session.timer is not None:
        elapsed = max(elapsed, session.timer)
    return Part(
        sport=session.sport,
        start=session.start or fallback_start,
        elapsed_seconds=elapsed or 0.0,
        moving_seconds=session.timer,
        distance_m=session.distance,
        avg_hr=session.avg_hr,
        max_hr=session.max_hr,
        transition=session.sport_text == "transition",
    )


@dataclass
class Totals:
    """An activity's totals as they are worked out, session first, records second."""

    sport: Sport
    stated: str = "file"
    sub_sport: str | None = None
    elapsed: float | None = None
    moving: float | None = None
    distance: float | None = None
    ascent: float | None = None
    avg_hr: float | None = None
    max_hr: float | None = None
    avg_cadence: float | None = None
    parts: tuple[Part, ...] = ()


def from_sessions(out: Collected, sessions: list[Session], start: datetime) -> Totals:
    if len(sessions) == 1:
        only = sessions[0]
        end = session_end(only)
        return Totals(
            sport=only.sport,
            stated=sport_source([only.sport_text]),
            sub_sport=only.sub_sport,
            elapsed=(end - start).total_seconds() if end is not None else None,
            moving=only.timer,
            distance=only.distance,
            ascent=only.ascent,
            avg_hr=only.avg_hr,
            max_hr=only.max_hr,
            avg_cadence=only.avg_cadence,
        )
    if sessions:
        legs = [s for s in sessions if s.sport_text != "transition"]
        kinds = {s.sport for s in legs}
        sport = kinds.pop() if len(kinds) == 1 else Sport.MULTISPORT
        subs = {s.sub_sport for s in legs}
        ends = [e for e in (session_end(s) for s in sessions) if e is not None]
        return Totals(
            sport=sport,
            stated=sport_source(s.sport_text for s in legs),
            sub_sport=subs.pop() if sport is not Sport.MULTISPORT and len(subs) == 1 else None,
            elapsed=(max(ends) - start).total_seconds() if ends else None,
            moving=total(s.timer for s in sessions),
            distance=total(s.distance for s in sessions),
            ascent=total(s.ascent for s in sessions),
            avg_hr=weighted_mean((s.avg_hr, s.timer or s.elapsed) for s in sessions),
            max_hr=largest(s.max_hr for s in sessions),
            parts=tuple(_part(s, start) for s in sessions),
        )
    sport_text = out.sport_message[0] if out.sport_message else out.activity_type
    return Totals(
        sport=sport_from_text(sport_text) or Sport.OTHER,
        stated=sport_source([sport_text]),
        sub_sport=out.sport_message[1] if out.sport_message else None,
    )


def total(values: Iterable[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def largest(values: Iterable[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return max(known) if known else None
