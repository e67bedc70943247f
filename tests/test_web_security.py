"""Who may talk to the web app, and what it refuses: as a browser or a stranger meets it.

Each protection of afterrun.web.security has tests here that fail when it is taken
out: pairing, the Host check, the cross-site check, the body limits and the headers.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from starlette.routing import Mount

from activity_files import EASY_RUN, HIKE, fit_file, gpx_file
from afterrun.cli.main import cli
from afterrun.web.app import create_app
from afterrun.web.security import CROSS_SITE, NOT_PAIRED, WRONG_HOST
from afterrun.web.settings import WebSettings
from conftest import WRITE

RUN_FIT = fit_file([EASY_RUN])
BIG_GPX = gpx_file(HIKE)  # over 64 KiB
SECRET = "pairing-secret-0123456789abcdef"  # noqa: S105 - a test key
LAN_URL = "http://192.168.1.20:8765"
MIB = 1024 * 1024
#: Stand-ins for path parameters, so that every route can be asked.
PATH_VALUES = {
    "slug": "calf-stretch",
    "session_id": "1",
    "run_id": "1",
    "coach_id": "2",
    "athlete_id": "2",
    "job_id": "1",
}
EXTRA_PATHS = (
    "/static/app.css",
    "/static/player.js",
    "/sw.js",
    "/manifest.webmanifest",
    "/openapi.json",
    "/no/such/page",
    "/api/no-such-thing",
    "/pair",
)
PAGES = ("/", "/play", "/runs", "/checkin", "/report", "/settings")
#: Only a club's coach gets these; anyone else, 403.
COACH_ONLY = ("/coach", "/api/routines")


def settings_for(tmp_path: Path, **changes: Any) -> WebSettings:
    config = tmp_path / "config"
    config.mkdir(exist_ok=True)
    base = {"db_url": f"sqlite:///{tmp_path / 'afterrun.db'}", "config_dir": config}
    return WebSettings(**{**base, "import_workers": 1, **changes})


@pytest.fixture
def lan(tmp_path: Path) -> Iterator[TestClient]:
    """A `--lan` server, as a phone on the same Wi-Fi reaches it."""
    app = create_app(settings_for(tmp_path, lan=True, secret=SECRET))
    with TestClient(app, base_url=LAN_URL) as client:
        yield client


def every_route(client: TestClient) -> list[tuple[str, str]]:
    """(method, path) for every route of the app, path parameters filled in."""
    app: Any = client.app
    found: set[tuple[str, str]] = set()
    for route in iter_route_contexts(app.routes):
        if isinstance(route.original_route, Mount):
            continue  # static files: asked through EXTRA_PATHS
        path = route.path
        assert path is not None
        for name, value in PATH_VALUES.items():
            path = path.replace(f"{{{name}}}", value)
        assert "{" not in path, f"add a value for {path} to PATH_VALUES"
        for method in route.methods or ():
            found.add((method, path))
    for path in EXTRA_PATHS:
        found.add(("GET", path))
    return sorted(found)


def export(tmp_path: Path) -> Any:
    """Everything stored, as `afterrun export` prints it (less the export's own time)."""
    env = {"AFTERRUN_CONFIG_DIR": str(tmp_path / "config")}
    result = CliRunner().invoke(
        cli, ["--db", f"sqlite:///{tmp_path / 'afterrun.db'}", "export"], env=env
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    del document["exported_at"]
    return document


# -- pairing ------------------------------------------------------------------------


def test_the_route_list_covers_pages_api_and_files(lan: TestClient) -> None:
    routes = every_route(lan)
    paths = {path for _, path in routes}
    assert set(PAGES) <= paths
    assert {("POST", "/api/sessions"), ("PUT", "/api/profile"), ("POST", "/api/imports")} <= set(
        routes
    )
    assert len(routes) > 30


def test_without_the_secret_every_route_answers_401(lan: TestClient) -> None:
    for method, path in every_route(lan):
        response = lan.request(method, path, headers=WRITE)
        assert response.status_code == 401, (method, path, response.status_code)
        assert response.headers["www-authenticate"] == 'Bearer realm="afterrun"'
        if method == "HEAD":
            assert response.content == b""
        elif path.startswith("/api/") or path == "/openapi.json":
            assert response.json() == {"error": NOT_PAIRED}, (method, path)
        else:
            assert response.text == NOT_PAIRED, (method, path)
        if method != "GET":
            assert lan.get(path).status_code == 401, path


def test_a_refused_request_changes_nothing(lan: TestClient, tmp_path: Path) -> None:
    before = export(tmp_path)
    assert lan.post("/api/sessions", json={"minutes": 5}, headers=WRITE).status_code == 401
    assert lan.put("/api/profile", json={"hr_max": 180}, headers=WRITE).status_code == 401
    files = [("files", ("run.fit", RUN_FIT))]
    assert lan.post("/api/imports", files=files, headers=WRITE).status_code == 401
    assert export(tmp_path) == before


@pytest.mark.parametrize(
    "headers",
    [
        {"Authorization": "Bearer wrong-secret"},
        {"Authorization": f"Bearer {SECRET[:-1]}"},
        {"Authorization": f"Bearer {SECRET}x"},
        {"Authorization": "Bearer "},
        {"Authorization": f"Basic {SECRET}"},
        {"Cookie": "afterrun_pair=wrong-secret"},
        {"Cookie": f"other={SECRET}"},
    ],
    ids=["wrong", "prefix", "longer", "empty", "basic", "wrong-cookie", "other-cookie"],
)
def test_a_wrong_secret_is_401(lan: TestClient, headers: dict[str, str]) -> None:
    for path in ("/", "/api/health", "/static/app.css"):
        assert lan.get(path, headers=headers).status_code == 401, path


def test_a_wrong_pairing_key_is_401_and_sets_no_cookie(lan: TestClient) -> None:
    for query in ("?key=wrong", f"?key={SECRET[:8]}", "", "?secret=" + SECRET):
        response = lan.get(f"/pair{query}", follow_redirects=False)
        assert response.status_code == 401, query
        assert "set-cookie" not in response.headers
    assert lan.get("/").status_code == 401


def test_with_the_bearer_secret_every_route_answers(lan: TestClient) -> None:
    auth = {"Authorization": f"Bearer {SECRET}", **WRITE}
    for method, path in every_route(lan):
        response = lan.request(method, path, headers=auth)
        if path.startswith(COACH_ONLY):
            # The personal runner is no coach: their answer is the coach-only refusal.
            assert response.status_code == 403, (method, path)
            assert "coach" in response.text, (method, path, response.text[:200])
            continue
        assert response.status_code not in (401, 403), (method, path, response.text[:200])
        assert response.status_code < 500, (method, path, response.text[:200])
    for path in PAGES:
        response = lan.get(path, headers=auth)
        assert response.status_code == 200, path
        assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert lan.post("/api/sessions", json={"minutes": 5}, headers=auth).status_code == 201


def test_the_pairing_link_sets_an_http_only_cookie_and_then_everything_answers(
    lan: TestClient,
) -> None:
    response = lan.get(f"/pair?key={SECRET}", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"afterrun_pair={SECRET};")
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}
    assert {"httponly", "path", "samesite", "max-age"} <= attributes
    assert "Path=/;" in cookie and "SameSite=Lax" in cookie
    assert response.headers["referrer-policy"] == "no-referrer", "the key must not leak"

    for path in PAGES:
        assert lan.get(path).status_code == 200, path
    assert lan.get("/static/app.css").status_code == 200
    assert lan.get("/api/health").json()["ok"] is True
    assert lan.post("/api/sessions", json={"minutes": 5}, headers=WRITE).status_code == 201
    assert len(lan.get("/api/sessions").json()) == 1


def test_a_paired_phone_still_needs_the_write_header(lan: TestClient, tmp_path: Path) -> None:
    lan.get(f"/pair?key={SECRET}")
    before = export(tmp_path)
    response = lan.post("/api/sessions", json={"minutes": 5})
    assert response.status_code == 403
    assert response.json() == {"error": CROSS_SITE}
    assert export(tmp_path) == before


def test_a_lan_server_refuses_to_start_without_a_secret(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="a LAN server needs a pairing secret"):
        settings_for(tmp_path, lan=True)


# -- Host (DNS rebinding) -----------------------------------------------------------


@pytest.mark.parametrize(
    "host", ["evil.example", "evil.example:8765", "127.0.0.1.evil.example", "192.168.1.20", ""]
)
def test_on_loopback_a_foreign_host_is_403(web: TestClient, host: str) -> None:
    page = web.get("/", headers={"Host": host})
    assert page.status_code == 403
    assert page.text == WRONG_HOST
    api = web.get("/api/health", headers={"Host": host})
    assert api.status_code == 403
    assert api.json() == {"error": WRONG_HOST}
    write = web.post("/api/sessions", json={"minutes": 5}, headers={**WRITE, "Host": host})
    assert write.status_code == 403
    assert web.get("/api/sessions").json() == []


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "127.0.0.1:8765", "localhost", "localhost:8765", "[::1]:8765"]
)
def test_on_loopback_this_machines_names_are_answered(web: TestClient, host: str) -> None:
    assert web.get("/api/health", headers={"Host": host}).status_code == 200
    assert web.get("/settings", headers={"Host": host}).status_code == 200


