"""Calendar reminders (RFC 5545, read back with the icalendar library) and the full export."""

from __future__ import annotations

import csv
import io
import json
import tempfile
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from afterrun.core.activity import Activity, Sport
from afterrun.core.advice import AdviceRequest, recovery_timeline
from afterrun.core.calendar import calendar_text, escape_text, fold, recovery_reminders
from afterrun.core.rating import RunLoad
from afterrun.core.records import PainReport, SessionRecord, StepRecord
from afterrun.store import Store
from conftest import Cli

icalendar = pytest.importorskip("icalendar")

START = datetime(2025, 3, 10, 7, 30, tzinfo=UTC)
END = START + timedelta(minutes=50)


def add_run(cli: Cli, start: datetime = START, rpe: str = "8") -> None:
    result = cli("run", "add", "--distance", "10km", "--time", "50:00", "--rpe", rpe,
        "--at", start.isoformat(),
    )  # fmt: skip
    assert result.exit_code == 0, result.output


# -- iCalendar text ---------------------------------------------------------------------------------


def test_text_values_are_escaped() -> None:
    assert escape_text("a\\b; c, d\ne\r\nf") == "a\\\\b\\; c\\, d\\ne\\nf"


def test_long_lines_fold_at_75_octets_without_splitting_a_character() -> None:
    line = "DESCRIPTION:" + "Müdigkeit ö≈ " * 20
    folded = fold(line)
    pieces = folded.split("\r\n")
    assert all(len(piece.encode()) <= 75 for piece in pieces)
    assert all(piece.startswith(" ") for piece in pieces[1:])
    assert "".join(piece[1:] if i else piece for i, piece in enumerate(pieces)) == line
    assert fold("SUMMARY:short") == "SUMMARY:short"


def reminders_for(next_session_in: timedelta | None = None) -> list[Any]:
    lines = recovery_timeline(
        AdviceRequest(run_end=END, intensity_label="hard", next_session_in=next_session_in)
    )
    return recovery_reminders(lines, END, "abc123")


def test_only_the_refuel_and_check_in_lines_become_events() -> None:
    events = reminders_for()
    assert [(e.summary, e.start - END, e.uid) for e in events] == [
        ("Refuel after your run", timedelta(hours=1), "abc123-refuel@afterrun.invalid"),
        (
            "Soreness check-in, 24 h after your run",
            timedelta(hours=24),
            "abc123-checkin-24h@afterrun.invalid",
        ),
        (
            "Soreness check-in, 48 h after your run",
            timedelta(hours=48),
            "abc123-checkin-48h@afterrun.invalid",
        ),
    ]
    assert events[0].description.startswith("Food: with no next hard session given")
    assert events[0].description.endswith(
        "Sources: Burke et al. 2011; Sherman 1992; Jäger et al. 2017"
    )


def test_a_session_soon_moves_the_refuel_but_keeps_its_uid() -> None:
    later, soon = reminders_for(), reminders_for(timedelta(hours=6))
    assert soon[0].start - END == timedelta(minutes=15)
    assert [e.uid for e in soon] == [e.uid for e in later]


def test_the_calendar_is_valid_rfc_5545_text() -> None:
    now = datetime(2026, 11, 23, 9, 0, 7, tzinfo=UTC)
    text = calendar_text(reminders_for(), now)
    lines = text.split("\r\n")
    assert text.endswith("END:VCALENDAR\r\n") and "\n" not in text.replace("\r\n", "")
    assert all(len(line.encode()) <= 75 for line in lines)
    assert lines[:5] == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//afterrun//recovery reminders//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    assert "DTSTAMP:20261123T090007Z" in lines and "DTSTART:20250310T092000Z" in lines
    calendar = icalendar.Calendar.from_ical(text)
    events = calendar.walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events][1] == "Soreness check-in, 24 h after your run"
    assert all(len(e.walk("VALARM")) == 1 for e in events)


# -- afterrun remind ------------------------------------------------------------------------------------


