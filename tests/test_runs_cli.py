"""Runs from the command line: importing real files, adding, rating, and planning from them."""

from __future__ import annotations

import gzip
import io
import json
import re
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from afterrun.core.time_text import age_text
from conftest import CORPUS, Cli, corpus_path

CORPUS_FILES = sorted(p for p in CORPUS.glob("*") if p.is_file() and p.suffix != ".md")


@pytest.fixture
def corpus() -> Path:
    return corpus_path()


def test_every_corpus_file_imports_and_a_second_import_adds_nothing(cli: Cli, corpus: Path) -> None:
    first = cli("import", str(corpus), "--json")
    assert first.exit_code == 0, first.output
    summary = json.loads(first.stdout)
    assert summary["failed"] == 0
    assert len(CORPUS_FILES) == 15
    assert (summary["imported"], summary["partial"]) == (12, 2)
    assert (summary["file_count"], summary["activity_count"]) == (15, 15)
    partial = {Path(item["file"]).name for item in summary["files"]["partial"]}
    assert "dtcooper__activity-unexpected-eof.fit" in partial
    # vkurup__no_hr.tcx is the same run as vkurup__test.tcx without heart rate: one run,
    # and the copy with heart rate is the one kept, whichever worker finished first.
    files = summary["files"]
    same = [
        (Path(i["file"]).name, i.get("reason")) for i in files["replaced"] + files["already_there"]
    ]
    assert same in (
        [("vkurup__test.tcx", "this copy has heart rate")],
        [("vkurup__no_hr.tcx", None)],
    )
    kept = (files["replaced"] + files["already_there"])[0]["id"]
    shown = json.loads(cli("runs", "show", str(kept), "--json").stdout)
    assert shown["source"].endswith("vkurup__test.tcx")
    assert shown["avg_hr"] is not None
    second = cli("import", str(corpus), "--json")
    again = json.loads(second.stdout)
    assert (second.exit_code, again["imported"], again["already_there"]) == (0, 0, 15)
    everything = json.loads(cli("runs", "--all", "--json").stdout)
    assert len(everything) == 14
    assert {a["sport"] for a in everything} >= {"running", "cycling", "swimming", "multisport"}


def test_a_corrupt_file_is_named_the_good_ones_kept_and_exit_is_1(
    cli: Cli, corpus: Path, tmp_path: Path
) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "a.tcx").write_bytes((corpus / "vkurup__test.tcx").read_bytes())
    (batch / "b.gpx").write_bytes((corpus / "tkrajina__cerknicko-jezero.gpx").read_bytes())
    (batch / "broken.fit").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    result = cli("import", str(batch))
    assert result.exit_code == 1
    assert result.stdout == (
        "3 files, 2 activities: imported 2, replaced 0, already there 0, partial 0, failed 1.\n"
        f"  failed: {batch / 'broken.fit'}: this is a PNG image, not an activity file\n"
        f"  activity 2 ({batch / 'b.gpx'}): the file names no sport and none could be told: "
        "the pace fits no one sport (median 5.4 km/h, fastest 5% 31.7 km/h); set it with "
        "`afterrun run edit 2 --sport ...`\n"
    )
    assert len(json.loads(cli("runs", "--all", "--json").stdout)) == 2


def _strava_export(corpus: Path, path: Path) -> None:
    fit = gzip.compress((corpus / "dtcooper__garmin-fenix-5-run.fit").read_bytes())
    gpx = b"   \n  " + (corpus / "tkrajina__korita-zbevnica.gpx").read_bytes()
    tcx = gzip.compress((corpus / "vkurup__test.tcx").read_bytes())
    rows = io.StringIO()
    rows.write(
        "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance,"
        "Filename,Elapsed Time,Distance,Perceived Exertion\n"
    )
    rows.write('1,"Jun 11, 2017",Track reps,Run,57,0.16,activities/1.fit.gz,57,157,8\n')
    rows.write('2,"Oct 3, 2010",Hill hike,Hike,5900,6.2,activities/2.gpx,5900,6261,\n')
    rows.write('3,"Dec 26, 2012",Easy jog,Run,1992,4.69,activities/3.tcx.gz,1992,4689,3\n')
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("activities.csv", rows.getvalue())
        archive.writestr("activities/1.fit.gz", fit)
        archive.writestr("activities/2.gpx", gpx)
        archive.writestr("activities/3.tcx.gz", tcx)
        archive.writestr("media/photo.jpg", b"\xff\xd8\xff")


