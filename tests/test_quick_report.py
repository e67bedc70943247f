"""What keeps `afterrun report` quick on SQLite: the rows a report needs read with sqlite3
(`quick_report.py`), giving exactly the report the store gives, and the store still
opening (and migrating) every database the quick read does not know."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from afterrun.catalogue_files import load_catalogue
from afterrun.core.activity import Activity, Sport
from afterrun.core.engine import SessionEngine
from afterrun.core.load import Profile, activity_load
from afterrun.core.plan import PlanRequest
from afterrun.core.planner import plan_cooldown
from afterrun.core.soreness import CheckIn
from afterrun.quick_report import read_report
from afterrun.services.report import build_report
from afterrun.store import Store
from afterrun.store.db import HEAD_REVISION
from conftest import Cli

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
SCHEMA_FIXTURES = Path(__file__).parent / "fixtures" / "schema"
HEAVY = ("sqlalchemy", "alembic", "pydantic", "textual", "rich", "fastapi")


def fill(store: Store) -> None:
    """Runs, rides and swims over a year and a half, with and without heart rate and RPE;
    cool-downs done, quit and with pain; check-ins with ratings and warning signs; a zone."""
    profile = Profile(hr_max=190, hr_rest=50)
    store.save_profile(replace(profile, timezone="Europe/Berlin"), NOW)
    sports = [Sport.RUNNING] * 5 + [Sport.CYCLING, Sport.SWIMMING]
    for index in range(400):
        start = NOW - timedelta(hours=31 * index + 3)
        minutes = 25 + index % 50
        activity = Activity(
            sport=sports[index % len(sports)],
            start=start,
            elapsed_seconds=minutes * 60.0,
            moving_seconds=minutes * 58.0 if index % 3 else None,
            distance_m=minutes * 180.0,
            avg_hr=130.0 + index % 30 if index % 4 else None,
            rpe=float(3 + index % 6) if index % 5 == 0 else None,
            source_format="gpx",
        )
        store.add_activity(
            activity, f"a-{index}", "test", activity_load(activity, profile, 2026), NOW
        )
    catalogue = load_catalogue(None)
    for day, status in ((1, "completed"), (9, "quit"), (40, "interrupted"), (300, "completed")):
        engine = SessionEngine(plan_cooldown(catalogue, PlanRequest(minutes=6 + day % 5)))
        engine.start(0.0)
        engine.poll(90.0)
        engine.hurt(95.0, NOW - timedelta(days=day))
        engine.skip(100.0)
        engine.finish_now(200.0 if status == "completed" else 120.0)
        started = NOW - timedelta(days=day, minutes=10)
        store.start_session(engine.record(started, started + timedelta(minutes=8), status))
    for days, ratings, flags in (
        (2, {"calves": 6, "quads": 2}, ()),
        (8, {"hamstrings": 4}, ("sharp-pain",)),
        (60, {"calves": 3}, ("swelling", "chest-pain")),
        (500, {"calves": 9}, ()),
    ):
        store.add_checkin(CheckIn(NOW - timedelta(days=days), ratings, flags))


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "afterrun.db"
    with Store.open(f"sqlite:///{path}") as store:
        fill(store)
    return path


@pytest.mark.parametrize("weeks", [1, 8, 52, 104])
def test_the_quick_report_is_the_report_the_store_makes(filled: Path, weeks: int) -> None:
    quick = read_report(filled, NOW, weeks)
    with Store.open(f"sqlite:///{filled}") as store:
        through_the_store = build_report(store, NOW, weeks)
    assert quick == through_the_store
    assert quick is not None
    assert sum(week.runs for week in quick.weeks) > 0
    if weeks >= 8:
        assert quick.warning_signs and quick.areas


def test_the_quick_report_leaves_what_it_does_not_know_to_the_store(
    filled: Path, tmp_path: Path, cli: Cli
) -> None:
    older = tmp_path / "older.db"
    shutil.copy(filled, older)
    with sqlite3.connect(older) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0005'")
    assert read_report(older, NOW, 8) is None
    assert read_report(tmp_path / "missing.db", NOW, 8) is None

    foreign = tmp_path / "foreign.db"
    shutil.copy(filled, foreign)
    with sqlite3.connect(foreign) as connection:
        connection.execute("UPDATE sessions SET status = 'abandoned' WHERE id = 1")
    assert read_report(foreign, NOW, 52) is None
    # ... and the store says what is wrong, as before.
    cli.env["AFTERRUN_DB"] = str(foreign)
    result = cli("report", "--weeks", "52")
    assert result.exit_code == 4
    assert (
        "The database holds a session status 'abandoned' this afterrun does not know: "
        "a newer afterrun wrote it. Upgrade afterrun." in result.stderr
    )


def _modules_after(args: list[str], cli: Cli) -> tuple[list[str], str]:
    script = (
        "import sys\n"
        "from afterrun.cli.main import cli\n"
        f"try:\n    cli({args!r}, prog_name='afterrun')\nexcept SystemExit:\n    pass\n"
        "print(sorted(sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=cli.env, check=True
    )
    *output, modules = done.stdout.strip().splitlines()
    loaded: list[str] = json.loads(modules.replace("'", '"'))
    return loaded, "\n".join(output)


def test_report_on_sqlite_loads_no_orm_and_prints_the_report(
    filled: Path, tmp_path: Path, cli: Cli
) -> None:
    cli.env["AFTERRUN_DB"] = str(filled)
    out = tmp_path / "report.html"
    for args in (["report", "--weeks", "52"], ["report", "--weeks", "52", "--out", str(out)]):
        loaded, output = _modules_after(args, cli)
        assert [m for m in loaded if m.split(".")[0] in HEAVY] == [], args
        assert output == cli(*args).stdout.rstrip("\n")
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_report_on_a_fresh_database_creates_it_at_the_head_revision(cli: Cli) -> None:
    result = cli("report")
    assert result.exit_code == 0, result.output
    assert "No hard runs in these weeks." in result.stdout
    with sqlite3.connect(cli.env["AFTERRUN_DB"]) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [
            (HEAD_REVISION,)
        ]


@pytest.mark.parametrize("revision", ["0001", "0005"])
def test_report_on_an_old_revision_upgrades_it_first(
    revision: str, tmp_path: Path, cli: Cli
) -> None:
    path = tmp_path / "old.db"
    shutil.copy(SCHEMA_FIXTURES / f"revision-{revision}.sqlite", path)
    cli.env["AFTERRUN_DB"] = str(path)
    result = cli("report", "--weeks", "104", "--json")
    assert result.exit_code == 0, result.output
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [
            (HEAD_REVISION,)
        ]
    # Once upgraded, the quick read gives the report the store gave.
    again = cli("report", "--weeks", "104", "--json")
    assert json.loads(again.stdout)["weeks"] == json.loads(result.stdout)["weeks"]
