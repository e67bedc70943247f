"""Helpers for the browser tests: a live server in a thread, Chromium, and page set-up.

The web app runs under uvicorn in a background thread on a free loopback port, over a
temporary SQLite database (or the test's own); Playwright (sync API) drives Debian's Chromium at a phone's
viewport. Without Chromium the tests skip, except on CI, where they must run.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from activity_files import TCX_RUN, tcx_activity, tcx_file

CHROMIUM = Path("/usr/bin/chromium")
#: A run of 4.7 km in 33 minutes with heart rate (TCX), built by the tests...
RUN_TCX = tcx_file(tcx_activity(TCX_RUN, every=3))
#: ...which ended on 26 Dec 2012 at 22:03 UTC: a server clock for "just after the run".
AFTER_THE_RUN = datetime(2012, 12, 26, 22, 40, tzinfo=UTC)
PHONE = {"width": 390, "height": 844}
#: Where the fake clock starts: a fixed moment, so that runs are repeatable.
CLOCK_START = datetime(2026, 1, 1, 7, 30, tzinfo=UTC)


def chromium_or_skip() -> Path:
    """The browser's path; skip without it, but fail on CI, where it must be there."""
    if CHROMIUM.exists():
        return CHROMIUM
    reason = f"the browser tests need Chromium at {CHROMIUM} (apt-get install chromium)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI is 'true' but {reason}")
    pytest.skip(reason)


@dataclass
class LiveServer:
    """One web app over its own SQLite database, served on 127.0.0.1."""

    url: str
    db_url: str
    server: Any
    thread: threading.Thread

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)

    def cli_json(self, *args: str) -> Any:
        """`afterrun --db URL ARGS` as the terminal would run it, its JSON parsed."""
        from click.testing import CliRunner

        from afterrun.cli.main import cli

        result = CliRunner().invoke(cli, ["--db", self.db_url, *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return json.loads(result.output)

    def history(self) -> list[dict[str, Any]]:
        sessions: list[dict[str, Any]] = self.cli_json("history", "--json")
        return sessions


@contextmanager
def live_server(
    folder: Path,
    now: datetime | None = None,
    club: bool = False,
    db_url: str | None = None,
    **options: Any,
) -> Iterator[LiveServer]:
    """The app on a free port over `db_url` (else SQLite at `folder / 'a.db'`); `now` fixes
    the server's clock (else the real one); `club` serves it as a club's (make the
    database a club first: club_helpers.make_club); `options` set other settings
    (`watch_folders=...`)."""
    import uvicorn

    from afterrun.web.app import create_app
    from afterrun.web.settings import WebSettings

    config_dir = folder / "config"
    config_dir.mkdir(parents=True, exist_ok=True)
    db_url = db_url or f"sqlite:///{folder / 'a.db'}"
    settings = WebSettings(
        db_url=db_url, config_dir=config_dir, import_workers=1, club=club, **options
    )
    if now is not None:
        settings = replace(settings, clock=lambda: now)
    app = create_app(settings)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, name="afterrun-web", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the web server did not start")
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    running = LiveServer(f"http://127.0.0.1:{port}", db_url, server, thread)
    try:
        yield running
    finally:
        running.stop()


def phone_context(browser: Any, scheme: str = "light", **options: Any) -> Any:
    """A fresh profile at a phone's size; service workers only where a test asks."""
    settings: dict[str, Any] = {
        "viewport": PHONE,
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
        "color_scheme": scheme,
        "service_workers": "block",
        "reduced_motion": "reduce",
    }
    settings.update(options)
    return browser.new_context(**settings)


def sign_in_on(page: Any, url: str, name: str) -> None:
    """Sign `name` in on the club's sign-in page, as a member types it on the phone."""
    from playwright.sync_api import expect

    from club_helpers import PASSWORD

    page.goto(f"{url}/signin")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{url}/")


class PageOpener:
    """Pages in fresh phone profiles (`phone_context`) that fail the test at `close` if a
    script threw or the Content-Security-Policy refused something (an inline style or
    script, another origin)."""

    def __init__(self, browser: Any) -> None:
        self.browser = browser
        self.contexts: list[Any] = []
        self.errors: list[str] = []

    def open(self, scheme: str = "light", **options: Any) -> Any:
        context = phone_context(self.browser, scheme, **options)
        self.contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.on("pageerror", lambda error: self.errors.append(f"{page.url}: {error}"))
        page.on("console", lambda message: self._refused(page, message.text))
        return page

    def _refused(self, page: Any, text: str) -> None:
        if "Content Security Policy" in text:
            self.errors.append(f"{page.url}: {text}")

    def close(self) -> None:
        for context in self.contexts:
            context.close()
        assert not self.errors, "script errors:\n" + "\n".join(self.errors)


def install_clock(page: Any) -> None:
    """Playwright's fake clock, paused: time moves only when the test says so."""
    page.clock.install(time=CLOCK_START)
    # The installed clock runs on from CLOCK_START: stop it a moment later.
    page.clock.pause_at(CLOCK_START + timedelta(seconds=1))


def run_file(folder: Path) -> Path:
    """The run written as a file in `folder`, as a user would pick it."""
    path = folder / "morning-run.tcx"
    path.write_bytes(RUN_TCX)
    return path


def import_run(server: LiveServer, page: Any) -> dict[str, Any]:
    """Upload an activity file through the API (as the Runs page does)."""
    answer = page.request.post(
        f"{server.url}/api/imports",
        headers={"X-Requested-By": "afterrun"},
        multipart={
            "files": {
                "name": "morning-run.tcx",
                "mimeType": "application/octet-stream",
                "buffer": RUN_TCX,
            }
        },
    )
    assert answer.ok, answer.text()
    summary: dict[str, Any] = answer.json()
    assert summary["imported"] == 1, summary
    return summary
