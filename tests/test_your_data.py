"""A club athlete's own data in and out: an `afterrun export` uploaded on the club server
comes back whole into their account (runs with streams, cool-downs, check-ins, profile),
twice is not doubled; they export only theirs; deleting the account takes everything of
theirs and nothing of anyone else's."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from activity_files import Leg, fit_file
from afterrun.store import Store
from afterrun.web.api_account import LAST_ADMIN, PERSONAL_REFUSED
from club_helpers import WRITE, club_app, make_club, session_cookie
from conftest import Cli
from test_remind_export import fill

TABLES = ("activities", "sessions", "checkins", "profile")
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def personal_export(tmp_path: Path) -> bytes:
    """What a runner brings from personal mode: a recorded run, a typed one, a ride, a
    cool-down, a check-in and a profile, as `afterrun export --out` writes them."""
    home = tmp_path / "personal"
    home.mkdir()
    cli = Cli(
        {
            "AFTERRUN_DB": str(home / "afterrun.db"),
            "AFTERRUN_CONFIG_DIR": str(home / "config"),
            "AFTERRUN_DATA_DIR": str(home / "data"),
        }
    )
    fill(cli)
    recorded = home / "recorded.fit"
    recorded.write_bytes(fit_file([Leg(seconds=900)]))
    assert cli("import", str(recorded)).exit_code == 0
    assert cli("checkin", "calves=3").exit_code == 0
    out = home / "afterrun.json"
    result = cli("export", "--out", str(out))
    assert result.exit_code == 0, result.output
    return out.read_bytes()


@pytest.fixture
def club(db_url: str, tmp_path: Path) -> Iterator[tuple[TestClient, int, int]]:
    """A club app (both backends) with two athletes, Ana and Ben, and its admin Ada."""
    ids = make_club(db_url, ("Ana", "athlete"), ("Ben", "athlete"), admin="Ada", now=NOW)
    app = club_app(db_url, tmp_path, data_dir=tmp_path / "data")
    with TestClient(app, base_url="http://127.0.0.1") as client:
        yield client, ids["Ana"], ids["Ben"]


def upload(client: TestClient, who: dict[str, str], name: str, data: bytes) -> dict[str, Any]:
    """Upload and, in a club on PostgreSQL, follow the background import to its end."""
    answer = client.post(
        "/api/imports", headers={**WRITE, **who}, files={"files": (name, data, "application/json")}
    )
    if answer.status_code == 200:
        summary: dict[str, Any] = answer.json()
        return summary
    assert answer.status_code == 202, answer.text
    job = answer.json()["job"]
    deadline = time.monotonic() + 120
    while job["status"] not in ("done", "failed") and time.monotonic() < deadline:
        time.sleep(0.2)
        job = client.get(f"/api/imports/{job['id']}", headers=who).json()
    assert job["status"] == "done", job
    done: dict[str, Any] = job["summary"]
    return done


#: What importing sets anew: where and when a run was stored, and its load, worked out
#: again from the profile the account had when the runs came in.
IMPORT_FIELDS = ("id", "source", "imported_at", "content_hash", "load")


def by_start(document: dict[str, Any]) -> dict[str, Any]:
    return {
        run["start"]: {key: value for key, value in run.items() if key not in IMPORT_FIELDS}
        for run in document["runs"]
    }


def test_an_export_uploaded_comes_back_whole_into_ones_own_account_once(
    club: tuple[TestClient, int, int], personal_export: bytes
) -> None:
    client, _, _ = club
    as_ana, as_ben = session_cookie(client, "Ana"), session_cookie(client, "Ben")
    first = upload(client, as_ana, "afterrun.json", personal_export)
    assert (first["imported"], first["failed"]) == (3, 0)
    restored = first["files"]["restored"][0]
    assert (restored["sessions"], restored["checkins"], restored["already_there"]) == (1, 2, 0)
    again = upload(client, as_ana, "afterrun.json", personal_export)
    assert (again["imported"], again["already_there"]) == (0, 1)  # the same file
    assert again["files"]["restored"][0]["already_there"] == 3

    original = json.loads(personal_export)
    theirs = client.get("/api/export", headers=as_ana)
    assert theirs.status_code == 200
    assert theirs.headers["content-disposition"].startswith('attachment; filename="afterrun-')
    back = theirs.json()
    assert by_start(back) == by_start(original)  # streams, names, ratings and notes
    assert any(run["heart_rate"] and run["speed"] for run in back["runs"])
    assert len(back["sessions"]) == len(original["sessions"]) == 1
    assert len(back["checkins"]) == len(original["checkins"]) == 2
    assert back["profile"] == original["profile"]

    bens = client.get("/api/export", headers=as_ben).json()
    assert (bens["runs"], bens["sessions"], bens["checkins"]) == ([], [], [])


def test_deleting_an_account_takes_all_of_it_and_nothing_else(
    club: tuple[TestClient, int, int], personal_export: bytes, db_url: str
) -> None:
    client, ana, ben = club
    as_ana, as_ben = session_cookie(client, "Ana"), session_cookie(client, "Ben")
    upload(client, as_ana, "afterrun.json", personal_export)
    upload(client, as_ben, "afterrun.json", personal_export)

    wrong = client.request(
        "DELETE", "/api/account", headers={**WRITE, **as_ana}, json={"confirm": "Ben"}
    )
    assert (wrong.status_code, wrong.json()) == (
        422,
        {"error": "Type your name, Ana, to confirm: nothing was deleted."},
    )
    everything = {"activities": 3, "sessions": 1, "checkins": 2, "profile": 1}
    assert rows(db_url, ana) == rows(db_url, ben) == everything
    gone = client.request(
        "DELETE", "/api/account", headers={**WRITE, **as_ana}, json={"confirm": " ana "}
    )
    assert (gone.status_code, gone.json()) == (200, {"deleted": "Ana"})
    assert 'afterrun_session=""' in gone.headers["set-cookie"]
    assert "Max-Age=0" in gone.headers["set-cookie"]
    assert rows(db_url, ana) == dict.fromkeys(TABLES, 0)
    assert rows(db_url, ben)["activities"] == 3
    with Store.open(db_url) as store:
        assert store.find_athlete("Ana") is None
        assert store.find_athlete("Ben") is not None


def rows(db_url: str, athlete_id: int) -> dict[str, int]:
    with Store.open(db_url) as store, store.engine.connect() as connection:
        return {
            table: connection.exec_driver_sql(
                f"SELECT count(*) FROM {table} WHERE athlete_id = {athlete_id}"  # noqa: S608
            ).scalar_one()
            for table in TABLES
        }


def test_a_personal_server_has_no_account_to_delete(web: TestClient) -> None:
    answer = web.request("DELETE", "/api/account", headers=WRITE, json={"confirm": "me"})
    assert (answer.status_code, answer.json()) == (422, {"error": PERSONAL_REFUSED})
    assert web.get("/api/health").status_code == 200


def test_the_clubs_only_admin_cannot_delete_their_account(
    club: tuple[TestClient, int, int], db_url: str
) -> None:
    client, _, _ = club
    as_ada = session_cookie(client, "Ada")
    refused = client.request(
        "DELETE", "/api/account", headers={**WRITE, **as_ada}, json={"confirm": "Ada"}
    )
    assert (refused.status_code, refused.json()) == (422, {"error": LAST_ADMIN})
    with Store.open(db_url) as store:
        store.add_athlete("Bo", NOW, role="admin")
    gone = client.request(
        "DELETE", "/api/account", headers={**WRITE, **as_ada}, json={"confirm": "Ada"}
    )
    assert gone.status_code == 200


def test_a_personal_server_has_no_background_import_to_follow(web: TestClient) -> None:
    assert web.get("/api/imports/1").json() == {
        "error": "No import 1: its page lists your imports."
    }