def read_events(path: Path) -> list[Any]:
    return list(icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT"))


def test_remind_writes_the_latest_runs_reminders(cli: Cli, tmp_path: Path) -> None:
    add_run(cli, START - timedelta(days=3), rpe="4")
    add_run(cli)
    ics = tmp_path / "recovery.ics"
    result = cli("remind", "--ics", str(ics))
    ended = END.astimezone().strftime("%a %d %b %H:%M")
    assert (result.exit_code, result.stdout) == (
        0,
        f"Wrote 3 reminders (3 already past) for run 2 (ended {ended}) to {ics}: refuelling and "
        "soreness check-ins. Import the file into your calendar; importing it again updates "
        "them rather than adding copies.\n",
    )
    events = read_events(ics)
    assert [(str(e["SUMMARY"]), e["DTSTART"].dt) for e in events] == [
        ("Refuel after your run", END + timedelta(hours=1)),
        ("Soreness check-in, 24 h after your run", END + timedelta(hours=24)),
        ("Soreness check-in, 48 h after your run", END + timedelta(hours=48)),
    ]
    assert all(e["DTSTART"].dt.tzinfo is not None for e in events)
    assert [e["DURATION"].dt for e in events] == [timedelta(minutes=15)] * 3
    alarms = [alarm for e in events for alarm in e.walk("VALARM")]
    assert [(str(a["ACTION"]), a["TRIGGER"].dt) for a in alarms] == [("DISPLAY", timedelta(0))] * 3
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == 3
    assert "run add" not in str(events[1]["DESCRIPTION"])
    assert "In a terminal: afterrun checkin calves=3 hamstrings=2." in str(events[1]["DESCRIPTION"])
    assert "EMERGENCY: chest pain" in str(events[1]["DESCRIPTION"])


def test_writing_again_keeps_the_uids_so_a_calendar_updates_instead_of_duplicating(
    cli: Cli, tmp_path: Path
) -> None:
    add_run(cli)
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    assert cli("remind", "1", "--ics", str(first)).exit_code == 0
    assert cli("remind", "1", "--ics", str(second), "--next-session-in", "6h").exit_code == 0
    before, after = read_events(first), read_events(second)
    assert [str(e["UID"]) for e in before] == [str(e["UID"]) for e in after]
    assert after[0]["DTSTART"].dt == END + timedelta(minutes=15)
    assert "your next hard session is in 6 h" in str(after[0]["DESCRIPTION"])


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (
            ["remind", "9", "--ics", "{tmp}/r.ics"],
            1,
            "No run 9. Run 'afterrun runs' to see run ids.",
        ),
        (
            ["remind", "--ics", "{tmp}/r.ics", "--next-session-in", "soon"],
            2,
            "--next-session-in 'soon' not understood: write it like 6h, 90m or 2d.",
        ),
        (
            ["remind", "--ics", "{tmp}/missing/r.ics"],
            2,
            "cannot write {tmp}/missing/r.ics: the folder {tmp}/missing does not exist. Create "
            "it or choose another path.",
        ),
    ],
)
def test_remind_refuses_bad_input_and_writes_nothing(
    cli: Cli, tmp_path: Path, args: list[str], status: int, message: str
) -> None:
    add_run(cli)
    result = cli(*(arg.replace("{tmp}", str(tmp_path)) for arg in args))
    assert (result.exit_code, result.stderr) == (
        status,
        f"Error: {message.replace('{tmp}', str(tmp_path))}\n",
    )
    assert not list(tmp_path.glob("*.ics"))


def test_remind_without_runs_says_how_to_add_one(cli: Cli, tmp_path: Path) -> None:
    result = cli("remind", "--ics", str(tmp_path / "r.ics"))
    assert (result.exit_code, result.stderr) == (
        1,
        "Error: No run stored yet. Add one with 'afterrun run add' or 'afterrun import PATH'.\n",
    )


def test_a_failed_write_exits_1_and_leaves_the_old_file(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_run(cli)
    ics = tmp_path / "r.ics"
    ics.write_text("old")

    def full_disk(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tempfile, "NamedTemporaryFile", full_disk)
    result = cli("remind", "--ics", str(ics))
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: cannot write {ics}: No space left on device. Choose a path you can write to.\n",
    )
    assert ics.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".r.ics")] == []


# -- afterrun export ------------------------------------------------------------------------------------


def fill(cli: Cli) -> None:
    """A typed run, an imported-like ride with a name and notes, a profile and a session."""
    add_run(cli)
    assert cli("profile", "set", "--weight", "61.5", "--hr-max", "188").exit_code == 0
    with Store.open(cli.env["AFTERRUN_DB"]) as store:
        ride = Activity(
            sport=Sport.CYCLING,
            start=START - timedelta(days=1),
            elapsed_seconds=3600,
            name='Évening ride, with "quotes"',
            rpe=5.5,
            notes=("saddle; too high", "rain"),
            source_format="fit",
        )
        store.add_activity(ride, "ride-hash", "ride.fit", RunLoad(330, "session-rpe", ""), START)
        steps = (
            StepRecord(0, "get-ready", None, None, "get-ready", 10, None, 10.0, "done"),
            StepRecord(1, "calf-stretch", "wall", "right", "hold", 30, None, 12.5, "partial"),
            StepRecord(2, "leg-swings", None, "left", "reps", 20, 10, 0.0, "skipped"),
        )
        pain = PainReport(1, "calf-stretch", "calves", 22.5, END + timedelta(minutes=5))
        record = SessionRecord(
            END + timedelta(minutes=4), END + timedelta(minutes=14), "quit", "hard", 10,
            {"intensity": "hard"}, steps, (pain,),
        )  # fmt: skip
        store.start_session(record)
        if hasattr(store, "add_checkin"):
            from afterrun.core.soreness import CheckIn

            store.add_checkin(
                CheckIn(
                    END + timedelta(hours=24),
                    {"calves": 6, "quads": 2},
                    ("swelling",),
                    1,
                    24.0,
                    "stairs hurt",
                )
            )


