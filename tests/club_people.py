"""Club requests as one account or another, before the club's sign-in exists in a test.

`SignedInAs` wraps the web app and puts the SignedIn of `as_(...)` in every request's
scope, where the club's sign-in check leaves it (`web.signed_in.SCOPE_KEY`). Tests that
use it can switch to real sign-in (a session cookie) without changing what they assert.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from afterrun.core.activity import Activity, Sport
from afterrun.core.load import Profile, activity_load
from afterrun.core.records import SessionRecord, StepRecord
from afterrun.core.soreness import CheckIn
from afterrun.store import Store
from afterrun.web.signed_in import SCOPE_KEY, SignedIn

#: The clock of the squad's server: a Friday evening.
NOW = datetime(2026, 3, 6, 18, 0, tzinfo=UTC)


class SignedInAs:
    """An ASGI wrapper: every request is made by `self.who` (None: nobody set)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.who: SignedIn | None = None

    def as_(self, athlete_id: int, name: str, role: str) -> None:
        self.who = SignedIn(athlete_id, name, role)  # type: ignore[arg-type]

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] in ("http", "websocket") and self.who is not None:
            scope = {**scope, SCOPE_KEY: self.who}
        await self.app(scope, receive, send)


def add_run(store: Store, start: datetime, minutes: float, rpe: float, key: str) -> int:
    activity = Activity(sport=Sport.RUNNING, start=start, elapsed_seconds=minutes * 60, rpe=rpe)
    load = activity_load(activity, Profile(), start.year)
    run_id, _ = store.add_activity(activity, f"{store.athlete_id}-{key}", "test", load, start)
    return run_id


def add_cool_down(store: Store, started: datetime, done: bool) -> None:
    """A 10-minute cool-down, all of it done, or stopped in the walk (not a cool-down)."""
    status = "done" if done else "skipped"
    steps = tuple(
        StepRecord(i, f"exercise-{i}", None, None, "hold", 60, None, 60.0 if done else 0, status)  # type: ignore[arg-type]
        for i in range(10)
    )
    record = SessionRecord(
        started, started + timedelta(minutes=10), "completed", "hard", 10, {}, steps, ()
    )
    store.start_session(record)


def easy_weeks(store: Store, now: datetime = NOW, days: int = 40) -> None:
    """An easy 40-minute run every other day up to two days ago."""
    for day in range(2, days, 2):
        add_run(store, now - timedelta(days=day, hours=8), 40, 3, f"easy-{day}")


def seed_squad(store: Store, now: datetime = NOW) -> dict[str, int]:
    """A club: coach Dana; athletes Ana (a hard run, cool-down skipped, a red flag),
    Bo (a hard run cooled down, calves rising) and Cy (easy runs only); admin Ada.
    Nobody shares anything yet. Returns the ids by lower-case name."""
    ids = {
        name.lower(): store.add_athlete(name, now, role)
        for name, role in (
            ("Dana", "coach"),
            ("Ana", "athlete"),
            ("Bo", "athlete"),
            ("Cy", "athlete"),
            ("Ada", "admin"),
        )
    }
    ana = store.for_athlete(ids["ana"])
    easy_weeks(ana, now)
    hard = now - timedelta(days=1, hours=3)
    add_run(ana, hard, 90, 8, "hard")
    add_cool_down(ana, hard + timedelta(minutes=95), done=False)
    ana.add_checkin(CheckIn(now - timedelta(hours=20), {"calves": 3}, ("swelling",)))
    bo = store.for_athlete(ids["bo"])
    easy_weeks(bo, now)
    add_run(bo, hard, 90, 8, "hard")
    add_cool_down(bo, hard + timedelta(minutes=100), done=True)
    bo.add_checkin(CheckIn(now - timedelta(days=10), {"calves": 2}))
    bo.add_checkin(CheckIn(now - timedelta(days=2), {"calves": 5}))
    easy_weeks(store.for_athlete(ids["cy"]), now)
    return ids
