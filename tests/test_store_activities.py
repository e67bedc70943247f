"""Activities and the profile in the store, on SQLite and PostgreSQL (fixtures in conftest)."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from afterrun.core.activity import Activity, Sport, Stream
from afterrun.core.errors import NotFound
from afterrun.core.load import Profile
from afterrun.core.rating import RunLoad
from afterrun.store import Store, stream_codec

START = datetime(2026, 11, 23, 7, 30, tzinfo=UTC)


def _activity(hr: float | None = 150) -> Activity:
    stream = Stream(offsets=(0, 1, 2, 5), values=(140.0, None, 150.5, 151.0))
    return Activity(
        sport=Sport.RUNNING,
        start=START,
        elapsed_seconds=2400,
        distance_m=8000,
        avg_hr=hr,
        heart_rate=stream,
        notes=("a note",),
        source_format="fit",
    )


def test_an_activity_round_trips_with_its_streams(store: Store) -> None:
    load = RunLoad(88.5, "trimp-stream", "")
    activity_id, created = store.add_activity(_activity(), "abc", "run.fit", load, START)
    assert created
    stored = store.get_activity(activity_id)
    assert stored.activity == _activity()
    assert stored.activity.start.tzinfo is not None
    assert (stored.load, stored.load_method, stored.source) == (88.5, "trimp-stream", "run.fit")
    listed = store.list_activities()
    assert [a.id for a in listed] == [activity_id]
    assert listed[0].activity.heart_rate is None, "lists leave the streams out"


def test_the_same_content_is_stored_once(store: Store) -> None:
    load = RunLoad(10, "trimp-average", "")
    first = store.add_activity(_activity(), "same", "a.fit", load, START)
    second = store.add_activity(_activity(), "same", "a-copy.fit", load, START)
    assert second == (first[0], False)
    assert len(store.list_activities()) == 1
    assert store.id_for_content("same") == first[0]
    assert store.id_for_content("other") is None


def test_profile_and_rpe_are_kept(store: Store) -> None:
    assert store.get_profile() == Profile()
    profile = Profile(hr_max=188, hr_rest=52, sex="f", weight_kg=61.0, birth_year=1990)
    store.save_profile(profile, START)
    assert store.get_profile() == profile
    activity_id, _ = store.add_activity(_activity(hr=None), "x", "x", RunLoad(0, "none", ""), START)
    assert store.get_activity(activity_id).load is None
    store.set_rpe(activity_id, 7, RunLoad(280, "session-rpe", ""))
    stored = store.get_activity(activity_id)
    assert (stored.activity.rpe, stored.load, stored.load_method) == (7, 280, "session-rpe")


def test_an_unknown_run_says_how_to_list_them(store: Store) -> None:
    with pytest.raises(NotFound, match=r"^No run 9\.$"):
        store.get_activity(9)


def test_listed_runs_count_their_samples_from_the_streams_head(store: Store) -> None:
    """A list reads only the first bytes of each stream: the counts are still exact, for a
    stream whose compressed form is far longer than what is read."""
    noisy = random.Random(3)
    seconds = 4 * 3600
    stream = Stream(tuple(range(seconds)), tuple(noisy.uniform(90, 190) for _ in range(seconds)))
    assert len(stream_codec.encode(stream) or b"") > 10 * 1024
    start = datetime(2026, 5, 1, 6, 0, tzinfo=UTC)
    long_run = Activity(
        sport=Sport.RUNNING, start=start, elapsed_seconds=seconds, heart_rate=stream, speed=stream
    )
    store.add_activity(long_run, "long", "long.fit", RunLoad(400, "session-rpe", ""), start)
    listed = store.list_activities()[0]
    full = store.get_activity(listed.id, with_streams=True)
    assert (listed.heart_rate_samples, listed.speed_samples) == (seconds, seconds)
    assert (full.heart_rate_samples, full.speed_samples) == (seconds, seconds)
