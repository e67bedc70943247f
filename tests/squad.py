"""A coach's squad to test against: club members who can sign in, with weeks of runs,
cool-downs and check-ins between them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from afterrun.core.activity import Activity, Sport
from afterrun.core.load import Profile, activity_load
from afterrun.core.records import SessionRecord, StepRecord
from afterrun.core.soreness import CheckIn
from afterrun.store import Store
from club_helpers import add_members

#: The clock of the squad's server: a Friday evening.
NOW = datetime(2026, 3, 6, 18, 0, tzinfo=UTC)


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
    Bo (a hard run cooled down, calves rising) and Cy (easy runs only); admin Ada; each
    with club_helpers.PASSWORD. Nobody shares anything yet. Returns the ids by lower-case
    name."""
    members = add_members(
        store,
        ("Dana", "coach"),
        ("Ana", "athlete"),
        ("Bo", "athlete"),
        ("Cy", "athlete"),
        admin="Ada",
        now=now,
    )
    ids = {name.lower(): athlete_id for name, athlete_id in members.items()}
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
