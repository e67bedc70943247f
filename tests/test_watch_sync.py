"""`afterrun sync` on a folder shaped like a mounted Garmin watch: runs in, one workout out."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from activity_files import Leg, fit_file
from afterrun.core.red_flags import RED_FLAGS
from afterrun.core.time_text import when_text
from afterrun.services.watch_folder import find_watch, mount_points, workout_name
from conftest import Cli


def _listing(root: Path) -> dict[str, str]:
    """Every file under `root` with a hash of its content."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _watch(tmp_path: Path, legs: list[Leg]) -> Path:
    """A drive as a watch mounts it: GARMIN/Activity with FIT files, an empty NewFiles,
    and a settings file that must stay as it is."""
    drive = tmp_path / "media" / "FENIX"
    (drive / "GARMIN" / "NewFiles").mkdir(parents=True)
    activity = drive / "GARMIN" / "Activity"
    activity.mkdir()
    for leg in legs:
        (activity / f"{leg.start:%Y-%m-%d-%H-%M-%S}.fit").write_bytes(fit_file([leg]))
    (drive / "GARMIN" / "Settings").mkdir()
    (drive / "GARMIN" / "Settings" / "Settings.fit").write_bytes(b"settings")
    return drive


@pytest.fixture
def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def test_a_sync_imports_the_runs_writes_one_workout_and_a_second_adds_nothing(
    cli: Cli, tmp_path: Path, now: datetime
) -> None:
    cli.env["TZ"] = "UTC"
    older = Leg(start=now - timedelta(days=2), seconds=1800, metres_per_second=2.8)
    latest = Leg(start=now - timedelta(hours=2), seconds=2400, metres_per_second=3.2)
    drive = _watch(tmp_path, [older, latest])
    garmin = drive / "GARMIN"
    before = _listing(drive)

    first = cli("sync", str(drive))

    assert first.exit_code == 0, first.output
    name = workout_name(latest.start)
    workout = garmin / "NewFiles" / name
    when = when_text(latest.start, UTC, now)
    lines = first.output.splitlines()
    assert lines[0] == f"Imported 2 new activities from {garmin} (0 already imported)."
    assert lines[1].startswith(f"Latest run: {when}, 7.68 km, ")
    assert lines[1].endswith(" (run 2).")
    intensity = lines[1].removeprefix(f"Latest run: {when}, 7.68 km, ").removesuffix(" (run 2).")
    assert len(lines) == 3
    assert lines[2].startswith(f'Wrote the cool-down "Cool-down 15 min, {intensity} run" (1')
    assert lines[2].endswith(
        f") to {workout}: unplug the watch and find it under Training > Workouts."
    )
    after = _listing(drive)
    added = f"GARMIN/NewFiles/{name}"
    assert {key: value for key, value in after.items() if key != added} == before
    assert set(after) == {*before, added}
    assert workout.read_bytes()[8:12] == b".FIT"
    assert not [p for p in (garmin / "NewFiles").iterdir() if p.name != name]

    second = cli("sync", str(garmin))

    assert second.exit_code == 0, second.output
    assert second.output.splitlines() == [
        f"Imported 0 new activities from {garmin} (2 already imported).",
        lines[1],
        f"The cool-down for this run is already waiting in {garmin / 'NewFiles'}: nothing written.",
    ]
    assert _listing(drive) == after
    runs = json.loads(cli("runs", "--json").stdout)
    assert len(runs) == 2


def test_a_workout_the_watch_has_taken_in_is_not_sent_again(
    cli: Cli, tmp_path: Path, now: datetime
) -> None:
    drive = _watch(tmp_path, [Leg(start=now - timedelta(hours=1), seconds=1800)])
    garmin = drive / "GARMIN"
    assert cli("sync", str(drive)).exit_code == 0
    # Once unplugged, the watch moves what it read out of NewFiles.
    for taken in (garmin / "NewFiles").iterdir():
        taken.unlink()
    before = _listing(drive)

    again = cli("sync", str(drive), "--json")

    assert again.exit_code == 0, again.output
    done = json.loads(again.stdout)
    assert (done["import"]["imported"], done["import"]["already_there"]) == (0, 1)
    assert done["workout"] == {
        "path": None,
        "written": False,
        "title": None,
        "seconds": None,
        "reason": "The cool-down for this run was already put on the watch "
        f"({workout_name(now - timedelta(hours=1))}): nothing written.",
    }
    assert _listing(drive) == before


