"""What keeps `afterrun plan`, `go` and bare `afterrun` quick: the facts a plan needs read
from SQLite without the ORM, plans kept for the same request and exercise files, and
`--help` listing the commands without importing them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from afterrun.catalogue_files import catalogue_files, load_catalogue
from afterrun.cli.main import COMMANDS, load_command
from afterrun.core.activity import Activity, Sport
from afterrun.core.engine import SessionEngine
from afterrun.core.intensity import Intensity
from afterrun.core.load import Profile, activity_load
from afterrun.core.plan import PlanRequest
from afterrun.core.planner import plan_cooldown
from afterrun.core.soreness import CheckIn
from afterrun.quick_read import SCHEMA_REVISION, read_plan_facts
from afterrun.services.plan_cache import PlanCache, stamp
from afterrun.services.planning import facts_from_store
from afterrun.store import Store
from afterrun.store.db import HEAD_REVISION
from conftest import Cli

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def fill(store: Store) -> None:
    """Runs and a ride, check-ins with ratings and warning signs, pain in a cool-down, a
    clearance and a zone: every fact a plan reads."""
    profile = Profile()
    for day, sport in enumerate([Sport.RUNNING] * 8 + [Sport.CYCLING]):
        activity = Activity(
            sport=sport,
            start=NOW - timedelta(days=day, hours=2),
            elapsed_seconds=3000 + day * 60,
            moving_seconds=2900.0 if day % 2 else None,
            distance_m=10_000.0 + day,
            rpe=5 + day % 4,
        )
        store.add_activity(
            activity, f"run-{day}", "test", activity_load(activity, profile, 2026), NOW
        )
    store.add_checkin(CheckIn(NOW - timedelta(days=20), {"calves": 9}, ()))  # outside the window
    store.add_checkin(CheckIn(NOW - timedelta(days=3), {"calves": 6}, ("sharp-pain",), note="x"))
    store.add_checkin(CheckIn(NOW - timedelta(hours=5), {"hamstrings": 4, "calves": 3}, ()))
    store.add_clearance(NOW - timedelta(days=4), "seen")
    plan = plan_cooldown(load_catalogue(None), PlanRequest(minutes=8))
    engine = SessionEngine(plan)
    engine.start(0.0)
    engine.hurt(40.0, NOW - timedelta(days=1))
    store.start_session(engine.record(NOW - timedelta(days=1), None, "quit"))
    store.save_profile(replace(store.get_profile(), timezone="America/New_York"), NOW)


def test_the_quick_read_knows_the_current_schema() -> None:
    assert SCHEMA_REVISION == HEAD_REVISION


def test_the_quick_read_gives_the_facts_the_store_gives(tmp_path: Path) -> None:
    path = tmp_path / "afterrun.db"
    with Store.open(f"sqlite:///{path}") as store:
        fill(store)
        through_the_store = facts_from_store(store, NOW)
    quick = read_plan_facts(path, NOW)
    assert quick == through_the_store
    assert quick is not None and quick.latest_run is not None
    assert (len(quick.runs), len(quick.checkins), len(quick.pains)) == (8, 2, 1)
    assert str(quick.zone) == "America/New_York"


def test_the_quick_read_leaves_other_schemas_to_the_store(tmp_path: Path) -> None:
    path = tmp_path / "afterrun.db"
    with Store.open(f"sqlite:///{path}") as store:
        fill(store)
    import sqlite3

    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0005'")
    assert read_plan_facts(path, NOW) is None
    assert read_plan_facts(tmp_path / "missing.db", NOW) is None


@pytest.mark.parametrize(
    "request_",
    [
        PlanRequest(minutes=12, intensity=Intensity.HARD),
        PlanRequest(minutes=3),
        PlanRequest(minutes=1),
        PlanRequest(minutes=20, ease=(("calves", "sore twice"),), rest=(("hips", "rated 8"),)),
        PlanRequest(minutes=15, equipment=frozenset({"wall", "foam-roller"}), place=None),
    ],
)
def test_a_cached_plan_is_the_plan_the_planner_makes(tmp_path: Path, request_: PlanRequest) -> None:
    catalogue = load_catalogue(None)
    cache = PlanCache(tmp_path / "plans", stamp(catalogue_files(None)))
    made = cache.plan(request_, lambda: plan_cooldown(catalogue, request_))
    again = cache.plan(request_, lambda: pytest.fail("made again instead of read"))
    assert again == made == plan_cooldown(catalogue, request_)


def test_an_edited_exercise_file_is_never_answered_from_an_old_plan(tmp_path: Path) -> None:
    config = tmp_path / "config"
    config.mkdir()
    mine = config / "exercises.toml"
    mine.write_text("", encoding="utf-8")
    before = stamp(catalogue_files(config))
    mine.write_text("# a change\n", encoding="utf-8")
    assert stamp(catalogue_files(config)) != before


def test_help_lists_each_command_with_its_own_help() -> None:
    for name, (_, text) in COMMANDS.items():
        first_paragraph = (load_command(name).help or "").split("\n\n")[0]
        assert " ".join(first_paragraph.split()) == text, name


def _modules_after(args: list[str], cli: Cli) -> list[str]:
    script = (
        "import sys\n"
        "from afterrun.cli.main import cli\n"
        f"try:\n    cli({args!r}, prog_name='afterrun')\nexcept SystemExit:\n    pass\n"
        "print(sorted(sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=cli.env, check=True
    )
    loaded: list[str] = json.loads(done.stdout.strip().splitlines()[-1].replace("'", '"'))
    return loaded


def test_help_imports_no_command(cli: Cli) -> None:
    loaded = _modules_after(["--help"], cli)
    assert [m for m in loaded if m.startswith("afterrun.cli.commands.")] == []


def test_the_stored_help_is_what_click_writes_at_80_columns() -> None:
    from click.testing import CliRunner

    from afterrun.cli.help_text import GROUP_HELP
    from afterrun.cli.main import cli as group

    # Click folds help to the terminal's width less 2, capped at 80 columns.
    written = CliRunner().invoke(group, ["--help"], prog_name="afterrun", terminal_width=78)
    assert written.exit_code == 0
    assert written.output == GROUP_HELP, (
        "cli/help_text.py is out of date; GROUP_HELP should now be:\n" + written.output
    )


_HELP_PROBE = (
    "import sys\n"
    "sys.argv = ['afterrun', *sys.argv[1:]]\n"
    "from afterrun.cli.start import main\n"
    "main()\n"
    "print('MODULES', sorted(m for m in sys.modules if m.split('.')[0] == 'click'))\n"
)


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_on_a_wide_terminal_answers_without_click(cli: Cli, flag: str) -> None:
    from afterrun.cli.help_text import GROUP_HELP

    env = {**os.environ, **cli.env, "COLUMNS": "120"}
    done = subprocess.run(
        [sys.executable, "-c", _HELP_PROBE, flag],
        check=False,
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == GROUP_HELP + "MODULES []\n"


def test_help_on_a_narrow_terminal_is_folded_by_click(cli: Cli) -> None:
    env = {**os.environ, **cli.env, "COLUMNS": "60"}
    done = subprocess.run(
        [sys.executable, "-m", "afterrun", "--help"],
        check=False,
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[2:4] == [
        "  afterrun: a cool-down after your run, sized to how hard",
        "  it was, timed and spoken.",
    ]


def test_plan_and_bare_afterrun_on_a_filled_database_load_no_orm_or_models(cli: Cli) -> None:
    """Once a plan for the same request is kept, neither SQLAlchemy nor pydantic loads."""
    for args in (
        ("run", "add", "--distance", "10km", "--time", "50:00", "--rpe", "7"),
        ("checkin", "calves=3", "--flag", "swelling"),
    ):
        assert cli(*args).exit_code == 0
    for args in (["plan"], [], ["plan", "-m", "10", "--json"]):
        first = cli(*args)
        assert first.exit_code == 0, first.output
        loaded = _modules_after(args, cli)
        heavy = ("sqlalchemy", "alembic", "pydantic", "textual", "rich", "fastapi")
        assert [m for m in loaded if m.split(".")[0] in heavy] == [], args
        assert cli(*args).stdout == first.stdout


def test_the_quick_read_finds_a_database_whose_path_needs_escaping(tmp_path: Path) -> None:
    made = tmp_path / "afterrun.db"
    with Store.open(f"sqlite:///{made}") as store:
        fill(store)
        through_the_store = facts_from_store(store, NOW)
    folder = tmp_path / "runs? #1 100%"
    folder.mkdir()
    path = folder / "afterrun.db"
    path.write_bytes(made.read_bytes())
    assert read_plan_facts(path, NOW) == through_the_store


def test_an_entry_for_another_request_is_never_used(tmp_path: Path) -> None:
    catalogue = load_catalogue(None)
    cache = PlanCache(tmp_path, "stamp")
    wanted = PlanRequest(minutes=10)
    other = PlanRequest(minutes=20)
    made_other = cache.plan(other, lambda: plan_cooldown(catalogue, other))
    (entry,) = tmp_path.glob("*.json")
    # Another request's plan under this request's name, as a clash of short names would give.
    key = json.loads(entry.read_text())["key"]
    import zlib

    from afterrun.services.plan_cache import request_key

    wanted_key = key.replace(request_key(other), request_key(wanted))
    entry.rename(tmp_path / f"{zlib.crc32(wanted_key.encode()):08x}.json")
    made = cache.plan(wanted, lambda: plan_cooldown(catalogue, wanted))
    assert made == plan_cooldown(catalogue, wanted) != made_other


# --- go: the first frame before Textual and the ORM ------------------------------------

_FIRST_FRAME_PROBE = """
import os, sys
from afterrun.tui import first_frame
draw = first_frame.FirstFrame.draw
def probe(self, lines, bell):
    draw(self, lines, bell)
    with open(os.environ["PROBE_OUT"], "w") as out:
        out.write("\\n".join(sorted(sys.modules)))
    os._exit(0)
