"""In a club, one member's session reaches only their own data, through every route.

Every route of the app (the OpenAPI document and every page) is called:
(a) without a session, where only signing in, invitation links, the health check and
    static files answer; everything else is 401 (API, writes) or 303 to /signin (pages);
(b) with Ava's (an athlete's) and Ana's (the admin's) sessions against Ben's ids (his run,
    his cool-down, his import, his account), which must answer 404 and change nothing; on
    lists, reports, exports and pages, whose answers must hold none of Ben's markers; the
    coach's routes answer 403 to both;
(c) with coach Dana's session, who sees each athlete exactly as far as they share;
(d) and the set of routes the test knows how to call must be the app's, so a new route
    fails here until it is added to CALLS.
On SQLite and PostgreSQL (where a club imports in the background: uploads are followed
to their end).
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from starlette.routing import Mount

from activity_files import EASY_RUN, T0, Leg, fit_file
from afterrun.core.red_flags import BY_SLUG
from afterrun.store import Store
from club_helpers import WRITE, club_app, make_club, sign_in

RUN_FIT = fit_file([EASY_RUN])
#: A run of its own, uploaded by whoever tries every route.
OTHER_FIT = fit_file([Leg(start=T0 + timedelta(days=2), seconds=1500)])
AVA_MARKER = "AVAOWNHILLS"
BEN_MARKERS = ("BENSECRETRUN", "BENSECRETNOTE", "BENSECRETCLEAR")
BEN_FLAG = BY_SLUG["fainting"].name
SESSION_COOKIE = "afterrun_session"
IMPORT_SECONDS = 120

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
    """Ben's ids, which another session tries, the coach's, and an exercise any member
    may read."""

    run: int = 0
    session: int = 0
    #: Ben's background import (PostgreSQL); elsewhere no import has an id.
    job: int = 1
    ben: int = 0
    coach: int = 0
    slug: str = ""


@dataclass(frozen=True)
class Call:
    """How to call one route: the path with Ben's ids filled in, and the request's body.
    `theirs` routes name Ben's ids: with another's session they must answer 404.
    `coaches` routes are the coach's: anyone else gets 403."""

    path: Callable[[Ids], str]
    body: Callable[[Ids], dict[str, Any]] = lambda _ids: {}
    theirs: bool = False
    coaches: bool = False


def _progress(_ids: Ids) -> dict[str, Any]:
    return {"json": {"events": [{"at_ms": 1000, "action": "quit"}], "until_ms": 2000}}


