"""`serve --club`: signing in, sessions and their cookie, sign-out, expiry, invitation
links, and slowing down password guessing; on SQLite and PostgreSQL."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi import HTTPException
from fastapi.testclient import TestClient
from starlette.requests import Request

from afterrun.services import club
from afterrun.services.signin import WRONG
from afterrun.store import Store
from afterrun.web.club_gate import SIGN_IN_FIRST
from afterrun.web.signed_in import PERSONAL, SCOPE_KEY, SignedIn, signed_in
from club_helpers import PASSWORD, WRITE, club_app, make_club, sign_in


class Clock:
    """The server's clock, moved by the test."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def members(db_url: str, clock: Clock) -> dict[str, int]:
    return make_club(db_url, ("Bea", "athlete"), now=clock.now)


@pytest.fixture
def app(db_url: str, tmp_path: Path, clock: Clock, members: dict[str, int]) -> Any:
    return club_app(db_url, tmp_path, clock)


@pytest.fixture
def client(app: Any) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://127.0.0.1", follow_redirects=False) as opened:
        yield opened


def test_without_a_session_only_sign_in_links_health_and_files_answer(client) -> None:
    page = client.get("/runs")
    assert page.status_code == 303
    assert page.headers["location"] == "/signin"
    api = client.get("/api/runs")
    assert api.status_code == 401
    assert api.json() == {"error": SIGN_IN_FIRST}
    write = client.post("/api/checkins", json={"ratings": {}}, headers=WRITE)
    assert write.status_code == 401
    assert client.get("/signin").status_code == 200
    assert client.get("/api/health").json()["ok"] is True
    assert client.get("/static/app.css").status_code == 200
    assert client.get("/manifest.webmanifest").status_code == 200
    gone = client.get("/invite/not-a-real-link")
    assert gone.status_code == 410
    assert club.LINK_GONE in gone.text
    # the answers carry the app's security headers
    assert page.headers["x-frame-options"] == "DENY"


def test_signing_in_sets_a_safe_cookie_and_signing_out_ends_the_session(client, db_url) -> None:
    signed = sign_in(client, "bea", PASSWORD)
    assert signed.status_code == 200, signed.text
    assert signed.json() == {"ok": True, "next": "/"}
    cookie = signed.headers["set-cookie"]
    assert cookie.startswith("afterrun_session=")
    for part in ("HttpOnly", "Path=/", "SameSite=lax", "Max-Age=7776000"):
        assert part in cookie
    assert "Secure" not in cookie  # plain http here; see the https test
    token = client.cookies["afterrun_session"]
    with Store.open(db_url) as store, store.engine.connect() as connection:
        stored = connection.exec_driver_sql("SELECT token_hash FROM web_sessions").scalars().all()
    assert club.token_hash(token) in stored and token not in stored

    assert client.get("/runs").status_code == 200
    assert client.get("/api/runs").json() == []
    assert client.get("/signin").headers["location"] == "/"
    settings = client.get("/settings").text
    assert "Signed in as <strong>Bea</strong> (athlete)" in settings

    out = client.post("/api/signout", headers=WRITE)
    assert out.status_code == 200
    assert out.json()["next"] == "/signin"
    client.cookies.set("afterrun_session", token)  # a copy of the old cookie
    assert client.get("/api/runs").status_code == 401


def test_the_cookie_is_secure_over_https(app) -> None:
    with TestClient(app, base_url="https://club.example", follow_redirects=False) as secure:
        signed = sign_in(secure, "Ana")
        assert signed.status_code == 200
        assert "Secure" in signed.headers["set-cookie"]
        assert secure.get("/api/runs").status_code == 200


def test_wrong_passwords_and_unknown_names_get_the_same_answer(client) -> None:
    wrong = sign_in(client, "Bea", "not the password at all")
    nobody = sign_in(client, "Nobody", "not the password at all")
    assert wrong.status_code == nobody.status_code == 401
    assert wrong.json() == nobody.json() == {"error": WRONG}
    assert "set-cookie" not in wrong.headers
    without_header = client.post("/api/signin", json={"name": "Bea", "password": PASSWORD})
    assert without_header.status_code == 403


def test_guessing_is_slowed_down_and_logged(client, caplog) -> None:
    caplog.set_level(logging.INFO, logger="afterrun.club")
    for _ in range(5):
        assert sign_in(client, "Bea", "a wrong guess!!").status_code == 401
    locked = sign_in(client, "Bea", PASSWORD)  # even the right password waits
    assert locked.status_code == 429
    assert locked.json() == {"error": "Too many sign-in attempts: wait 15 minutes and try again."}
    assert 890 <= int(locked.headers["retry-after"]) <= 900
    for _ in range(5):
        sign_in(client, "Nobody", "a wrong guess!!")
    assert sign_in(client, "Nobody", "x").json() == locked.json()  # same for a made-up name
    failed = [r for r in caplog.records if r.name == "afterrun.club" and "failed" in r.message]
    assert len(failed) == 10
    assert any("locked" in r.message for r in caplog.records)
    assert any("refused" in r.message for r in caplog.records)
    assert all(PASSWORD not in r.getMessage() for r in caplog.records)
    assert sign_in(client, "Ana").status_code == 200  # another name is not held back


def test_one_address_is_stopped_after_twenty_failures(client, clock) -> None:
    for number in range(20):
        assert sign_in(client, f"guess{number}", "a wrong guess!!").status_code == 401
    assert sign_in(client, "Ana").status_code == 429
    clock.now += timedelta(minutes=16)
    assert sign_in(client, "Ana").status_code == 200


