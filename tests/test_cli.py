"""The command line as a runner meets it: exact messages and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from afterrun.cli.main import COMMANDS, load_command
from afterrun.cli.main import cli as afterrun_group
from conftest import Cli

USAGE_PLAN = "Usage: afterrun plan [OPTIONS]\nTry 'afterrun plan --help' for help.\n\n"


def test_exercises_json_lists_five_with_variants_dosage_position_equipment(
    cli: Cli,
) -> None:
    result = cli("exercises", "--json")
    assert result.exit_code == 0
    exercises = json.loads(result.stdout)
    assert [e["slug"] for e in exercises] == [
        "leg-swings",
        "calf-stretch",
        "hip-flexor-stretch",
        "hamstring-wall-stretch",
        "knee-to-chest",
    ]
    calf = exercises[1]
    assert calf["dosage"] == "hold 20-30 s, 2-3 times per side"
    assert calf["position"] == "standing"
    assert calf["equipment"] == ["wall"]
    assert [v["slug"] for v in calf["variants"]] == ["soleus", "short-holds"]
    assert exercises[0]["dosage"] == "10 per leg, 2-3 sets, front to back then side to side"


def test_plan_12_minutes_hard_at_home(cli: Cli) -> None:
    result = cli("plan", "--minutes", "12", "--intensity", "hard", "--place", "home", "--json")
    assert result.exit_code == 0
    plan = json.loads(result.stdout)
    assert plan["total_seconds"] <= 720
    assert plan["walk_minutes"] == 3
    assert plan["steps"][0] == {
        "index": 0,
        "exercise": "easy-walk",
        "name": "Easy walk or jog",
        "variant": None,
        "side": None,
        "kind": "walk",
        "seconds": 180,
        "text": "Walk or jog very easily: around the block, along the hallway or on the spot; "
        "you should be able to talk.",
    }
    assert plan["steps"][1]["kind"] == "transition"
    work = [s for s in plan["steps"] if s["kind"] in ("hold", "reps")]
    assert {s["exercise"] for s in work} == {
        "leg-swings",
        "calf-stretch",
        "hip-flexor-stretch",
        "hamstring-wall-stretch",
    }
    assert {s["seconds"] for s in work if s["kind"] == "hold"} == {20}
    positions = [e["position"] for e in plan["exercises"]]
    assert positions == sorted(positions, key=["standing", "kneeling", "lying"].index)
    for step in plan["steps"]:
        assert {"exercise", "variant", "side", "kind", "seconds"} <= set(step)
    for slug in {s["exercise"] for s in work}:
        right = [
            s.get("reps") or s["seconds"]
            for s in work
            if s["exercise"] == slug and s["side"] == "right"
        ]
        left = [
            s.get("reps") or s["seconds"]
            for s in work
            if s["exercise"] == slug and s["side"] == "left"
        ]
        assert right == left


def test_plan_4_minutes_drops_with_reasons(cli: Cli) -> None:
    result = cli("plan", "--minutes", "4", "--json")
    plan = json.loads(result.stdout)
    assert plan["total_seconds"] <= 240
    assert plan["dropped"]
    assert plan["dropped"][0] == {
        "exercise": "calf-stretch",
        "variant": None,
        "name": "Calf stretch at the wall",
        "action": "dropped",
        "reason": "no time left: needs 105 s even at the shortest dose, 32 s left",
    }


def test_plan_table_shows_what_was_left_out(cli: Cli) -> None:
    result = cli("plan", "-m", "10", "-i", "easy", "--place", "gym")
    assert result.exit_code == 0
    assert result.stdout == (
        "Cool-down after an easy run, at the gym (chair or stool, foam roller, mat, wall).\n"
        "\n"
        "#  Exercise                                        Position  Dose\n"
        "-  ----------------------------------------------  --------  -------------------\n"
        "1  Leg swings                                      standing  10 per leg x 2 sets\n"
        "2  Calf stretch at the wall                        standing  25 s x 2 per side\n"
        "3  Kneeling hip flexor stretch                     kneeling  25 s x 2 per side\n"
        "4  Hamstring stretch on the wall, other knee bent  lying     25 s x 2 per side\n"
        "\n"
        "Left out:\n"
        "  - Knee to chest hold: no time left: needs 105 s even at the shortest dose, 67 s left\n"
        "  - Soleus stretch (back knee bent): optional extra: no time left for it\n"
        "\n"
        "Takes 9:53 of your 10 min, switches and moves between exercises included.\n"
        "A few easy minutes after a hard run clear blood lactate faster; a longer cool-down or "
        "longer holds are for comfort and a gradual return, not faster recovery "
        "(Van Hooren & Peake 2018).\n"
    )


def test_plan_steps_after_a_hard_run_start_with_the_walk(cli: Cli) -> None:
    result = cli("plan", "-m", "12", "-i", "hard", "--steps")
    assert result.exit_code == 0
    assert result.stdout.startswith(
        "Cool-down after a hard run, at home (bed, chair or stool, doorway, mat, wall).\n"
        "\n"
        "#  Exercise                       Position  Dose\n"
        "-  -----------------------------  --------  -------------------\n"
        "1  Easy walk or jog               standing  3 min\n"
        "2  Leg swings                     standing  10 per leg x 2 sets\n"
        "3  Calf stretch at the wall       standing  20 s x 2 per side\n"
        "4  Kneeling hip flexor stretch    kneeling  20 s x 2 per side\n"
        "5  Hamstring stretch on the wall  lying     20 s x 2 per side\n"
        "\n"
        "At     Step        Exercise                       Side   For\n"
        "-----  ----------  -----------------------------  -----  -------\n"
        "0:00   walk        Easy walk or jog                      3 min\n"
        "3:00   transition  Leg swings (front-to-back)            10 s\n"
        "3:10   reps        Leg swings (front-to-back)     right  10 reps\n"
    )
    assert result.stdout.endswith(
        "Shortened:\n"
        "  - Calf stretch at the wall: 20 s x 2 per side instead of 25 s x 2 per side, to fit "
        "12 min\n"
        "  - Kneeling hip flexor stretch: 20 s x 2 per side instead of 25 s x 2 per side, to fit "
        "12 min\n"
        "  - Hamstring stretch on the wall: 20 s x 2 per side instead of 25 s x 2 per side, to "
        "fit 12 min\n"
        "\n"
        "Left out:\n"
        "  - Knee to chest hold: no time left: needs 105 s even at the shortest dose, 7 s left\n"
        "  - Soleus stretch (back knee bent): optional extra: no time left for it\n"
        "\n"
        "Takes 11:53 of your 12 min, switches and moves between exercises included.\n"
        "A few easy minutes after a hard run clear blood lactate faster; a longer cool-down or "
        "longer holds are for comfort and a gradual return, not faster recovery "
        "(Van Hooren & Peake 2018).\n"
    )


@pytest.mark.parametrize(
    ("intensity", "walk_minutes", "walk_cut"),
    [
        ("easy", 0, None),
        ("moderate", 0, None),
        ("hard", 3, None),
        (
            "very-hard",
            4,
            {
                "exercise": "easy-walk",
                "variant": None,
                "name": "Easy walk or jog",
                "action": "shortened",
                "reason": "4 min instead of 5 min: at most 40% of your 12 min goes to the walk",
            },
        ),
    ],
)
def test_plan_json_has_the_walk_after_hard_runs_only(
    cli: Cli, intensity: str, walk_minutes: int, walk_cut: dict[str, object] | None
) -> None:
    plan = json.loads(cli("plan", "-m", "12", "-i", intensity, "--json").stdout)
    assert plan["walk_minutes"] == walk_minutes
    walks = [step for step in plan["steps"] if step["kind"] == "walk"]
    if walk_minutes:
        assert walks == [plan["steps"][0]]
        assert walks[0]["seconds"] == walk_minutes * 60
    else:
        assert walks == []
        assert plan["steps"][0]["kind"] == "get-ready"
    cuts = [cut for cut in plan["dropped"] if cut["exercise"] == "easy-walk"]
    assert cuts == ([walk_cut] if walk_cut else [])
    assert len(plan["note_sources"]) == len(plan["notes"])
    assert plan["note_sources"][-1] == ["van-hooren-2018"]
    assert plan["notes"][-1].endswith("not faster recovery (Van Hooren & Peake 2018).")
    holds = {step["seconds"] for step in plan["steps"] if step["kind"] == "hold"}
    # The target is 25 s after every run; after a hard run, 12 min minus the walk fits
    # four exercises only at 20 s (and the very hard run's longer walk leaves room for three).
    assert holds == ({20} if intensity == "hard" else {25})


def test_plan_with_too_few_minutes_for_a_walk_says_why(cli: Cli) -> None:
    plan = json.loads(cli("plan", "-m", "2", "-i", "very-hard", "--json").stdout)
    assert plan["walk_minutes"] == 0
    assert plan["dropped"][0] == {
        "exercise": "easy-walk",
        "variant": None,
        "name": "Easy walk or jog",
        "action": "dropped",
        "reason": "no whole minute left for it: at most 40% of your 2 min goes to the walk",
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--minutes", "-3"],
            "Invalid value for '--minutes' / '-m': -3 is out of range: give 1 to 120 minutes.",
        ),
        (
            ["--minutes", "1000000000"],
            "Invalid value for '--minutes' / '-m': 1000000000 is out of range: give 1 to 120 minutes.",
        ),
        (
            ["--minutes", "ten"],
            "Invalid value for '--minutes' / '-m': 'ten' is not a whole number of minutes.",
        ),
        (
            ["--intensity", "brutal"],
            "Invalid value for '--intensity' / '-i': 'brutal' is not an intensity. Choose from: easy, moderate, hard, very-hard.",
        ),
        (
            ["--equipment", "wall,sofa"],
            "Invalid value for '--equipment': unknown equipment 'sofa'. Choose from: bed, chair, doorway, foam-roller, mat, wall.",
        ),
        (
            ["--focus", "elbows"],
            "Invalid value for '--focus': unknown body area 'elbows'. Choose from: calves, glutes, groin, hamstrings, hip-flexors, hips, lower-back, quads.",
        ),
        (
            ["--place", "beach"],
            "Invalid value for '--place': 'beach' is not one of 'gym', 'home', 'track'.",
        ),
    ],
)
def test_bad_plan_arguments_exit_2_with_usage(cli: Cli, args: list[str], message: str) -> None:
    result = cli("plan", *args)
    assert result.exit_code == 2
    assert result.stderr == f"{USAGE_PLAN}Error: {message}\n"
    assert result.stdout == ""


def test_unknown_exercise_exits_1_and_lists_known(cli: Cli) -> None:
    result = cli("exercises", "nope")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: No exercise 'nope'. Known: leg-swings, calf-stretch, hip-flexor-stretch, "
        "hamstring-wall-stretch, knee-to-chest.\n"
    )


def test_a_bad_user_exercise_file_exits_3_naming_file_entry_field(cli: Cli, tmp_path: Path) -> None:
    config = Path(cli.env["AFTERRUN_CONFIG_DIR"])
    config.mkdir()
    bad = config / "exercises.toml"
    bad.write_text('[[exercise]]\nslug = "Bad Slug"\n')
    result = cli("plan")
    assert result.exit_code == 3
    assert result.stderr == (
        f"Error: {bad}: exercise 'Bad Slug' (entry 1), field 'slug': "
        "String should match pattern '^[a-z0-9]+(-[a-z0-9]+)*$'.\n"
    )


def test_history_starts_empty(cli: Cli) -> None:
    result = cli("history")
    assert (result.exit_code, result.stdout) == (
        0,
        "No cool-downs yet. Start one with 'afterrun go'.\n",
    )
    assert json.loads(cli("history", "--json").stdout) == []


def test_an_unreachable_database_exits_4_without_the_password(cli: Cli) -> None:
    result = cli("--db", "postgresql://runner:s3cret@127.0.0.1:1/afterrun", "history")
    assert result.exit_code == 4
    assert result.stderr.startswith(
        "Error: Cannot open the database at postgresql+psycopg://runner:***@127.0.0.1:1/afterrun"
    )
    assert "s3cret" not in result.stderr
    assert result.stderr.count("\n") == 1


def test_go_with_no_time_for_anything_exits_2(cli: Cli) -> None:
    result = cli("go", "-m", "1")
    assert result.exit_code == 2
    assert result.stderr == "Error: Nothing fits in 1 min. Give more minutes with --minutes.\n"


def test_every_command_has_help() -> None:
    assert isinstance(afterrun_group, click.Group)
    for name in COMMANDS:
        command = load_command(name)
        assert command.name == name
        assert command.help, name
        result = CliRunner().invoke(afterrun_group, [name, "--help"], prog_name="afterrun")
        assert result.exit_code == 0
        assert result.stdout.startswith(f"Usage: afterrun {name}")


@pytest.mark.parametrize("args", [["--help"], ["plan", "--intensity", "hard"]])
def test_start_up_loads_no_heavy_library(args: list[str], cli: Cli) -> None:
    """`afterrun --help` and `afterrun plan` stay quick: no database, UI or parser libraries."""
    script = (
        "import sys\n"
        "from afterrun.cli.main import cli\n"
        f"try:\n    cli({args!r}, prog_name='afterrun')\nexcept SystemExit:\n    pass\n"
        "heavy = ('sqlalchemy', 'alembic', 'textual', 'rich', 'fitdecode', 'gpxpy', 'fastapi')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=cli.env, check=True
    )
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_an_exercise_in_full_shows_each_variant_with_its_steps(cli: Cli) -> None:
    cli.env["COLUMNS"] = "80"
    result = cli("exercises", "calf-stretch")
    assert result.exit_code == 0
    variants = result.stdout[result.stdout.index("Variant:") : result.stdout.index("The orig")]
    assert variants == (
        "Variant: Soleus stretch (back knee bent), an extra, after the main exercise when\n"
        "time allows.\n"
        "When you want to reach the soleus, the smaller muscle low in the calf, after the\n"
        "straight-leg stretch.\n"
        "1. Set up as for the calf stretch, hands on the wall.\n"
        "2. Bend the back knee a little while keeping that heel on the floor; the stretch\n"
        "   moves lower in the calf.\n"
        "3. Hold 20 to 30 seconds each side.\n"
        "\n"
        "Variant: Calf stretch, shorter holds, instead of the main exercise.\n"
        "When your calves are tight or sore: shorter holds (10-20 s, inside the usual\n"
        "10-30 s range) are fine.\n"
        "Dose: hold 10-20 s, 2-3 times per side (ACSM 2021).\n"
        "Steps as for the main exercise.\n"
        "\n"
    )


def test_every_variant_s_steps_are_shown_without_json(cli: Cli) -> None:
    cli.env["COLUMNS"] = "200"
    for exercise in json.loads(cli("exercises", "--json").stdout):
        text = cli("exercises", exercise["slug"]).stdout
        for variant in exercise["variants"]:
            assert f"Variant: {variant['name']}, " in text
            assert f"When {variant['when']}." in text
            for number, step in enumerate(variant["steps"], start=1):
                assert f"{number}. {step}\n" in text


@pytest.mark.parametrize(
    "command",
    [
        ("plan", "--steps", "-m", "30", "--place", "gym"),
        ("report",),
        ("exercises",),
        ("exercises", "knee-to-chest"),
        ("runs",),
        ("advice",),
        (),
    ],
)
def test_every_line_fits_an_80_column_terminal(cli: Cli, command: tuple[str, ...]) -> None:
    cli.env["COLUMNS"] = "80"
    for args in (
        ("run", "add", "--distance", "10km", "--time", "50:00", "--rpe", "8"),
        ("checkin", "calves=3", "hamstrings=2"),
    ):
        assert cli(*args).exit_code == 0
    result = cli(*command)
    assert result.exit_code == 0, result.output
    assert max(len(line) for line in result.stdout.splitlines()) <= 80


def test_the_report_table_folds_its_headers_at_80_columns_and_not_when_wider(cli: Cli) -> None:
    cli.env["COLUMNS"] = "80"
    lines = cli("report").stdout.splitlines()
    assert lines[1:5] == [
        "time; * in progress)",
        "",
        "Week      From   Runs Hard Cooled    Steps     Skipped Load Fatigue Fitness Form",
        "                           down      done",
    ]
    cli.env["COLUMNS"] = "120"
    wide = cli("report").stdout.splitlines()
    assert wide[2] == (
        "Week       From    Runs  Hard  Cooled down  Steps done  Skipped  Load  Fatigue  "
        "Fitness  Form"
    )


def first_hold_texts(cli: Cli, *args: str) -> dict[tuple[str, str | None, str], str]:
    """(exercise, variant, side) -> the text of its first hold or set on that side."""
    plan = json.loads(cli("plan", "--json", *args).stdout)
    texts: dict[tuple[str, str | None, str], str] = {}
    for step in plan["steps"]:
        if step["kind"] in ("hold", "reps"):
            texts.setdefault((step["exercise"], step["variant"], step["side"]), step["text"])
    return texts


def test_each_side_s_step_says_which_leg_and_keeps_every_setup_step(cli: Cli) -> None:
    home = first_hold_texts(cli, "-m", "30", "--place", "home")
    gym = first_hold_texts(cli, "-m", "30", "--place", "gym")
    assert home[("calf-stretch", None, "right")] == (
        "Right leg back, left foot forward. Step one leg well back and bend the front knee, "
        "leaning your weight towards the wall. Press the back heel into the floor."
    )
    assert home[("calf-stretch", None, "left")].startswith("Left leg back, right foot forward. ")
    assert home[("hip-flexor-stretch", None, "right")].startswith(
        "Right knee down, left foot forward. "
    )
    assert home[("knee-to-chest", None, "left")].startswith("Left knee to your chest. ")
    assert home[("leg-swings", "front-to-back", "right")].startswith("Swing the right leg. ")
    assert home[("leg-swings", "side-to-side", "left")].startswith("Swing the left leg. ")
    assert home[("hamstring-wall-stretch", None, "right")] == (
        "Right leg up the wall. Put one leg straight up the wall beside the frame and shuffle "
        "your bottom as close to the wall as is comfortable. Let the other leg lie flat on the "
        "floor through the doorway."
    )
    assert gym[("hamstring-wall-stretch", "other-leg-bent", "left")] == (
        "Left leg up the wall, right knee bent. Put one leg straight up the wall. Bend the other "
        "knee and set that foot flat on the floor."
    )
    assert gym[("knee-to-chest", "foam-roller-glutes", "right")] == (
        "Right ankle on the left knee, on your right buttock. Cross one ankle over the other "
        "knee and lean towards that buttock. Roll slowly over the glute for 20 to 30 seconds, "
        "then change sides."
    )
    every = {**home, **gym}
    for (exercise, variant, side), text in every.items():
        assert text.lower().startswith(side) or text.startswith(f"Swing the {side} leg"), (
            exercise,
            variant,
            text,
        )


def test_prose_and_warning_signs_fold_to_an_80_column_terminal(cli: Cli) -> None:
    cli.env["COLUMNS"] = "80"
    assert cli("run", "add", "--distance", "10km", "--time", "50:00", "--rpe", "7").exit_code == 0
    assert cli("checkin", "calves=2", "--flag", "swelling").exit_code == 0
    for args in ([], ["plan", "--steps"], ["advice"], ["why", "stretching"], ["checkin"]):
        result = cli(*args, "calves=1") if args == ["checkin"] else cli(*args)
        assert result.exit_code == 0, (args, result.output)
        assert [line for line in result.output.splitlines() if len(line) > 80] == [], args
    assert cli().output.startswith(
        "SEE A CLINICIAN SOON: swelling or bruising where it hurts points to a strain or\n"
        "sprain; if it is one calf and it is also warm and painful, that is a possible\n"
        "clot: get same-day care. Stop running and see a doctor or physiotherapist in the\n"
        "next few days. (NHS; NICE 2020) (reported in a recent check-in)\n\n"
    )


def test_an_area_both_focused_on_and_avoided_is_named_once(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("plan", "--focus", "calves,hips,calves", "--avoid", "calves,hips")
    assert result.exit_code == 2
    assert result.output == (
        "Error: --focus and --avoid both name calves, hips: put an area first or leave it out, "
        "not both.\n"
    )