def test_json_export_counts_match_the_database_and_keep_what_was_entered(
    cli: Cli,
) -> None:
    fill(cli)
    result = cli("export")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    with Store.open(cli.env["AFTERRUN_DB"]) as store:
        assert len(data["runs"]) == len(store.list_activities()) == 2
        assert len(data["sessions"]) == len(store.list_sessions()) == 1
        stored = store.list_sessions()[0].record
        checkins = store.list_checkins() if hasattr(store, "list_checkins") else None
    assert (data["format"], data["version"]) == ("afterrun-export", 1)
    assert data["profile"] == {
        "hr_max": 188,
        "hr_rest": None,
        "sex": None,
        "weight_kg": 61.5,
        "birth_year": None,
        "timezone": None,
        "main_sport": None,
    }
    run, ride = data["runs"]
    assert (run["rpe"], run["distance_m"], run["start"]) == (8.0, 10000.0, START.isoformat())
    assert (ride["name"], ride["rpe"], ride["notes"]) == (
        'Évening ride, with "quotes"',
        5.5,
        ["saddle; too high", "rain"],
    )
    assert ride["content_hash"] == "ride-hash"
    session = data["sessions"][0]
    assert len(session["steps"]) == len(stored.steps) == 3
    assert session["pains"] == [
        {
            "step_index": 1,
            "exercise": "calf-stretch",
            "area": "calves",
            "offset_seconds": 22.5,
            "at": (END + timedelta(minutes=5)).isoformat(),
            "side": None,
        }
    ]
    if checkins is None:
        assert "checkins" not in data
    else:
        assert len(data["checkins"]) == len(checkins) == 1
        checkin = data["checkins"][0]
        assert (checkin["ratings"], checkin["red_flags"], checkin["note"]) == (
            {"calves": 6, "quads": 2},
            ["swelling"],
            "stairs hurt",
        )
        assert (checkin["run_id"], checkin["at"]) == (1, (END + timedelta(hours=24)).isoformat())


def read_zip(path: Path) -> dict[str, list[dict[str, str]]]:
    with zipfile.ZipFile(path) as archive:
        return {
            name: list(csv.DictReader(io.StringIO(archive.read(name).decode())))
            for name in archive.namelist()
        }


def test_csv_export_is_a_zip_of_tables_whose_rows_match_the_database(
    cli: Cli, tmp_path: Path
) -> None:
    fill(cli)
    out = tmp_path / "export.zip"
    result = cli("export", "--format", "csv", "--out", str(out))
    keeps_checkins = hasattr(Store, "list_checkins")
    counts = "2 activities, 1 cool-downs" + (", 1 check-ins" if keeps_checkins else "")
    assert (result.exit_code, result.stdout) == (
        0,
        f"Exported {counts} and your profile to {out}.\n",
    )
    tables = read_zip(out)
    expected = {"profile.csv", "runs.csv", "sessions.csv", "steps.csv", "pains.csv"}
    if keeps_checkins:
        expected |= {"checkins.csv", "checkin_ratings.csv"}
    assert set(tables) == expected
    assert {name: len(rows) for name, rows in tables.items() if name in expected} == {
        "profile.csv": 1,
        "runs.csv": 2,
        "sessions.csv": 1,
        "steps.csv": 3,
        "pains.csv": 1,
        **({"checkins.csv": 1, "checkin_ratings.csv": 2} if keeps_checkins else {}),
    }
    ride = tables["runs.csv"][1]
    assert (ride["name"], ride["rpe"], json.loads(ride["notes"])) == (
        'Évening ride, with "quotes"',
        "5.5",
        ["saddle; too high", "rain"],
    )
    assert tables["profile.csv"][0]["weight_kg"] == "61.5"
    assert tables["pains.csv"][0]["area"] == "calves"
    assert tables["steps.csv"][2]["status"] == "skipped"
    assert json.loads(tables["sessions.csv"][0]["plan"]) == {"intensity": "hard"}
    if keeps_checkins:
        assert tables["checkin_ratings.csv"] == [
            {"checkin_id": "1", "area": "calves", "rating": "6"},
            {"checkin_id": "1", "area": "quads", "rating": "2"},
        ]
        assert json.loads(tables["checkins.csv"][0]["red_flags"]) == ["swelling"]


