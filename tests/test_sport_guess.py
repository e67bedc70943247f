"""Untyped activities: the sport guessed from the data, labelled, and corrected by the runner."""

from __future__ import annotations

import functools
import json
import os
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from afterrun.core.activity import Activity, Sport
from afterrun.core.sport_guess import SportNote, guess_sport, sport_note, with_guessed_sport
from afterrun.importers import parse_bytes
from afterrun.store import Store
from conftest import Cli
from gpx_files import gpx_text, steady, write_gpx

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"

#: Corpus files whose sport is known (SOURCES.md and the files themselves).
KNOWN = {
    "dtcooper__garmin-fenix-5-run.fit": Sport.RUNNING,
    "dtcooper__strava-android-app-201.10-b1218918.fit": Sport.RUNNING,
    "vkurup__test.tcx": Sport.RUNNING,
    "vkurup__no_hr.tcx": Sport.RUNNING,
    "dtcooper__2019-02-17-062644-ELEMNT-297E-195-0.fit": Sport.CYCLING,
    "dtcooper__coros-pace-2-cycling-misaligned-fields.fit": Sport.CYCLING,
    "dtcooper__elemnt-bolt-no-application-id-inside-developer-data-id.fit": Sport.CYCLING,
    "alenrajsp__mapmyride_biking.tcx": Sport.CYCLING,
    "alenrajsp__cross-country-skiing_activity_1.tcx": Sport.CROSS_COUNTRY_SKIING,
}
#: Of those, the ones whose data leave no doubt: the guess must get them right.
CLEAR = {
    "dtcooper__garmin-fenix-5-run.fit",
    "dtcooper__strava-android-app-201.10-b1218918.fit",
    "vkurup__test.tcx",
    "vkurup__no_hr.tcx",
    "dtcooper__2019-02-17-062644-ELEMNT-297E-195-0.fit",
    "dtcooper__elemnt-bolt-no-application-id-inside-developer-data-id.fit",
    "alenrajsp__mapmyride_biking.tcx",
}


@pytest.fixture
def corpus() -> Path:
    if not (CORPUS / "SOURCES.md").exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"the shared corpus is missing at {CORPUS}")
        pytest.skip(f"the shared corpus is not beside the checkout ({CORPUS})")
    return CORPUS


def stripped(activity: Activity) -> Activity:
    """The activity as a file that names no sport would give it."""
    return replace(activity, sport=Sport.OTHER, sub_sport=None, sport_source="unstated")


@functools.cache
def _parsed(name: str) -> Activity:
    return parse_bytes(name, (CORPUS / name).read_bytes())


@pytest.mark.parametrize("main_sport", [None, Sport.RUNNING, Sport.CYCLING, Sport.HIKING])
def test_corpus_activities_without_their_sport_are_guessed_right_or_left_other(
    corpus: Path, main_sport: Sport | None
) -> None:
    right = set()
    for name, truth in KNOWN.items():
        activity = stripped(_parsed(name))
        guessed = with_guessed_sport(activity, main_sport)
        assert guessed.sport in (truth, Sport.OTHER), (name, guessed.sport, guessed.sport_basis)
        if guessed.sport is Sport.OTHER:
            assert guessed.sport_source == "unstated"
            note = sport_note(guessed.sport, guessed.sport_source, guessed.sport_basis)
            assert note is not None and note.text.startswith("the file names no sport and none")
            assert note.fix == "set"
        else:
            right.add(name)
            assert guessed.sport_source == "guessed"
            assert sport_note(guessed.sport, "guessed", guessed.sport_basis) == SportNote(
                f"sport guessed from {guessed.sport_basis}: {truth.value}", "correct"
            )
    assert right >= CLEAR