def test_a_strava_export_takes_names_types_and_rpe_from_the_csv(
    cli: Cli, corpus: Path, tmp_path: Path
) -> None:
    export = tmp_path / "export_12345.zip"
    _strava_export(corpus, export)
    result = cli("import", str(export), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["imported"] == 3
    stored = {a["name"]: a for a in json.loads(cli("runs", "--all", "--json").stdout)}
    assert set(stored) == {"Track reps", "Hill hike", "Easy jog"}
    assert (stored["Track reps"]["rpe"], stored["Track reps"]["sport"]) == (8, "running")
    assert (stored["Hill hike"]["rpe"], stored["Hill hike"]["sport"]) == (None, "hiking")
    assert stored["Easy jog"]["rpe"] == 3
    assert stored["Easy jog"]["source"] == f"{export}!activities/3.tcx.gz"


def test_plan_without_intensity_uses_the_latest_run_and_says_why(cli: Cli) -> None:
    added = cli("run", "add", "--distance", "21.1km", "--time", "1:40:00", "--rpe", "9")
    assert added.exit_code == 0
    assert added.stdout == (
        "Added run 1: 21.10 km in 1:40:00 (4:44/km). How hard: very hard "
        "(load 900 (session RPE: Foster et al. 2001) on afterrun's fixed bands (easy < 150, moderate "
        "< 300, hard < 500); "
        "fewer than 5 earlier runs to compare with).\n"
    )
    plan = json.loads(cli("plan", "--minutes", "15", "--json").stdout)
    assert plan["intensity"] == "very-hard"
    assert plan["intensity_reason"].startswith("Sized for your latest run (")
    assert plan["intensity_reason"].endswith(
        "run 1): very hard, load 900 (session RPE: Foster et al. 2001) on afterrun's fixed bands (easy "
        "< 150, moderate < 300, hard < 500); "
        "fewer than 5 earlier runs to compare with."
    )


def test_plan_without_any_run_says_it_assumed_moderate(cli: Cli) -> None:
    plan = json.loads(cli("plan", "--json").stdout)
    assert plan["intensity"] == "moderate"
    # The reason is the same on every edge; what to do about it is a hint each edge words.
    assert plan["intensity_reason"] == (
        "No intensity given and no stored run: planned for a moderate run."
    )
    assert plan["intensity_hint"] == "add-a-run"
    assert cli("plan").stdout.splitlines()[-3] == (
        "No intensity given and no stored run: planned for a moderate run. "
        "Add one with 'afterrun run add' or 'afterrun import PATH'."
    )


def test_rating_a_run_changes_its_load(cli: Cli) -> None:
    cli("run", "add", "--distance", "5km", "--time", "25:00", "--at", "2026-11-22 07:30")
    result = cli("run", "rate", "1", "9")
    assert result.stdout == (
        "Run 1 rated RPE 9 (it sets the load). Load 225 (session RPE 9 x 25 min); moderate: "
        "load 225 (session RPE: Foster et al. 2001) on afterrun's fixed bands (easy < 150, "
        "moderate < 300, hard < 500); fewer than 5 earlier runs to compare with.\n"
    )
    assert json.loads(cli("runs", "show", "1", "--json").stdout)["rpe"] == 9


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["run", "rate", "9", "5"], 1, "Error: No run 9. Run 'afterrun runs' to see run ids.\n"),
        (
            ["run", "add", "--distance", "10xx", "--time", "52:30"],
            2,
            "Error: distance '10xx' not understood: write it like 10km, 800m or 6.2mi.\n",
        ),
        (
            ["run", "add", "--distance", "10km", "--time", "soon"],
            2,
            "Error: time 'soon' not understood: write it like 52:30, 1:02:03 or 45m.\n",
        ),
        (
            ["run", "add", "--distance", "10km", "--time", "50:00", "--at", "yesterday"],
            2,
            "Error: date 'yesterday' not understood: write it like \"2026-11-23 07:30\".\n",
        ),
    ],
)
def test_bad_run_input_is_refused_and_nothing_is_stored(
    cli: Cli, args: list[str], code: int, message: str
) -> None:
    result = cli(*args)
    assert (result.exit_code, result.stderr) == (code, message)
    assert json.loads(cli("runs", "--json").stdout) == []


def test_profile_set_recomputes_loads_and_labels_estimates(cli: Cli) -> None:
    shown = cli("profile", "show")
    assert shown.stdout.startswith("HRmax       180 (estimate)\nResting HR  60 (assumed)\n")
    result = Cli({**cli.env, "TZ": "Europe/Lisbon"})(
        "profile",
        "set",
        "--hr-max",
        "188",
        "--hr-rest",
        "52",
        "--sex",
        "f",
        "--weight",
        "61",
        "--birth-year",
        "1990",
    )
    assert result.exit_code == 0
    assert result.stdout == (
        "HRmax       188\nResting HR  52\nSex         female\nWeight      61 kg\nBorn        1990\n"
        "Time zone   Europe/Lisbon (this computer)\nMain sport  running (default)\n"
    )
    bad = cli("profile", "set", "--hr-max", "110", "--hr-rest", "115")
    assert bad.exit_code == 2
    assert bad.stderr.endswith("Error: Invalid value for '--hr-rest': must be below --hr-max.\n")


