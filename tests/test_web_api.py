"""The web app as the phone uses it, in-process, on SQLite and PostgreSQL.

Where the CLI can say the same thing, the answer is compared with what the CLI
prints for the same database: both sides call the same core.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import asdict
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from activity_files import EASY_RUN, HIKE, SWIM, fit_file, gpx_file
from afterrun.cli.main import cli
from afterrun.core.engine import SessionEngine
from afterrun.core.plan import Plan
from afterrun.web.settings import WebSettings
from conftest import WRITE

RUN_FIT = fit_file([EASY_RUN])
HIKE_GPX = gpx_file(HIKE)
PAGES = {
    "/": "Today",
    "/play": "Cool-down",
    "/runs": "Runs",
    "/checkin": "Check-in",
    "/report": "Report",
    "/settings": "Settings",
}
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)


# -- helpers ------------------------------------------------------------------------


def run_cli(settings: WebSettings, *args: str, exit_code: int = 0) -> Any:
    """`afterrun --db URL ARGS` on the web app's database; its JSON output."""
    env = {
        "AFTERRUN_CONFIG_DIR": str(settings.config_dir),
        "AFTERRUN_DATA_DIR": str(settings.config_dir.parent / "data"),
    }
    result = CliRunner().invoke(
        cli, ["--db", settings.db_url, *args], env=env, prog_name="afterrun"
    )
    assert result.exit_code == exit_code, result.output
    return json.loads(result.stdout)


def upload(web: TestClient, *files: tuple[str, bytes]) -> Any:
    response = web.post(
        "/api/imports", files=[("files", (name, data)) for name, data in files], headers=WRITE
    )
    assert response.status_code == 200, response.text
    return response.json()


def import_run(web: TestClient) -> int:
    summary = upload(web, ("morning-run.fit", RUN_FIT))
    assert summary["imported"] == 1, summary
    run_id: int = summary["files"]["imported"][0]["id"]
    return run_id


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def page_text(html: str) -> str:
    """What a reader sees: the text of the page, whitespace squeezed."""
    parser = _Text()
    parser.feed(html)
    return " ".join("".join(parser.parts).split())


def squeeze(text: str) -> str:
    return " ".join(text.split())


def get_page(web: TestClient, path: str) -> str:
    response = web.get(path)
    assert response.status_code == 200, (path, response.text[:300])
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.text.lstrip().lower().startswith("<!doctype html>")
    assert f"<title>{PAGES[path]} · afterrun</title>" in response.text
    html: str = response.text
    return html


def start_session(web: TestClient, **body: Any) -> Any:
    response = web.post("/api/sessions", json=body, headers=WRITE)
    assert response.status_code == 201, response.text
    return response.json()


# -- pages --------------------------------------------------------------------------


@pytest.mark.parametrize("path", PAGES)
def test_every_page_answers_html_on_an_empty_database(web: TestClient, path: str) -> None:
    get_page(web, path)


def test_every_page_answers_html_after_importing_a_real_run(web: TestClient) -> None:
    import_run(web)
    for path in PAGES:
        get_page(web, path)
    runs = page_text(get_page(web, "/runs"))
    assert "No runs stored yet." not in runs
    assert "0.16 km" in runs and "90 bpm" in runs


def test_today_is_null_and_says_no_runs_yet_on_an_empty_database(web: TestClient) -> None:
    response = web.get("/api/today")
    assert response.status_code == 200
    assert response.json() is None
    assert "No runs yet" in page_text(get_page(web, "/"))


