"""Rebuild a session from the player's event log, for players that run away from the engine.

The web player plays the compiled timeline on the phone, where it must go on with
no network, and keeps a log of what the runner pressed and when (milliseconds of
wall time since the start). Replaying that log through the same `SessionEngine`
the terminal uses gives the record to store, so skips, pains and actual seconds
follow one set of rules whichever player was used. The log is always sent whole,
so replaying is idempotent and a late or repeated upload cannot double anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from afterrun.core.engine import SessionEngine
from afterrun.core.errors import InvalidInput
from afterrun.core.gentle import uneased
from afterrun.core.plan import Plan
from afterrun.core.records import SessionRecord, SessionStatus

Action = Literal["pause", "resume", "skip", "back", "hurt", "skip-exercise", "carry-on", "quit"]
ACTIONS: tuple[Action, ...] = (
    "pause",
    "resume",
    "skip",
    "back",
    "hurt",
    "skip-exercise",
    "carry-on",
    "quit",
)

#: A log longer than this is not a cool-down someone pressed their way through.
MAX_EVENTS = 5_000


@dataclass(frozen=True)
class PlayerEvent:
    """One press on the player: what, and when (ms since the session started)."""

    at_ms: int
    action: Action
    area: str | None = None


def replay(
    plan: Plan, events: tuple[PlayerEvent, ...], until_ms: int, started_at: datetime
) -> SessionEngine:
    """The engine as it stands `until_ms` into the session after these presses.

    A stored plan already eased by 'carry on, gently' is played as it was made: the log's
    own 'carry-on' eases it again at the moment the runner chose to.
    """
    if len(events) > MAX_EVENTS:
        raise InvalidInput(f"{len(events)} player events is more than the {MAX_EVENTS} allowed.")
    engine = SessionEngine(uneased(plan))
    engine.start(0.0)
    last = 0
    for number, event in enumerate(events, start=1):
        if event.at_ms < last:
            raise InvalidInput(
                f"Player event {number} ({event.action} at {event.at_ms} ms) is earlier than "
                f"the one before it ({last} ms); events must be in the order they happened."
            )
        last = event.at_ms
        _apply(engine, event, started_at)
    if until_ms < last:
        raise InvalidInput(
            f"The session's clock ({until_ms} ms) is earlier than its last event ({last} ms)."
        )
    engine.poll(until_ms / 1000)
    return engine


def _apply(engine: SessionEngine, event: PlayerEvent, started_at: datetime) -> None:
    now = event.at_ms / 1000
    engine.poll(now)
    match event.action:
        case "pause":
            engine.pause(now)
        case "resume":
            engine.resume(now)
        case "skip":
            engine.skip(now)
        case "back":
            engine.back(now)
        case "hurt":
            engine.hurt(now, started_at + timedelta(milliseconds=event.at_ms), event.area)
        case "skip-exercise":
            engine.skip_exercise(now)
        case "carry-on":
            engine.decline_offer(now)
        case "quit":
            engine.finish_now(now)


def replayed_record(
    plan: Plan,
    events: tuple[PlayerEvent, ...],
    until_ms: int,
    started_at: datetime,
    now: datetime,
) -> SessionRecord:
    """What to store for a web session: completed, quit, or still in progress."""
    engine = replay(plan, events, until_ms, started_at)
    status: SessionStatus = "in-progress"
    if engine.finished:
        status = "completed"
    elif events and events[-1].action == "quit":
        status = "quit"
    return engine.record(started_at, now if status != "in-progress" else None, status)
