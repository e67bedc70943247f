"""Absurd values at the command line and in exercise files: one clear line, nothing changed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import Cli

LONG = "x" * 5_000


@pytest.fixture
def cli(cli: Cli) -> Cli:
    """A database holding one run, a profile and a check-in, to show nothing changes."""
    for args in (
        ("run", "add", "--distance", "10km", "--time", "50:00", "--rpe", "6"),
        ("profile", "set", "--hr-max", "190", "--hr-rest", "50"),
        ("checkin", "calves=3"),
    ):
        assert cli(*args).exit_code == 0
    return cli


def stored(cli: Cli) -> dict[str, object]:
    """Everything stored, as `afterrun export` gives it, less the moment of the export."""
    result = cli("export")
    assert result.exit_code == 0
    document: dict[str, object] = json.loads(result.output)
    document.pop("exported_at")
    return document


CASES = [
    (
        ("plan", "--minutes", "1000000000"),
        "Error: Invalid value for '--minutes' / '-m': 1000000000 is out of range: "
        "give 1 to 120 minutes.",
    ),
    (
        ("plan", "--minutes", "-5"),
        "Error: Invalid value for '--minutes' / '-m': -5 is out of range: give 1 to 120 minutes.",
    ),
    (
        ("plan", "--minutes", "ten"),
        "Error: Invalid value for '--minutes' / '-m': 'ten' is not a whole number of minutes.",
    ),
    (
        ("run", "rate", "1", "11"),
        "Error: Invalid value for 'RPE': 11.0 is not in the range 0<=x<=10.",
    ),
    (
        ("profile", "set", "--hr-max", "400"),
        "Error: Invalid value for '--hr-max': 400 is not in the range 100<=x<=240.",
    ),
    (
        ("run", "add", "--distance", "-5km", "--time", "30:00"),
        "Error: distance '-5km' not understood: write it like 10km, 800m or 6.2mi.",
    ),
    (
        ("run", "add", "--distance", "10km", "--time", "999999:00"),
        "Error: time '999999:00' is out of range: give more than 0 and at most 7 days.",
    ),
    (
        ("checkin", "calves=11"),
        "Error: 'calves=11': the rating 11 is out of range: give 0 to 10.",
    ),
    (
        ("checkin", "mollet=3"),
        "Error: 'mollet=3': unknown body area 'mollet'. Choose from: calves, hamstrings, "
        "quads, hip-flexors, glutes, groin, hips, lower-back.",
    ),
    (
        ("checkin", "calves=2", "--note", "é" * 501),
        "Error: the note is 501 characters long; keep it to 500.",
    ),
    (
        ("runs", "show", "99999999999999999999"),
        "Error: Invalid value for 'ID': 99999999999999999999 is not in the range 1<=x<=2147483647.",
    ),
    (
        ("plan", "--focus", LONG),
        "Error: Invalid value for '--focus': unknown body area "
        f"'{'x' * 40}…'. Choose from: calves, glutes, groin, hamstrings, hip-flexors, hips, "
        "lower-back, quads.",
    ),
    (
        ("advice", "--next-session-in", "1000000d"),
        "Error: --next-session-in '1000000d' not understood: write it like 6h, 90m or 2d.",
    ),
    (
        ("run", "add", "--distance", "10km", "--time", "30:00", "--at", "99999-01-01"),
        "Error: date '99999-01-01' not understood: write it like \"2026-11-23 07:30\".",
    ),
    (
        # What Python makes of the bytes b"a\xff\xfeb" in a command line.
        ("checkin", "calves=2", "--note", "a\udcff\udcfeb"),
        "Error: 'a\\xff\\xfeb' is not UTF-8 text: type it again (check that your terminal "
        "uses UTF-8).",
    ),
    (
        ("plan", "--equipment", ""),
        "Error: Invalid value for '--equipment': no equipment given. Choose from: bed, chair, "
        "doorway, foam-roller, mat, wall.",
    ),
    (
        ("plan", "--avoid", " , "),
        "Error: Invalid value for '--avoid': no body area given. Choose from: calves, glutes, "
        "groin, hamstrings, hip-flexors, hips, lower-back, quads.",
    ),
    (
        ("plan", "--focus", "calves,quads", "--avoid", "calf"),
        "Error: --focus and --avoid both name calves: put an area first or leave it out, not both.",
    ),
    (
        ("run", "rate", "-3", "5"),
        "Error: Invalid value for 'ID': -3 is not in the range 1<=x<=2147483647.",
    ),
    (
        ("run", "rate", "1", "-5"),
        "Error: Invalid value for 'RPE': -5.0 is not in the range 0<=x<=10.",
    ),
    (
        ("runs", "show", "-1"),
        "Error: Invalid value for 'ID': -1 is not in the range 1<=x<=2147483647.",
    ),
    (
        ("advice", "-2"),
        "Error: Invalid value for '[RUN]': -2 is not in the range 1<=x<=2147483647.",
    ),
    (
        ("run", "add", "--distance", "10", "--time", "50:00"),
        "Error: distance '10' has no unit: give km or mi, e.g. 10km or 10mi.",
    ),
]


@pytest.mark.parametrize(("args", "message"), CASES, ids=[" ".join(a)[:40] for a, _ in CASES])
def test_an_absurd_value_is_one_line_naming_it_and_nothing_changes(
    cli: Cli, args: tuple[str, ...], message: str
) -> None:
    before = stored(cli)
    result = cli(*args)
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1] == message
    assert stored(cli) == before


def test_a_hold_of_minus_five_seconds_in_an_exercise_file_is_named(
    cli: Cli, tmp_path: Path
) -> None:
    before = stored(cli)
    config = tmp_path / "config"
    config.mkdir(exist_ok=True)
    path = config / "exercises.toml"
    path.write_text(
        '[[exercise]]\nslug = "wall-sit"\nname = "Wall sit"\nkind = "hold"\n'
        'position = "standing"\nareas = ["quads"]\nmuscles = ["quadriceps"]\npurpose = "x"\n'
        'steps = ["Sit against the wall."]\nsafety = "Stop if it hurts."\n'
        "[exercise.dose]\nhold_seconds = [-5, 30]\nholds_per_side = [1, 2]\n",
        encoding="utf-8",
    )
    result = cli("plan")
    assert result.exit_code == 3
    assert result.output.strip() == (
        f"Error: {path}: exercise 'wall-sit' (entry 1), field 'dose': Value error, "
        "hold_seconds must be [low, high] with 0 < low <= high, not [-5, 30]."
    )
    path.write_text(f'[[exercise]]\nslug = "{LONG}"\n', encoding="utf-8")
    result = cli("plan")
    assert result.exit_code == 3
    assert len(result.output.strip().splitlines()) == 1
    assert len(result.output) < 400
    assert stored(cli) == before


def test_unicode_everywhere_is_kept(cli: Cli) -> None:
    note = "Ça tire au mollet 🏃‍♀️ — 東京"
    assert cli("checkin", "calves=2", "--note", note).exit_code == 0
    assert note in json.dumps(stored(cli), ensure_ascii=False)


def test_a_resting_rate_above_the_stored_maximum_is_refused(cli: Cli) -> None:
    """The check is against the stored profile, not only the values given together."""
    before = stored(cli)
    result = cli("profile", "set", "--hr-rest", "110", "--hr-max", "120")
    assert result.exit_code == 0
    result = cli("profile", "set", "--hr-rest", "120")
    assert result.exit_code == 2
    assert (
        result.output
        == "Error: Resting heart rate (120) must be below your maximum (120): check both numbers.\n"
    )
    assert stored(cli)["profile"] != before["profile"]
    assert cli("profile", "show", "--json").output.count('"hr_rest": 110') == 1


def test_non_utf8_bytes_in_a_real_command_line_are_one_line(cli: Cli, tmp_path: Path) -> None:
    before = stored(cli)
    result = subprocess.run(
        [sys.executable, "-m", "afterrun", "checkin", "calves=2", "--note", b"a\xff\xfeb"],
        env={**os.environ, **cli.env},
        capture_output=True,
        check=False,
    )
    assert (result.returncode, result.stdout) == (2, b"")
    assert result.stderr.decode() == (
        "Error: 'a\\xff\\xfeb' is not UTF-8 text: type it again (check that your terminal "
        "uses UTF-8).\n"
    )
    assert stored(cli) == before


@pytest.mark.parametrize("command", [("runs",), ("history",), ("plan",), ("report",), ("export",)])
def test_a_mistyped_db_folder_is_named_and_not_created(
    cli: Cli, tmp_path: Path, command: tuple[str, ...]
) -> None:
    missing = tmp_path / "no-such-folder"
    result = cli("--db", str(missing / "afterrun.db"), *command)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"Error: the folder {missing} (from --db) does not exist: check the path, or create "
        "the folder first.\n"
    )
    assert not missing.exists()


def test_a_mistyped_db_folder_in_the_environment_is_named(cli: Cli, tmp_path: Path) -> None:
    missing = tmp_path / "typo"
    cli.env["AFTERRUN_DB"] = str(missing / "afterrun.db")
    result = cli("history")
    assert (result.exit_code, result.stderr) == (
        2,
        f"Error: the folder {missing} (from $AFTERRUN_DB) does not exist: check the path, or "
        "create the folder first.\n",
    )
    assert not missing.exists()