# -- cross-site writes --------------------------------------------------------------


def snapshot(web: TestClient) -> Any:
    """What the API lists: runs, sessions, profile and the report's counts."""
    return (
        web.get("/api/runs?all_sports=true").json(),
        web.get("/api/sessions").json(),
        web.get("/api/profile").json(),
    )


CROSS_SITE_HEADERS = {
    "no-header": {},
    "wrong-header": {"X-Requested-By": "someone-else"},
    "foreign-origin": {**WRITE, "Origin": "http://evil.example"},
    "origin-other-port": {**WRITE, "Origin": "http://127.0.0.1:9999"},
    "null-origin": {**WRITE, "Origin": "null"},
    "sec-fetch-cross-site": {**WRITE, "Sec-Fetch-Site": "cross-site"},
    "sec-fetch-same-site": {**WRITE, "Sec-Fetch-Site": "same-site"},
}
WRITES = [
    ("POST", "/api/sessions", {"minutes": 5}),
    ("PUT", "/api/profile", {"hr_max": 180}),
    ("POST", "/api/checkins", {"ratings": {"calves": 3}}),
    ("PUT", "/api/runs/1/rating", {"rpe": 5}),
    ("PUT", "/api/sessions/1/progress", {"events": [], "until_ms": 1000}),
]


