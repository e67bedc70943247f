"""Consent: an athlete chooses what each coach sees; every change counts at once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from afterrun.services.consent import sees_text, set_share, shares_of, sharing_with
from afterrun.store import Store
from afterrun.store.shares import Share
from club_helpers import WRITE, club_app, make_club, sign_in

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def club(db_url: str, tmp_path: Path) -> Iterator[tuple[TestClient, dict[str, int]]]:
    """The web app on a club of admin Ada, coaches Dana and Bo, and athlete Ana, who is
    signed in."""
    members = make_club(db_url, ("Ana", "athlete"), ("Dana", "coach"), ("Bo", "coach"), admin="Ada")
    ids = {name.lower(): athlete_id for name, athlete_id in members.items()}
    with TestClient(club_app(db_url, tmp_path), base_url="http://127.0.0.1") as client:
        assert sign_in(client, "Ana").status_code == 200
        yield client, ids


def test_an_athlete_lists_the_coaches_and_shares_nothing_at_first(club: Any) -> None:
    client, ids = club
    answer = client.get("/api/sharing")
    assert answer.status_code == 200
    assert answer.json()["coaches"] == [
        {
            "coach_id": ids["bo"],
            "name": "Bo",
            "load_and_runs": False,
            "adherence": False,
            "soreness_and_flags": False,
            "sees": "Coach Bo sees nothing of yours.",
        },
        {
            "coach_id": ids["dana"],
            "name": "Dana",
            "load_and_runs": False,
            "adherence": False,
            "soreness_and_flags": False,
            "sees": "Coach Dana sees nothing of yours.",
        },
    ]


def test_sharing_and_withdrawing_count_at_once(club: Any, db_url: str) -> None:
    client, ids = club
    put = client.put(
        f"/api/sharing/{ids['dana']}",
        json={"load_and_runs": True, "adherence": True},
        headers=WRITE,
    )
    assert put.status_code == 200
    assert put.json()["sees"] == "Coach Dana sees: load and runs, cool-down adherence."
    with Store.open(db_url) as store:
        [(athlete, share)] = sharing_with(store, ids["dana"])
        assert (athlete.name, share) == ("Ana", Share(True, True, False))
        assert sharing_with(store, ids["bo"]) == []
    off = client.put(f"/api/sharing/{ids['dana']}", json={}, headers=WRITE)
    assert off.json()["sees"] == "Coach Dana sees nothing of yours."
    with Store.open(db_url) as store:
        assert sharing_with(store, ids["dana"]) == []


def test_only_a_coach_can_be_shared_with(club: Any) -> None:
    client, ids = club
    for not_a_coach in (ids["ada"], ids["ana"], 999):
        answer = client.put(f"/api/sharing/{not_a_coach}", json={"adherence": True}, headers=WRITE)
        assert answer.status_code == 404
        assert answer.json() == {
            "error": f"There is no coach {not_a_coach} in this club: choose one from the list."
        }


def test_the_settings_page_has_a_labelled_switch_for_each_share(club: Any) -> None:
    client, ids = club
    page = client.get("/settings").text
    assert "What your coaches see" in page
    assert (
        f'<input id="share-{ids["dana"]}-adherence" name="adherence" type="checkbox" '
        'role="switch">' in page
    )
    assert f'<label for="share-{ids["dana"]}-adherence">Cool-down adherence</label>' in page


def test_a_personal_servers_settings_have_no_coaches_and_no_account_to_delete(
    web: TestClient,
) -> None:
    page = web.get("/settings")
    assert page.status_code == 200
    assert "<h2>Profile</h2>" in page.text
    for club_only in ("What your coaches see", "Coach ", "Delete your account", "Sign out"):
        assert club_only not in page.text, club_only


def test_a_coach_sees_who_shares_with_them_and_an_admin_is_no_coach(store: Store) -> None:
    ana = store.add_athlete("Ana", NOW)
    dana = store.add_athlete("Dana", NOW, role="coach")
    ada = store.add_athlete("Ada", NOW, role="admin")
    set_share(store, ana, dana, Share(soreness_and_flags=True), NOW)
    assert [a.name for a, _ in sharing_with(store, dana)] == ["Ana"]
    assert sharing_with(store, ada) == []
    assert [c.name for c in shares_of(store, ana)] == ["Dana"]
    assert sees_text("Dana", Share(True, False, True)) == (
        "Coach Dana sees: load and runs, soreness and warning signs."
    )