def test_json_export_to_a_file(cli: Cli, tmp_path: Path) -> None:
    fill(cli)
    out = tmp_path / "export.json"
    assert cli("export", "--out", str(out)).exit_code == 0
    assert len(json.loads(out.read_text())["runs"]) == 2


def test_an_empty_database_exports_empty_tables(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "e.zip"
    assert cli("export", "--format", "csv", "--out", str(out)).exit_code == 0
    tables = read_zip(out)
    assert tables["runs.csv"] == [] and tables["steps.csv"] == []
    with zipfile.ZipFile(out) as archive:
        assert archive.read("steps.csv").decode().startswith("session_id,index,exercise,")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--format", "csv"],
            "--format csv writes a zip of CSV files: give --out, e.g. --out afterrun.zip.",
        ),
        (["--format", "xml"], "Invalid value for '--format': 'xml' is not one of 'json', 'csv'."),
        (
            ["--out", "{tmp}/no/such/e.json"],
            "cannot write {tmp}/no/such/e.json: the folder {tmp}/no/such does not exist. Create "
            "it or choose another path.",
        ),
    ],
)
def test_export_refuses_bad_input_with_status_2(
    cli: Cli, tmp_path: Path, args: list[str], message: str
) -> None:
    fill(cli)
    result = cli("export", *(arg.replace("{tmp}", str(tmp_path)) for arg in args))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == f"Error: {message.replace('{tmp}', str(tmp_path))}"


def test_an_out_path_that_is_a_folder_is_refused(cli: Cli, tmp_path: Path) -> None:
    result = cli("export", "--out", str(tmp_path))
    assert result.exit_code == 2
    assert "is a directory" in result.stderr.splitlines()[-1]


def test_importing_an_export_restores_sessions_checkins_and_profile_once(
    cli: Cli, tmp_path: Path
) -> None:
    fill(cli)
    out = tmp_path / "afterrun-export.json"
    assert cli("export", "--out", str(out)).exit_code == 0
    original = json.loads(out.read_text())

    elsewhere = Cli({**cli.env, "AFTERRUN_DB": str(tmp_path / "elsewhere.db")})
    assert elsewhere("profile", "set", "--hr-max", "170").exit_code == 0
    first = elsewhere("import", str(out))
    assert first.exit_code == 0, first.output
    assert first.stdout == (
        "1 file, 2 activities: imported 2, replaced 0, already there 0, partial 0, failed 0.\n"
        f"  {out}: restored 1 cool-down session, 1 check-in and the profile's weight\n"
    )
    again = elsewhere("import", str(out), "--json")
    assert json.loads(again.stdout)["files"]["restored"] == [
        {
            "file": str(out),
            "sessions": 0,
            "checkins": 0,
            "profile_fields": [],
            "already_there": 2,
            "refused": 0,
        }
    ]

    back = json.loads(elsewhere("export").stdout)
    assert back["profile"] == {**original["profile"], "hr_max": 170}  # what was set here wins
    assert [{**s, "id": None} for s in back["sessions"]] == [
        {**s, "id": None} for s in original["sessions"]
    ]
    if "checkins" in original:
        (checkin,) = back["checkins"]
        (was,) = original["checkins"]
        assert {**checkin, "run_id": None} == {**was, "run_id": None}
        starts = {r["id"]: r["start"] for r in back["runs"]}
        was_starts = {r["id"]: r["start"] for r in original["runs"]}
        assert starts[checkin["run_id"]] == was_starts[was["run_id"]]  # the same run, new id


def test_an_export_of_cool_downs_without_runs_is_restored_not_failed(
    cli: Cli, tmp_path: Path
) -> None:
    fill(cli)
    document = json.loads(cli("export").stdout)
    document["runs"] = []
    for checkin in document.get("checkins", []):
        checkin["run_id"] = None
    out = tmp_path / "sessions-only.json"
    out.write_text(json.dumps(document))
    elsewhere = Cli({**cli.env, "AFTERRUN_DB": str(tmp_path / "elsewhere.db")})
    result = elsewhere("import", str(out))
    assert result.exit_code == 0, result.output
    assert "failed" not in result.stdout.split("\n", 1)[1]
    assert "restored 1 cool-down session" in result.stdout