@pytest.mark.parametrize("headers", CROSS_SITE_HEADERS.values(), ids=CROSS_SITE_HEADERS)
def test_a_cross_site_write_is_403_and_stores_nothing(
    web: TestClient, web_settings: WebSettings, headers: dict[str, str]
) -> None:
    before = snapshot(web)
    for method, path, body in WRITES:
        response = web.request(method, path, json=body, headers=headers)
        assert response.status_code == 403, (method, path)
        assert response.json() == {"error": CROSS_SITE}
    files = [("files", ("run.fit", RUN_FIT))]
    upload = web.post("/api/imports", files=files, headers=headers)
    assert upload.status_code == 403
    assert snapshot(web) == before


def test_a_same_origin_write_from_the_page_is_answered(web: TestClient) -> None:
    same = {**WRITE, "Origin": "http://127.0.0.1", "Sec-Fetch-Site": "same-origin"}
    assert web.post("/api/sessions", json={"minutes": 5}, headers=same).status_code == 201
    assert web.put("/api/profile", json={"hr_max": 180}, headers=same).status_code == 200
    assert len(web.get("/api/sessions").json()) == 1


# -- body size ----------------------------------------------------------------------


def _chunks(data: bytes, size: int = 64 * 1024) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


def test_a_json_body_over_1_mib_is_413(web: TestClient) -> None:
    before = snapshot(web)
    body = json.dumps({"minutes": 5, "focus": ["calves"] * (MIB // 8)}).encode()
    assert len(body) > MIB
    expected = {"error": "The request is larger than the 1 MiB this server accepts."}
    declared = web.post(
        "/api/sessions", content=body, headers={**WRITE, "Content-Type": "application/json"}
    )
    assert declared.status_code == 413
    assert declared.json() == expected
    chunked = web.post(
        "/api/sessions",
        content=_chunks(body),
        headers={**WRITE, "Content-Type": "application/json"},
    )
    assert chunked.status_code == 413
    assert chunked.json() == expected
    assert snapshot(web) == before


@pytest.mark.parametrize(
    ("path", "declared", "limit"),
    [
        ("/api/sessions", str(MIB + 1), "1 MiB"),
        ("/api/sessions", "lots", "1 MiB"),
        ("/api/imports", str(600 * MIB), "512 MiB"),
    ],
)
def test_a_declared_size_over_the_limit_is_refused_before_reading(
    web: TestClient, path: str, declared: str, limit: str
) -> None:
    """A phone announcing a 600 MiB upload is told at once, not after sending it all: the
    body here is tiny, so only the declared Content-Length can have been refused."""
    headers = {**WRITE, "Content-Type": "application/json", "Content-Length": declared}
    response = web.post(path, content=b'{"minutes": 5}', headers=headers)
    assert response.status_code == 413
    assert response.json() == {
        "error": f"The request is larger than the {limit} this server accepts."
    }
    assert web.get("/api/sessions").json() == []


def test_a_json_body_just_under_1_mib_is_read(web: TestClient) -> None:
    body = json.dumps({"note": "x" * (MIB - 100)}).encode()
    assert len(body) < MIB
    response = web.post(
        "/api/checkins", content=body, headers={**WRITE, "Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["error"].startswith("note: too long: keep it to 500 characters")


def test_an_upload_over_the_limit_is_413_and_nothing_is_stored(tmp_path: Path) -> None:
    app = create_app(settings_for(tmp_path, max_upload_bytes=64 * 1024))
    expected = {"error": "The request is larger than the 64 KiB this server accepts."}
    with TestClient(app, base_url="http://127.0.0.1") as web:
        files = [
            ("files", ("run.fit", RUN_FIT)),
            ("files", ("hike.gpx", BIG_GPX)),
        ]
        declared = web.post("/api/imports", files=files, headers=WRITE)
        assert declared.status_code == 413
        assert declared.json() == expected

        boundary = "afterrun-test-boundary"
        body = (
            b"".join(
                b'--%s\r\nContent-Disposition: form-data; name="files"; filename="%s"\r\n'
                b"Content-Type: application/octet-stream\r\n\r\n%s\r\n"
                % (boundary.encode(), name.encode(), data)
                for name, data in (
                    ("run.fit", RUN_FIT),
                    ("hike.gpx", BIG_GPX),
                )
            )
            + b"--%s--\r\n" % boundary.encode()
        )
        chunked = web.post(
            "/api/imports",
            content=_chunks(body, 8 * 1024),
            headers={**WRITE, "Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
        assert chunked.status_code == 413
        assert chunked.json() == expected
        assert web.get("/api/runs?all_sports=true").json() == []

        small = web.post("/api/imports", files=files[:1], headers=WRITE)
        assert small.status_code == 200
        assert small.json()["imported"] == 1


# -- headers and origins ------------------------------------------------------------


def assert_security_headers(response: Any, where: str) -> None:
    headers = response.headers
    csp = headers.get("content-security-policy", "")
    assert "default-src 'self'" in csp, where
    assert "frame-ancestors 'none'" in csp, where
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp, where
    assert headers.get("x-content-type-options") == "nosniff", where
    assert headers.get("referrer-policy") == "no-referrer", where
    assert headers.get("x-frame-options") == "DENY", where


def test_security_headers_are_on_pages_api_files_and_errors(web: TestClient) -> None:
    answers = {
        "page": web.get("/"),
        "api": web.get("/api/health"),
        "static": web.get("/static/app.css"),
        "service worker": web.get("/sw.js"),
        "manifest": web.get("/manifest.webmanifest"),
        "openapi": web.get("/openapi.json"),
        "404 api": web.get("/api/runs/99"),
        "404 route": web.get("/api/nothing"),
        "404 page": web.get("/nothing"),
        "404 static": web.get("/static/nothing.css"),
        "405": web.delete("/api/profile", headers=WRITE),
        "403 cross-site": web.post("/api/sessions", json={}),
        "403 host": web.get("/", headers={"Host": "evil.example"}),
        "413": web.post("/api/sessions", content=b"x" * (MIB + 1), headers=WRITE),
        "422": web.post("/api/sessions", json={"minutes": 0}, headers=WRITE),
    }
    expected = {"404 api": 404, "404 route": 404, "404 page": 404, "404 static": 404}
    expected |= {"405": 405, "403 cross-site": 403, "403 host": 403, "413": 413, "422": 422}
    for where, response in answers.items():
        assert response.status_code == expected.get(where, 200), where
        assert_security_headers(response, where)
    page = answers["404 page"]
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert "<h1>Nothing here</h1>" in page.text
    assert "afterrun has no page at /nothing. Check the address" in page.text
    assert '<a class="button primary block" href="/">Go to Today</a>' in page.text
    assert answers["404 api"].json() == {"error": "No run 99.", "hint": "list-runs"}
    assert answers["404 static"].text == "No page at /static/nothing.css; afterrun starts at /."
    assert answers["api"].headers["cache-control"] == "no-store"
    assert answers["page"].headers["cache-control"] == "no-store"


def test_security_headers_are_on_a_401(lan: TestClient) -> None:
    response = lan.get("/")
    assert response.status_code == 401
    assert_security_headers(response, "401")


def test_an_illustration_may_carry_its_style_but_never_a_script(web: TestClient) -> None:
    response = web.get("/api/exercises/calf-stretch/illustration.svg")
    assert response.status_code == 200
    csp = response.headers["content-security-policy"]
    assert "default-src 'none'" in csp
    assert "script-src" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"


_LOADS = re.compile(r"""(?:src|href|action|poster|srcset)\s*=\s*["']?([^"'\s>]+)""", re.I)
_CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+)""", re.I)


def _foreign(url: str) -> bool:
    return bool(re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//", url, re.I))


def test_nothing_is_loaded_from_another_origin(web: TestClient) -> None:
    web.post("/api/imports", files=[("files", ("run.fit", RUN_FIT))], headers=WRITE)
    checked = 0
    for path in PAGES:
        html = web.get(path).text
        for url in _LOADS.findall(html):
            checked += 1
            assert not _foreign(url), (path, url)
        for url in _CSS_URL.findall(html):
            assert not _foreign(url), (path, url)
        assert "@import" not in html, path
    assert checked > 20
    for path in ("/static/app.css", "/static/report.css"):
        css = web.get(path).text
        assert [url for url in _CSS_URL.findall(css) if _foreign(url)] == [], path
        assert "@import" not in css, path
    manifest = web.get("/manifest.webmanifest").json()
    for icon in manifest.get("icons", []):
        assert not _foreign(icon["src"]), icon
    for path in ("/sw.js", "/static/app.js", "/static/player.js", "/static/cue_audio.js"):
        script = web.get(path).text
        assert not re.search(r"""["'`](?:https?:)?//""", script), path


# -- absurd input -------------------------------------------------------------------

KNOWN_AREAS = "calves, hamstrings, quads, hip-flexors, glutes, groin, hips, lower-back"
LONG_NOTE = "Ü" * 100_000
ABSURD: list[tuple[str, str, Any, str]] = [
    (
        "POST",
        "/api/sessions",
        {"minutes": 0},
        "minutes: must be at least 1 (got 0)",
    ),
    (
        "POST",
        "/api/sessions",
        {"minutes": -5},
        "minutes: must be at least 1 (got -5)",
    ),
    (
        "POST",
        "/api/sessions",
        {"minutes": 10**9},
        "minutes: must be at most 120 (got 1000000000)",
    ),
    (
        "POST",
        "/api/sessions",
        {"minutes": "abc"},
        'minutes: give a whole number (got "abc")',
    ),
    (
        "POST",
        "/api/sessions",
        {"minutes": "15"},
        'minutes: give a whole number (got "15")',
    ),
    (
        "POST",
        "/api/sessions",
        {"minutes": True},
        "minutes: give a whole number (got true)",
    ),
    (
        "POST",
        "/api/sessions",
        {"minutes": 12.5},
        "minutes: give a whole number (got 12.5)",
    ),
    (
        "POST",
        "/api/sessions",
        {"intensity": "extreme"},
        "intensity: choose 'easy', 'moderate', 'hard' or 'very-hard' (got \"extreme\")",
    ),
    (
        "POST",
        "/api/sessions",
        {"place": "moon"},
        "place: choose 'home', 'gym' or 'track' (got \"moon\")",
    ),
    (
        "POST",
        "/api/sessions",
        {"focus": ["Wädchen"]},
        f"focus: unknown body area 'Wädchen'; known: {KNOWN_AREAS} (got [\"Wädchen\"])",
    ),
    (
        "POST",
        "/api/sessions",
        {"minutes": 10, "colour": "red"},
        'colour: not something this takes: leave it out (got "red")',
    ),
    (
        "POST",
        "/api/sessions",
        [15],
        "body: send a JSON object (got [15])",
    ),
    (
        "PUT",
        "/api/runs/1/rating",
        {"rpe": 11},
        "rpe: must be at most 10 (got 11)",
    ),
    (
        "PUT",
        "/api/runs/1/rating",
        {"rpe": -1},
        "rpe: must be at least 0 (got -1)",
    ),
    ("PUT", "/api/runs/1/rating", {"rpe": "7"}, 'rpe: give a number (got "7")'),
    ("PUT", "/api/runs/1/rating", {}, "rpe: missing: send it"),
    (
        "PUT",
        "/api/profile",
        {"hr_max": 400},
        "hr_max: must be at most 240 (got 400)",
    ),
    (
        "PUT",
        "/api/profile",
        {"hr_rest": 400},
        "hr_rest: must be at most 120 (got 400)",
    ),
    (
        "PUT",
        "/api/profile",
        {"weight_kg": -70},
        "weight_kg: must be at least 25 (got -70)",
    ),
    ("PUT", "/api/profile", {"sex": "x"}, "sex: choose 'm' or 'f' (got \"x\")"),
    (
        "PUT",
        "/api/profile",
        {"name": "Zoë 🏃"},
        'name: not something this takes: leave it out (got "Zoë 🏃")',
    ),
    (
        "POST",
        "/api/checkins",
        {"note": LONG_NOTE},
        'note: too long: keep it to 500 characters (got "' + "Ü" * 56 + "...)",
    ),
    (
        "POST",
        "/api/checkins",
        {"ratings": {"calves": 11}},
        "the rating 11 for calves is out of range: give 0 to 10.",
    ),
    (
        "POST",
        "/api/checkins",
        {"ratings": {"calves": -1}},
        "the rating -1 for calves is out of range: give 0 to 10.",
    ),
    (
        "POST",
        "/api/checkins",
        {"ratings": {"Wädchen": 3}},
        f"unknown body area 'Wädchen'. Choose from: {KNOWN_AREAS}.",
    ),
    (
        "POST",
        "/api/checkins",
        {"ratings": {"calves": "3"}},
        'ratings.calves: give a whole number (got "3")',
    ),
    (
        "POST",
        "/api/checkins",
        {"red_flags": ["zombie-bite"]},
        "unknown red flag 'zombie-bite'. Choose from: chest-pain, fainting, breathless, "
        "heat-stroke, low-sodium, dark-urine, severe-pain, calf-clot, cannot-bear-weight, "
        "faint-after, sharp-pain, swelling.",
    ),
    (
        "POST",
        "/api/checkins",
        {"ratings": ["calves", 3]},
        'ratings: send a JSON object (got ["calves", 3])',
    ),
    (
        "PUT",
        "/api/sessions/1/progress",
        {"events": "lots", "until_ms": 0},
        'events: send a list (got "lots")',
    ),
    (
        "PUT",
        "/api/sessions/1/progress",
        {"events": [{"at_ms": 0, "action": "dance"}], "until_ms": 0},
        "events.0.action: choose 'pause', 'resume', 'skip', 'back', 'hurt', "
        "'skip-exercise', 'carry-on' or 'quit' (got \"dance\")",
    ),
    (
        "PUT",
        "/api/sessions/1/progress",
        {"events": [{"at_ms": -1, "action": "pause"}], "until_ms": 0},
        "events.0.at_ms: must be at least 0 (got -1)",
    ),
    (
        "PUT",
        "/api/sessions/1/progress",
        {"events": [{"at_ms": 5, "action": "hurt", "area": "Ellbogen 💪"}], "until_ms": 9},
        f"events.0.area: unknown body area 'Ellbogen 💪'; known: {KNOWN_AREAS} "
        '(got "Ellbogen 💪")',
    ),
    (
        "PUT",
        "/api/sessions/1/progress",
        {"events": [], "until_ms": 10**12},
        "until_ms: must be at most 604800000 (got 1000000000000)",
    ),
    (
        "GET",
        "/api/plan?minutes=0",
        None,
        'minutes: must be at least 1 (got "0")',
    ),
    (
        "GET",
        "/api/plan?intensity=extreme",
        None,
        "intensity: choose 'easy', 'moderate', 'hard' or 'very-hard' (got \"extreme\")",
    ),
    (
        "GET",
        "/api/runs?limit=-1",
        None,
        'limit: must be at least 1 (got "-1")',
    ),
    (
        "GET",
        "/api/sessions/abc",
        None,
        'session_id: give a whole number (got "abc")',
    ),
    (
        "GET",
        "/api/runs/99999999999",
        None,
        'run_id: must be at most 2147483647 (got "99999999999")',
    ),
]


@pytest.fixture
def stocked(web: TestClient) -> TestClient:
    """A database with a run and a session in it, for the inputs that name them."""
    files = [("files", ("run.fit", RUN_FIT))]
    assert web.post("/api/imports", files=files, headers=WRITE).json()["imported"] == 1
    assert web.post("/api/sessions", json={"minutes": 5}, headers=WRITE).status_code == 201
    assert web.put("/api/profile", json={"hr_max": 185}, headers=WRITE).status_code == 200
    return web


@pytest.mark.parametrize(
    ("method", "path", "body", "message"),
    ABSURD,
    ids=[f"{m} {p} {i}" for i, (m, p, _, _) in enumerate(ABSURD)],
)
def test_absurd_input_is_422_with_one_line_naming_it(
    stocked: TestClient, method: str, path: str, body: Any, message: str
) -> None:
    before = snapshot(stocked)
    response = stocked.request(method, path, json=body, headers=WRITE)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"error": message}
    assert "\n" not in message and len(message) < 300
    assert snapshot(stocked) == before


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"minutes": 5', "body: not valid JSON (Expecting ',' delimiter at character 13)"),
        (b'{"minutes": "\x80"}', "body: not valid JSON (not UTF-8 text)"),
        (b"", "body: missing: send it"),
        (
            b'"15"',
            'body: send a JSON object (got "15")',
        ),
    ],
    ids=["truncated", "not-utf8", "empty", "string"],
)
def test_a_body_that_is_not_a_json_object_is_422(
    web: TestClient, body: bytes, message: str
) -> None:
    response = web.post(
        "/api/sessions", content=body, headers={**WRITE, "Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json() == {"error": message}
    assert web.get("/api/sessions").json() == []


def test_no_absurd_input_changes_anything_stored(
    stocked: TestClient, web_settings: WebSettings
) -> None:
    env = {"AFTERRUN_CONFIG_DIR": str(web_settings.config_dir)}

    def exported() -> Any:
        result = CliRunner().invoke(cli, ["--db", web_settings.db_url, "export"], env=env)
        assert result.exit_code == 0, result.output
        document = json.loads(result.stdout)
        del document["exported_at"]
        return document

    before = exported()
    for method, path, body, _ in ABSURD:
        assert stocked.request(method, path, json=body, headers=WRITE).status_code == 422
    assert exported() == before


def test_unicode_in_notes_and_file_names_is_kept(web: TestClient) -> None:
    note = "Wade zwickt 🦵 – 小腿有点酸"
    response = web.post(
        "/api/checkins", json={"ratings": {"calves": 2}, "note": note}, headers=WRITE
    )
    assert response.status_code == 201
    assert response.json()["note"] == note
    files = [("files", ("Läufchen am Morgen 🏃.fit", RUN_FIT))]
    summary = web.post("/api/imports", files=files, headers=WRITE).json()
    assert summary["files"]["imported"][0]["file"] == "Läufchen am Morgen 🏃.fit"


def test_a_broken_exercise_file_is_a_500_naming_it_with_the_headers(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    broken = settings.config_dir / "exercises.toml"
    broken.write_text("[[exercise]]\nslug = 'wall-sit'\n", encoding="utf-8")
    with TestClient(create_app(settings), base_url="http://127.0.0.1") as web:
        response = web.get("/api/exercises")
        assert response.status_code == 500
        assert response.json() == {
            "error": f"{broken}: exercise 'wall-sit' (entry 1), field 'name': Field required."
        }
        assert_security_headers(response, "500")
        assert web.get("/settings").status_code == 200, "pages without exercises still work"
