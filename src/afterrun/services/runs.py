"""Runs: adding, rating, loads, and how hard the latest run was."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from afterrun.core.activity import Activity, Sport
from afterrun.core.errors import InvalidInput
from afterrun.core.load import Profile, activity_load
from afterrun.core.plan_facts import ended_recently
from afterrun.core.rating import Rating, RunLoad
from afterrun.core.units import check_rpe
from afterrun.services.profile import check_heart_rates
from afterrun.services.training import (
    TrainingLoad,
    load_of,
    rate_runs,
)
from afterrun.zones import runner_zone

if TYPE_CHECKING:
    from afterrun.store import Store
    from afterrun.store.activities import StoredActivity


#: Faster than this over any distance is not a run (the 100 m world record is ~10.4 m/s).
MAX_RUN_SPEED_M_S = 10.5


def manual_run(
    distance_m: float, seconds: float, rpe: float | None, start: datetime, now: datetime
) -> Activity:
    """A run typed in by hand: distance, time and (optionally) how hard it felt."""
    end = start + timedelta(seconds=seconds)
    if end > now + timedelta(minutes=5):
        raise InvalidInput.naming(
            f"that run would end {end.astimezone(start.tzinfo):%Y-%m-%d %H:%M}, in the future: "
            "check {at} (it is the start time) and {time}."
        )
    if distance_m / seconds > MAX_RUN_SPEED_M_S:
        pace = seconds / (distance_m / 1000)
        raise InvalidInput.naming(
            f"{distance_m / 1000:g} km in {seconds:g} s is {pace:.0f} s per km, faster than any "
            "human run: check {distance} and {time}."
        )
    return Activity(
        sport=Sport.RUNNING,
        start=start,
        elapsed_seconds=seconds,
        moving_seconds=seconds,
        distance_m=distance_m,
        rpe=None if rpe is None else check_rpe(rpe),
        source_format="manual",
        name="Run (entered by hand)",
    )


def manual_hash(activity: Activity) -> str:
    """Same start, distance and time means the same run, typed twice."""
    key = f"manual|{activity.start.isoformat()}|{activity.distance_m}|{activity.elapsed_seconds}"
    return hashlib.sha256(key.encode()).hexdigest()


def add_manual_run(store: Store, activity: Activity, now: datetime) -> tuple[int, bool]:
    load = activity_load(activity, store.get_profile(), now.year)
    return store.add_activity(activity, manual_hash(activity), "entered by hand", load, now)


def record_rpe(store: Store, activity_id: int, rpe: float, now: datetime) -> RunLoad:
    """Record a session RPE (CR-10) and recompute that run's load."""
    check_rpe(rpe)
    stored = store.get_activity(activity_id)
    load = activity_load(replace(stored.activity, rpe=rpe), store.get_profile(), now.year)
    store.set_rpe(activity_id, rpe, load)
    return load


def update_profile(store: Store, changes: Mapping[str, Any], now: datetime) -> tuple[Profile, int]:
    """Change the given profile values, keep the rest, and recompute every load with them.

    Checked against the stored values too: a resting HR at or above the stored maximum
    would make every heart-rate load meaningless.
    """
    profile = replace(store.get_profile(), **changes)
    check_heart_rates(profile.hr_max, profile.hr_rest)
    store.save_profile(profile, now)
    return profile, recompute_loads(store, profile, now)


def recompute_loads(store: Store, profile: Profile, now: datetime) -> int:
    """After a profile change, every load depends on the new HRmax and resting HR."""
    count = 0
    for activity_id in store.activity_ids():
        stored = store.get_activity(activity_id)
        store.set_load(activity_id, activity_load(stored.activity, profile, now.year))
        count += 1
    return count


@dataclass(frozen=True)
class RatedRun:
    stored: StoredActivity
    rating: Rating


def rate_stored(store: Store, stored: StoredActivity) -> Rating:
    """Rate one run against the runner's own runs in the six weeks before it."""
    runs = [e for e in store.list_activity_loads() if e.sport is Sport.RUNNING or e.includes_run]
    return rate_runs([stored], runs)[stored.id]


def is_recent(stored: StoredActivity, now: datetime) -> bool:
    return ended_recently(stored.activity.end, now)


def latest_run(store: Store) -> RatedRun | None:
    """The most recent run and how hard it was, or None before any run is stored."""
    runs = store.list_activities(limit=1, sport=Sport.RUNNING)
    if not runs:
        return None
    return RatedRun(runs[0], rate_stored(store, runs[0]))


def training_load(
    store: Store, now: datetime, tz: tzinfo | None = None, *, before: datetime | None = None
) -> TrainingLoad:
    """Daily load of every sport on the runner's local dates, smoothed into fatigue and fitness.

    Session-RPE loads are put on the TRIMP scale first (`load_scale`). `tz` is the runner's
    zone; None means the one their profile resolves to. Given `before`, only activities
    started by then count: the model as it stood at that moment.
    """
    zone = tz if tz is not None else runner_zone(store.get_profile())
    everything = store.list_activity_loads()
    if before is not None:
        everything = [entry for entry in everything if entry.start <= before]
    return load_of(everything, now, zone)


def edit_activity(
    store: Store, activity_id: int, sport: Sport | None, name: str | None, now: datetime
) -> StoredActivity:
    """The runner's correction of an activity's sport or name; its load is worked out again.

    A sport set here is marked as the runner's, so no later import of the same run
    replaces it. Nothing is stored when a value is refused.
    """
    if sport is None and name is None:
        raise InvalidInput.naming("give {sport} or {name} (or both) to change.")
    clean = None if name is None else check_name(name)
    stored = store.get_activity(activity_id)
    activity = stored.activity
    if sport is not None:
        activity = replace(activity, sport=sport)
    load = activity_load(activity, store.get_profile(), now.year)
    store.set_sport_and_name(activity_id, sport, clean, load)
    return store.get_activity(activity_id, with_streams=False)


MAX_NAME = 200


def check_name(name: str) -> str:
    """A run's name: one line of at most 200 characters, not blank."""
    clean = " ".join(name.split())
    if not clean:
        raise InvalidInput("the name is blank: give a few words, such as 'Long run'.")
    if len(clean) > MAX_NAME:
        raise InvalidInput(f"the name is {len(clean)} characters long; keep it to {MAX_NAME}.")
    if any(ord(char) < 32 or ord(char) == 127 for char in clean):
        raise InvalidInput("the name holds control characters; type it as plain text.")
    return clean
