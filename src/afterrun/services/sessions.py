"""Starting a cool-down and resuming one: the same steps for the terminal and the phone.

A session is stored when it starts, so that a crash loses at most the step being played.
Messages name no command or button: each edge says how to start a new one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from afterrun.core.engine import SessionEngine, resume_index
from afterrun.core.errors import (
    AfterrunError,
    CoolDownWithheld,
    InvalidInput,
    NotFound,
    StorageError,
)
from afterrun.core.plan import Plan

if TYPE_CHECKING:
    from afterrun.core.catalogue import Catalogue
    from afterrun.core.records import SessionRecord
    from afterrun.core.safety import Safety
    from afterrun.store import Store, StoredSession


class NothingFits(InvalidInput):
    """The minutes given hold no step at all."""

    def __init__(self, minutes: int) -> None:
        super().__init__(f"Nothing fits in {minutes} min. Give more minutes.")
        self.minutes = minutes


class NothingToResume(NotFound):
    """No session to resume; `reason` is "none-stored", "latest-complete" or "complete"."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class UnplayableSession(StorageError):
    """A stored session's plan no longer plays (a damaged or foreign row)."""


@dataclass(frozen=True)
class StartedSession:
    id: int
    started_at: datetime
    engine: SessionEngine


def ready_session(
    safety: Safety, make_plan: Callable[[], Plan], ready: Callable[[], None] | None = None
) -> SessionEngine:
    """Everything before a session is stored: a stop sign not yet seen to holds the
    cool-down back, the plan must have steps, `ready` runs last (the terminal checks it
    can play full-screen), so nothing is stored that cannot be played."""
    if safety.withheld:
        raise CoolDownWithheld(safety.reason)
    plan = make_plan()
    if not plan.steps:
        raise NothingFits(plan.request.minutes)
    if ready is not None:
        ready()
    return SessionEngine(plan)


def store_started(store: Store, record: SessionRecord) -> int:
    """Store a session as it starts (`SessionEngine.record` before it plays); its id."""
    return store.start_session(record)


def start_session(
    store: Store,
    make_plan: Callable[[], Plan],
    now: datetime,
    ready: Callable[[], None] | None = None,
) -> StartedSession:
    """Plan, check the plan has steps, build the engine and store the session in progress.

    `make_plan` is `services.planning.plan_for` (or the same with the command line's plan
    cache); `ready` as in `ready_session`. The terminal, which shows the first step before
    it stores anything, calls `ready_session` and `store_started` itself.
    """
    # The soreness service reads check-ins through the store (and so loads SQLAlchemy):
    # only here, not when the terminal starts a session from its quick read.
    from afterrun.services.soreness import safety_now  # noqa: PLC0415

    engine = ready_session(safety_now(store, now), make_plan, ready)
    session_id = store_started(store, engine.record(now, None, "in-progress"))
    return StartedSession(session_id, now, engine)


def resumable_session(store: Store | None, session_id: int | None) -> StoredSession:
    """The session a resume continues: the one asked for, else the latest, and only when it
    is not complete (an older unfinished session is never picked up behind a newer one)."""
    if session_id is None:
        latest = store.list_sessions(limit=1) if store is not None else []
        if not latest:
            raise NothingToResume("none-stored", "Nothing to resume: no cool-down is stored yet.")
        stored = latest[0]
        if stored.record.status == "completed":
            raise NothingToResume(
                "latest-complete", "Nothing to resume: your latest session is complete."
            )
        return stored
    if store is None:
        from afterrun.store.sessions import not_found  # noqa: PLC0415 - only without a database

        raise not_found(session_id)
    stored = store.get_session(session_id)
    if stored.record.status == "completed":
        raise NothingToResume(
            "complete", f"Session {session_id} is already complete; nothing to resume."
        )
    return stored


def with_areas(plan: Plan, catalogue: Callable[[], Catalogue]) -> Plan:
    """Plans stored before steps kept their body area get it from the catalogue, so that
    'it hurts' still names the area."""
    if all(step.area is not None for step in plan.steps):
        return plan
    try:
        exercises = catalogue().exercises
    except AfterrunError:
        return plan  # a broken exercise file must not stop a resume; pain says "unspecified"
    areas = {exercise.slug: exercise.areas[0] for exercise in exercises if exercise.areas}
    steps = tuple(
        step if step.area is not None else replace(step, area=areas.get(step.exercise))
        for step in plan.steps
    )
    return replace(plan, steps=steps)


@dataclass(frozen=True)
class ResumedSession:
    stored: StoredSession
    engine: SessionEngine
    #: The step the player starts from (len(steps) when every step was reached).
    index: int


def resume_session(
    store: Store | None,
    session_id: int | None,
    catalogue: Callable[[], Catalogue],
    ready: Callable[[], None] | None = None,
) -> ResumedSession:
    """The stored session, its plan in a new engine checked against its step records, and
    the step to start from; marked in progress again (after `ready`)."""
    stored = resumable_session(store, session_id)
    record = stored.record
    try:
        engine = SessionEngine(with_areas(Plan.from_json(record.plan), catalogue))
        engine.check_records(record.steps)
    except (ValueError, InvalidInput) as exc:
        raise UnplayableSession(
            f"Cannot resume session {stored.id}: its stored plan cannot be played again "
            f"({str(exc).rstrip('.')})."
        ) from exc
    if ready is not None:
        ready()
    index = resume_index(record.steps, record.pains)
    if store is not None:
        store.save_session(stored.id, replace(record, status="in-progress", ended_at=None))
    return ResumedSession(stored, engine, index)