CLUB_EXERCISES = b"""[[exercise]]
slug = "club-hip-circles"
name = "Club hip circles"
"""

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
        lambda _: "/api/imports", lambda _: {"files": [("files", ("mine.fit", OTHER_FIT))]}
    ),
    ("GET", "/api/imports/{job_id}"): Call(lambda ids: f"/api/imports/{ids.job}", theirs=True),
    ("GET", "/api/export"): Call(lambda _: "/api/export"),
    # Typing Ben's name deletes nothing: the account deleted is always one's own.
    ("DELETE", "/api/account"): Call(
        lambda _: "/api/account", lambda _: {"json": {"confirm": "Ben"}}
    ),
    ("GET", "/api/sharing"): Call(lambda _: "/api/sharing"),
    # Ben is no coach: nobody shares with him, and a share is always one's own.
    ("PUT", "/api/sharing/{coach_id}"): Call(
        lambda ids: f"/api/sharing/{ids.ben}",
        lambda _: {"json": {"load_and_runs": True}},
        theirs=True,
    ),
    ("GET", "/api/routines"): Call(lambda _: "/api/routines", coaches=True),
    ("PUT", "/api/routines"): Call(
        lambda _: "/api/routines",
        lambda _: {"json": {"name": "Taken", "minutes": 10}},
        coaches=True,
    ),
    ("PUT", "/api/routines/exercises"): Call(
        lambda _: "/api/routines/exercises",
        lambda _: {"files": [("file", ("club.toml", CLUB_EXERCISES))]},
        coaches=True,
    ),
    ("GET", "/coach"): Call(lambda _: "/coach", coaches=True),
    ("GET", "/coach/roster.csv"): Call(lambda _: "/coach/roster.csv", coaches=True),
    ("GET", "/coach/athletes/{athlete_id}"): Call(
        lambda ids: f"/coach/athletes/{ids.ben}", coaches=True
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


class Member:
    """One member's session on the club's one client (whose lifespan runs the import
    worker): every request carries this member's cookie and only it."""

    def __init__(self, client: TestClient, name: str | None) -> None:
        self.client = client
        self.cookie = ""
        if name is not None:
            signed = sign_in(client, name)
            assert signed.status_code == 200, signed.text
            self.cookie = signed.cookies[SESSION_COOKIE]
            client.cookies.clear()

    def request(self, method: str, url: str, **kwargs: Any) -> Any:
        headers = dict(kwargs.pop("headers", None) or {})
        if method != "GET":
            headers.update(WRITE)
        if self.cookie:
            headers["Cookie"] = f"{SESSION_COOKIE}={self.cookie}"
        try:
            return self.client.request(method, url, headers=headers, **kwargs)
        finally:
            self.client.cookies.clear()

    def get(self, url: str) -> Any:
        return self.request("GET", url)


def call(member: Member, method: str, template: str, ids: Ids) -> Any:
    how = CALLS[(method, template)]
    return member.request(method, how.path(ids), **how.body(ids))


@dataclass
class Club:
    app: Any
    client: TestClient
    ids: dict[str, int]

    def member(self, name: str | None) -> Member:
        return Member(self.client, name)


@pytest.fixture
def club(db_url: str, tmp_path: Path) -> Iterator[Club]:
    ids = make_club(db_url, ("Ava", "athlete"), ("Ben", "athlete"), ("Dana", "coach"))
    app = club_app(db_url, tmp_path)
    with TestClient(app, base_url="http://127.0.0.1", follow_redirects=False) as client:
        yield Club(app, client, ids)


def follow(member: Member, answer: Any) -> tuple[dict[str, Any], int]:
    """An upload's summary, and its job's id when it was imported in the background
    (followed to its end), else 1, which is no job's."""
    if answer.status_code == 200:
        summary: dict[str, Any] = answer.json()
        return summary, 1
    assert answer.status_code == 202, answer.text
    job = answer.json()["job"]
    deadline = time.monotonic() + IMPORT_SECONDS
    while job["status"] not in ("done", "failed") and time.monotonic() < deadline:
        time.sleep(0.2)
        followed = member.get(f"/api/imports/{job['id']}")
        assert followed.status_code == 200, followed.text
        job = followed.json()
    assert job["status"] == "done", job
    done: dict[str, Any] = job["summary"]
    return done, job["id"]


def _fill(
    member: Member, run_name: str, note: str, clearance: str, hr_max: int, flags: list[str]
) -> Ids:
    """A run with its name and rating, a played cool-down, a clearance, then a check-in
    (with red flags when given) and a profile: everything a member keeps."""
    upload = member.request("POST", "/api/imports", files=[("files", ("run.fit", RUN_FIT))])
    summary, job = follow(member, upload)
    run = summary["files"]["imported"][0]["id"]
    named = member.request("PATCH", f"/api/runs/{run}", json={"name": run_name})
    assert named.status_code == 200, named.text
    rated = member.request("PUT", f"/api/runs/{run}/rating", json={"rpe": 4})
    assert rated.status_code == 200, rated.text
    started = member.request("POST", "/api/sessions", json={"minutes": 10, "place": "home"})
    assert started.status_code == 201, started.text
    session = started.json()["id"]
    log = {"events": [{"at_ms": 30_000, "action": "skip"}], "until_ms": 90_000}
    played = member.request("PUT", f"/api/sessions/{session}/progress", json=log)
    assert played.status_code == 200, played.text
    cleared = member.request("POST", "/api/clearances", json={"note": clearance})
    assert cleared.status_code == 201, cleared.text
    checkin = {"ratings": {"calves": 5}, "red_flags": flags, "run_id": run, "note": note}
    assert member.request("POST", "/api/checkins", json=checkin).status_code == 201
    profile = member.request("PUT", "/api/profile", json={"hr_max": hr_max})
    assert profile.status_code == 200, profile.text
    return Ids(run=run, session=session, job=job)


def _bens_data(ben: Member, ids: Ids) -> dict[str, Any]:
    return {
        "run": ben.get(f"/api/runs/{ids.run}").json(),
        "session": ben.get(f"/api/sessions/{ids.session}").json(),
        "runs": ben.get("/api/runs?all_sports=true").json(),
        "sessions": ben.get("/api/sessions").json(),
        "profile": ben.get("/api/profile").json(),
        "safety": ben.get("/api/safety").json(),
        "sharing": ben.get("/api/sharing").json(),
        "export": {
            key: value
            for key, value in ben.get("/api/export").json().items()
            if key not in ("exported_at",)
        },
    }


def _filled(club: Club) -> tuple[Member, Member, Ids]:
    """Ava and Ben, signed in, each with everything a member keeps; Ben's ids."""
    ava, ben = club.member("Ava"), club.member("Ben")
    _fill(ava, AVA_MARKER, "ava note", "ava clearance", 183, [])
    ids = _fill(ben, *BEN_MARKERS, 197, ["fainting"])
    ids.ben, ids.coach = club.ids["Ben"], club.ids["Dana"]
    ids.slug = ava.get("/api/exercises").json()[0]["slug"]
    return ava, ben, ids


def test_every_route_is_known_to_this_test(club: Club) -> None:
    found = routes(club.app)
    assert found - set(CALLS) == set(), "new routes: add them to CALLS in this test"
    assert set(CALLS) - found == set(), "routes gone: remove them from CALLS"


def test_without_a_session_only_the_open_routes_answer(club: Club) -> None:
    ids = Ids(run=1, session=1, job=1, ben=club.ids["Ben"], coach=club.ids["Dana"])
    ids.slug = "calf-stretch"
    nobody = club.member(None)
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


def _try_everything(member: Member, ids: Ids) -> dict[tuple[str, str], Any]:
    """Every route with Ben's ids, sign-out last (it ends the session): nothing of
    Ben's in any answer, 404 for his ids, 403 for the coach's routes."""
    answers = {}
    for method, template in sorted(CALLS, key=lambda key: key == ("POST", "/api/signout")):
        how = CALLS[(method, template)]
        answer = call(member, method, template, ids)
        answers[(method, template)] = answer
        where = f"{method} {template}: {answer.status_code} {answer.text[:200]}"
        assert answer.status_code < 500, where
        assert "Sign in first" not in answer.text, where  # still signed in
        for marker in BEN_MARKERS:
            assert marker not in answer.text, where
        if how.theirs:
            assert answer.status_code == 404, where
        if how.coaches:
            assert answer.status_code == 403, where
    assert member.get("/api/runs").status_code == 401  # signed out by the last call
    return answers


@pytest.mark.parametrize("who", ["Ava", "Ana"])
def test_one_members_session_never_reaches_anothers_data(club: Club, db_url: str, who: str) -> None:
    """An athlete's session, and the admin's (who manages accounts, not data)."""
    _ava, ben, ids = _filled(club)
    before = _bens_data(ben, ids)
    assert BEN_MARKERS[0] in str(before["runs"])  # the marker is there to be seen
    assert before["safety"]["red_flags"], "Ben's red flag shows for Ben"

    member = club.member(who)
    assert member.get("/api/safety").json()["red_flags"] == []  # and for Ben only
    answers = _try_everything(member, ids)
    refused = answers[("DELETE", "/api/account")]
    assert refused.status_code == 422, refused.text
    assert refused.json()["error"] == f"Type your name, {who}, to confirm: nothing was deleted."
    coach_page = answers[("GET", "/coach")]
    assert "This page is for the club&#39;s coaches." in coach_page.text

    uploaded = answers[("POST", "/api/imports")]
    if db_url.startswith("postgresql"):  # in the background, followed by its owner only
        assert uploaded.status_code == 202, uploaded.text
        assert ids.job != 1
    again = club.member(who)  # the upload lands in this member's account
    _summary, job = follow(again, uploaded)
    if job != 1:
        assert ben.get(f"/api/imports/{job}").status_code == 404
    assert _bens_data(ben, ids) == before, "nothing of Ben's changed"

    starts = {T0 + timedelta(days=2)}
    with Store.open(db_url) as store:
        mine = store.for_athlete(club.ids[who])
        bens = store.for_athlete(club.ids["Ben"])
        assert [stored.activity.name for stored in bens.list_activities()] == [BEN_MARKERS[0]]
        assert [checkin.checkin.note for checkin in bens.list_checkins()] == [BEN_MARKERS[1]]
        assert bens.get_profile().hr_max == 197
        assert mine.get_profile().hr_max == 181
        my_starts = {stored.activity.start for stored in mine.list_activities()}
        if who == "Ana":  # the admin's own lists: the admin's rows only
            assert my_starts == starts
            assert mine.list_checkins() == []
        else:
            assert starts < my_starts and len(my_starts) == 2
        names = [stored.activity.name for stored in mine.list_activities()]
        assert BEN_MARKERS[0] not in names


def test_lists_exports_and_pages_hold_the_members_own_data(club: Club) -> None:
    ava, ben, _ids = _filled(club)
    for path in ("/api/runs", "/api/today", "/api/export", "/runs", "/"):
        mine = ava.get(path).text
        assert AVA_MARKER in mine, path
        assert BEN_MARKERS[0] not in mine, path
        theirs = ben.get(path).text
        assert BEN_MARKERS[0] in theirs, path
        assert AVA_MARKER not in theirs, path
    exported = ava.get("/api/export").text
    for marker in BEN_MARKERS:
        assert marker not in exported
    assert "fainting" not in exported
    assert BEN_MARKERS[1] in ben.get("/api/export").text


def test_deleting_ones_account_deletes_only_ones_own(club: Club, db_url: str) -> None:
    ava, ben, ids = _filled(club)
    before = _bens_data(ben, ids)
    gone = ava.request("DELETE", "/api/account", json={"confirm": "Ava"})
    assert gone.status_code == 200, gone.text
    assert gone.json() == {"deleted": "Ava"}
    assert ava.get("/api/runs").status_code == 401  # her session went with her account
    assert sign_in(club.client, "Ava").status_code == 401
    club.client.cookies.clear()
    assert _bens_data(ben, ids) == before
    with Store.open(db_url) as store:
        assert store.find_athlete("Ava") is None
        assert [a.name for a in store.list_athletes()] == ["Ana", "Ben", "Dana"]
        assert len(store.for_athlete(club.ids["Ben"]).list_activities()) == 1
    assert club.member("Ben").get("/api/runs").status_code == 200


def _roster(coach: Member) -> dict[str, dict[str, str]]:
    """The coach's roster CSV, row by athlete name, cell by column header."""
    answer = coach.get("/coach/roster.csv")
    assert answer.status_code == 200, answer.text
    rows = list(csv.reader(io.StringIO(answer.text)))
    return {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}


def _coach_sees(club: Club, coach: Member) -> tuple[dict[str, dict[str, str]], str, dict[str, Any]]:
    """The roster, the squad page, and each athlete's page (by name) as the coach has them."""
    page = coach.get("/coach")
    assert page.status_code == 200, page.text
    athletes = {name: coach.get(f"/coach/athletes/{club.ids[name]}") for name in ("Ava", "Ben")}
    return _roster(coach), page.text, athletes


NOT_SHARED = ("Red flags (7 days)", "Soreness trend", "Days since check-in")


def test_a_coach_sees_exactly_what_each_athlete_shares(club: Club) -> None:
    ava, ben, _ids = _filled(club)
    dana = club.member("Dana")
    share = f"/api/sharing/{club.ids['Dana']}"

    roster, page, athletes = _coach_sees(club, dana)
    assert roster == {}
    assert "Ben" not in page and "Ava" not in page
    assert [answer.status_code for answer in athletes.values()] == [404, 404]

    loads = ben.request("PUT", share, json={"load_and_runs": True})
    assert loads.status_code == 200, loads.text
    assert loads.json()["sees"] == "Coach Dana sees: load and runs."
    roster, page, athletes = _coach_sees(club, dana)
    assert list(roster) == ["Ben"]
    for column in NOT_SHARED:
        assert roster["Ben"][column] == "not shared", column
    assert roster["Ben"]["Fatigue"] != "not shared"
    assert "Ben" in page and "Ava" not in page
    assert athletes["Ava"].status_code == 404
    assert athletes["Ben"].status_code == 200
    assert "Not shared with you" in athletes["Ben"].text
    seen = page + athletes["Ben"].text + str(roster)
    for marker in (BEN_FLAG, BEN_MARKERS[1], BEN_MARKERS[2], AVA_MARKER):
        assert marker not in seen, marker

    everything = {"load_and_runs": True, "adherence": True, "soreness_and_flags": True}
    assert ben.request("PUT", share, json=everything).status_code == 200
    roster, page, athletes = _coach_sees(club, dana)
    assert list(roster) == ["Ben"]
    assert BEN_FLAG in roster["Ben"]["Red flags (7 days)"]
    assert BEN_FLAG in page
    assert athletes["Ava"].status_code == 404

    withdrawn = ben.request("PUT", share, json={})
    assert withdrawn.json()["sees"] == "Coach Dana sees nothing of yours."
    roster, page, athletes = _coach_sees(club, dana)
    assert roster == {}
    assert "Ben" not in page and BEN_FLAG not in page
    assert [answer.status_code for answer in athletes.values()] == [404, 404]

    # The coach's own lists hold none of the squad's data.
    for path in ("/api/runs?all_sports=true", "/api/sessions", "/api/export", "/api/report"):
        text = dana.get(path).text
        for marker in (*BEN_MARKERS, AVA_MARKER):
            assert marker not in text, path
    assert ava.get("/api/sharing").json()["coaches"][0]["sees"] == (
        "Coach Dana sees nothing of yours."
    )
