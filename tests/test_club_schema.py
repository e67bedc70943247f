"""The API of a club's server against its OpenAPI document, with schemathesis, signed in
as a member (in-process, SQLite): no server error, only documented answers, and the same
semantic refusals as a personal server (test_web_schema.py).

Sign-out is left out (it would end the session the other requests use: test_club_web.py
covers it). Made-up names and passwords are refused at /api/signin (401, then 429 once too
many have failed) and made-up links at /api/invitations (410): valid in shape, refused by design.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import CheckFunction
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from afterrun.services.signin import new_session
from afterrun.store import Store
from club_helpers import club_app, make_club
from test_web_schema import SEMANTIC_PATTERNS, SEMANTIC_REFUSALS

_FOLDER = Path(tempfile.mkdtemp(prefix="afterrun-club-schema-"))
_URL = f"sqlite:///{_FOLDER / 'club.db'}"
_IDS = make_club(_URL, ("Bea", "athlete"))
with Store.open(_URL) as _store:
    _TOKEN = new_session(_store, _IDS["Bea"], datetime.now(UTC))
APP = club_app(_URL, _FOLDER)
HEADERS = {
    "Host": "club.example",
    "X-Requested-By": "afterrun",
    "Cookie": f"afterrun_session={_TOKEN}",
}
#: Refused by design whatever the shape: made-up passwords and links.
BY_DESIGN = {("POST", "/api/signin"), ("POST", "/api/invitations/{token}")}

schema = schemathesis.openapi.from_asgi("/openapi.json", APP, headers=HEADERS).exclude(
    path="/api/signout"
)
schema.config.update(headers=HEADERS)
schema.config.generation.update(max_examples=12, deterministic=True)


@pytest.fixture(scope="module", autouse=True)
def _remove_folder() -> Iterator[None]:
    yield
    shutil.rmtree(_FOLDER, ignore_errors=True)


@schema.parametrize()
@settings(
    max_examples=12,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_club_api_answers_as_documented(case: schemathesis.Case[Any]) -> None:
    response = case.call(headers=HEADERS)
    key = (case.method.upper(), case.path)
    assert response.status_code != 401 or key == ("POST", "/api/signin"), response.text
    excluded: list[CheckFunction] = []
    if case.path == "/api/imports":
        excluded.append(negative_data_rejection)
    if key in BY_DESIGN:
        excluded.append(positive_data_acceptance)
    refusals = SEMANTIC_REFUSALS.get(key, ())
    if response.status_code == 422 and (refusals or key in SEMANTIC_PATTERNS):
        message = response.json()["error"]
        patterns = SEMANTIC_PATTERNS.get(key, ())
        if message.startswith(refusals) or any(p.match(message) for p in patterns):
            excluded.append(positive_data_acceptance)
    case.validate_response(response, excluded_checks=excluded, headers=HEADERS)