def test_json_says_what_was_imported_and_written(cli: Cli, tmp_path: Path, now: datetime) -> None:
    leg = Leg(start=now - timedelta(hours=1), seconds=1800)
    drive = _watch(tmp_path, [leg])

    result = cli("sync", str(drive), "--json")

    assert result.exit_code == 0, result.output
    done = json.loads(result.stdout)
    assert done["watch"] == str(drive / "GARMIN")
    assert (done["import"]["imported"], done["import"]["already_there"]) == (1, 0)
    assert done["latest_run"]["id"] == 1
    assert done["latest_run"]["distance_m"] == pytest.approx(5400)
    path = drive / "GARMIN" / "NewFiles" / workout_name(leg.start)
    assert done["workout"]["path"] == str(path)
    assert done["workout"]["written"] is True
    assert done["workout"]["title"] == f"Cool-down 15 min, {done['latest_run']['intensity']} run"
    assert 600 < done["workout"]["seconds"] <= 900
    assert done["workout"]["reason"] is None
    assert path.is_file()


def test_an_old_run_is_imported_and_no_workout_written(
    cli: Cli, tmp_path: Path, now: datetime
) -> None:
    drive = _watch(tmp_path, [Leg(start=now - timedelta(days=3), seconds=1800)])

    result = cli("sync", str(drive))

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"Imported 1 new activity from {drive / 'GARMIN'} (0 already imported)."
    assert lines[2] == (
        "The latest run ended too long ago to size a cool-down for: nothing written to the "
        "watch. Plan one with 'afterrun plan --fit FILE'."
    )
    assert list((drive / "GARMIN" / "NewFiles").iterdir()) == []


def test_a_watch_with_no_activities_imports_nothing_and_writes_nothing(
    cli: Cli, tmp_path: Path
) -> None:
    drive = _watch(tmp_path, [])

    result = cli("sync", str(drive))

    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"Imported 0 new activities from {drive / 'GARMIN'} (0 already imported).",
        "No run stored yet: no cool-down written to the watch.",
    ]
    assert list((drive / "GARMIN" / "NewFiles").iterdir()) == []


def test_a_folder_that_is_not_a_watch_is_refused(cli: Cli, tmp_path: Path) -> None:
    result = cli("sync", str(tmp_path))

    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {tmp_path} is not a Garmin watch: it has no GARMIN/Activity folder. Give the "
        "watch's drive (or its GARMIN folder).\n"
    )


def test_the_watch_is_found_at_the_top_of_a_mounted_drive(tmp_path: Path) -> None:
    stick = tmp_path / "USBSTICK"
    stick.mkdir()
    drive = _watch(tmp_path, [])
    assert find_watch([stick, drive]) == drive / "GARMIN"
    assert find_watch([stick, tmp_path / "gone"]) is None


def test_with_no_watch_plugged_in_the_runner_is_told_to_plug_it_in(cli: Cli) -> None:
    if find_watch(mount_points()) is not None:
        pytest.skip("a Garmin watch is mounted on this computer")

    result = cli("sync")

    assert result.exit_code == 1
    assert result.stderr == (
        "Error: No Garmin watch found: plug the watch in by USB and wait for its drive to "
        "appear, or give its path: afterrun sync /path/to/watch.\n"
    )


def test_a_file_that_cannot_be_read_is_named_and_the_rest_synced(
    cli: Cli, tmp_path: Path, now: datetime
) -> None:
    leg = Leg(start=now - timedelta(hours=1), seconds=1800)
    drive = _watch(tmp_path, [leg])
    bad = drive / "GARMIN" / "Activity" / "broken.fit"
    bad.write_bytes(b"not a fit file")

    result = cli("sync", str(drive), "--json")

    assert result.exit_code == 1
    done = json.loads(result.stdout)
    assert (done["import"]["imported"], done["import"]["failed"]) == (1, 1)
    assert done["import"]["files"]["failed"][0]["file"] == str(bad)
    assert done["workout"]["written"] is True
    assert bad.read_bytes() == b"not a fit file"


def test_after_a_stop_sign_the_runs_are_imported_and_no_cool_down_is_written(
    cli: Cli, tmp_path: Path, now: datetime
) -> None:
    stop = next(flag for flag in RED_FLAGS if flag.stops_cool_down)
    assert cli("checkin", "calves=2", "--flag", stop.slug).exit_code == 0
    drive = _watch(tmp_path, [Leg(start=now - timedelta(hours=1), seconds=1800)])

    result = cli("sync", str(drive))

    assert result.exit_code == 0, result.output
    banner, rest = result.output.split("\n\n", 1)
    assert banner.startswith(f"{stop.banner} (")  # the warning sign first, as on every screen
    assert banner.endswith("(reported in a recent check-in)")
    lines = rest.splitlines()
    assert lines[0] == f"Imported 1 new activity from {drive / 'GARMIN'} (0 already imported)."
    assert lines[2].startswith(f"No cool-down for now: you reported {stop.name} (")
    assert lines[2].endswith("Say so with 'afterrun checkin --seen'. Nothing written.")
    assert list((drive / "GARMIN" / "NewFiles").iterdir()) == []
