"""The cool-down as a FIT workout for a Garmin watch: `plan --fit`, the phone's download,
and the file read back with fitdecode and with Garmin's own decoder."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import fitdecode
import pytest
from fastapi.testclient import TestClient
from garmin_fit_sdk import Decoder, Profile, Stream

from afterrun.catalogue_files import load_catalogue
from afterrun.core.intensity import Intensity
from afterrun.core.plan import PLACES, Plan, PlanRequest, PlanStep
from afterrun.core.planner import plan_cooldown
from afterrun.exporters.fit_workout import fit_text, fit_workout
from conftest import WRITE, Cli

CATALOGUE = load_catalogue(None)
CREATED = datetime(2026, 5, 4, 8, 30, tzinfo=UTC)

#: The FIT profile's warm-up exercise each exercise or form is written as; those not here
#: (the walk, the soleus stretch, foam rolling) have no FIT name and no category.
FIT_NAMES = {
    ("leg-swings", "front-to-back"): "forward_and_backward_leg_swings",
    ("leg-swings", "side-to-side"): "side_to_side_leg_swings",
    ("calf-stretch", None): "stretch_calf",
    ("calf-stretch", "short-holds"): "stretch_calf",
    ("hip-flexor-stretch", None): "stretch_lunging_hip_flexor",
    ("hip-flexor-stretch", "standing-chair"): "stretch_hip_flexor_and_quad",
    ("hamstring-wall-stretch", None): "stretch_hamstring",
    ("hamstring-wall-stretch", "other-leg-bent"): "stretch_hamstring",
    ("knee-to-chest", None): "stretch_lying_knee_to_chest",
    ("knee-to-chest", "bed-edge"): "stretch_lying_knee_to_chest",
}
WARM_UP = {name: number for number, name in Profile["types"]["warm_up_exercise_name"].items()}


@dataclass(frozen=True)
class Decoded:
    """A workout file as one decoder reads it, in the same terms for both."""

    file_type: str
    sport: str
    sub_sport: str
    name: str
    valid_steps: int
    steps: list[dict[str, Any]]


def by_garmin(data: bytes) -> Decoded:
    decoder = Decoder(Stream.from_byte_array(bytearray(data)))
    assert decoder.is_fit()
    assert decoder.check_integrity()
    messages, errors = Decoder(Stream.from_byte_array(bytearray(data))).read()
    assert errors == []
    (file_id,) = messages["file_id_mesgs"]
    (workout,) = messages["workout_mesgs"]
    steps = [
        {
            "index": step["message_index"],
            "name": step["wkt_step_name"],
            "duration_type": step["duration_type"],
            "duration_value": step["duration_value"],
            "intensity": step["intensity"],
            "notes": step["notes"],
            "category": step.get("exercise_category"),
            "exercise_name": step.get("exercise_name"),
        }
        for step in messages["workout_step_mesgs"]
    ]
    return Decoded(
        file_id["type"],
        workout["sport"],
        workout["sub_sport"],
        workout["wkt_name"],
        workout["num_valid_steps"],
        steps,
    )


def by_fitdecode(data: bytes) -> Decoded:
    file_ids, workouts, steps = [], [], []
    with fitdecode.FitReader(io.BytesIO(data), check_crc=fitdecode.CrcCheck.RAISE) as reader:
        for frame in reader:
            if not isinstance(frame, fitdecode.FitDataMessage):
                continue
            raw = {field.name: field.raw_value for field in frame.fields}
            values = {field.name: field.value for field in frame.fields}
            if frame.name == "file_id":
                file_ids.append(values)
            elif frame.name == "workout":
                workouts.append(values)
            elif frame.name == "workout_step":
                # fitdecode names the duration by its type (duration_time in s, duration_reps);
                # the raw value is what the file holds (ms for a time).
                duration = raw.get("duration_time", raw.get("duration_reps"))
                steps.append(
                    {
                        "index": values["message_index"],
                        "name": values["wkt_step_name"],
                        "duration_type": values["duration_type"],
                        "duration_value": duration,
                        "intensity": values["intensity"],
                        "notes": values["notes"],
                        "category": values.get("exercise_category"),
                        "exercise_name": values.get("exercise_name"),
                    }
                )
    (file_id,) = file_ids
    (workout,) = workouts
    return Decoded(
        file_id["type"],
        workout["sport"],
        workout["sub_sport"],
        workout["wkt_name"],
        workout["num_valid_steps"],
        steps,
    )


def expected_step(index: int, step: PlanStep) -> dict[str, Any]:
    """What the watch should be given for one of the plan's steps."""
    fit_name = FIT_NAMES.get((step.exercise, step.variant)) if step.is_work else None
    reps = step.kind == "reps"
    return {
        "index": index,
        "duration_type": "reps" if reps else "time",
        "duration_value": step.reps if reps else step.seconds * 1000,
        "intensity": "active" if step.is_work else "rest",
        "category": None if fit_name is None else "warm_up",
        "exercise_name": None if fit_name is None else WARM_UP[fit_name],
    }