def test_today_shows_the_latest_runs_rating_and_its_advice_with_sources(
    web: TestClient, web_settings: WebSettings
) -> None:
    run_id = import_run(web)
    today = web.get("/api/today").json()
    assert today["run"]["id"] == run_id
    assert today["run"]["device"] == "Garmin Fenix 5"

    shown = run_cli(web_settings, "runs", "show", str(run_id), "--json")
    assert today["intensity"] == shown["rating"]["intensity"] == "easy"
    advice = run_cli(web_settings, "advice", str(run_id), "--json")
    assert today["timeline"] == advice["timeline"]
    assert [line["topic"] for line in today["timeline"]][:3] == ["cool-down", "fluids", "food"]
    assert all(line["sources"] for line in today["timeline"]), "every line cites a source"

    text = page_text(get_page(web, "/"))
    assert today["intensity_label"].capitalize() in text
    assert today["explanation"].lower() in text.lower()
    positions = [text.index(squeeze(line["text"])) for line in today["timeline"]]
    assert positions == sorted(positions), "the page keeps the timeline's order"
    for line in today["timeline"]:
        for source in line["sources"]:
            assert f"<cite>{source}</cite>" in get_page(web, "/").replace("&amp;", "&")


def test_today_follows_the_latest_run(web: TestClient) -> None:
    older = import_run(web)
    summary = upload(web, ("long.fit", fit_file([SWIM])))
    assert summary["imported"] == 1
    # That one is a swim: Today is about the latest *run*.
    assert web.get("/api/today").json()["run"]["id"] == older


# -- plan ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "options"),
    [
        ("minutes=12&intensity=hard&place=home", ["-m", "12", "-i", "hard", "--place", "home"]),
        ("minutes=20&intensity=easy&place=gym", ["-m", "20", "-i", "easy", "--place", "gym"]),
        ("minutes=5&intensity=very-hard", ["-m", "5", "-i", "very-hard"]),
        ("", []),
    ],
)
def test_plan_is_what_afterrun_plan_json_prints(
    web: TestClient, web_settings: WebSettings, query: str, options: list[str]
) -> None:
    response = web.get(f"/api/plan?{query}")
    assert response.status_code == 200
    web_plan = response.json()
    cli_plan = run_cli(web_settings, "plan", *options, "--json")
    assert web_plan["steps"] == cli_plan["steps"]
    assert len(web_plan["steps"]) == len(web_plan["timeline"]["steps"])
    timeline = web_plan.pop("timeline")
    assert web_plan == cli_plan
    assert [step["exercise"] for step in timeline["steps"]] == [
        step["exercise"] for step in cli_plan["steps"]
    ]


def test_plan_without_intensity_is_sized_by_the_stored_run_as_the_cli_does(
    web: TestClient, web_settings: WebSettings
) -> None:
    import_run(web)
    web_plan = web.get("/api/plan?minutes=10").json()
    cli_plan = run_cli(web_settings, "plan", "-m", "10", "--json")
    assert web_plan["steps"] == cli_plan["steps"]
    assert web_plan["intensity_reason"] == cli_plan["intensity_reason"]
    assert web_plan["intensity_reason"].startswith("Your latest stored run (")


# -- sessions -----------------------------------------------------------------------


def test_a_session_started_on_the_phone_is_in_afterrun_history(
    web: TestClient, web_settings: WebSettings
) -> None:
    started = start_session(web, minutes=10, intensity="hard", place="home")
    assert started["plan"]["minutes"] == 10
    assert started["timeline"]["total_ms"] == started["plan"]["total_seconds"] * 1000
    history = run_cli(web_settings, "history", "--json")
    assert [item["id"] for item in history] == [started["id"]]
    stored = history[0]
    assert stored["status"] == "in-progress"
    assert stored["ended_at"] is None
    assert (stored["minutes"], stored["intensity"]) == (10, "hard")
    assert stored["started_at"] == started["started_at"]
    assert [step["exercise"] for step in stored["steps"]] == [
        step["exercise"] for step in started["plan"]["steps"]
    ]
    assert {step["status"] for step in stored["steps"]} == {"not-reached"}
    assert web.get(f"/api/sessions/{started['id']}").json() == stored
    assert web.get("/api/sessions").json() == history


