"""Recovery advice: the numbers, their edges, and a source on every line."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from afterrun.cli.main import cli
from afterrun.cli.wording import error_text
from afterrun.core.advice import AdviceRequest, LoadState, recovery_timeline
from afterrun.core.errors import InvalidInput
from afterrun.core.evidence import TOPICS

END = datetime(2026, 11, 23, 8, 20, tzinfo=UTC)


def timeline(**changes: object) -> dict[str, str]:
    request = AdviceRequest(run_end=END, intensity_label="hard", **changes)  # type: ignore[arg-type]
    return {line.topic: line.text for line in recovery_timeline(request)}


def test_a_60_kg_runner_with_6_h_to_go_gets_grams_per_hour_and_protein() -> None:
    food = timeline(body_mass_kg=60, next_session_in=timedelta(hours=6))["food"]
    assert "60-72 g of carbohydrate per hour for the next 4 hours" in food
    assert "15-18 g of protein (0.25-0.3 g per kg)" in food


def test_1_2_kg_lost_gives_about_1_8_litres_spread_over_hours() -> None:
    fluids = timeline(weight_before_kg=61.2, weight_after_kg=60.0)["fluids"]
    assert "you lost 1.2 kg (2.0% of your weight)" in fluids
    assert "Drink about 1.8 L in all" in fluids
    assert "spread over the next few hours" in fluids


def test_without_weights_it_gives_thirst_and_urine_colour_guidance() -> None:
    fluids = timeline()["fluids"]
    assert fluids.startswith(
        "Fluids: drink to thirst, with your normal meals for the salt, and never more than you lost."
    )
    assert "first-morning measures" in fluids, "the checks' limits right after a run"
    assert "L " not in fluids, "no litre target without a measured loss"


def test_weight_gained_means_no_extra_drinking() -> None:
    fluids = timeline(weight_before_kg=60.0, weight_after_kg=60.4)["fluids"]
    assert fluids.startswith(
        "Fluids: you weighed 0.4 kg more after the run than before, so you drank more than you "
        "lost. Drink nothing extra for now"
    )
    assert "lower blood sodium" in fluids and "drank enough" not in fluids
    same = timeline(weight_before_kg=60.0, weight_after_kg=60.0)["fluids"]
    assert same.startswith("Fluids: your weight did not change")


def test_next_session_in_two_days_means_a_normal_meal() -> None:
    food = timeline(body_mass_kg=60, next_session_in=timedelta(days=2))["food"]
    assert "Food: your next hard session is 48 h away. No rush: eat a normal meal" in food
    assert "15-18 g of protein (0.25-0.3 g per kg)" in food
    assert "g of carbohydrate per hour" not in food


def test_without_a_weight_the_refuel_is_given_per_kg() -> None:
    food = timeline(next_session_in=timedelta(hours=3))["food"]
    assert "1-1.2 g of carbohydrate per kg of body weight per hour" in food


def test_every_line_has_a_source_and_red_flags_come_last() -> None:
    request = AdviceRequest(run_end=END, intensity_label="easy", load=LoadState(40, 50, 1.1))
    lines = recovery_timeline(request)
    assert all(line.sources for line in lines)
    assert [line.topic for line in lines] == [
        "cool-down",
        "fluids",
        "food",
        "load",
        "soreness",
        "soreness",
        "red-flags",
        "red-flags",
        "red-flags",
    ]
    assert "a model, not a measurement" in lines[3].text
    assert "not an injury forecast" in lines[3].text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"weight_before_kg": 61.0}, "give both --weight-before and --weight-after, or neither."),
        (
            {"weight_before_kg": 900.0, "weight_after_kg": 60.0},
            "--weight-before 900 is out of range: give your weight in kg (25-300).",
        ),
        (
            {"weight_before_kg": 80.0, "weight_after_kg": 60.0},
            "a change of 20 kg in one run is not plausible: check both weights.",
        ),
    ],
)
def test_implausible_weights_are_refused(changes: dict[str, float], message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        recovery_timeline(AdviceRequest(run_end=END, intensity_label="hard", **changes))  # type: ignore[arg-type]
    # The core names the inputs; the terminal names them as its options.
    assert error_text(caught.value) == message


def test_advice_from_the_cli_shows_sources_and_json(tmp_path: Path) -> None:
    env = {"AFTERRUN_DB": str(tmp_path / "a.db"), "AFTERRUN_CONFIG_DIR": str(tmp_path)}
    runner = CliRunner()
    runner.invoke(cli, ["profile", "set", "--weight", "60"], env=env)
    runner.invoke(
        cli,
        [
            "run",
            "add",
            "--distance",
            "10km",
            "--time",
            "50:00",
            "--rpe",
            "8",
            "--at",
            "2026-11-23 07:30+00:00",
        ],
        env=env,
    )
    result = runner.invoke(
        cli,
        [
            "advice",
            "--weight-before",
            "61.2",
            "--weight-after",
            "60",
            "--next-session-in",
            "6h",
            "--json",
        ],
        env=env,
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["run_end"] == "2026-11-23T08:20:00+00:00"
    for line in data["timeline"]:
        assert line["sources"]
    food = next(line for line in data["timeline"] if line["topic"] == "food")
    assert food["after_minutes"] == 15 and "60-72 g" in food["text"]
    text = runner.invoke(cli, ["advice"], env=env).stdout
    assert "(Burke et al. 2011; Sherman 1992; Jäger et al. 2017)" in " ".join(text.split())
    bad = runner.invoke(cli, ["advice", "--next-session-in", "soon"], env=env)
    assert (bad.exit_code, bad.stderr) == (
        2,
        "Error: --next-session-in 'soon' not understood: write it like 6h, 90m or 2d.\n",
    )


def test_advice_without_runs_says_how_to_add_one(tmp_path: Path) -> None:
    env = {"AFTERRUN_DB": str(tmp_path / "a.db")}
    result = CliRunner().invoke(cli, ["advice"], env=env)
    assert (result.exit_code, result.stderr) == (
        1,
        "Error: No run stored yet. Add one with 'afterrun run add' or 'afterrun import PATH'.\n",
    )


@pytest.mark.parametrize("topic", sorted(TOPICS))
def test_why_shows_each_topic_with_full_references(topic: str) -> None:
    result = CliRunner().invoke(cli, ["why", topic])
    assert result.exit_code == 0
    assert result.stdout.startswith(f"What the research says: {topic}\n")
    assert " 20" in result.stdout  # every finding lists a dated reference


def test_why_an_unknown_topic_lists_the_topics() -> None:
    result = CliRunner().invoke(cli, ["why", "ice-baths"])
    assert (result.exit_code, result.stderr) == (
        2,
        "Error: no topic 'ice-baths'. Choose from: cool-down, stretching, soreness, fluids, "
        "food, load, red-flags.\n",
    )


def test_why_without_a_topic_lists_them() -> None:
    result = CliRunner().invoke(cli, ["why"])
    assert (result.exit_code, result.stdout) == (
        0,
        "Topics: cool-down, stretching, soreness, fluids, food, load, red-flags. "
        "Show one with 'afterrun why TOPIC'.\n",
    )