def test_untyped_corpus_tracks_are_never_called_a_run(corpus: Path) -> None:
    """The two GPX tracks name no sport: one has 30 km/h stretches, one is 3.5 km/h uphill."""
    for name in ("tkrajina__cerknicko-jezero.gpx", "tkrajina__korita-zbevnica.gpx"):
        activity = parse_bytes(name, (corpus / name).read_bytes())
        assert activity.sport_source == "unstated"
        assert with_guessed_sport(activity, Sport.RUNNING).sport is not Sport.RUNNING


def test_a_sport_the_file_names_is_never_guessed_over(corpus: Path) -> None:
    activity = _parsed("dtcooper__elemnt-bolt-no-application-id-inside-developer-data-id.fit")
    assert activity.sport_source == "file"
    assert with_guessed_sport(activity, Sport.RUNNING) == activity


START = datetime(2026, 11, 1, 7, 0, tzinfo=UTC)


def _gpx(speed: float, wobble: float = 0.1, **options: object) -> Activity:
    text = gpx_text(START, steady(speed, 1800, wobble), **options)  # type: ignore[arg-type]
    return parse_bytes("track.gpx", text.encode())


@pytest.mark.parametrize(
    ("speed", "cadence", "sport", "basis"),
    [
        (3.2, None, Sport.RUNNING, "pace and its spread"),
        (3.2, 172, Sport.RUNNING, "pace and cadence"),
        (3.2, 86, Sport.RUNNING, "pace and cadence"),  # strides per minute, as Garmin writes
        (1.4, None, Sport.WALKING, "pace and its spread"),
        (1.4, 112, Sport.WALKING, "pace and cadence"),
        (7.5, None, Sport.CYCLING, "pace and its spread"),
    ],
)
def test_generated_tracks_are_guessed(
    speed: float, cadence: float | None, sport: Sport, basis: str
) -> None:
    assert guess_sport(_gpx(speed, cadence=cadence), None) == guess_sport(
        _gpx(speed, cadence=cadence), Sport.RUNNING
    )
    guess = guess_sport(_gpx(speed, cadence=cadence), None)
    assert (guess.sport, guess.basis) == (sport, basis)


def test_60_kmh_is_no_run_nor_ride() -> None:
    guess = guess_sport(_gpx(16.7), Sport.RUNNING)
    assert guess.sport is Sport.OTHER
    assert guess.basis.startswith("faster than a body moves on its own (median 60")


def test_a_run_pace_with_a_cycling_cadence_is_not_a_run() -> None:
    assert guess_sport(_gpx(3.2, cadence=60), Sport.RUNNING).sport is Sport.OTHER


def test_the_main_sport_settles_a_steady_pace_that_fits_a_run_and_an_easy_ride() -> None:
    steady_16_kmh = _gpx(4.4, wobble=0.03)
    assert guess_sport(steady_16_kmh, Sport.RUNNING).sport is Sport.RUNNING
    assert guess_sport(steady_16_kmh, None).sport is Sport.RUNNING
    assert guess_sport(steady_16_kmh, Sport.CYCLING).sport is Sport.OTHER
    # Outside the overlap the data decide, whatever the main sport.
    assert guess_sport(_gpx(3.0), Sport.CYCLING).sport is Sport.RUNNING


def test_no_speed_means_other() -> None:
    activity = Activity(sport=Sport.OTHER, start=START, elapsed_seconds=600)
    assert guess_sport(activity, None).sport is Sport.OTHER


# --- through the command line ---------------------------------------------------------


@pytest.fixture
def cli(cli: Cli) -> Cli:
    cli.env["TZ"] = "UTC"
    return cli


def _recent_run(tmp_path: Path, name: str = "run.gpx", **options: object) -> Path:
    """A 30-minute run with no <type> that ended ten minutes ago."""
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=40)
    return write_gpx(tmp_path / name, start, steady(3.1, 1800), heart_rate=150, **options)