def player_log(timeline: dict[str, Any]) -> list[dict[str, Any]]:
    """Every kind of press a runner can make, at wall-clock times since the start."""
    hold = next(step for step in timeline["steps"] if step["kind"] == "hold")
    assert hold["area"] == "calves"
    return [
        {"at_ms": 3_000, "action": "pause"},
        {"at_ms": 8_000, "action": "resume"},
        {"at_ms": 12_000, "action": "skip"},
        {"at_ms": 13_000, "action": "back"},
        {"at_ms": 14_000, "action": "skip"},
        {"at_ms": 20_000, "action": "hurt"},
        {"at_ms": 25_000, "action": "skip-exercise"},
        {"at_ms": 40_000, "action": "hurt", "area": "calves"},
        {"at_ms": 45_000, "action": "carry-on"},
        {"at_ms": 60_000, "action": "quit"},
    ]


def engine_json(
    plan: dict[str, Any], log: list[dict[str, Any]], until_ms: int, started: str
) -> Any:
    """Drive the terminal's engine by hand with the same presses at the same times."""
    from datetime import datetime

    started_at = datetime.fromisoformat(started)
    engine = SessionEngine(Plan.from_json(plan))
    engine.start(0.0)
    for event in log:
        now = event["at_ms"] / 1000
        engine.poll(now)
        match event["action"]:
            case "pause":
                engine.pause(now)
            case "resume":
                engine.resume(now)
            case "skip":
                engine.skip(now)
            case "back":
                engine.back(now)
            case "hurt":
                at = started_at + timedelta(milliseconds=event["at_ms"])
                engine.hurt(now, at, event.get("area"))
            case "skip-exercise":
                engine.skip_exercise(now)
            case "carry-on":
                engine.decline_offer(now)
            case "quit":
                engine.finish_now(now)
    engine.poll(until_ms / 1000)
    steps = [asdict(step) for step in engine.step_records()]
    pains = [{**asdict(pain), "at": pain.at.isoformat()} for pain in engine.pains]
    return steps, pains, engine.finished


def test_carrying_on_gently_is_stored_with_the_side_that_hurt(
    web: TestClient, web_settings: WebSettings
) -> None:
    started = start_session(web, minutes=15, intensity="moderate", place="home")
    steps = started["timeline"]["steps"]
    hold = next(i for i, s in enumerate(steps) if s["kind"] == "hold" and s["side"])
    eases = steps[hold]["eases"]
    assert eases and all(steps[i]["gentle"]["seconds"] == 15 for i in eases)
    at = steps[hold]["start_ms"] + 5_000
    log = [
        {"at_ms": at, "action": "hurt"},
        {"at_ms": at + 3_000, "action": "carry-on"},
        {"at_ms": at + 60_000, "action": "quit"},
    ]
    body = {"events": log, "until_ms": at + 60_000}
    saved = web.put(f"/api/sessions/{started['id']}/progress", json=body, headers=WRITE)
    assert saved.status_code == 200, saved.text
    stored = saved.json()
    assert [(p["step_index"], p["side"]) for p in stored["pains"]] == [(hold, steps[hold]["side"])]
    eased = [i for i, step in enumerate(stored["plan"]["steps"]) if "eased_from" in step]
    assert eased == eases
    assert [stored["steps"][i]["planned_seconds"] for i in eased] == [15] * len(eased)
    # the same log again (a retry) changes nothing, though the stored plan is now eased
    again = web.put(f"/api/sessions/{started['id']}/progress", json=body, headers=WRITE)
    assert again.json() == stored
    [listed] = run_cli(web_settings, "history", "--json")
    assert listed["pains"][0]["side"] == steps[hold]["side"]


def test_progress_stores_what_the_engine_records_for_the_same_presses(
    web: TestClient, web_settings: WebSettings
) -> None:
    started = start_session(web, minutes=10, intensity="moderate", place="home")
    log = player_log(started["timeline"])
    response = web.put(
        f"/api/sessions/{started['id']}/progress",
        json={"events": log, "until_ms": 61_000},
        headers=WRITE,
    )
    assert response.status_code == 200, response.text
    saved = response.json()
    stored = web.get(f"/api/sessions/{started['id']}").json()
    assert saved == stored

    steps, pains, finished = engine_json(stored["plan"], log, 61_000, stored["started_at"])
    assert stored["steps"] == steps
    assert stored["pains"] == pains
    assert not finished
    assert stored["status"] == "quit"
    assert stored["ended_at"] is not None
    # What the presses did, as a runner would check it afterwards:
    assert [pain["area"] for pain in stored["pains"]] == ["hips", "calves"]
    by_index = {step["index"]: step["status"] for step in stored["steps"]}
    assert by_index[0] == "skipped"
    assert by_index[1] == "partial", "'it hurts' ends the leg swings part-way"
    assert {by_index[i] for i in range(2, 16)} == {"skipped"}, "the rest of the swings skipped"
    assert by_index[17] == "partial", "the calf stretch that hurt"
    assert stored["steps"][-1]["status"] == "not-reached"
    assert run_cli(web_settings, "history", "--json")[0] == stored


