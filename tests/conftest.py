"""Shared fixtures. Keep each one small; add new ones below the existing ones."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from afterrun.paths import normalise_db_url
from afterrun.store import Store

#: The shared corpus of real files from watches and apps, beside the checkout.
CORPUS = Path(__file__).parents[1].parent / "shared" / "corpus"


def corpus_path(name: str = "") -> Path:
    """A file (or, without a name, the folder) of the shared corpus.

    Skips the test with a reason naming the folder when it is not beside the checkout
    (a fresh clone), but fails on CI, where it must be there.
    """
    if not CORPUS.is_dir():
        reason = f"needs the shared corpus folder {CORPUS}, which is not beside the checkout"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI is 'true' but the test {reason}")
        pytest.skip(reason)
    path = CORPUS / name
    assert path.exists(), f"corpus file missing: {path}"
    return path


POSTGRES_URL_ENV = "AFTERRUN_TEST_POSTGRES_URL"
POSTGRES_SKIP_REASON = (
    f"set {POSTGRES_URL_ENV} to a PostgreSQL URL to run the storage tests on PostgreSQL "
    "(.ci/run does)"
)


def postgres_base_url() -> str:
    """The test server's URL; skip without one, but fail on CI, where it must be there."""
    url = os.environ.get(POSTGRES_URL_ENV)
    if url:
        return normalise_db_url(url)
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI is 'true' but {POSTGRES_URL_ENV} is unset: {POSTGRES_SKIP_REASON}")
    pytest.skip(POSTGRES_SKIP_REASON)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A URL whose search_path is a fresh, empty schema, dropped after the test.

    A schema per test, not dropping tables, so that a URL to a real database is safe.
    """
    base = postgres_base_url()
    schema = f"afterrun_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    try:
        with admin.begin() as connection:
            connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'afterrun.db'}"


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def db_url(request: pytest.FixtureRequest) -> str:
    """An empty database on each backend the store supports."""
    name = "postgres_url" if request.param == "postgresql" else "sqlite_url"
    url: str = request.getfixturevalue(name)
    return url


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """An open Store on an empty database, closed after the test."""
    with Store.open(db_url) as opened:
        yield opened


@pytest.fixture
def web_settings(db_url: str, tmp_path: Path) -> Any:
    """Settings for an in-process web app on an empty database (both backends)."""
    from afterrun.web.settings import WebSettings

    config = tmp_path / "config"
    config.mkdir(exist_ok=True)
    return WebSettings(db_url=db_url, config_dir=config, import_workers=1)


@pytest.fixture
def web(web_settings: Any) -> Iterator[Any]:
    """A TestClient on `create_app(web_settings)`, addressed as 127.0.0.1."""
    from fastapi.testclient import TestClient

    from afterrun.web.app import create_app

    with TestClient(create_app(web_settings), base_url="http://127.0.0.1") as client:
        yield client


#: The header every request that changes data must carry (see afterrun.web.security).
WRITE = {"X-Requested-By": "afterrun"}


class Cli:
    """`afterrun` run in-process with a database and folders of the test's own.

    `cli("plan", "-m", "5")` gives Click's result; `cli.env` is the environment it runs in
    (a test may add to it, e.g. TZ), and `cli.env["AFTERRUN_DB"]` the database file.
    """

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env

    def __call__(self, *args: str, stdin: str | None = None) -> Result:
        from afterrun.cli.main import cli

        return CliRunner().invoke(cli, list(args), env=self.env, prog_name="afterrun", input=stdin)


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    """The command line on an empty database in the test's own folder."""
    return Cli(
        {
            "AFTERRUN_DB": str(tmp_path / "afterrun.db"),
            "AFTERRUN_CONFIG_DIR": str(tmp_path / "config"),
            "AFTERRUN_DATA_DIR": str(tmp_path / "data"),
        }
    )


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium through Playwright, one per test module (a module's async tests
    never share the event loop of another's); skipped without it, except on CI."""
    from playwright.sync_api import sync_playwright

    from browser import chromium_or_skip

    path = chromium_or_skip()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(path), args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    """Where a browser test saves its screenshots: $AFTERRUN_SCREENSHOTS, else its own
    temporary folder; the path is printed."""
    folder = Path(os.environ.get("AFTERRUN_SCREENSHOTS") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)
    print(f"screenshots in {folder}")
    return folder