def check_workout(plan: Plan, decoded: Decoded) -> None:
    assert decoded.file_type == "workout"
    assert (decoded.sport, decoded.sub_sport) == ("training", "flexibility_training")
    assert (
        decoded.name == f"Cool-down {plan.request.minutes} min, {plan.request.intensity.label} run"
    )
    assert decoded.valid_steps == len(plan.steps) == len(decoded.steps)
    # One active step per hold, set of swings or walk: as many as the plan has.
    work = [step for step in decoded.steps if step["intensity"] == "active"]
    assert len(work) == sum(step.is_work for step in plan.steps)
    for index, (step, got) in enumerate(zip(plan.steps, decoded.steps, strict=True)):
        keys = ("index", "duration_type", "duration_value", "intensity", "category")
        want = expected_step(index, step)
        assert {key: got[key] for key in keys} == {key: want[key] for key in keys}, step
        assert got["exercise_name"] == want["exercise_name"], step
        assert got["notes"], step
        assert got["notes"] == step.text or len(got["notes"].encode()) <= 254
        assert got["notes"].split(".")[0] in step.text, step
        if step.is_work:
            assert got["name"].startswith(step.name), step
        else:
            assert got["name"] in ("Get ready", "Switch sides"), step
        if step.side is not None and step.is_work:
            assert step.side in got["notes"].split(".")[0].lower(), step


def twelve_minutes(place: str, intensity: Intensity) -> Plan:
    request = PlanRequest(minutes=12, intensity=intensity, equipment=PLACES[place], place=place)
    return plan_cooldown(CATALOGUE, request)


@pytest.mark.parametrize("intensity", list(Intensity), ids=lambda level: level.value)
@pytest.mark.parametrize("place", sorted(PLACES))
def test_a_twelve_minute_plan_reads_back_step_by_step_in_both_decoders(
    place: str, intensity: Intensity
) -> None:
    plan = twelve_minutes(place, intensity)
    assert any(step.kind == "hold" for step in plan.steps)
    assert any(step.kind == "reps" for step in plan.steps)
    data = fit_workout(plan, CREATED)
    by_sdk, by_fd = by_garmin(data), by_fitdecode(data)
    check_workout(plan, by_sdk)
    check_workout(plan, by_fd)
    assert by_sdk == by_fd
    # The watch runs the plan's time: every rest and hold as long as the plan's.
    timed = sum(s["duration_value"] for s in by_sdk.steps if s["duration_type"] == "time")
    swung = sum(step.seconds for step in plan.steps if step.kind == "reps")
    assert timed + swung * 1000 == plan.total_seconds * 1000


def test_a_hard_run_starts_with_the_walk_as_a_timed_step_without_a_fit_name() -> None:
    plan = twelve_minutes("home", Intensity.HARD)
    first = by_garmin(fit_workout(plan, CREATED)).steps[0]
    assert first == {
        "index": 0,
        "name": "Easy walk or jog",
        "duration_type": "time",
        "duration_value": 180_000,
        "intensity": "active",
        "notes": plan.steps[0].text,
        "category": None,
        "exercise_name": None,
    }


def test_exercises_without_a_fit_name_keep_their_own_name_and_no_category() -> None:
    request = PlanRequest(
        minutes=40, intensity=Intensity.EASY, equipment=PLACES["gym"], place="gym"
    )
    plan = plan_cooldown(CATALOGUE, request)
    forms = {(step.exercise, step.variant) for step in plan.steps if step.is_work}
    assert {("calf-stretch", "soleus"), ("knee-to-chest", "foam-roller-glutes")} <= forms
    decoded = by_fitdecode(fit_workout(plan, CREATED))
    check_workout(plan, decoded)
    for step, got in zip(plan.steps, decoded.steps, strict=True):
        if step.is_work and step.variant in ("soleus", "foam-roller-glutes"):
            assert (got["name"], got["category"], got["exercise_name"]) == (step.name, None, None)