def test_after_a_hard_run_the_session_walks_first_and_stores_the_walk(web: TestClient) -> None:
    started = start_session(web, minutes=10, intensity="hard", place="home")
    walk = started["timeline"]["steps"][0]
    assert (walk["kind"], walk["exercise"], walk["name"]) == (
        "walk",
        "easy-walk",
        "Easy walk or jog",
    )
    assert (walk["start_ms"], walk["end_ms"]) == (0, 180_000)
    assert walk["illustration"] == "/api/exercises/easy-walk/illustration.svg"
    assert started["timeline"]["steps"][1]["kind"] == "transition"
    cues = [(c["at_ms"], c["text"]) for c in started["timeline"]["cues"] if c["step_index"] == 0]
    assert cues == [
        (
            0,
            "Easy walk or jog, 3 minutes. Walk or jog very easily: around the block, along "
            "the hallway or on the spot; you should be able to talk.",
        ),
        (90_000, "Halfway."),
        (120_000, "1 minute left."),
        (175_000, "Next up: Leg swings."),
    ]
    log = [
        {"at_ms": 70_000, "action": "hurt"},
        {"at_ms": 72_000, "action": "carry-on"},
        {"at_ms": 100_000, "action": "quit"},
    ]
    path = f"/api/sessions/{started['id']}/progress"
    stored = web.put(path, json={"events": log, "until_ms": 100_000}, headers=WRITE).json()
    steps, pains, _ = engine_json(stored["plan"], log, 100_000, stored["started_at"])
    assert stored["steps"] == steps and stored["pains"] == pains
    first = stored["steps"][0]
    assert (first["kind"], first["status"], first["actual_seconds"]) == ("walk", "partial", 70)
    assert [(p["exercise"], p["offset_seconds"]) for p in stored["pains"]] == [("easy-walk", 70)]
    svg = web.get(walk["illustration"])
    assert svg.status_code == 200 and svg.text.startswith("<svg")
    assert "<title>Easy walk or jog</title>" in svg.text


def test_progress_part_way_stays_in_progress_and_completes_at_the_end(web: TestClient) -> None:
    started = start_session(web, minutes=5, intensity="easy", place="home")
    path = f"/api/sessions/{started['id']}/progress"
    part = web.put(path, json={"events": [], "until_ms": 15_000}, headers=WRITE).json()
    assert part["status"] == "in-progress" and part["ended_at"] is None
    assert part["steps"][0]["status"] == "done"
    assert part["steps"][0]["actual_seconds"] == started["timeline"]["steps"][0]["end_ms"] / 1000
    total = started["timeline"]["total_ms"]
    done = web.put(path, json={"events": [], "until_ms": total}, headers=WRITE).json()
    assert done["status"] == "completed"
    assert {step["status"] for step in done["steps"]} == {"done"}
    assert done["total_actual_seconds"] == pytest.approx(total / 1000)


@pytest.mark.parametrize("until_ms", [61_000, 30_000])
def test_sending_the_same_log_twice_changes_nothing(web: TestClient, until_ms: int) -> None:
    started = start_session(web, minutes=10, intensity="hard", place="home")
    log = [e for e in player_log(started["timeline"]) if e["at_ms"] <= until_ms]
    path = f"/api/sessions/{started['id']}/progress"
    first = web.put(path, json={"events": log, "until_ms": until_ms}, headers=WRITE).json()
    again = web.put(path, json={"events": log, "until_ms": until_ms}, headers=WRITE)
    assert again.status_code == 200
    assert again.json() == first
    assert web.get(f"/api/sessions/{started['id']}").json() == first