def test_a_gpx_run_without_a_type_is_guessed_listed_and_sizes_the_plan(
    cli: Cli, tmp_path: Path
) -> None:
    path = _recent_run(tmp_path)
    result = cli("import", str(path))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert (
        lines[0]
        == "1 file, 1 activity: imported 1, replaced 0, already there 0, partial 0, failed 0."
    )
    assert lines[1] == (
        f"  activity 1 ({path}): sport guessed from pace and its spread: running; "
        "correct it with `afterrun run edit 1 --sport ...`"
    )
    assert lines[2].startswith("Latest run (")

    listed = cli("runs")
    assert listed.exit_code == 0
    row = listed.stdout.splitlines()[2]
    assert re.match(r"1 +\S+ \S+ +running\? +5\.\d\d km", row), row
    assert listed.stdout.splitlines()[-1] == (
        "? sport guessed (the file named none): see 'afterrun runs show ID', correct it with "
        "'afterrun run edit ID --sport ...'."
    )

    shown = cli("runs", "show", "1").stdout.splitlines()
    assert shown[2:4] == [
        "  Sport      running",
        "             sport guessed from pace and its spread: running; "
        "correct it with `afterrun run edit 1 --sport ...`",
    ]
    data = json.loads(cli("runs", "show", "1", "--json").stdout)
    assert (data["sport"], data["sport_source"], data["sport_basis"]) == (
        "running",
        "guessed",
        "pace and its spread",
    )

    plan = cli("plan")
    assert plan.exit_code == 0
    assert re.search(r"Sized for your latest run \([^)]*, run 1\)", plan.stdout), plan.stdout


def test_run_edit_changes_the_sport_and_load_rating_and_plan_follow(
    cli: Cli, tmp_path: Path
) -> None:
    cli("import", str(_recent_run(tmp_path)))
    edited = cli("run", "edit", "1", "--sport", "cycling", "--name", "Commute")
    assert edited.exit_code == 0, edited.output
    load = json.loads(cli("runs", "show", "1", "--json").stdout)["load"]
    assert edited.stdout == (
        f"Activity 1: sport cycling and name 'Commute'. Load {load:.0f}, counted in fatigue "
        "and fitness; as cycling it is not listed in 'afterrun runs' nor used to size a "
        "cool-down.\n"
    )
    assert cli("runs").stdout.startswith("No runs yet.")
    assert "Sized for your latest run" not in cli("plan").stdout
    data = json.loads(cli("runs", "show", "1", "--json").stdout)
    assert (data["sport"], data["sport_source"], data["name"]) == ("cycling", "runner", "Commute")
    shown = cli("runs", "show", "1").stdout.splitlines()
    assert shown[0] == "Run 1: Commute"
    assert shown[3].startswith("  Distance")  # no guess line once the runner has said

    back = cli("run", "edit", "1", "--sport", "running")
    assert back.exit_code == 0
    assert back.stdout.startswith(f"Activity 1: sport running. Load {load:.0f}; how hard: ")
    assert re.search(r"Sized for your latest run \([^)]*, run 1\)", cli("plan").stdout)


