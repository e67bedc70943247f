"""Every row belongs to an athlete: one athlete's store neither sees nor changes another's
rows, on SQLite and PostgreSQL (fixtures in conftest)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from afterrun.core.activity import Activity, Sport
from afterrun.core.errors import InvalidInput, NotFound
from afterrun.core.load import Profile
from afterrun.core.rating import RunLoad
from afterrun.core.records import PainReport, SessionRecord, StepRecord
from afterrun.core.soreness import CheckIn
from afterrun.store import Store

START = datetime(2026, 11, 23, 7, 30, tzinfo=UTC)
LOAD = RunLoad(60.0, "trimp-average", "")


def _run(minutes: float = 40) -> Activity:
    return Activity(
        sport=Sport.RUNNING,
        start=START,
        elapsed_seconds=minutes * 60,
        distance_m=8000,
        avg_hr=150,
        source_format="fit",
    )


def _session() -> SessionRecord:
    step = StepRecord(0, "calf-stretch", None, "left", "hold", 30, None, 30.0, "done")
    pain = PainReport(0, "calf-stretch", "calves", 12.0, START + timedelta(hours=1), "left")
    return SessionRecord(
        started_at=START + timedelta(hours=1),
        ended_at=START + timedelta(hours=1, minutes=5),
        status="completed",
        intensity="hard",
        minutes=5,
        plan={"minutes": 5},
        steps=(step,),
        pains=(pain,),
    )


@pytest.fixture
def two(store: Store) -> tuple[Store, Store]:
    other = store.add_athlete("Bea", START)
    return store, store.for_athlete(other)


def test_a_personal_database_has_one_athlete_who_owns_everything(store: Store) -> None:
    assert [(a.id, a.name) for a in store.list_athletes()] == [(1, "me")]
    assert store.athlete_id == 1


def test_names_are_unique_whatever_their_case(store: Store) -> None:
    store.add_athlete("Ana Lopez", START)
    with pytest.raises(InvalidInput, match="already an athlete called Ana Lopez"):
        store.add_athlete("  ana   LOPEZ ", START)
    found = store.find_athlete("ANA LOPEZ")
    assert found is not None and found.name == "Ana Lopez"


def test_one_athlete_sees_none_of_anothers_rows(two: tuple[Store, Store]) -> None:
    ana, bea = two
    run_id, _ = ana.add_activity(_run(), "hash-1", "run.fit", LOAD, START)
    session_id = ana.start_session(_session())
    ana.add_checkin(CheckIn(START + timedelta(days=1), {"calves": 2}, (), run_id, 24.0))
    ana.add_clearance(START + timedelta(days=2))
    ana.save_profile(Profile(hr_max=190), START)

    assert bea.list_activities() == []
    assert bea.list_activity_loads() == []
    assert bea.activity_ids() == []
    assert bea.list_sessions() == []
    assert bea.list_pain_reports() == []
    assert bea.list_checkins() == []
    assert bea.latest_clearance() is None
    assert bea.get_profile() == Profile()
    assert bea.id_for_content("hash-1") is None
    with pytest.raises(NotFound, match=f"No run {run_id}"):
        bea.get_activity(run_id)
    with pytest.raises(NotFound, match=f"No session {session_id}"):
        bea.get_session(session_id)


def test_one_athlete_cannot_change_anothers_rows(two: tuple[Store, Store]) -> None:
    ana, bea = two
    run_id, _ = ana.add_activity(_run(), "hash-1", "run.fit", LOAD, START)
    session_id = ana.start_session(_session())
    with pytest.raises(NotFound):
        bea.set_rpe(run_id, 9, LOAD)
    with pytest.raises(NotFound):
        bea.set_sport_and_name(run_id, Sport.CYCLING, "mine now", LOAD)
    with pytest.raises(NotFound):
        bea.set_load(run_id, LOAD)
    assert not bea.fill_missing(run_id, "a name", 3)
    with pytest.raises(NotFound):
        bea.save_session(session_id, _session())
    with pytest.raises(NotFound, match=f"No run {run_id}"):
        bea.add_checkin(CheckIn(START, {"calves": 1}, (), run_id, 1.0))
    stored = ana.get_activity(run_id)
    assert (stored.activity.rpe, stored.activity.name, stored.activity.sport) == (
        None,
        None,
        Sport.RUNNING,
    )
    assert ana.get_session(session_id).record == _session()


def test_the_same_file_is_stored_for_each_athlete(two: tuple[Store, Store]) -> None:
    ana, bea = two
    first = ana.add_activity(_run(), "same-file", "a.fit", LOAD, START)
    second = bea.add_activity(_run(), "same-file", "a.fit", LOAD, START)
    assert first[1] and second[1] and first[0] != second[0]
    assert bea.import_activity(_run(), "same-file", "a.fit", START, lambda _: LOAD).outcome == (
        "same"
    )
    assert [a.id for a in ana.list_activities()] == [first[0]]
    assert [a.id for a in bea.list_activities()] == [second[0]]


def test_profiles_are_each_athletes_own(two: tuple[Store, Store]) -> None:
    ana, bea = two
    ana.save_profile(Profile(hr_max=190, hr_rest=50), START)
    bea.save_profile(Profile(hr_max=175), START)
    assert ana.get_profile() == Profile(hr_max=190, hr_rest=50)
    assert bea.get_profile() == Profile(hr_max=175)


def test_closing_an_athletes_view_leaves_the_database_open(two: tuple[Store, Store]) -> None:
    ana, bea = two
    bea.close()
    assert ana.list_activities() == []