def test_sessions_expire_when_idle_and_are_touched_once_a_minute(client, clock, db_url) -> None:
    assert sign_in(client, "Bea").status_code == 200

    def seen() -> datetime:
        with Store.open(db_url) as store, store.engine.connect() as connection:
            value = connection.exec_driver_sql("SELECT last_seen_at FROM web_sessions").scalar()
        return datetime.fromisoformat(str(value)).replace(tzinfo=None)

    first = seen()
    clock.now += timedelta(seconds=30)
    client.get("/api/runs")
    assert seen() == first
    clock.now += timedelta(seconds=40)
    client.get("/api/runs")
    assert seen() > first
    clock.now += timedelta(days=13)
    assert client.get("/api/runs").status_code == 200  # used within 14 days: still on
    clock.now += timedelta(days=15)
    assert client.get("/api/runs").status_code == 401
    assert client.get("/").headers["location"] == "/signin"


def test_sessions_end_ninety_days_after_signing_in(client, clock) -> None:
    assert sign_in(client, "Bea").status_code == 200
    for _ in range(8):
        clock.now += timedelta(days=10)
        assert client.get("/api/runs").status_code == 200
    clock.now += timedelta(days=9, hours=23)
    assert client.get("/api/runs").status_code == 200
    clock.now += timedelta(hours=1)
    assert client.get("/api/runs").status_code == 401


def test_an_invitation_sets_the_password_once(client, db_url, clock) -> None:
    with Store.open(db_url) as store:
        link = club.invite(
            store, "Cy", "coach", "https://club.example", clock.now, timedelta(days=7)
        )
        late = club.invite(
            store, "Di", "athlete", "https://club.example", clock.now, timedelta(hours=1)
        )
    token = link.url.rsplit("/", 1)[1]
    path, api = "/invite/" + token, "/api/invitations/" + token
    page = client.get(path)
    assert page.status_code == 200
    assert "Welcome, Cy" in page.text
    assert "at least 10 characters" in page.text

    short = client.post(api, json={"password": "short"}, headers=WRITE)
    assert short.status_code == 422
    assert short.json()["error"].startswith(
        "A password needs at least 10 characters (this one has 5)"
    )
    taken = client.post(api, json={"password": "my own long password"}, headers=WRITE)
    assert taken.status_code == 200
    assert "afterrun_session=" in taken.headers["set-cookie"]
    assert client.get("/api/runs").status_code == 200

    again = client.get(path)
    assert again.status_code == 410
    assert club.LINK_GONE in again.text
    reused = client.post(api, json={"password": "another long password"}, headers=WRITE)
    assert reused.status_code == 410
    assert reused.json() == {"error": club.LINK_GONE}

    clock.now += timedelta(hours=2)
    expired = client.get("/invite/" + late.url.rsplit("/", 1)[1])
    assert expired.status_code == 410
    assert club.LINK_GONE in expired.text
    client.cookies.clear()
    assert sign_in(client, "cy", "my own long password").status_code == 200


def test_signed_in_refuses_a_club_request_that_bypassed_the_check(app) -> None:
    request = Request({"type": "http", "app": app, "headers": [], "method": "GET", "path": "/"})
    with pytest.raises(HTTPException) as refused:
        signed_in(request)
    assert refused.value.status_code == 401


def test_a_personal_server_answers_for_its_one_athlete_whatever_the_request_says(
    web_settings: Any,
) -> None:
    from afterrun.web.app import create_app

    scope = {"type": "http", "app": create_app(web_settings), "headers": [], "method": "GET"}
    claimed = SignedIn(7, "Dana", "coach")
    assert signed_in(Request({**scope, "path": "/", SCOPE_KEY: claimed})) == PERSONAL


def test_serve_club_behind_a_tls_proxy_signs_in_and_logs_failures(tmp_path: Path) -> None:
    """The real server: a proxy on this machine (trusted by default) says the browser
    used https and who it was; the cookie is Secure and the log names that address."""
    import httpx

    from test_serve import start

    make_club(f"sqlite:///{tmp_path / 'served.db'}")
    server = start(tmp_path, "--club")
    try:
        assert httpx.get(f"{server.base}/api/runs").status_code == 401
        assert httpx.get(f"{server.base}/").headers["location"] == "/signin"
        proxied = {**WRITE, "X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
        body = {"name": "Ana", "password": "a wrong guess!!"}
        failed = httpx.post(f"{server.base}/api/signin", json=body, headers=proxied)
        assert failed.status_code == 401
        body["password"] = PASSWORD
        signed = httpx.post(f"{server.base}/api/signin", json=body, headers=proxied)
        assert signed.status_code == 200
        assert "; secure" in signed.headers["set-cookie"].lower()
    finally:
        code, out, err = server.stop()
    port = server.base.rsplit(":", 1)[1]
    assert out.startswith(
        f"afterrun's club server is at http://127.0.0.1:{port}/ : members sign in at /signin. "
        "It speaks plain HTTP: put a TLS proxy in front of it before members use it over the "
        "internet.\n"
    )
    assert "afterrun.club WARNING sign-in failed for 'ana' from 203.0.113.9" in err
    assert "afterrun.club INFO Ana signed in from 203.0.113.9" in err
    assert PASSWORD not in err and "a wrong guess" not in err
    assert code == 0
