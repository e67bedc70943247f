"""Storage on a real SQLite file and a real PostgreSQL server, through the same tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from afterrun.catalogue_files import load_catalogue
from afterrun.core.activity import Activity, Sport, Stream
from afterrun.core.engine import SessionEngine
from afterrun.core.errors import NotFound, StorageError
from afterrun.core.load import Profile, RunLoad
from afterrun.core.plan import PlanRequest
from afterrun.core.planner import plan_cooldown
from afterrun.store import HEAD_REVISION, Store
from afterrun.store.db import MIGRATIONS_DIR

POSTGRES_ENV = "AFTERRUN_TEST_POSTGRES_URL"
START = datetime(2026, 11, 23, 7, 30, tzinfo=UTC)


def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'afterrun.db'}"
    else:
        url = os.environ.get(POSTGRES_ENV, "")
        if not url:
            reason = (
                f"set {POSTGRES_ENV} to a PostgreSQL URL to run the storage tests on "
                "PostgreSQL (.ci/run does)"
            )
            if os.environ.get("CI") == "true":
                pytest.fail(reason)
            pytest.skip(reason)
        _reset_postgres(url)
    opened = Store.open(url)
    yield opened
    opened.close()


def _record(status: str = "completed") -> tuple[SessionEngine, object]:
    plan = plan_cooldown(load_catalogue(None), PlanRequest(minutes=6))
    engine = SessionEngine(plan)
    engine.start(0.0)
    engine.poll(12.0)
    engine.skip(12.0)
    engine.hurt(13.0, START + timedelta(seconds=13), area="hips")
    engine.skip_exercise(14.0)
    engine.poll(40.0)
    engine.finish_now(40.0)
    return engine, engine.record(START, START + timedelta(minutes=1), status)  # type: ignore[arg-type]


def test_a_session_round_trips_with_plan_steps_skips_and_pain(store: Store) -> None:
    engine, record = _record()
    session_id = store.start_session(record)  # type: ignore[arg-type]
    stored = store.get_session(session_id)
    assert stored.record == record
    assert stored.record.started_at.tzinfo is not None
    assert stored.record.started_at == START
    assert [p.area for p in stored.record.pains] == ["hips"]
    statuses = [s.status for s in stored.record.steps]
    assert "skipped" in statuses and "done" in statuses and "not-reached" in statuses
    data = stored.to_json()
    assert data["started_at"] == "2026-11-23T07:30:00+00:00"
    assert data["plan"]["total_seconds"] == engine.timeline.total_ms // 1000


def test_saving_again_replaces_rather_than_duplicates(store: Store) -> None:
    engine, record = _record("in-progress")
    session_id = store.start_session(record)  # type: ignore[arg-type]
    engine.finish_now(50.0)
    final = engine.record(START, START + timedelta(minutes=2), "quit")
    store.save_session(session_id, final)
    store.save_session(session_id, final)
    sessions = store.list_sessions()
    assert [s.id for s in sessions] == [session_id]
    assert sessions[0].record.status == "quit"
    assert len(sessions[0].record.steps) == len(engine.timeline.steps)
    assert len(sessions[0].record.pains) == 1


def test_sessions_are_listed_newest_first(store: Store) -> None:
    _, record = _record()
    older = store.start_session(record)  # type: ignore[arg-type]
    from dataclasses import replace

    newer = store.start_session(replace(record, started_at=START + timedelta(days=1)))  # type: ignore[type-var]
    assert [s.id for s in store.list_sessions()] == [newer, older]
    assert [s.id for s in store.list_sessions(limit=1)] == [newer]


def test_an_unknown_session_says_how_to_list_them(store: Store) -> None:
    with pytest.raises(
        NotFound, match=r"^No session 42\. Run 'afterrun history' to see session ids\.$"
    ):
        store.get_session(42)


def _activity(minutes: float = 40, hr: float | None = 150) -> Activity:
    stream = Stream(offsets=(0, 1, 2, 5), values=(140.0, None, 150.5, 151.0))
    return Activity(
        sport=Sport.RUNNING,
        start=START,
        elapsed_seconds=minutes * 60,
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


def test_profile_and_rpe_are_kept(store: Store) -> None:
    assert store.get_profile() == Profile()
    profile = Profile(hr_max=188, hr_rest=52, sex="f", weight_kg=61.0, birth_year=1990)
    store.save_profile(profile, START)
    assert store.get_profile() == profile
    activity_id, _ = store.add_activity(_activity(hr=None), "x", "x", RunLoad(0, "none", ""), START)
    store.set_rpe(activity_id, 7, RunLoad(280, "session-rpe", ""))
    stored = store.get_activity(activity_id)
    assert (stored.activity.rpe, stored.load, stored.load_method) == (7, 280, "session-rpe")


def test_migrations_create_every_table_at_head(store: Store) -> None:
    names = set(inspect(store.engine).get_table_names())
    assert {"sessions", "session_steps", "pain_reports", "activities", "profile"} <= names
    with store.engine.connect() as connection:
        assert connection.scalar(text("SELECT version_num FROM alembic_version")) == HEAD_REVISION


def test_head_revision_matches_the_newest_migration_script() -> None:
    from alembic.script import ScriptDirectory

    assert ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head() == HEAD_REVISION


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path: Path) -> None:
    with Store.open(str(tmp_path / "a.db")) as store, store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_a_missing_folder_for_the_sqlite_file_is_created(tmp_path: Path) -> None:
    with Store.open(str(tmp_path / "deep" / "er" / "afterrun.db")):
        pass
    assert (tmp_path / "deep" / "er" / "afterrun.db").exists()


def test_an_unreachable_server_is_a_storage_error_without_the_password() -> None:
    with pytest.raises(StorageError) as caught:
        Store.open("postgresql://runner:s3cret@127.0.0.1:1/afterrun")
    message = str(caught.value)
    assert message.startswith(
        "Cannot open the database at postgresql+psycopg://runner:***@127.0.0.1:1/afterrun"
    )
    assert "s3cret" not in message
    assert "pass --db with another URL" in message