def test_an_out_of_order_log_is_refused_and_nothing_changes(web: TestClient) -> None:
    started = start_session(web, minutes=10, intensity="hard", place="home")
    path = f"/api/sessions/{started['id']}/progress"
    before = web.get(f"/api/sessions/{started['id']}").json()
    events = [{"at_ms": 5_000, "action": "skip"}, {"at_ms": 4_000, "action": "pause"}]
    response = web.put(path, json={"events": events, "until_ms": 6_000}, headers=WRITE)
    assert response.status_code == 422
    assert response.json() == {
        "error": "Player event 2 (pause at 4000 ms) is earlier than the one before it "
        "(5000 ms); events must be in the order they happened."
    }
    late = web.put(path, json={"events": events[:1], "until_ms": 4_000}, headers=WRITE)
    assert late.status_code == 422
    assert late.json() == {
        "error": "The session's clock (4000 ms) is earlier than its last event (5000 ms)."
    }
    assert web.get(f"/api/sessions/{started['id']}").json() == before


def test_every_illustration_a_session_plays_is_an_svg(web: TestClient) -> None:
    started = start_session(web, minutes=20, intensity="very-hard", place="home")
    urls = {step["illustration"] for step in started["timeline"]["steps"]}
    assert len(urls) > 3
    for url in sorted(urls):
        response = web.get(url)
        assert response.status_code == 200, (url, response.text)
        assert response.headers["content-type"] == "image/svg+xml"
        assert response.text.startswith("<svg")
        assert "<script" not in response.text


def test_every_exercise_and_variant_has_an_illustration(web: TestClient) -> None:
    exercises = web.get("/api/exercises").json()
    assert len(exercises) >= 5
    for exercise in exercises:
        slug = exercise["slug"]
        plain = web.get(f"/api/exercises/{slug}/illustration.svg")
        assert plain.status_code == 200
        assert plain.headers["content-type"] == "image/svg+xml"
        assert f'aria-label="{exercise["name"]}' in plain.text
        for variant in exercise["variants"]:
            for side in ("left", "right"):
                url = (
                    f"/api/exercises/{slug}/illustration.svg?variant={variant['slug']}&side={side}"
                )
                response = web.get(url)
                assert response.status_code == 200, (url, response.text)
                assert response.text.startswith("<svg")


# -- imports ------------------------------------------------------------------------


def test_an_upload_imports_the_good_files_and_names_the_bad_one(web: TestClient) -> None:
    summary = upload(
        web,
        ("morning-run.fit", RUN_FIT),
        ("Korita hike.gpx", HIKE_GPX),
        ("holiday-photo.fit", PNG),
    )
    assert (summary["imported"], summary["already_there"], summary["failed"]) == (2, 0, 1)
    assert [item["file"] for item in summary["files"]["imported"]] == [
        "morning-run.fit",
        "Korita hike.gpx",
    ]
    assert summary["files"]["failed"] == [
        {"file": "holiday-photo.fit", "reason": "this is a PNG image, not an activity file"}
    ]
    assert "afterrun-upload" not in json.dumps(summary)
    ids = [item["id"] for item in summary["files"]["imported"]]
    stored = web.get("/api/runs?all_sports=true").json()
    assert sorted(run["id"] for run in stored) == sorted(ids)
    assert [run["id"] for run in web.get("/api/runs").json()] == [ids[0]]

    again = upload(web, ("morning-run.fit", RUN_FIT))
    assert (again["imported"], again["already_there"], again["failed"]) == (0, 1, 0)
    assert again["files"]["already_there"] == [{"file": "morning-run.fit", "id": ids[0]}]
    assert len(web.get("/api/runs?all_sports=true").json()) == 2


def test_a_stored_upload_keeps_its_uploaded_name_as_source(web: TestClient) -> None:
    run_id = import_run(web)
    assert web.get(f"/api/runs/{run_id}").json()["source"] == "morning-run.fit"


