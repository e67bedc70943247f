"""The API against its own OpenAPI document, with schemathesis (in-process, SQLite).

For every operation schemathesis generates valid and invalid requests from the
document and checks the answers: never a 5xx, only documented status codes, bodies
and content types as documented, invalid data refused, valid data accepted. A few
valid-looking requests are refused on purpose, for reasons a schema cannot state;
those are listed in `SEMANTIC_REFUSALS` with the exact message the runner sees.

The multipart upload (POST /api/imports) is driven too: schemathesis makes up file
bytes, so those imports all fail, which still checks the answer's shape. Its
"invalid" uploads are not checked for refusal: a file part is bytes whatever
schemathesis meant them to be (it sends JSON text and calls it an object).
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import CheckFunction
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from afterrun.web.app import create_app
from afterrun.web.settings import WebSettings

_FOLDER = Path(tempfile.mkdtemp(prefix="afterrun-schema-"))
(_FOLDER / "config").mkdir()
APP = create_app(
    WebSettings(
        db_url=f"sqlite:///{_FOLDER / 'afterrun.db'}",
        config_dir=_FOLDER / "config",
        import_workers=1,
    )
)
#: What a browser on this machine sends: a loopback Host and the write header.
HEADERS = {"Host": "127.0.0.1", "X-Requested-By": "afterrun"}

schema = schemathesis.openapi.from_asgi("/openapi.json", APP, headers={"Host": "127.0.0.1"})
schema.config.update(headers=HEADERS)
schema.config.generation.update(max_examples=12, deterministic=True)

#: Requests the document allows but the app rightly refuses, by the start of the message.
SEMANTIC_REFUSALS = {
    # hr_rest must be below hr_max: a rule across two fields.
    # ... and a time zone must be one the zone database knows.
    ("PUT", "/api/profile"): ("Resting heart rate (", "unknown time zone "),
    # A correction changes the sport or the name: at least one, and a name of plain text.
    ("PATCH", "/api/runs/{run_id}"): ("give sport or name", "the name "),
    # Equipment without a place may leave no exercise that fits; an area cannot be both
    # focused on and avoided.
    ("POST", "/api/sessions"): ("Nothing fits in ", "focus and avoid both name "),
    ("GET", "/api/plan.fit"): ("Nothing fits in ",),
    # Only the holds and swings after another of the same exercise are ever eased.
    ("GET", "/api/sessions/{session_id}/cues.wav"): ("step ",),
    # An event log must be in time order and end before the clock.
    ("PUT", "/api/sessions/{session_id}/progress"): ("Player event ", "The session's clock ("),
    # A personal server has no account; a club account is deleted only with its name typed.
    ("DELETE", "/api/account"): ("A personal afterrun has no account", "Type your name, "),
}
#: The same, for messages that start with the value refused.
SEMANTIC_PATTERNS = {
    # A birth year must make the runner at least 5 this year (the same rule as the CLI's).
    ("PUT", "/api/profile"): (re.compile(r"\d{4} would make you under 5; "),),
}


@pytest.fixture(scope="module", autouse=True)
def _remove_folder() -> Iterator[None]:
    yield
    shutil.rmtree(_FOLDER, ignore_errors=True)


def test_the_document_lists_every_api_route() -> None:
    paths = set(schema.raw_schema["paths"])
    assert {
        "/api/health",
        "/api/exercises",
        "/api/exercises/{slug}",
        "/api/exercises/{slug}/illustration.svg",
        "/api/plan",
        "/api/plan.fit",
        "/api/sessions",
        "/api/sessions/{session_id}",
        "/api/sessions/{session_id}/progress",
        "/api/today",
        "/api/runs",
        "/api/runs/{run_id}",
        "/api/runs/{run_id}/advice",
        "/api/runs/{run_id}/rating",
        "/api/imports",
        "/api/checkins",
        "/api/report",
        "/api/profile",
        "/api/imports/{job_id}",
        "/api/export",
        "/api/account",
    } <= paths
    assert not any(path in paths for path in ("/", "/play", "/pair", "/sw.js"))


@schema.parametrize()
@settings(
    max_examples=12,
    derandomize=True,
    database=None,  # the same examples every run, whatever an earlier run stored
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api_answers_as_documented(case: schemathesis.Case[Any]) -> None:
    response = case.call(headers=HEADERS)
    excluded: list[CheckFunction] = []
    if case.path == "/api/imports":
        excluded.append(negative_data_rejection)
    refusals = SEMANTIC_REFUSALS.get((case.method.upper(), case.path), ())
    if response.status_code == 422 and (
        refusals or (case.method.upper(), case.path) in SEMANTIC_PATTERNS
    ):
        message = response.json()["error"]
        patterns = SEMANTIC_PATTERNS.get((case.method.upper(), case.path), ())
        if message.startswith(refusals) or any(p.match(message) for p in patterns):
            excluded.append(positive_data_acceptance)
    case.validate_response(response, excluded_checks=excluded, headers=HEADERS)
