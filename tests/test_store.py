"""The store on SQLite and PostgreSQL: what a runner would notice if it went wrong."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from afterrun.core.errors import NotFound, StorageError
from afterrun.core.hints import Hint
from afterrun.core.records import PainReport, SessionRecord, StepRecord
from afterrun.paths import data_dir, resolve_db_url
from afterrun.store import HEAD_REVISION, Store
from afterrun.store.db import alembic_config, current_revision
from afterrun.store.tables import Base

OSLO = timezone(timedelta(hours=2))
START = datetime(2025, 5, 17, 18, 30, 5, 123456, tzinfo=OSLO)


def step(index: int, status: str = "done", actual: float = 30.0) -> StepRecord:
    return StepRecord(
        index=index,
        exercise=f"exercise-{index}",
        variant="wall" if index % 2 else None,
        side="left" if index % 2 else None,
        kind="hold",
        planned_seconds=30,
        reps=None if index % 2 else 8,
        actual_seconds=actual,
        status=status,  # type: ignore[arg-type]
    )


def record(
    started_at: datetime = START,
    steps: tuple[StepRecord, ...] = (),
    pains: tuple[PainReport, ...] = (),
    ended_at: datetime | None = None,
    status: str = "in-progress",
) -> SessionRecord:
    return SessionRecord(
        started_at=started_at,
        ended_at=ended_at,
        status=status,  # type: ignore[arg-type]
        intensity="hard",
        minutes=10,
        plan={"intensity": "hard", "steps": [{"exercise": "calf", "seconds": 30}], "note": "ø"},
        steps=steps,
        pains=pains,
    )


def finished() -> SessionRecord:
    pain = PainReport(
        step_index=1,
        exercise="exercise-1",
        area="left calf",
        offset_seconds=47.25,
        at=START + timedelta(seconds=47.25),
    )
    return record(
        steps=(
            step(0),
            step(1, "partial", 12.5),
            step(2, "skipped", 0.0),
            step(3, "not-reached", 0),
        ),
        pains=(pain,),
        ended_at=START + timedelta(minutes=9, seconds=2),
        status="quit",
    )


# --- migrations --------------------------------------------------------------------------


def test_head_revision_constant_matches_the_migration_scripts() -> None:
    from alembic.script import ScriptDirectory

    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == HEAD_REVISION


def test_opening_an_empty_database_creates_the_tables(db_url: str) -> None:
    with Store.open(db_url) as store, store.engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
        assert {"sessions", "session_steps", "pain_reports", "alembic_version"} <= tables
        assert current_revision(connection) == HEAD_REVISION


def test_migrations_build_exactly_the_tables_the_code_uses(store: Store) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with store.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_data_survives_reopening(db_url: str) -> None:
    with Store.open(db_url) as store:
        session_id = store.start_session(finished())
    with Store.open(db_url) as store:
        assert store.get_session(session_id).record == finished()


def test_opening_an_up_to_date_database_does_not_import_alembic(sqlite_url: str) -> None:
    Store.open(sqlite_url).close()
    code = (
        "import sys\n"
        "from afterrun.store import Store\n"
        f"Store.open({sqlite_url!r}).close()\n"
        "print('alembic' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_a_database_from_a_newer_afterrun_is_refused_with_advice(db_url: str) -> None:
    with Store.open(db_url) as store, store.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(StorageError, match="Upgrade afterrun"):
        Store.open(db_url)


# --- sessions ----------------------------------------------------------------------------


def test_a_saved_session_round_trips(store: Store) -> None:
    session_id = store.start_session(record(steps=(step(0),)))
    store.save_session(session_id, finished())

    stored = store.get_session(session_id)

    assert stored.id == session_id
    assert stored.record == finished()
    assert [s.actual_seconds for s in stored.record.steps] == [30.0, 12.5, 0.0, 0.0]
    assert [s.status for s in stored.record.steps] == ["done", "partial", "skipped", "not-reached"]
    assert stored.record.pains[0].area == "left calf"


def test_times_come_back_as_aware_utc(store: Store) -> None:
    session_id = store.start_session(finished())
    got = store.get_session(session_id).record
    for moment in (got.started_at, got.ended_at, got.pains[0].at):
        assert moment is not None
        assert moment.tzinfo is UTC
    assert got.started_at == START
    assert got.started_at.hour == 16  # 18:30 in UTC+2
    assert got.started_at.microsecond == 123456


def test_start_session_keeps_the_steps_so_far(store: Store) -> None:
    session_id = store.start_session(record(steps=(step(0), step(1))))
    got = store.get_session(session_id).record
    assert got.status == "in-progress"
    assert got.ended_at is None
    assert len(got.steps) == 2


def test_saving_twice_replaces_rather_than_duplicates(store: Store) -> None:
    session_id = store.start_session(record())
    store.save_session(session_id, finished())
    store.save_session(session_id, finished())
    shorter = replace(finished(), steps=(step(0),), pains=(), status="completed")
    store.save_session(session_id, shorter)

    assert store.get_session(session_id).record == shorter
    assert len(store.list_sessions()) == 1


def test_a_failed_save_keeps_the_previous_save(store: Store) -> None:
    session_id = store.start_session(finished())
    broken = replace(finished(), steps=(step(0), step(0)), status="completed")
    with pytest.raises(StorageError, match="Cannot write to the database"):
        store.save_session(session_id, broken)
    assert store.get_session(session_id).record == finished()


def test_sessions_are_listed_newest_first(store: Store) -> None:
    ids = {
        hours: store.start_session(record(started_at=START + timedelta(hours=hours)))
        for hours in (1, 3, 2)
    }
    listed = [s.id for s in store.list_sessions()]
    assert listed == [ids[3], ids[2], ids[1]]
    assert [s.id for s in store.list_sessions(limit=2)] == [ids[3], ids[2]]
    assert store.list_sessions(limit=0) == []


def test_an_empty_store_lists_nothing(store: Store) -> None:
    assert store.list_sessions() == []


def test_an_unknown_session_says_how_to_find_ids(store: Store) -> None:
    with pytest.raises(NotFound) as caught:
        store.get_session(42)
    # Each edge words the hint: the terminal names 'afterrun history'.
    assert (str(caught.value), caught.value.hint) == ("No session 42.", Hint.LIST_SESSIONS)
    with pytest.raises(NotFound, match=r"^No session 42\.$"):
        store.save_session(42, finished())


def test_session_json_is_ready_to_print(store: Store) -> None:
    session_id = store.start_session(finished())
    data = store.get_session(session_id).to_json()

    assert json.loads(json.dumps(data)) == data
    assert data["id"] == session_id
    assert data["started_at"] == "2025-05-17T16:30:05.123456+00:00"
    assert data["ended_at"] == "2025-05-17T16:39:07.123456+00:00"
    assert data["pains"][0]["at"] == "2025-05-17T16:30:52.373456+00:00"
    assert (data["steps_done"], data["steps_partial"], data["steps_skipped"]) == (1, 1, 1)
    assert data["total_planned_seconds"] == 120
    assert [s["actual_seconds"] for s in data["steps"]] == [30.0, 12.5, 0.0, 0.0]
    assert data["plan"] == finished().plan


# --- SQLite connection settings ----------------------------------------------------------


def test_sqlite_uses_wal_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    path = tmp_path / "afterrun.db"
    with Store.open(str(path)) as store, store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
    raw = sqlite3.connect(path)
    try:
        assert raw.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    finally:
        raw.close()


def test_sqlite_creates_the_missing_folder(tmp_path: Path) -> None:
    path = tmp_path / "not" / "yet" / "there" / "afterrun.db"
    Store.open(str(path)).close()
    assert path.is_file()


# --- errors that say what to do ----------------------------------------------------------


def test_an_unreachable_server_names_the_fix_and_hides_the_password() -> None:
    url = "postgresql+psycopg://runner:s3cr3t-pw@127.0.0.1:1/afterrun"
    with pytest.raises(StorageError) as caught:
        Store.open(url)
    message = str(caught.value)
    assert message.startswith("Cannot open the database at postgresql+psycopg://runner:***@")
    assert "pass --db with another URL" in message
    assert "s3cr3t-pw" not in message


def test_a_postgres_scheme_is_accepted_and_masked() -> None:
    with pytest.raises(StorageError) as caught:
        Store.open("postgres://runner:s3cr3t-pw@127.0.0.1:1/afterrun")
    assert "postgresql+psycopg://runner:***@127.0.0.1:1/afterrun" in str(caught.value)
    assert "s3cr3t-pw" not in str(caught.value)


@pytest.mark.parametrize(
    "url",
    [
        "oracle://runner:s3cr3t-pw@host/db",
        "nonsense://x/y",
        "postgresql+nodriver://u:s3cr3t-pw@h/db",
    ],
)
def test_an_unknown_database_kind_is_refused(url: str) -> None:
    with pytest.raises(StorageError) as caught:
        Store.open(url)
    assert "Pass --db with a SQLite file path or a postgresql:// URL" in str(caught.value)
    assert "s3cr3t-pw" not in str(caught.value)


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are my running notes, not a database\n" * 100)
    with pytest.raises(StorageError, match="pass --db with another path"):
        Store.open(str(path))


def test_an_unwritable_folder_is_refused(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(StorageError, match="AFTERRUN_DATA_DIR"):
        Store.open(str(blocker / "afterrun.db"))


# --- where the database is ---------------------------------------------------------------


def test_db_flag_beats_environment_beats_default(tmp_path: Path) -> None:
    env = {"AFTERRUN_DB": "postgresql://u:p@h/db", "AFTERRUN_DATA_DIR": str(tmp_path)}
    assert resolve_db_url("sqlite:///x.db", env) == "sqlite:///x.db"
    assert resolve_db_url(None, env) == "postgresql+psycopg://u:p@h/db"
    assert resolve_db_url(None, {"AFTERRUN_DATA_DIR": str(tmp_path)}) == (
        f"sqlite:///{tmp_path / 'afterrun.db'}"
    )


def test_a_plain_path_is_an_absolute_sqlite_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert resolve_db_url("runs.db", {}) == f"sqlite:///{tmp_path.resolve() / 'runs.db'}"
    assert resolve_db_url("postgres://u@h/db", {}) == "postgresql+psycopg://u@h/db"


def test_data_dir_honours_its_environment_variable(tmp_path: Path) -> None:
    assert data_dir({"AFTERRUN_DATA_DIR": str(tmp_path)}) == tmp_path
    assert data_dir({}).name == "afterrun"