def test_a_zip_export_is_imported_with_its_names(web: TestClient) -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("activities/run.fit", RUN_FIT)
        zipped.writestr("activities/photo.fit", PNG)
    summary = upload(web, ("export_2024.zip", archive.getvalue()))
    assert summary["files"]["imported"] == [{"file": "export_2024.zip!activities/run.fit", "id": 1}]
    assert summary["files"]["failed"] == [
        {
            "file": "export_2024.zip!activities/photo.fit",
            "reason": "this is a PNG image, not an activity file",
        }
    ]
    assert web.get("/api/runs/1").json()["source"] == "export_2024.zip!activities/run.fit"


def test_an_upload_without_files_is_refused(web: TestClient) -> None:
    response = web.post("/api/imports", data={"other": "x"}, headers=WRITE)
    assert response.status_code == 422
    assert response.json() == {"error": "files: missing: send it"}


# -- check-ins, profile, rating -----------------------------------------------------


def test_a_checkin_is_stored_with_the_most_urgent_red_flag_first(
    web: TestClient, web_settings: WebSettings
) -> None:
    note = "Wade brennt – ふくらはぎ 🏃"
    red_flags = ["swelling", "fainting", "dark-urine"]
    body = {"ratings": {"calves": 8, "hamstrings": 2}, "red_flags": red_flags, "note": note}
    response = web.post("/api/checkins", json=body, headers=WRITE)
    assert response.status_code == 201, response.text
    answer = response.json()
    assert [flag["slug"] for flag in answer["red_flags"]] == ["fainting", "dark-urine", "swelling"]
    assert answer["red_flags"][0]["banner"].startswith("EMERGENCY: ")
    assert answer["normal_course"] is None, "a red flag is never explained away as soreness"

    exported = run_cli(web_settings, "export")
    [checkin] = exported["checkins"]
    assert checkin["ratings"] == {"calves": 8, "hamstrings": 2}
    assert checkin["note"] == "Wade brennt – ふくらはぎ 🏃"
    assert sorted(checkin["red_flags"]) == ["dark-urine", "fainting", "swelling"]

    # The CLI, asked the same on another database, answers the same.
    other = WebSettings(
        db_url=f"sqlite:///{web_settings.config_dir.parent / 'other.db'}",
        config_dir=web_settings.config_dir,
    )
    flags = [arg for slug in red_flags for arg in ("--flag", slug)]
    from_cli = run_cli(
        other, "checkin", "calves=8", "hamstrings=2", *flags, "--note", note, "--json"
    )
    for key in ("id", "at"):
        del from_cli[key], answer[key]
    assert answer == from_cli

    # Planning next shows the warning first, on the phone as in the terminal, and no plan:
    # a collapse and dark urine need a clinician, not a cool-down.
    web_plan = web.get("/api/plan?minutes=10&intensity=easy").json()
    cli_plan = run_cli(web_settings, "plan", "-m", "10", "-i", "easy", "--json", exit_code=1)
    assert web_plan["red_flags"] == cli_plan["red_flags"]
    assert web_plan["plan"] is None and cli_plan["plan"] is None
    assert web_plan["withheld_reason"] == cli_plan["withheld_reason"]
    assert [flag["slug"] for flag in web_plan["red_flags"]] == [
        "fainting",
        "dark-urine",
        "swelling",
    ]


def test_profile_round_trip_and_hr_rest_must_stay_below_hr_max(
    web: TestClient, web_settings: WebSettings
) -> None:
    full = {
        "hr_max": 190,
        "hr_rest": 50,
        "sex": "f",
        "weight_kg": 61.5,
        "birth_year": 1988,
        "timezone": "Europe/Berlin",
        "main_sport": "running",
    }
    response = web.put("/api/profile", json=full, headers=WRITE)
    assert response.status_code == 200
    assert response.json() == full
    assert web.get("/api/profile").json() == full
    assert run_cli(web_settings, "profile", "show", "--json") == full

    changed = web.put("/api/profile", json={"hr_rest": 110}, headers=WRITE).json()
    assert changed == {**full, "hr_rest": 110}

    refused = web.put("/api/profile", json={"hr_max": 110}, headers=WRITE)
    assert refused.status_code == 422
    assert refused.json() == {
        "error": "Resting heart rate (110) must be below your maximum (110): check both numbers."
    }
    both = web.put("/api/profile", json={"hr_max": 120, "hr_rest": 120}, headers=WRITE)
    assert both.json() == {
        "error": "Resting heart rate (120) must be below your maximum (120): check both numbers."
    }
    assert web.get("/api/profile").json() == {**full, "hr_rest": 110}
    assert run_cli(web_settings, "profile", "show", "--json") == {**full, "hr_rest": 110}


