"""Bare `afterrun`, `plan` and `go` run without Click when their arguments allow: the
reader agrees with Click on every argument list it accepts, and the output, errors and
exit statuses are the ones the Click group gives."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import click
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from afterrun.cli import plan_args
from afterrun.cli.main import load_command
from conftest import Cli

TOKENS = [
    *("-m", "--minutes", "--minutes=12", "-m12", "-m=5", "12", "0", "121", " 7", "abc"),
    *("-i", "--intensity", "--intensity=easy", "-ihard", "hard", "HARD", "very hard", "x"),
    *("--place", "--place=gym", "home", "gym", "Home", "--equipment", "wall,door"),
    *("--equipment=", "roller, mat", "--focus", "calf", "--avoid", "calves,back", ""),
    *("--json", "--steps", "--voice", "--no-voice", "--speed", "20", "0.01", "1e1"),
    *("--resume", "-h", "--help", "--", "-5", "--db", "nan", "--json=1", "-x"),
    *("--fit", "c.fit", "--fit=c.fit", "--audio", "c.wav", "--audio=c.wav"),
]


def click_params(command: str, args: list[str]) -> dict[str, Any] | None:
    """The parameters Click gives `command` for `args`, or None when it refuses them."""
    try:
        with load_command(command).make_context(command, list(args)) as ctx:
            return dict(ctx.params)
    except (click.UsageError, click.exceptions.Exit):
        return None


@settings(max_examples=400, deadline=None)
@given(
    command=st.sampled_from(["plan", "go"]),
    args=st.lists(st.sampled_from(TOKENS), max_size=6),
)
def test_whatever_the_reader_accepts_click_reads_the_same(command: str, args: list[str]) -> None:
    read = plan_args.read([command, *args])
    if read is None:
        return  # Click reads it, and says what is wrong with it
    assert read[0] == command
    expected = click_params(command, args)
    assert expected is not None, f"Click refuses {args!r}, the reader took it"
    if command == "go":
        assert expected.pop("resume") is None
    if command == "plan":
        # --fit and --audio are Click's alone: the reader leaves any list holding them to Click.
        assert expected.pop("fit") is None
        assert expected.pop("audio") is None
    assert read[1] == expected


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["plan"],
        ["go"],
        ["plan", "--json", "-m", "12", "-i", "hard"],
        ["plan", "--steps", "--place", "gym", "--avoid", "calf,back"],
        ["go", "-m10", "--intensity=very-hard", "--equipment", "wall, roller", "--voice"],
        ["go", "-m", "4", "--speed", "20"],
    ],
)
def test_the_commands_runners_type_are_read_without_click(args: list[str]) -> None:
    read = plan_args.read(args)
    assert read is not None
    command = args[0] if args else ""
    assert read[0] == command
    if command:
        expected = click_params(command, args[1:])
        assert expected is not None
        assert expected.pop("resume", None) is None
        assert expected.pop("fit", None) is None
        assert expected.pop("audio", None) is None
        assert read[1] == expected


@pytest.mark.parametrize(
    "args",
    [
        ["plan", "--help"],
        ["plan", "-m", "0"],
        ["plan", "-m", "12", "-m", "13"],
        ["plan", "extra"],
        ["go", "--resume"],
        ["go", "--json"],
        ["history"],
        ["--db", "x.db", "plan"],
        ["plan", "--focus", "ankles"],
        ["plan", "--place", "Home"],
        ["plan", "--fit", "cooldown.fit"],
        ["plan", "--audio", "cooldown.wav"],
    ],
)
def test_anything_else_is_left_to_click(args: list[str]) -> None:
    assert plan_args.read(args) is None


_CLICK_ONLY = "from afterrun.cli.main import main\nmain()\n"
_PROBE = (
    "import sys\n"
    "from afterrun.cli.start import main\n"
    "try:\n"
    "    main()\n"
    "finally:\n"
    "    print('CLICK' if 'click' in sys.modules else 'NO CLICK', file=sys.stderr)\n"
)


def both_ways(args: list[str], env: dict[str, str]) -> tuple[Any, Any]:
    """(the program as started, the Click group alone) run with `args`."""
    full = {**os.environ, **env}
    started = subprocess.run(
        [sys.executable, "-c", _PROBE, *args], check=False, capture_output=True, text=True, env=full
    )
    clicked = subprocess.run(
        [sys.executable, "-c", _CLICK_ONLY, *args],
        check=False,
        capture_output=True,
        text=True,
        env=full,
    )
    return started, clicked


def fill(cli: Cli, *flags: str) -> None:
    for args in (
        ("run", "add", "--distance", "10km", "--time", "45:00", "--rpe", "8"),
        ("checkin", "calves=4", "hamstrings=2", *flags),
    ):
        assert cli(*args).exit_code == 0


@pytest.mark.parametrize(
    "args",
    [[], ["plan"], ["plan", "--json", "-m", "12", "-i", "hard"], ["plan", "--steps", "-m", "8"]],
)
def test_without_click_the_output_is_the_click_groups(cli: Cli, args: list[str]) -> None:
    fill(cli)
    started, clicked = both_ways(args, cli.env)
    assert started.returncode == clicked.returncode == 0
    assert started.stdout == clicked.stdout
    assert started.stderr == clicked.stderr + "NO CLICK\n"


def test_warning_signs_come_first_without_click_too(cli: Cli) -> None:
    fill(cli, "--flag", "swelling")
    for args in ([], ["plan"]):
        started, clicked = both_ways(args, cli.env)
        assert started.returncode == clicked.returncode == 0
        assert started.stdout == clicked.stdout
        assert started.stdout.startswith("SEE A CLINICIAN SOON: swelling or bruising")
        assert "\x1b[" not in started.stdout  # no colours in a pipe


def test_a_stop_sign_and_a_missing_folder_fail_the_same_way(cli: Cli, tmp_path: Any) -> None:
    fill(cli, "--flag", "dark-urine")
    started, clicked = both_ways(["plan"], cli.env)
    assert started.returncode == clicked.returncode != 0
    # The red banner goes through Click, which drops its colours in a pipe.
    assert (started.stdout, started.stderr) == (clicked.stdout, clicked.stderr + "CLICK\n")
    missing = {**cli.env, "AFTERRUN_DB": str(tmp_path / "no such folder" / "afterrun.db")}
    started, clicked = both_ways([], missing)
    assert started.returncode == clicked.returncode == 2
    assert started.stderr == clicked.stderr + "NO CLICK\n"
    assert started.stderr.startswith("Error: the folder ")
