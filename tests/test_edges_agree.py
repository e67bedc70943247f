"""The command line and the web app give the same plan, advice and warning signs for the
same database: both edges call the same services."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from afterrun.web.settings import WebSettings
from conftest import WRITE, Cli


@pytest.fixture
def cli(web_settings: WebSettings) -> Cli:
    """The command line on the web app's database and exercise folder."""
    return Cli(
        {
            "AFTERRUN_DB": web_settings.db_url,
            "AFTERRUN_CONFIG_DIR": str(web_settings.config_dir),
            "AFTERRUN_DATA_DIR": str(web_settings.config_dir.parent / "data"),
        }
    )


def cli_json(cli: Cli, *args: str) -> Any:
    result = cli(*args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def fill(cli: Cli) -> None:
    """A hard run that ended an hour ago, sore calves and a warning sign that does not stop
    the cool-down: everything a plan, the advice and the red flags read."""
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1, minutes=50)
    added = cli(
        "run", "add", "--distance", "12km", "--time", "50:00", "--rpe", "9",
        "--at", start.isoformat(),
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    checked = cli("checkin", "calves=5", "--flag", "swelling")
    assert checked.exit_code == 0, checked.output


@pytest.mark.parametrize(
    ("query", "options"),
    [("minutes=12", ["-m", "12"]), ("minutes=20&place=gym", ["-m", "20", "--place", "gym"])],
)
def test_both_edges_give_the_same_plan(
    web: TestClient, cli: Cli, query: str, options: list[str]
) -> None:
    fill(cli)
    on_phone = web.get(f"/api/plan?{query}").json()
    in_terminal = cli_json(cli, "plan", *options, "--json")
    on_phone.pop("timeline")
    assert on_phone == in_terminal
    assert in_terminal["intensity"] == "hard"
    assert in_terminal["intensity_reason"].startswith("Sized for your latest run (")
    assert [flag["slug"] for flag in in_terminal["red_flags"]] == ["swelling"]
    # The sore calves are eased in both.
    assert any("calves" in cut["reason"] for cut in in_terminal["dropped"]) or any(
        "calves" in note for note in in_terminal["notes"]
    )


def test_both_edges_give_the_same_advice_and_red_flags(web: TestClient, cli: Cli) -> None:
    fill(cli)
    on_phone = web.get("/api/runs/1/advice?weight_before=61.2&weight_after=60").json()
    in_terminal = cli_json(
        cli, "advice", "1", "--weight-before", "61.2", "--weight-after", "60", "--json"
    )
    assert on_phone["timeline"] == in_terminal["timeline"]
    assert on_phone["intensity"] == in_terminal["intensity"] == "hard"
    assert on_phone["run"]["id"] == in_terminal["run"] == 1
    for key in ("red_flags", "cool_down_withheld", "withheld_reason", "seen_note"):
        assert on_phone[key] == in_terminal[key], key
    assert web.get("/api/safety").json() == {
        key: in_terminal[key]
        for key in ("red_flags", "cool_down_withheld", "withheld_reason", "seen_note")
    }
    assert web.get("/api/today").json() == web.get("/api/runs/1/advice").json()


def test_a_stop_sign_holds_the_plan_back_on_both_edges(web: TestClient, cli: Cli) -> None:
    fill(cli)
    stopped = cli("checkin", "--flag", "chest-pain")
    assert stopped.exit_code == 0, stopped.output
    in_terminal = cli("plan", "--json")
    assert in_terminal.exit_code != 0
    terminal = json.loads(in_terminal.stdout)
    on_phone = web.get("/api/plan").json()
    assert on_phone.pop("timeline") is None
    assert on_phone == terminal
    assert terminal["plan"] is None and terminal["cool_down_withheld"] is True
    refused = web.post("/api/sessions", json={"minutes": 10}, headers=WRITE)
    assert refused.status_code == 409
    assert refused.json() == {"error": terminal["withheld_reason"]}


def test_both_edges_refuse_a_birth_year_under_five_alike(web: TestClient, cli: Cli) -> None:
    year = datetime.now(UTC).year - 2
    message = f"{year} would make you under 5; give the year you were born."
    in_terminal = cli("profile", "set", "--birth-year", str(year))
    assert in_terminal.exit_code == 2
    assert in_terminal.stderr.endswith(f"Error: Invalid value for '--birth-year': {message}\n")
    on_phone = web.put("/api/profile", json={"birth_year": year}, headers=WRITE)
    assert (on_phone.status_code, on_phone.json()) == (422, {"error": message})
    assert web.get("/api/profile").json()["birth_year"] is None