def test_a_profile_value_sent_as_null_is_cleared_and_one_left_out_stays(
    web: TestClient, web_settings: WebSettings
) -> None:
    full = {"hr_max": 190, "hr_rest": 50, "sex": "f", "weight_kg": 61.5, "birth_year": 1988}
    assert web.put("/api/profile", json=full, headers=WRITE).status_code == 200

    cleared = web.put("/api/profile", json={"hr_max": None, "weight_kg": None}, headers=WRITE)
    assert cleared.status_code == 200
    expected = {**full, "hr_max": None, "weight_kg": None, "timezone": None, "main_sport": None}
    assert cleared.json() == expected
    assert run_cli(web_settings, "profile", "show", "--json") == expected


def test_rating_a_run_stores_its_rpe(web: TestClient, web_settings: WebSettings) -> None:
    run_id = import_run(web)
    response = web.put(f"/api/runs/{run_id}/rating", json={"rpe": 7.5}, headers=WRITE)
    assert response.status_code == 200, response.text
    assert response.json()["rpe"] == 7.5
    assert response.json()["load_explanation"]
    assert web.get(f"/api/runs/{run_id}").json()["rpe"] == 7.5
    assert run_cli(web_settings, "runs", "show", str(run_id), "--json")["rpe"] == 7.5
    assert "effort 7.5/10" in page_text(get_page(web, "/runs"))
    run_page = web.get(f"/runs/{run_id}")
    assert run_page.status_code == 200
    assert "Saved: effort 7.5/10." in page_text(run_page.text)


# -- not found ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "body", "message"),
    [
        ("GET", "/api/runs/999", None, "No run 999."),
        ("GET", "/api/runs/999/advice", None, "No run 999."),
        (
            "PUT",
            "/api/runs/999/rating",
            {"rpe": 5},
            "No run 999.",
        ),
        (
            "GET",
            "/api/sessions/999",
            None,
            "No session 999.",
        ),
        (
            "PUT",
            "/api/sessions/999/progress",
            {"events": [], "until_ms": 0},
            "No session 999.",
        ),
        (
            "GET",
            "/api/exercises/cartwheel",
            None,
            "No exercise 'cartwheel'. Known: leg-swings, calf-stretch, hip-flexor-stretch, "
            "hamstring-wall-stretch, knee-to-chest.",
        ),
        (
            "GET",
            "/api/exercises/cartwheel/illustration.svg",
            None,
            "No exercise 'cartwheel'. Known: leg-swings, calf-stretch, hip-flexor-stretch, "
            "hamstring-wall-stretch, knee-to-chest.",
        ),
        (
            "GET",
            "/api/exercises/calf-stretch/illustration.svg?variant=handstand",
            None,
            "Calf stretch at the wall has no variant 'handstand'. Known: soleus, short-holds.",
        ),
        (
            "GET",
            "/api/nothing-here",
            None,
            "Nothing at /api/nothing-here; the API is described at /openapi.json.",
        ),
    ],
)
def test_unknown_things_answer_404_with_what_exists(
    web: TestClient, method: str, path: str, body: Any, message: str
) -> None:
    response = web.request(method, path, json=body, headers=WRITE)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    # An unknown run or session also names what lists them, for the page to link to.
    hint = {"No run 999.": "list-runs", "No session 999.": "list-sessions"}.get(message)
    assert response.json() == {"error": message} | ({"hint": hint} if hint else {})