first_frame.FirstFrame.draw = probe
sys.argv = ["afterrun", "go", "-m", "5"]
from afterrun.cli.start import main
main()
"""


def test_go_draws_its_first_frame_before_loading_click_textual_or_the_orm(
    cli: Cli, tmp_path: Path
) -> None:
    from test_crash_safety import Terminal

    for args in (
        ("run", "add", "--distance", "10km", "--time", "50:00", "--rpe", "7"),
        ("checkin", "calves=3"),
        ("plan", "-m", "5"),  # the plan is kept, as after any earlier plan or go
    ):
        assert cli(*args).exit_code == 0
    probe = tmp_path / "modules.txt"
    env = {**os.environ, **cli.env, "PROBE_OUT": str(probe), "TERM": "xterm-256color"}
    terminal = Terminal([sys.executable, "-c", _FIRST_FRAME_PROBE], env)
    try:
        assert terminal.wait() == 0, terminal.output
    finally:
        terminal.close()
    loaded = probe.read_text().split()
    heavy = ("click", "sqlalchemy", "alembic", "pydantic", "textual", "rich", "fastapi")
    assert [m for m in loaded if m.split(".")[0] in heavy] == []
    assert "afterrun.cli.playing" in loaded


def test_go_shows_the_first_step_first_and_a_key_pressed_meanwhile_reaches_the_player(
    cli: Cli,
) -> None:
    from test_crash_safety import Terminal, environment, query

    env = environment(Path(cli.env["AFTERRUN_DB"]).parent)
    terminal = Terminal([sys.executable, "-m", "afterrun", "go", "-m", "5"], env)
    try:
        deadline = time.monotonic() + 60
        while "pause/resume" not in terminal.output and time.monotonic() < deadline:
            time.sleep(0.005)
        first = terminal.output
        terminal.press(b"q")  # while the player loads
        assert terminal.wait() == 0, terminal.output
    finally:
        terminal.close()
    # The first screen: the player's layout, before Textual has taken the terminal.
    assert first.startswith("\x1b[?1049h"), first[:80]
    assert "\x1b[?1000h" not in first  # Textual's mouse reporting: not started yet
    assert "afterrun · cool-down after " in first
    assert "space pause/resume · → skip · ← back · h it hurts · q quit" in first
    plan = json.loads(str(query(Path(env["AFTERRUN_DB"]), "SELECT plan FROM sessions")[0][0]))
    assert plan["steps"][0]["name"] in first
    # q, pressed before the player had drawn, stopped the session, which was stored.
    assert "Stopped: 0 of " in terminal.output
    assert "Saved as session 1; see 'afterrun history'." in terminal.output
    assert query(Path(env["AFTERRUN_DB"]), "SELECT id, status FROM sessions") == [(1, "quit")]
    steps = query(Path(env["AFTERRUN_DB"]), "SELECT count(*) FROM session_steps")
    assert steps == [(len(plan["steps"]),)]