def test_the_file_id_says_when_it_was_made() -> None:
    data = fit_workout(twelve_minutes("track", Intensity.MODERATE), CREATED)
    messages, _ = Decoder(Stream.from_byte_array(bytearray(data))).read()
    assert messages["file_id_mesgs"][0]["time_created"] == CREATED


def test_a_long_text_is_cut_at_a_word_to_fit_a_fit_string() -> None:
    text = "Halte die Dehnung ruhig, atme gleichmäßig und entspanne die Wade. " * 6
    cut = fit_text(text)
    assert len(cut.encode()) <= 254
    assert cut.endswith("…")
    assert text.startswith(cut.removesuffix("…"))
    assert text[len(cut) - 1] in " ,.;:"
    assert fit_text("Short. ") == "Short. "


# The command line


def plan_args(path: Path | str) -> list[str]:
    return ["plan", "-m", "12", "-i", "hard", "--place", "gym", "--fit", str(path)]


def test_plan_fit_writes_the_workout_and_says_so_after_the_plan(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "cooldown.fit"
    result = cli(*plan_args(path))
    assert result.exit_code == 0, result.output
    shown = cli("plan", "-m", "12", "-i", "hard", "--place", "gym")
    assert result.stdout == (
        f"{shown.stdout}\n"
        f"Wrote the watch workout to {path}: 21 steps and 20 rests, 11:53. "
        "Copy it into GARMIN/NewFiles on the watch.\n"
    )
    planned = json.loads(cli("plan", "-m", "12", "-i", "hard", "--place", "gym", "--json").stdout)
    decoded = by_garmin(path.read_bytes())
    assert [
        (step["duration_type"], step["duration_value"], step["notes"]) for step in decoded.steps
    ] == [
        ("reps", s["reps"], s["text"])
        if s["kind"] == "reps"
        else ("time", s["seconds"] * 1000, s["text"])
        for s in planned["steps"]
    ]


@pytest.mark.skipif(not Path("/sys").is_dir(), reason="needs Linux's read-only /sys")
def test_plan_fit_to_a_path_that_cannot_be_written_prints_only_the_error(cli: Cli) -> None:
    result = cli(*plan_args("/sys/cooldown.fit"))
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: cannot write /sys/cooldown.fit: Permission denied. Choose a path you can write "
        "to.\n"
    )
    assert result.stdout == ""
    assert not Path("/sys/cooldown.fit").exists()


def test_plan_fit_into_a_missing_folder_is_refused_before_any_work(
    cli: Cli, tmp_path: Path
) -> None:
    path = tmp_path / "watch" / "cooldown.fit"
    result = cli(*plan_args(path))
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: cannot write {path}: the folder {path.parent} does not exist. Create it or "
        "choose another path.\n"
    )
    assert result.stdout == ""
    assert not path.parent.exists()


def test_plan_fit_with_json_is_refused(cli: Cli, tmp_path: Path) -> None:
    result = cli(*plan_args(tmp_path / "cooldown.fit"), "--json")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: --fit writes a watch workout and --json prints JSON: give one of them.\n"
    )
    assert result.stdout == ""
    assert not (tmp_path / "cooldown.fit").exists()