def test_checkin_for_an_unknown_run_is_404_and_stores_nothing(
    web: TestClient, web_settings: WebSettings
) -> None:
    body = {"ratings": {"calves": 2}, "run_id": 42}
    response = web.post("/api/checkins", json=body, headers=WRITE)
    assert response.status_code == 404
    assert response.json() == {"error": "No run 42.", "hint": "list-runs"}
    assert run_cli(web_settings, "export")["checkins"] == []


def test_a_wrong_method_answers_405_naming_every_allowed_one(web: TestClient) -> None:
    response = web.delete("/api/profile", headers=WRITE)
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, PUT"
    assert response.json() == {"error": "DELETE is not allowed on /api/profile; use GET, PUT."}


# -- correcting a sport or name ------------------------------------------------------


def test_the_phone_corrects_a_guessed_sport_and_the_cli_sees_it(
    web: TestClient, web_settings: WebSettings, tmp_path: Path
) -> None:
    from datetime import UTC, datetime

    from gpx_files import gpx_text, steady

    start = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=40)
    track = gpx_text(start, steady(3.1, 1800), heart_rate=150).encode()
    summary = upload(web, ("untyped.gpx", track))
    run_id = summary["files"]["imported"][0]["id"]
    assert summary["files"]["sport_untold"] == [
        {
            "file": "untyped.gpx",
            "id": run_id,
            "sport": "sport guessed from pace and its spread: running",
            "fix": "correct",
        }
    ]
    runs_page = page_text(get_page(web, "/runs"))
    assert "running (guessed from pace and its spread)" in runs_page
    assert web.get("/api/today").json()["run"]["id"] == run_id

    response = web.patch(
        f"/api/runs/{run_id}", json={"sport": "cycling", "name": "To work"}, headers=WRITE
    )
    assert response.status_code == 200, response.text
    assert (response.json()["sport"], response.json()["name"]) == ("cycling", "To work")
    assert response.json()["sport_source"] == "runner"
    shown = run_cli(web_settings, "runs", "show", str(run_id), "--json")
    assert (shown["sport"], shown["sport_source"], shown["name"]) == (
        "cycling",
        "runner",
        "To work",
    )
    assert web.get("/api/today").json() is None  # no run left to size a cool-down by
    assert "cycling" in page_text(get_page(web, "/runs"))

    for body, message in (
        ({}, "give sport or name (or both) to change."),
        ({"name": " "}, "the name is blank: give a few words, such as 'Long run'."),
    ):
        refused = web.patch(f"/api/runs/{run_id}", json=body, headers=WRITE)
        assert refused.status_code == 422
        assert refused.json() == {"error": message}
    assert (
        web.patch(f"/api/runs/{run_id}", json={"sport": "flying"}, headers=WRITE).status_code == 422
    )
    missing = web.patch("/api/runs/999", json={"sport": "running"}, headers=WRITE)
    assert missing.status_code == 404
    assert missing.json() == {"error": "No run 999.", "hint": "list-runs"}
    assert run_cli(web_settings, "runs", "show", str(run_id), "--json") == shown


def test_the_phone_sets_a_time_zone(web: TestClient, web_settings: WebSettings) -> None:
    changed = web.put("/api/profile", json={"timezone": "America/New_York"}, headers=WRITE)
    assert changed.status_code == 200, changed.text
    assert changed.json()["timezone"] == "America/New_York"
    refused = web.put("/api/profile", json={"timezone": "Mars/Olympus"}, headers=WRITE)
    assert refused.status_code == 422
    assert refused.json() == {
        "error": "unknown time zone 'Mars/Olympus': give an IANA name such as Europe/Berlin, "
        "America/New_York or UTC."
    }
    assert run_cli(web_settings, "profile", "show", "--json")["timezone"] == "America/New_York"


def test_the_phone_words_every_hint_the_server_names() -> None:
    """A hint the phone had no words for would leave an error without its way out."""
    from importlib.resources import files

    from afterrun.core.hints import Hint

    script = (files("afterrun") / "web" / "static" / "app.js").read_text(encoding="utf-8")
    unworded = [hint.value for hint in Hint if f'"{hint.value}": "' not in script]
    assert unworded == []
