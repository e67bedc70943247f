"""In a club, one member's session reaches only their own data, through every route.

Every route of the app (the OpenAPI document and every page) is called:
(a) without a session, where only signing in, invitation links, the health check and
    static files answer; everything else is 401 (API, writes) or 303 to /signin (pages);
(b) with Ava's session against Ben's ids (his run, his session), which must answer 404
    and change nothing, and on lists, reports and pages, whose answers must hold none of
    Ben's markers while holding Ava's own;
(c) and the set of routes the test knows how to call must be the app's, so a new route
    fails here until it is added to CALLS.
On SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from starlette.routing import Mount

from activity_files import EASY_RUN, fit_file
from afterrun.store import Store
from club_helpers import WRITE, club_app, make_club, sign_in

RUN_FIT = fit_file([EASY_RUN])
AVA_MARKER = "AVAOWNHILLS"
BEN_MARKERS = ("BENSECRETRUN", "BENSECRETNOTE", "BENSECRETCLEAR")

#: What answers without a session.
OPEN = {
    ("GET", "/signin"),
    ("POST", "/api/signin"),
    ("GET", "/invite/{token}"),
    ("POST", "/api/invitations/{token}"),
    ("GET", "/api/health"),
    ("GET", "/offline"),
    ("GET", "/static/report.css"),
    ("GET", "/static"),
    ("GET", "/sw.js"),
    ("GET", "/manifest.webmanifest"),
}


@dataclass
class Ids:
    """Ben's ids, which Ava's session tries, and an exercise any member may read."""

    run: int = 0
    session: int = 0
    slug: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Call:
    """How to call one route: the path with Ben's ids filled in, and the request's body.
    `theirs` routes name Ben's ids: with Ava's session they must answer 404."""

    path: Callable[[Ids], str]
    body: Callable[[Ids], dict[str, Any]] = lambda _ids: {}
    theirs: bool = False


def _progress(_ids: Ids) -> dict[str, Any]:
    return {"json": {"events": [{"at_ms": 1000, "action": "quit"}], "until_ms": 2000}}


CALLS: dict[tuple[str, str], Call] = {
    ("GET", "/openapi.json"): Call(lambda _: "/openapi.json"),
    ("GET", "/api/health"): Call(lambda _: "/api/health"),
    ("GET", "/api/exercises"): Call(lambda _: "/api/exercises"),
    ("GET", "/api/exercises/{slug}"): Call(lambda ids: f"/api/exercises/{ids.slug}"),
    ("GET", "/api/exercises/{slug}/illustration.svg"): Call(
        lambda ids: f"/api/exercises/{ids.slug}/illustration.svg"
    ),
    ("GET", "/api/plan"): Call(lambda _: "/api/plan?minutes=10"),
    ("GET", "/api/plan.fit"): Call(lambda _: "/api/plan.fit?minutes=10"),
    ("POST", "/api/sessions"): Call(
        lambda _: "/api/sessions", lambda _: {"json": {"minutes": 10, "place": "home"}}
    ),
    ("GET", "/api/sessions"): Call(lambda _: "/api/sessions"),
    ("GET", "/api/sessions/{session_id}"): Call(
        lambda ids: f"/api/sessions/{ids.session}", theirs=True
    ),
    ("PUT", "/api/sessions/{session_id}/progress"): Call(
        lambda ids: f"/api/sessions/{ids.session}/progress", _progress, theirs=True
    ),
    ("GET", "/api/today"): Call(lambda _: "/api/today"),
    ("GET", "/api/today/version"): Call(lambda _: "/api/today/version"),
    ("GET", "/api/sessions/{session_id}/cues.wav"): Call(
        lambda ids: f"/api/sessions/{ids.session}/cues.wav", theirs=True
    ),
    ("GET", "/api/runs"): Call(lambda _: "/api/runs?all_sports=true"),
    ("GET", "/api/runs/{run_id}"): Call(lambda ids: f"/api/runs/{ids.run}", theirs=True),
    ("PATCH", "/api/runs/{run_id}"): Call(
        lambda ids: f"/api/runs/{ids.run}", lambda _: {"json": {"name": "taken"}}, theirs=True
    ),
    ("GET", "/api/runs/{run_id}/advice"): Call(
        lambda ids: f"/api/runs/{ids.run}/advice", theirs=True
    ),
    ("PUT", "/api/runs/{run_id}/rating"): Call(
        lambda ids: f"/api/runs/{ids.run}/rating", lambda _: {"json": {"rpe": 9}}, theirs=True
    ),
    ("POST", "/api/imports"): Call(
        lambda _: "/api/imports", lambda _: {"files": [("files", ("again.fit", RUN_FIT))]}
    ),
    ("POST", "/api/checkins"): Call(
        lambda _: "/api/checkins",
        lambda ids: {"json": {"ratings": {"calves": 2}, "run_id": ids.run}},
        theirs=True,
    ),
    ("GET", "/api/safety"): Call(lambda _: "/api/safety"),
    ("POST", "/api/clearances"): Call(
        lambda _: "/api/clearances", lambda _: {"json": {"note": "seen"}}
    ),
    ("GET", "/api/report"): Call(lambda _: "/api/report"),
    ("GET", "/api/profile"): Call(lambda _: "/api/profile"),
    ("PUT", "/api/profile"): Call(lambda _: "/api/profile", lambda _: {"json": {"hr_max": 181}}),
    ("GET", "/"): Call(lambda _: "/"),
    ("GET", "/play"): Call(lambda _: "/play"),
    ("GET", "/runs"): Call(lambda _: "/runs"),
    ("GET", "/runs/{run_id}"): Call(lambda ids: f"/runs/{ids.run}", theirs=True),
    ("GET", "/checkin"): Call(lambda _: "/checkin"),
    ("GET", "/report"): Call(lambda _: "/report"),
    ("GET", "/settings"): Call(lambda _: "/settings"),
    ("GET", "/offline"): Call(lambda _: "/offline"),
    ("GET", "/static/report.css"): Call(lambda _: "/static/report.css"),
    ("GET", "/static"): Call(lambda _: "/static/app.css"),
    ("GET", "/sw.js"): Call(lambda _: "/sw.js"),
    ("GET", "/manifest.webmanifest"): Call(lambda _: "/manifest.webmanifest"),
    ("GET", "/signin"): Call(lambda _: "/signin"),
    # Signing in as Ben needs Ben's password, whoever is signed in.
    ("POST", "/api/signin"): Call(
        lambda _: "/api/signin", lambda _: {"json": {"name": "Ben", "password": "a wrong guess!"}}
    ),
    ("GET", "/invite/{token}"): Call(lambda _: "/invite/not-a-link"),
    ("POST", "/api/invitations/{token}"): Call(
        lambda _: "/api/invitations/not-a-link",
        lambda _: {"json": {"password": "a new long password"}},
    ),
    ("POST", "/api/signout"): Call(lambda _: "/api/signout"),
}


def routes(app: Any) -> set[tuple[str, str]]:
    """Every (method, path) the app answers: its OpenAPI document and every route."""
    found = {
        (method.upper(), path)
        for path, operations in app.openapi()["paths"].items()
        for method in operations
    }
    for context in iter_route_contexts(app.routes):
        if isinstance(context.original_route, Mount):
            found.add(("GET", context.original_route.path))
            continue
        found.update((method, context.path) for method in context.methods or () if method != "HEAD")
    return found


def call(client: TestClient, method: str, template: str, ids: Ids) -> Any:
    how = CALLS[(method, template)]
    headers = WRITE if method != "GET" else {}
    return client.request(method, how.path(ids), headers=headers, **how.body(ids))


@pytest.fixture
def club(db_url: str, tmp_path: Path) -> Iterator[tuple[Any, dict[str, int]]]:
    ids = make_club(db_url, ("Ava", "athlete"), ("Ben", "athlete"))
    yield club_app(db_url, tmp_path), ids


def _client(app: Any, name: str | None) -> TestClient:
    client = TestClient(app, base_url="http://127.0.0.1", follow_redirects=False)
    if name is not None:
        assert sign_in(client, name).status_code == 200
    return client


def _fill(
    client: TestClient, run_name: str, note: str, clearance: str, hr_max: int, flags: list[str]
) -> Ids:
    """A run with its name and rating, a played cool-down, a clearance, then a check-in
    (with red flags when given) and a profile: everything a member keeps."""
    upload = client.post("/api/imports", files=[("files", ("run.fit", RUN_FIT))], headers=WRITE)
    assert upload.status_code == 200, upload.text
    run = upload.json()["files"]["imported"][0]["id"]
    named = client.patch(f"/api/runs/{run}", json={"name": run_name}, headers=WRITE)
    assert named.status_code == 200, named.text
    assert client.put(f"/api/runs/{run}/rating", json={"rpe": 4}, headers=WRITE).status_code == 200
    started = client.post("/api/sessions", json={"minutes": 10, "place": "home"}, headers=WRITE)
    assert started.status_code == 201, started.text
    session = started.json()["id"]
    log = {"events": [{"at_ms": 30_000, "action": "skip"}], "until_ms": 90_000}
    played = client.put(f"/api/sessions/{session}/progress", json=log, headers=WRITE)
    assert played.status_code == 200, played.text
    cleared = client.post("/api/clearances", json={"note": clearance}, headers=WRITE)
    assert cleared.status_code == 201
    checkin = {"ratings": {"calves": 5}, "red_flags": flags, "run_id": run, "note": note}
    assert client.post("/api/checkins", json=checkin, headers=WRITE).status_code == 201
    assert client.put("/api/profile", json={"hr_max": hr_max}, headers=WRITE).status_code == 200
    return Ids(run, session)


def _bens_data(ben: TestClient, ids: Ids) -> dict[str, Any]:
    return {
        "run": ben.get(f"/api/runs/{ids.run}").json(),
        "session": ben.get(f"/api/sessions/{ids.session}").json(),
        "runs": ben.get("/api/runs?all_sports=true").json(),
        "sessions": ben.get("/api/sessions").json(),
        "profile": ben.get("/api/profile").json(),
        "safety": ben.get("/api/safety").json(),
    }


def test_every_route_is_known_to_this_test(club) -> None:
    app, _ = club
    found = routes(app)
    assert found - set(CALLS) == set(), "new routes: add them to CALLS in this test"
    assert set(CALLS) - found == set(), "routes gone: remove them from CALLS"


def test_without_a_session_only_the_open_routes_answer(club) -> None:
    app, _ = club
    ids = Ids(run=1, session=1, slug="calf-stretch")
    with _client(app, None) as nobody:
        for method, template in sorted(CALLS):
            answer = call(nobody, method, template, ids)
            where = f"{method} {template}: {answer.status_code} {answer.text[:100]}"
            if (method, template) in OPEN:
                assert answer.status_code != 303, where
                assert "Sign in first" not in answer.text, where
            elif method == "GET" and not template.startswith(("/api", "/openapi")):
                assert answer.status_code == 303, where
                assert answer.headers["location"] == "/signin", where
            else:
                assert answer.status_code == 401, where
                assert answer.json()["error"].startswith("Sign in first"), where


def test_one_members_session_never_reaches_anothers_data(club, db_url) -> None:
    app, members = club
    with _client(app, "Ava") as ava, _client(app, "Ben") as ben:
        _fill(ava, AVA_MARKER, "ava note", "ava clearance", 183, [])
        ids = _fill(ben, *BEN_MARKERS, 197, ["fainting"])
        ids.slug = ava.get("/api/exercises").json()[0]["slug"]
        before = _bens_data(ben, ids)
        assert BEN_MARKERS[0] in str(before["runs"])  # the marker is there to be seen
        assert before["safety"]["red_flags"], "Ben's red flag shows for Ben"
        assert ava.get("/api/safety").json()["red_flags"] == []  # and for Ben only

        # Sign-out last: it ends Ava's session.
        order = sorted(CALLS, key=lambda key: key == ("POST", "/api/signout"))
        for method, template in order:
            how = CALLS[(method, template)]
            answer = call(ava, method, template, ids)
            where = f"{method} {template}: {answer.status_code} {answer.text[:200]}"
            assert answer.status_code < 500, where
            assert "Sign in first" not in answer.text, where  # Ava is still signed in
            for marker in BEN_MARKERS:
                assert marker not in answer.text, where
            if how.theirs:
                assert answer.status_code == 404, where

        after = _bens_data(ben, ids)
        assert after == before, "nothing of Ben's changed"
        assert ava.get("/api/runs").status_code == 401  # signed out by the last call

    with Store.open(db_url) as store:
        ava_store = store.for_athlete(members["Ava"])
        ben_store = store.for_athlete(members["Ben"])
        assert [stored.activity.name for stored in ben_store.list_activities()] == [BEN_MARKERS[0]]
        assert [checkin.checkin.note for checkin in ben_store.list_checkins()] == [BEN_MARKERS[1]]
        assert ben_store.get_profile().hr_max == 197
        assert ava_store.get_profile().hr_max == 181
        assert all(BEN_MARKERS[0] != stored.activity.name for stored in ava_store.list_activities())


def test_lists_and_pages_hold_the_members_own_data(club) -> None:
    app, _ = club
    with _client(app, "Ava") as ava, _client(app, "Ben") as ben:
        _fill(ava, AVA_MARKER, "ava note", "ava clearance", 183, [])
        _fill(ben, *BEN_MARKERS, 197, ["fainting"])
        for path in ("/api/runs", "/api/today", "/runs", "/"):
            mine = ava.get(path).text
            assert AVA_MARKER in mine, path
            assert BEN_MARKERS[0] not in mine, path
            theirs = ben.get(path).text
            assert BEN_MARKERS[0] in theirs, path
            assert AVA_MARKER not in theirs, path