def test_plan_fit_when_nothing_fits_shows_why_and_writes_nothing(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "cooldown.fit"
    result = cli("plan", "-m", "1", "--fit", str(path))
    assert result.exit_code == 2
    assert result.stdout == cli("plan", "-m", "1").stdout
    assert result.stderr == f"Error: Nothing was written to {path}: the plan has no steps.\n"
    assert not path.exists()


def _fit_sdk_loaded(args: list[str], cli: Cli) -> bool:
    script = (
        "import sys\n"
        "from afterrun.cli.start import main\n"
        f"sys.argv = ['afterrun', *{args!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('LOADED', 'garmin_fit_sdk' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=cli.env, check=True
    )
    return done.stdout.strip().splitlines()[-1] == "LOADED True"


def test_only_plan_fit_loads_the_fit_encoder(cli: Cli, tmp_path: Path) -> None:
    assert not _fit_sdk_loaded(["plan", "-m", "12"], cli)
    assert not _fit_sdk_loaded(["plan", "-m", "12", "--steps"], cli)
    assert _fit_sdk_loaded(["plan", "-m", "12", "--fit", str(tmp_path / "c.fit")], cli)


# The phone


def test_the_phone_downloads_the_plan_it_shows_as_a_fit_workout(web: TestClient) -> None:
    query = "minutes=12&intensity=hard&place=track"
    response = web.get(f"/api/plan.fit?{query}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/vnd.ant.fit"
    assert response.headers["content-disposition"] == (
        'attachment; filename="afterrun-cooldown-12min.fit"'
    )
    shown = web.get(f"/api/plan?{query}").json()
    decoded = by_fitdecode(response.content)
    assert decoded.valid_steps == len(shown["steps"])
    assert [step["notes"] for step in decoded.steps] == [step["text"] for step in shown["steps"]]


def test_the_cool_down_forms_empty_intensity_means_as_the_latest_run_says(
    web: TestClient,
) -> None:
    # The form sends every field; "As my latest run says" is an empty value.
    response = web.get("/api/plan.fit?minutes=10&intensity=&place=home")
    assert response.status_code == 200
    plan = Plan.from_json(web.get("/api/plan?minutes=10&place=home").json())
    check_workout(plan, by_garmin(response.content))


@pytest.mark.parametrize("query", ["minutes=0", "minutes=121", "intensity=extreme", "place=moon"])
def test_the_download_refuses_what_the_plan_refuses(web: TestClient, query: str) -> None:
    assert web.get(f"/api/plan.fit?{query}").status_code == 422


def test_the_download_is_refused_while_a_warning_sign_holds_the_cool_down_back(
    web: TestClient,
) -> None:
    checked = web.post("/api/checkins", json={"red_flags": ["calf-clot"]}, headers=WRITE)
    assert checked.status_code == 201, checked.text
    refused = web.get("/api/plan.fit?minutes=12")
    assert refused.status_code == 409
    assert refused.headers["content-type"] == "application/json"


def test_the_download_when_nothing_fits_says_so(web: TestClient) -> None:
    refused = web.get("/api/plan.fit?minutes=1")
    assert refused.status_code == 422
    assert refused.json() == {"error": "Nothing fits in 1 min. Give more minutes."}


def test_the_cool_down_page_downloads_the_watch_workout_for_its_form(tmp_path: Path) -> None:
    """In Chromium at a phone's size: the button fetches the file; no session starts."""
    from playwright.sync_api import sync_playwright

    from browser import chromium_or_skip, live_server, phone_context

    chromium = chromium_or_skip()
    with (
        sync_playwright() as playwright,
        live_server(tmp_path) as server,
    ):
        browser = playwright.chromium.launch(executable_path=str(chromium), args=["--no-sandbox"])
        try:
            page = phone_context(browser, accept_downloads=True).new_page()
            page.goto(f"{server.url}/play")
            page.get_by_label("Minutes you have").fill("12")
            page.get_by_label("How hard was the run?").select_option("hard")
            page.get_by_label("Where are you?").select_option("track")
            with page.expect_download() as downloading:
                page.get_by_role("button", name="Download for your watch").click()
            download = downloading.value
            assert download.suggested_filename == "afterrun-cooldown-12min.fit"
            data = Path(download.path()).read_bytes()
            assert page.locator("#player").is_hidden()
        finally:
            browser.close()
        shown = server.cli_json("plan", "-m", "12", "-i", "hard", "--place", "track", "--json")
        check_workout(Plan.from_json(shown), by_garmin(data))
        assert server.history() == []


def test_plan_fit_writes_nothing_while_a_warning_sign_holds_the_cool_down_back(
    cli: Cli, tmp_path: Path
) -> None:
    assert cli("checkin", "calves=3", "--flag", "calf-clot").exit_code == 0
    path = tmp_path / "cooldown.fit"
    result = cli(*plan_args(path))
    shown = cli("plan", "-m", "12", "-i", "hard", "--place", "gym")
    assert shown.exit_code == result.exit_code == 1
    assert (result.stdout, result.stderr) == (shown.stdout, shown.stderr)
    assert "calf" in result.stdout.lower()
    assert not path.exists()
