"""Upgrades: a database written by each earlier schema revision migrates forward whole.

tests/fixtures/schema holds one SQLite file per revision, made by make_fixtures.py at that
revision with the tables of that time, and expected.json with every row in it. Each test
opens a copy with Store.open, which migrates, and reads every row back through the Store.
On PostgreSQL the same rows are loaded into a throwaway schema at that revision first.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import sqlite3
from datetime import UTC
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from afterrun.cli.main import cli
from afterrun.core.activity import Sport, Stream
from afterrun.core.engine import SessionEngine, resume_index
from afterrun.core.errors import StorageError
from afterrun.core.load import Profile
from afterrun.core.plan import Plan
from afterrun.store import HEAD_REVISION, Store
from afterrun.store.db import current_revision

FIXTURES = Path(__file__).parent / "fixtures" / "schema"


def _load_maker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


MAKER = _load_maker()
REVISIONS: tuple[str, ...] = MAKER.REVISIONS
DATA: dict[str, Any] = json.loads((FIXTURES / "expected.json").read_text())
# Pain reports stored before 0007 say no side: they read back with none.
for _session in DATA["sessions"]:
    _session["pains"] = [{**pain, "side": None} for pain in _session["pains"]]


def test_there_is_a_fixture_for_every_revision_before_head() -> None:
    from alembic.script import ScriptDirectory

    from afterrun.store.db import alembic_config

    scripts = ScriptDirectory.from_config(alembic_config())
    known = sorted(script.revision for script in scripts.walk_revisions())
    assert list(REVISIONS) == known
    assert REVISIONS[-1] == HEAD_REVISION
    for revision in REVISIONS:
        raw = sqlite3.connect(MAKER.fixture_path(revision))
        try:
            assert raw.execute("SELECT version_num FROM alembic_version").fetchall() == [
                (revision,)
            ]
        finally:
            raw.close()


def _copy(revision: str, tmp_path: Path) -> Path:
    path = tmp_path / "afterrun.db"
    shutil.copyfile(MAKER.fixture_path(revision), path)
    return path


def _row_counts(path: Path) -> dict[str, int]:
    raw = sqlite3.connect(path)
    try:
        names = [
            name
            for (name,) in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if name != "alembic_version"
        ]
        count = 'SELECT count(*) FROM "{}"'  # the names come from sqlite_master
        return {name: raw.execute(count.format(name)).fetchone()[0] for name in names}
    finally:
        raw.close()


def _stream(data: dict[str, Any] | None) -> Stream | None:
    if data is None:
        return None
    return Stream(tuple(data["offsets"]), tuple(data["values"]))


def check_every_row(store: Store, revision: str) -> None:
    """Everything the fixture of `revision` holds, read back through the Store."""
    with store.engine.connect() as connection:
        assert current_revision(connection) == HEAD_REVISION

    sessions = sorted((s.to_json() for s in store.list_sessions()), key=lambda s: s["id"])
    assert sessions == DATA["sessions"]
    for expected in DATA["sessions"]:
        assert store.get_session(expected["id"]).to_json() == expected

    if revision < "0002":
        assert store.list_activities() == []
        assert store.get_profile() == Profile()
    else:
        assert sorted(a.id for a in store.list_activities()) == [
            a["id"] for a in DATA["activities"]
        ]
        for expected in DATA["activities"]:
            stored = store.get_activity(expected["id"])
            activity = stored.activity
            got = {
                "id": stored.id,
                "content_hash": stored.content_hash,
                "source": stored.source,
                "source_format": activity.source_format,
                "sport": activity.sport.value,
                "started_at": activity.start.isoformat(),
                "imported_at": stored.imported_at.isoformat(),
                "load": stored.load,
                "load_method": stored.load_method,
                "notes": list(activity.notes),
                "heart_rate": activity.heart_rate,
                "speed": activity.speed,
            }
            for field in (
                "sub_sport",
                "device",
                "name",
                "elapsed_seconds",
                "moving_seconds",
                "distance_m",
                "elevation_gain_m",
                "avg_hr",
                "max_hr",
                "avg_cadence",
                "rpe",
                "partial",
            ):
                got[field] = getattr(activity, field)
            want = dict(expected)
            want["heart_rate"] = _stream(expected["heart_rate"])
            want["speed"] = _stream(expected["speed"])
            assert got == want
            # Rows from before 0005: no legs, nothing corrected; a run still sizes the cool-down.
            assert (activity.parts, activity.corrected) == ((), False)
        runs = {a["id"] for a in DATA["activities"] if a["sport"] == "running"}
        assert {s.id for s in store.list_activities(sport=Sport.RUNNING)} == runs
        profile = DATA["profile"]
        assert store.get_profile() == Profile(
            profile["hr_max"],
            profile["hr_rest"],
            profile["sex"],
            profile["weight_kg"],
            profile["birth_year"],
        )

    checkins = sorted((c.to_json() for c in store.list_checkins()), key=lambda c: c["id"])
    assert checkins == (DATA["checkins"] if revision >= "0003" else [])
    cleared = store.latest_clearance()
    want_cleared = DATA["clearances"][0]["at"] if revision >= "0004" else None
    assert (cleared.astimezone(UTC).isoformat() if cleared else None) == want_cleared

    # The pain reports are found where check-ins and the next plan look for them.
    pains = {(session_id, pain.area) for session_id, pain in store.list_pain_reports()}
    assert pains == {(s["id"], p["area"]) for s in DATA["sessions"] for p in s["pains"]}


@pytest.mark.parametrize("revision", REVISIONS)
def test_a_sqlite_database_from_each_revision_migrates_without_losing_a_row(
    revision: str, tmp_path: Path
) -> None:
    path = _copy(revision, tmp_path)
    before = _row_counts(path)
    with Store.open(str(path)) as store:
        check_every_row(store, revision)
    after = _row_counts(path)
    assert {name: after[name] for name in before} == before
    with Store.open(str(path)) as store:  # opening again changes nothing
        check_every_row(store, revision)
    assert _row_counts(path) == after


@pytest.mark.parametrize("revision", REVISIONS)
def test_history_shows_the_old_sessions_after_the_upgrade(revision: str, tmp_path: Path) -> None:
    path = _copy(revision, tmp_path)
    env = {
        "AFTERRUN_DB": str(path),
        "AFTERRUN_CONFIG_DIR": str(tmp_path / "config"),
        "AFTERRUN_DATA_DIR": str(tmp_path / "data"),
    }
    result = CliRunner().invoke(cli, ["history", "--json"], env=env, prog_name="afterrun")
    assert result.exit_code == 0, result.stderr
    shown = json.loads(result.stdout)
    assert [s["id"] for s in shown] == [4, 3, 2, 1]
    assert sorted(shown, key=lambda s: s["id"]) == DATA["sessions"]


@pytest.mark.parametrize("revision", REVISIONS)
def test_an_unfinished_session_from_an_old_revision_can_be_resumed(
    revision: str, tmp_path: Path
) -> None:
    from afterrun.cli.context import AppContext
    from afterrun.services.sessions import resumable_session, with_areas

    path = _copy(revision, tmp_path)
    app = AppContext(environ={"AFTERRUN_DB": str(path), "AFTERRUN_CONFIG_DIR": str(tmp_path)})
    try:
        stored = resumable_session(app.store(), None)
        assert (stored.id, stored.record.status) == (4, "in-progress")
        plan = with_areas(Plan.from_json(stored.record.plan), app.catalogue)
    finally:
        app.close()
    assert all(step.area for step in plan.steps)
    engine = SessionEngine(plan)
    record = stored.record
    index = resume_index(record.steps, record.pains)
    assert record.steps[index].status == "partial"
    assert all(step.status == "not-reached" for step in record.steps[index + 1 :])
    engine.resume_from(record.steps, record.pains, 100.0)
    engine.poll(100.0 + engine.timeline.total_ms / 1000)
    assert engine.finished
    played = engine.step_records()
    assert played[:index] == record.steps[:index]
    assert all(step.status == "done" for step in played[index:])
    assert engine.pains == record.pains


# --- PostgreSQL: the same rows loaded at each revision -----------------------------------


@pytest.mark.postgres
@pytest.mark.parametrize("revision", REVISIONS)
def test_a_postgres_database_from_each_revision_migrates_without_losing_a_row(
    revision: str, postgres_url: str
) -> None:
    MAKER.build(revision, postgres_url, DATA)
    with Store.open(postgres_url) as store:
        check_every_row(store, revision)
        # New rows after the upgrade get fresh ids, not ones the old rows hold.
        new_id = store.start_session(store.get_session(1).record)
        assert new_id == len(DATA["sessions"]) + 1
    with Store.open(postgres_url) as store:
        assert len(store.list_sessions()) == len(DATA["sessions"]) + 1


# --- a database from a newer afterrun ------------------------------------------------------

NEWER = "0099"


def _newer_message(url: str) -> str:
    return (
        f"The database at {url} is at revision {NEWER}, which this afterrun does not know: "
        "a newer afterrun wrote it. Upgrade afterrun, or pass --db with another database."
    )


def test_a_sqlite_database_from_a_newer_afterrun_is_refused_and_left_alone(
    tmp_path: Path,
) -> None:
    path = _copy(HEAD_REVISION, tmp_path)
    raw = sqlite3.connect(path)
    with raw:
        raw.execute("UPDATE alembic_version SET version_num = ?", (NEWER,))
    raw.close()
    before = _row_counts(path)

    with pytest.raises(StorageError) as caught:
        Store.open(str(path))
    assert str(caught.value) == _newer_message(f"sqlite:///{path}")

    env = {"AFTERRUN_DB": str(path), "AFTERRUN_CONFIG_DIR": str(tmp_path / "config")}
    result = CliRunner().invoke(cli, ["history"], env=env, prog_name="afterrun")
    assert result.exit_code == 4
    assert result.stderr == f"Error: {_newer_message(f'sqlite:///{path}')}\n"

    assert _row_counts(path) == before
    raw = sqlite3.connect(path)
    try:
        assert raw.execute("SELECT version_num FROM alembic_version").fetchall() == [(NEWER,)]
        assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        raw.close()


@pytest.mark.postgres
def test_a_postgres_database_from_a_newer_afterrun_is_refused_and_left_alone(
    postgres_url: str,
) -> None:
    MAKER.build(HEAD_REVISION, postgres_url, DATA)
    with Store.open(postgres_url) as store, store.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": NEWER})
    with pytest.raises(StorageError, match=f"is at revision {NEWER}, which this afterrun"):
        Store.open(postgres_url)
    from afterrun.store.db import create_store_engine

    engine = create_store_engine(postgres_url)
    try:
        with engine.connect() as connection:
            assert current_revision(connection) == NEWER
            assert connection.scalar(text("SELECT count(*) FROM sessions")) == 4
            assert connection.scalar(text("SELECT count(*) FROM checkins")) == 2
    finally:
        engine.dispose()