def test_reimporting_keeps_the_runners_correction(cli: Cli, tmp_path: Path) -> None:
    path = _recent_run(tmp_path)
    cli("import", str(path))
    cli("run", "edit", "1", "--sport", "hiking")
    again = cli("import", str(path))
    assert again.stdout.splitlines()[0] == (
        "1 file, 1 activity: imported 0, replaced 0, already there 1, partial 0, failed 0."
    )
    # The same recording from another file (another app's copy, bytes differ): the same run.
    copy = tmp_path / "copy.gpx"
    copy.write_text(path.read_text().replace('creator="test"', 'creator="another app"'))
    third = cli("import", str(copy))
    assert third.stdout.splitlines()[0] == (
        "1 file, 1 activity: imported 0, replaced 0, already there 1, partial 0, failed 0."
    )
    data = json.loads(cli("runs", "--all", "--json").stdout)
    assert [(a["id"], a["sport"], a["sport_source"]) for a in data] == [(1, "hiking", "runner")]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["1"], 2, "Error: give --sport or --name (or both)."),
        (
            ["1", "--sport", "flying"],
            2,
            "Error: Invalid value for '--sport': 'flying' is not one of",
        ),
        (["9", "--sport", "running"], 1, "Error: No run 9. Run 'afterrun runs' to see run ids."),
        (
            ["1", "--name", "  "],
            2,
            "Error: the name is blank: give a few words, such as 'Long run'.",
        ),
        (["1", "--name", "x" * 201], 2, "Error: the name is 201 characters long; keep it to 200."),
    ],
)
def test_run_edit_refuses_bad_input_and_changes_nothing(
    cli: Cli, tmp_path: Path, args: list[str], code: int, message: str
) -> None:
    cli("import", str(_recent_run(tmp_path)))
    before = cli("runs", "show", "1", "--json").stdout
    result = cli("run", "edit", *args)
    assert result.exit_code == code
    assert result.stderr.splitlines()[-1].startswith(message)  # one line says what is wrong
    assert cli("runs", "show", "1", "--json").stdout == before


def test_edit_on_the_store_keeps_the_sport_against_a_later_guess(store: Store) -> None:
    """Another file of the same recording, guessed otherwise, finds the corrected run."""
    from afterrun.core.rating import RunLoad
    from afterrun.services.runs import edit_activity

    now = datetime.now(UTC)
    activity = with_guessed_sport(_gpx(3.2), None)
    assert activity.sport is Sport.RUNNING
    first, created = store.add_activity(activity, "a" * 64, "one.gpx", RunLoad(0, "none", ""), now)
    assert created
    edit_activity(store, first, Sport.WALKING, None, now)
    again, created = store.add_activity(activity, "b" * 64, "two.gpx", RunLoad(0, "none", ""), now)
    assert (again, created) == (first, False)
    stored = store.get_activity(first)
    assert (stored.activity.sport, stored.activity.sport_source) == (Sport.WALKING, "runner")


def test_a_file_too_fast_for_a_body_stays_other_and_says_why(cli: Cli, tmp_path: Path) -> None:
    path = write_gpx(tmp_path / "car.gpx", START, steady(17.0, 1200, wobble=0.0))
    result = cli("import", str(path))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1] == (
        f"  activity 1 ({path}): the file names no sport and none could be told: faster than "
        "a body moves on its own (median 61.2 km/h, fastest 5% 61.2 km/h); set it with "
        "`afterrun run edit 1 --sport ...`"
    )
    data = json.loads(cli("runs", "--all", "--json").stdout)
    assert [(a["sport"], a["sport_source"]) for a in data] == [("other", "unstated")]
    assert cli("runs").stdout.startswith("No runs yet.")


def test_what_counts_as_a_file_naming_no_sport(corpus: Path) -> None:
    from afterrun.importers._util import sport_source

    assert (
        sport_source([None]) == sport_source(["generic"]) == sport_source(["Other"]) == ("unstated")
    )
    assert sport_source(["running"]) == sport_source(["generic", "cycling"]) == "file"
    assert sport_source(["kayaking"]) == "file"  # named, though not one of ours: not guessed
    # TCX writes Sport="Other" when the device knows no better.
    ski = _parsed("alenrajsp__cross-country-skiing_activity_1.tcx")
    assert (ski.sport, ski.sport_source) == (Sport.OTHER, "unstated")


def test_a_strava_export_type_is_the_files_sport_and_no_guess_is_made() -> None:
    from afterrun.importers.strava import SourceMeta, apply_meta

    untyped = _gpx(7.5)
    meta = SourceMeta(name="Easy run", sport_type="Run", rpe=None)
    typed = with_guessed_sport(apply_meta(untyped, meta), None)
    assert (typed.sport, typed.sport_source, typed.sport_basis) == (Sport.RUNNING, "file", None)
