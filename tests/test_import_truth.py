"""Files that hold more than one thing, or whose summary contradicts their records.

Every file here is built by the test (FIT through Garmin's encoder, see activity_files.py),
imported through `afterrun import` as a runner would, and checked by what is stored and
what the command prints.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from activity_files import FitOptions, Leg, fit_file, gpx_tracks, tcx_activity, tcx_file
from afterrun.core.activity import Sport
from afterrun.core.errors import ImportFailed
from afterrun.importers import parse_activities, parse_bytes
from conftest import Cli

DAY = timedelta(days=1)
MORNING = datetime(2024, 5, 4, 7, 0, tzinfo=UTC)


def runs(cli: Cli) -> list[dict[str, object]]:
    listed: list[dict[str, object]] = json.loads(cli("runs", "--all", "--json").stdout)
    return sorted(listed, key=lambda r: str(r["start"]))


def import_json(cli: Cli, *paths: Path) -> dict[str, object]:
    result = cli("import", *map(str, paths), "--json")
    assert result.exit_code in (0, 1), result.output
    summary: dict[str, object] = json.loads(result.stdout)
    return summary


# --- several activities in one file ---------------------------------------------------------


def test_each_activity_of_a_training_log_tcx_is_stored_on_its_own_date(
    cli: Cli, tmp_path: Path
) -> None:
    days = [MORNING, MORNING + 2 * DAY, MORNING + 5 * DAY]
    log = tmp_path / "log.tcx"
    log.write_bytes(tcx_file(*(tcx_activity(Leg(start=d, seconds=1200), every=10) for d in days)))
    result = cli("import", str(log))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(
        "1 file, 3 activities: imported 3, replaced 0, already there 0, partial 0, failed 0.\n"
    )
    stored = runs(cli)
    assert [r["start"] for r in stored] == [d.isoformat() for d in days]
    assert [(r["sport"], r["elapsed_seconds"], r["distance_m"]) for r in stored] == [
        ("running", 1200, 3600)
    ] * 3


def test_a_multisport_tcx_spanning_days_is_one_activity_per_day(tmp_path: Path) -> None:
    legs = [
        Leg(sport="running", start=MORNING, seconds=1800),
        Leg(sport="cycling", start=MORNING + 2 * DAY, seconds=3600, metres_per_second=8),
        Leg(sport="running", start=MORNING + 5 * DAY, seconds=1800),
        Leg(sport="cycling", start=MORNING + 8 * DAY, seconds=3600, metres_per_second=8),
    ]
    inner = [tcx_activity(leg, every=30) for leg in legs]
    session = (
        f"<MultiSportSession><Id>{MORNING:%Y-%m-%dT%H:%M:%SZ}</Id><FirstSport>{inner[0]}"
        "</FirstSport>" + "".join(f"<NextSport>{a}</NextSport>" for a in inner[1:])
    ) + "</MultiSportSession>"
    found = parse_activities("8-days.tcx", tcx_file(session))
    assert [(a.sport, a.start, a.elapsed_seconds) for a in found] == [
        (Sport.RUNNING, MORNING, 1800),
        (Sport.CYCLING, MORNING + 2 * DAY, 3600),
        (Sport.RUNNING, MORNING + 5 * DAY, 1800),
        (Sport.CYCLING, MORNING + 8 * DAY, 3600),
    ]


def triathlon(start: datetime = MORNING) -> list[Leg]:
    swim = Leg(sport="swimming", start=start, seconds=1800, metres_per_second=0.8, cadence=None)
    t1 = Leg(sport="transition", start=swim.end, seconds=180, metres_per_second=1.0)
    bike = Leg(sport="cycling", start=t1.end, seconds=5400, metres_per_second=9.0, heart_rate=145)
    t2 = Leg(sport="transition", start=bike.end, seconds=120, metres_per_second=1.0)
    run_leg = Leg(
        sport="running", start=t2.end, seconds=3000, metres_per_second=3.3, heart_rate=160
    )
    return [swim, t1, bike, t2, run_leg]


def test_a_triathlon_fit_is_one_multisport_activity_with_its_legs_as_parts() -> None:
    legs = triathlon()
    # This watch writes the moment the file was saved, the next morning, as every
    # session's timestamp: elapsed must come from start + total elapsed time.
    saved = MORNING + DAY
    activity = parse_bytes(
        "tri.fit", fit_file(legs, FitOptions(session_timestamps=[saved] * len(legs)))
    )
    assert activity.sport is Sport.MULTISPORT
    assert activity.elapsed_seconds == sum(leg.seconds for leg in legs) == 10500
    assert activity.moving_seconds == 10500
    assert [(p.sport, p.transition, p.start, p.elapsed_seconds) for p in activity.parts] == [
        (Sport.SWIMMING, False, legs[0].start, 1800),
        (Sport.OTHER, True, legs[1].start, 180),
        (Sport.CYCLING, False, legs[2].start, 5400),
        (Sport.OTHER, True, legs[3].start, 120),
        (Sport.RUNNING, False, legs[4].start, 3000),
    ]
    assert [p.distance_m for p in activity.parts] == [1440, 180, 48600, 120, 9900]
    assert [p.avg_hr for p in activity.parts] == [140, 140, 145, 140, 160]
    assert activity.running_part is activity.parts[4]
    assert activity.corrected is False


def test_a_triathlons_running_leg_sizes_the_cool_down_like_a_run(cli: Cli, tmp_path: Path) -> None:
    today = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=4)
    path = tmp_path / "tri.fit"
    path.write_bytes(fit_file(triathlon(today)))
    result = cli("import", str(path))
    assert result.exit_code == 0, result.output
    assert "Latest run (" in result.stdout and "run 1) was" in result.stdout
    [stored] = json.loads(cli("runs", "--json").stdout)
    assert stored["sport"] == "multisport"
    assert [p["sport"] for p in stored["parts"]] == [
        "swimming",
        "transition",
        "cycling",
        "transition",
        "running",
    ]
    assert stored["parts"][4]["elapsed_seconds"] == 3000


def test_two_runs_80_minutes_apart_in_one_fit_are_two_activities(cli: Cli, tmp_path: Path) -> None:
    first = Leg(start=MORNING, seconds=1800)
    second = Leg(start=first.end + timedelta(minutes=80), seconds=1500, heart_rate=150)
    path = tmp_path / "twice.fit"
    path.write_bytes(fit_file([first, second]))
    summary = import_json(cli, path)
    assert (summary["file_count"], summary["activity_count"], summary["imported"]) == (1, 2, 2)
    stored = runs(cli)
    assert [(r["start"], r["elapsed_seconds"], r["avg_hr"]) for r in stored] == [
        (first.start.isoformat(), 1800, 140),
        (second.start.isoformat(), 1500, 150),
    ]
    # Each activity has its own records: the second's heart rate starts at its own start.
    shown = json.loads(cli("runs", "show", str(stored[1]["id"]), "--json").stdout)
    assert shown["heart_rate_samples"] == 1501


# --- totals checked against the records ---------------------------------------------------


def test_records_running_past_the_session_win_with_a_note() -> None:
    leg = Leg(start=MORNING, seconds=3600, metres_per_second=3.0)
    # The session (and its lap) leave the last 15 minutes out.
    data = fit_file([leg], FitOptions(uncovered_seconds=900))
    activity = parse_bytes("short-session.fit", data)
    assert activity.elapsed_seconds == 3600
    assert activity.distance_m == 10800
    assert activity.moving_seconds == 3600
    assert activity.avg_pace_s_per_km == pytest.approx(3600 / 10.8)
    assert activity.corrected is True
    assert activity.partial is False
    assert activity.notes == (
        "the records run 15 min past the file's session summary; elapsed time, moving time "
        "and distance are taken from the records",
    )


def test_tcx_trackpoints_running_past_the_laps_win_with_a_note() -> None:
    leg = Leg(start=MORNING, seconds=3600, metres_per_second=3.0)
    # The only lap covers the first 45 minutes; the trackpoints go on for the full hour.
    data = tcx_file(tcx_activity(leg, lap_seconds=2700, lap_metres=8100.0))
    activity = parse_bytes("short-lap.tcx", data)
    assert activity.elapsed_seconds == 3600
    assert activity.distance_m == pytest.approx(10800)
    assert activity.moving_seconds == 3600
    assert activity.corrected is True
    assert activity.notes == (
        "the trackpoints run 15 min past the file's laps; moving time and distance are taken "
        "from the trackpoints",
    )
    whole = parse_bytes("whole.tcx", tcx_file(tcx_activity(leg)))
    assert (whole.corrected, whole.notes, whole.distance_m) == (False, (), 10800)


def test_gpx_tracks_days_apart_are_activities_of_their_own(cli: Cli, tmp_path: Path) -> None:
    days = [MORNING, MORNING + 3 * DAY]
    log = tmp_path / "log.gpx"
    log.write_bytes(gpx_tracks(*(Leg(start=d, seconds=1800) for d in days)))
    activities = parse_activities("log.gpx", log.read_bytes())
    assert [(a.start, a.elapsed_seconds, a.name) for a in activities] == [
        (MORNING, 1800, "running 1"),
        (MORNING + 3 * DAY, 1800, "running 2"),
    ]
    result = cli("import", str(log))
    assert result.stdout.startswith(
        "1 file, 2 activities: imported 2, replaced 0, already there 0, partial 0, failed 0."
    )
    assert [r["start"] for r in runs(cli)] == [d.isoformat() for d in days]


def test_gpx_tracks_split_by_a_short_pause_are_one_activity() -> None:
    first = Leg(start=MORNING, seconds=1200)
    second = Leg(start=first.end + timedelta(minutes=5), seconds=1200, origin=(46.04, 14.5))
    (activity,) = parse_activities("paused.gpx", gpx_tracks(first, second))
    assert activity.start == MORNING
    assert activity.elapsed_seconds == 2700
    assert activity.moving_seconds == 2400  # the pause is not moving time
    assert activity.distance_m == pytest.approx(7200, rel=0.001)  # nothing across the pause
    assert activity.name == "running 1"


def test_elapsed_is_never_below_moving() -> None:
    leg = Leg(start=MORNING, seconds=1800)
    # This device's session says it moved for longer than the whole activity lasted.
    data = fit_file([leg], FitOptions(session_overrides=[{"total_timer_time": 1900.0}]))
    activity = parse_bytes("odd.fit", data)
    assert (activity.elapsed_seconds, activity.moving_seconds) == (1900, 1900)
    assert activity.corrected is True
    assert "the file's moving time exceeds its elapsed time; elapsed raised to match" in (
        activity.notes
    )


def test_an_ordinary_file_is_neither_partial_nor_corrected() -> None:
    activity = parse_bytes("run.fit", fit_file([Leg(start=MORNING, seconds=1800)]))
    assert (activity.partial, activity.partial_reason, activity.corrected) == (False, None, False)
    assert (activity.elapsed_seconds, activity.distance_m, activity.notes) == (1800, 5400, ())


def test_a_cut_fit_reports_partial_through_its_field() -> None:
    data = fit_file([Leg(start=MORNING, seconds=1800)])
    activity = parse_bytes("cut.fit", data[: len(data) // 2])
    assert activity.partial is True
    assert activity.partial_reason == "the file ends in the middle of a record"


# --- courses and routes ---------------------------------------------------------------------


ROUTE = "this is a planned route, not an activity: import the recording of the run instead"


def test_a_fit_course_is_refused_in_one_line(cli: Cli, tmp_path: Path) -> None:
    course = tmp_path / "loop.fit"
    course.write_bytes(fit_file([Leg(start=MORNING)], FitOptions(file_type="course")))
    with pytest.raises(ImportFailed) as refused:
        parse_bytes("loop.fit", course.read_bytes())
    assert refused.value.message == ROUTE
    result = cli("import", str(course))
    assert result.exit_code == 1
    assert result.stdout == (
        "1 file, 0 activities: imported 0, replaced 0, already there 0, partial 0, failed 1.\n"
        f"  failed: {course}: {ROUTE}\n"
    )
    assert runs(cli) == []


@pytest.mark.parametrize(
    ("name", "data"),
    [
        (
            "route.gpx",
            b'<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><rte>'
            b'<rtept lat="46" lon="14"/><rtept lat="46.1" lon="14"/></rte></gpx>',
        ),
        (
            "course.tcx",
            b'<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/'
            b'TrainingCenterDatabase/v2"><Courses><Course><Name>Loop</Name></Course>'
            b"</Courses></TrainingCenterDatabase>",
        ),
    ],
)
def test_gpx_routes_and_tcx_courses_are_refused_in_the_same_words(name: str, data: bytes) -> None:
    with pytest.raises(ImportFailed) as refused:
        parse_activities(name, data)
    assert refused.value.message == ROUTE


# --- the richer copy wins ------------------------------------------------------------------


def test_the_copy_with_heart_rate_replaces_the_poorer_one_keeping_the_rpe(
    cli: Cli, tmp_path: Path
) -> None:
    plain = tmp_path / "from-the-app.fit"
    plain.write_bytes(fit_file([Leg(start=MORNING, seconds=2400, heart_rate=None)]))
    rich = tmp_path / "from-the-watch.fit"
    rich.write_bytes(fit_file([Leg(start=MORNING + timedelta(seconds=3), seconds=2400)]))
    assert cli("import", str(plain)).exit_code == 0
    assert cli("run", "rate", "1", "6").exit_code == 0

    result = cli("import", str(rich))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:2] == [
        "1 file, 1 activity: imported 0, replaced 1, already there 0, partial 0, failed 0.",
        f"  replaced run 1: this copy has heart rate ({rich})",
    ]
    stored = json.loads(cli("runs", "show", "1", "--json").stdout)
    assert (stored["id"], stored["rpe"], stored["avg_hr"]) == (1, 6.0, 140)
    assert stored["source"] == str(rich)
    assert stored["heart_rate_samples"] == 2401
    assert len(runs(cli)) == 1

    # The poorer copy again: already there, naming the stored run.
    again = cli("import", str(plain))
    assert again.stdout.splitlines()[:2] == [
        "1 file, 1 activity: imported 0, replaced 0, already there 1, partial 0, failed 0.",
        f"  already there: {plain} (run 1)",
    ]
    assert runs(cli)[0]["avg_hr"] == 140


@pytest.mark.parametrize("workers", [1, 2])
def test_already_there_names_the_stored_run_whatever_path_ran(
    cli: Cli, tmp_path: Path, workers: int
) -> None:
    from afterrun.services.imports import import_paths
    from afterrun.store import Store

    batch = tmp_path / "batch"
    batch.mkdir()
    for day in range(8):
        leg = Leg(start=MORNING + day * DAY, seconds=600)
        (batch / f"run-{day}.fit").write_bytes(fit_file([leg]))
    (batch / "run-0-copy.fit").write_bytes((batch / "run-0.fit").read_bytes())
    with Store.open(f"sqlite:///{tmp_path / 'db.sqlite'}") as store:
        summary = import_paths(store, [batch], MORNING + 9 * DAY, workers=workers)
        imported = dict(summary.imported)
        copies = {str(batch / "run-0.fit"), str(batch / "run-0-copy.fit")}
        [(first, stored)] = [(label, i) for label, i in imported.items() if label in copies]
        [copy] = copies - {first}
        assert summary.to_json()["files"]["already_there"] == [{"file": copy, "id": stored}]


def test_run_add_compares_distance_and_duration_too(cli: Cli) -> None:
    first = cli("run", "add", "--distance", "10km", "--time", "50:00", "--at", "2024-05-04 07:00")
    assert first.exit_code == 0, first.output
    other = cli("run", "add", "--distance", "5km", "--time", "50:00", "--at", "2024-05-04 07:00")
    assert other.stdout.startswith("Added run 2:"), other.output
    same = cli("run", "add", "--distance", "10km", "--time", "50:00", "--at", "2024-05-04 07:00")
    assert same.stdout == "Run 1 with that start, distance and time is already there.\n"


def test_a_complete_copy_replaces_a_partial_one(cli: Cli, tmp_path: Path) -> None:
    whole = fit_file([Leg(start=MORNING, seconds=1800)])
    cut = tmp_path / "cut.fit"
    cut.write_bytes(whole[: len(whole) * 99 // 100])
    full = tmp_path / "full.fit"
    full.write_bytes(replace_serial(whole))
    first = import_json(cli, cut)
    assert first["partial"] == 1
    second = import_json(cli, full)
    assert second["files"] == {
        "imported": [],
        "replaced": [{"file": str(full), "id": 1, "reason": "this copy is complete"}],
        "already_there": [],
        "partial": [],
        "failed": [],
        "sport_untold": [],
        "restored": [],
    }
    assert runs(cli)[0]["partial"] is False


def replace_serial(data: bytes) -> bytes:
    """The same recording written again (another content hash, same run)."""
    return data + b"\x00"  # trailing junk after a complete file is ignored with a note


# --- export and restore ---------------------------------------------------------------------


def test_an_export_holds_the_streams_and_importing_it_restores_every_run(
    cli: Cli, tmp_path: Path
) -> None:
    watch = tmp_path / "run.fit"
    watch.write_bytes(fit_file([Leg(start=MORNING, seconds=1200)]))
    tri = tmp_path / "tri.fit"
    tri.write_bytes(fit_file(triathlon(MORNING + DAY)))
    assert cli("import", str(watch), str(tri)).exit_code == 0
    assert cli("run", "rate", "1", "7").exit_code == 0
    before = [json.loads(cli("runs", "show", str(i), "--json").stdout) for i in (1, 2)]
    listed = runs(cli)  # the list reads no stream, yet counts what is stored
    assert (listed[0]["heart_rate_samples"], listed[0]["speed_samples"]) == (1201, 1201)

    out = tmp_path / "afterrun-export.json"
    assert cli("export", "--out", str(out)).exit_code == 0
    document = json.loads(out.read_text())
    first = document["runs"][0]
    assert first["heart_rate_samples"] == len(first["heart_rate"]["offsets"]) == 1201
    assert first["speed_samples"] == len(first["speed"]["values"]) == 1201
    assert set(first["heart_rate"]["values"]) == {140}

    elsewhere = Cli({**cli.env, "AFTERRUN_DB": str(tmp_path / "restored.db")})
    restored = elsewhere("import", str(out))
    assert restored.exit_code == 0, restored.output
    assert restored.stdout.startswith(
        "1 file, 2 activities: imported 2, replaced 0, already there 0, partial 0, failed 0.\n"
    )
    after = [json.loads(elsewhere("runs", "show", str(i), "--json").stdout) for i in (1, 2)]
    changes = ("source", "imported_at", "format")
    for old, new in zip(before, after, strict=True):
        assert {k: v for k, v in new.items() if k not in changes} == {
            k: v for k, v in old.items() if k not in changes
        }
    assert after[0]["rpe"] == 7
    assert [p["sport"] for p in after[1]["parts"]][-1] == "running"


def test_a_partial_run_read_back_from_an_export_says_so_without_blaming_the_export(
    cli: Cli, tmp_path: Path
) -> None:
    whole = fit_file([Leg(start=MORNING, seconds=1800)])
    cut = tmp_path / "cut.fit"
    cut.write_bytes(whole[: len(whole) * 99 // 100])
    assert import_json(cli, cut)["partial"] == 1
    out = tmp_path / "afterrun-export.json"
    assert cli("export", "--out", str(out)).exit_code == 0
    elsewhere = Cli({**cli.env, "AFTERRUN_DB": str(tmp_path / "elsewhere.db")})
    result = elsewhere("import", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "1 file, 1 activity: imported 0, replaced 0, already there 0, partial 1, failed 0.\n"
        f"  partial: {out}: it was already partial when exported; what was read before is kept\n"
    )