def test_afterrun_alone_shows_the_latest_run_and_its_cool_down(cli: Cli) -> None:
    cli(
        "run",
        "add",
        "--distance",
        "10km",
        "--time",
        "52:30",
        "--rpe",
        "7",
        "--at",
        "2026-11-20 07:30",
    )
    result = cli()
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    # The run ended more than a day ago: the line says how long ago.
    end = datetime(2026, 11, 20, 8, 22, 30).astimezone()
    age = age_text(end, datetime.now(UTC))
    assert lines[0].startswith(f"Latest run: Fri 20 Nov 07:30, 10.00 km in 52:30 (run 1, {age}).")
    assert lines[1].startswith("How hard: hard (load 368")
    assert "Suggested cool-down (play it with 'afterrun go'):" in lines


def _moved_to_an_hour_ago(data: bytes) -> bytes:
    """The same TCX run, its timestamps shifted so that it ended about an hour ago."""
    stamps = re.findall(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z", data)
    last = max(datetime.fromisoformat(stamp.decode().replace("Z", "+00:00")) for stamp in stamps)
    shift = datetime.now(UTC) - timedelta(hours=1) - last

    def moved(match: re.Match[bytes]) -> bytes:
        moment = datetime.fromisoformat(match.group().decode().replace("Z", "+00:00")) + shift
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ").encode()

    return re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z", moved, data)


def test_an_old_run_does_not_size_today_s_cool_down(cli: Cli, corpus: Path) -> None:
    cli("import", str(corpus / "vkurup__test.tcx"))
    plan = json.loads(cli("plan", "--json").stdout)
    assert plan["intensity"] == "moderate"
    assert plan["intensity_reason"].startswith("Your latest stored run (Wed 26 Dec 2012 21:29")
    assert "ended more than 12 h ago" in plan["intensity_reason"]


def test_a_run_just_typed_in_ended_now(cli: Cli) -> None:
    cli("run", "add", "--distance", "10km", "--time", "50:00")
    stored = json.loads(cli("runs", "--json").stdout)[0]
    start = datetime.fromisoformat(stored["start"])
    assert abs((datetime.now(UTC) - start).total_seconds() - 3000) < 60


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--distance", "10km", "--time", "0:01"],
            "Error: 10 km in 1 s is 0 s per km, faster than any human run: check --distance and "
            "--time.\n",
        ),
        (
            ["--distance", "10km", "--time", "50:00", "--at", "2099-01-01 07:30"],
            "Error: that run would end 2099-01-01 08:20, in the future: check --at (it is the "
            "start time) and --time.\n",
        ),
    ],
)
def test_impossible_runs_are_refused(cli: Cli, args: list[str], message: str) -> None:
    result = cli("run", "add", *args)
    assert (result.exit_code, result.stderr) == (2, message)


def test_plan_after_importing_a_hard_run_walks_first_with_the_usual_holds(
    cli: Cli, corpus: Path, tmp_path: Path
) -> None:
    cli("profile", "set", "--hr-max", "185", "--hr-rest", "55", "--sex", "m")
    fresh = tmp_path / "todays-run.tcx"
    fresh.write_bytes(_moved_to_an_hour_ago((corpus / "vkurup__test.tcx").read_bytes()))
    imported = cli("import", str(fresh))
    assert imported.stdout.startswith(
        "1 file, 1 activity: imported 1, replaced 0, already there 0, partial 0, failed 0.\n"
    )
    assert imported.stdout.endswith("Cool down with 'afterrun go'.\n")
    plan = json.loads(cli("plan", "--minutes", "30", "--json").stdout)
    assert plan["intensity"] == "hard"
    assert (
        "run 1): hard, load 93 (TRIMP: Banister et al. 1975) on afterrun's fixed bands"
        in plan["intensity_reason"]
    )
    assert plan["walk_minutes"] == 3
    assert (plan["steps"][0]["kind"], plan["steps"][0]["seconds"]) == ("walk", 180)
    calf = next(e for e in plan["exercises"] if e["exercise"] == "calf-stretch")
    assert (calf["hold_seconds"], calf["holds_per_side"]) == (25, 2)


def test_run_add_at_is_the_start_as_its_help_says(cli: Cli) -> None:
    cli.env["TZ"] = "UTC"
    help_text = " ".join(cli("run", "add", "--help").stdout.split())
    assert (
        '--at TEXT When the run started, in your time zone, e.g. "2026-11-23 07:30". '
        "Default: it ended just now (it started --time ago). -h, --help"
    ) in help_text
    cli("profile", "set", "--timezone", "UTC")
    cli("run", "add", "--distance", "5km", "--time", "25:00", "--at", "2026-11-20 07:30")
    shown = json.loads(cli("runs", "show", "1", "--json").stdout)
    assert (shown["start"], shown["elapsed_seconds"]) == ("2026-11-20T07:30:00+00:00", 1500.0)
    before = datetime.now(UTC)
    cli("run", "add", "--distance", "5km", "--time", "25:00")
    shown = json.loads(cli("runs", "show", "2", "--json").stdout)
    end = datetime.fromisoformat(shown["start"]) + timedelta(seconds=shown["elapsed_seconds"])
    assert before - timedelta(seconds=1) <= end <= datetime.now(UTC)
