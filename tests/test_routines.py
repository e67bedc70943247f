"""Squad routines: a coach's club exercises and planning defaults, used by the plans of
the athletes who share with the coach (their own options win)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from afterrun.services.consent import set_share
from afterrun.store import Store
from afterrun.store.shares import Share
from club_helpers import WRITE, club_app, make_club, sign_in

NOW = datetime(2026, 3, 6, 18, 0, tzinfo=UTC)
WALL_SIT = """
[[exercise]]
slug = "club-wall-sit"
name = "Club wall sit"
kind = "hold"
areas = ["quads"]
muscles = ["quadriceps"]
purpose = "Quiet work for the thighs."
position = "standing"
equipment = ["wall"]
steps = ["Slide down the wall.", "Hold."]
safety = "Stop if it hurts."
[exercise.dose]
hold_seconds = [20, 30]
holds_per_side = [1, 2]
"""


@dataclass
class Club:
    client: TestClient
    ids: dict[str, int]

    def sign_in(self, name: str) -> None:
        """From now on the client is `name`'s, signed in with their password."""
        answer = sign_in(self.client, name)
        assert answer.status_code == 200, answer.text


@pytest.fixture
def club(db_url: str, tmp_path: Path) -> Iterator[Club]:
    """Coach Dana, athletes Ana (sharing her cool-downs with Dana) and Bo, admin Ada."""
    members = make_club(
        db_url, ("Dana", "coach"), ("Ana", "athlete"), ("Bo", "athlete"), admin="Ada", now=NOW
    )
    ids = {name.lower(): athlete_id for name, athlete_id in members.items()}
    with Store.open(db_url) as store:
        set_share(store, ids["ana"], ids["dana"], Share(adherence=True), NOW)
    app = club_app(db_url, tmp_path, clock=lambda: NOW)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        yield Club(client, ids)


def upload(club: Club, text: str, name: str = "squad.toml") -> Any:
    files = {"file": (name, text.encode(), "text/plain")}
    return club.client.put("/api/routines/exercises", files=files, headers=WRITE)


def test_a_bad_exercise_file_is_refused_naming_file_entry_and_field(club: Club) -> None:
    club.sign_in("Dana")
    bad = WALL_SIT.replace("hold_seconds = [20, 30]", "hold_seconds = [-5, 30]")
    answer = upload(club, bad)
    assert answer.status_code == 422
    assert answer.json() == {
        "error": "squad.toml: exercise 'club-wall-sit' (entry 1), field 'dose': Value error, "
        "hold_seconds must be [low, high] with 0 < low <= high, not [-5, 30]."
    }
    taken = upload(club, WALL_SIT.replace('"club-wall-sit"', '"calf-stretch"'), "mine.toml")
    assert taken.json() == {
        "error": "mine.toml: exercise 'calf-stretch', field 'slug': already defined in the "
        "catalogue. Choose another slug."
    }
    assert club.client.get("/api/routines").json() == {"routine": None}, "nothing was saved"


def test_only_a_coach_has_a_routine(club: Club) -> None:
    club.sign_in("Ana")
    answer = club.client.put("/api/routines", json={"name": "Mine"}, headers=WRITE)
    assert answer.status_code == 403
    assert answer.json() == {
        "error": "Only a coach has a squad routine: sign in as the club's coach."
    }


def test_an_athletes_plan_uses_the_routine_and_their_own_options_win(club: Club) -> None:
    club.sign_in("Dana")
    saved = club.client.put(
        "/api/routines",
        json={"name": "Thursday squad", "minutes": 20, "focus": ["quads"]},
        headers=WRITE,
    )
    assert saved.status_code == 200, saved.text
    assert upload(club, WALL_SIT).json()["routine"] == {
        "coach": "Dana",
        "name": "Thursday squad",
        "exercises": ["club-wall-sit"],
        "defaults": {
            "minutes": 20,
            "place": None,
            "equipment": None,
            "focus": ["quads"],
            "avoid": None,
        },
    }
    club.sign_in("Ana")
    plan = club.client.get("/api/plan").json()
    assert plan["minutes"] == 20
    assert "club-wall-sit" in [e["exercise"] for e in plan["exercises"]]
    assert plan["notes"][-1] == "Routine from coach Dana: Thursday squad."
    own = club.client.get("/api/plan", params={"minutes": 8}).json()
    assert own["minutes"] == 8, "the runner's own minutes win"
    assert "Routine from coach Dana: Thursday squad." in club.client.get("/play").text
    club.sign_in("Bo")
    theirs = club.client.get("/api/plan").json()
    assert theirs["minutes"] == 15, "Bo shares nothing with Dana: no routine"
    assert "club-wall-sit" not in [e["exercise"] for e in theirs["exercises"]]
