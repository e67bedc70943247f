"""On the phone, in a club (SQLite and PostgreSQL): bring an `afterrun export` on the
Settings page and watch it come in (in the background on PostgreSQL), download your own
export, and delete your account once your name is typed."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from afterrun.store import Store
from afterrun.web.app import create_app
from afterrun.web.settings import WebSettings
from browser import PageOpener
from club_as import as_athlete, as_cookie
from test_your_data import NOW, personal_export, rows

__all__ = ["personal_export"]  # a fixture this module's test uses


@pytest.fixture
def club_url(db_url: str, tmp_path: Path) -> Iterator[str]:
    """A club app served on a free port, each request as whoever X-Test-As names."""
    import uvicorn

    settings = WebSettings(
        db_url=db_url, config_dir=tmp_path / "config", club=True, data_dir=tmp_path / "data"
    )
    app = as_athlete(create_app(settings))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, name="afterrun-club", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the club did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"
    server.should_exit = True
    thread.join(timeout=30)


def test_bring_export_and_delete_ones_data_on_the_phone(
    browser: Any,
    club_url: str,
    db_url: str,
    personal_export: bytes,
    tmp_path: Path,
    shots: Path,
) -> None:
    with Store.open(db_url) as store:
        ana = store.add_athlete("Ana", NOW)
    exported = tmp_path / "afterrun.json"
    exported.write_bytes(personal_export)
    pages = PageOpener(browser)
    try:
        page = pages.open()
        page.context.add_cookies([as_cookie(ana, "Ana", club_url)])
        page.goto(f"{club_url}/settings")
        page.get_by_label("An afterrun export file").set_input_files(exported)
        page.get_by_role("button", name="Upload and restore").click()
        status = page.locator("#bring-status")
        expect(status).to_have_text(
            "1 file, 3 activities: imported 3, replaced 0, already there 0, partial 0, failed 0.",
            timeout=60_000,
        )
        expect(page.locator("#bring-result")).to_contain_text(
            "Restored from afterrun.json: 1 cool-down, 2 check-ins, already there 0"
        )
        page.screenshot(
            path=shots
            / f"settings-your-data-{'postgresql' if db_url.startswith('postgresql') else 'sqlite'}.png"
        )

        with page.expect_download() as downloading:
            page.get_by_role("link", name="Export everything (JSON)").click()
        mine = json.loads(Path(downloading.value.path()).read_text())
        assert (len(mine["runs"]), len(mine["sessions"]), len(mine["checkins"])) == (3, 1, 2)

        confirm = page.get_by_label("Type your name, Ana, to confirm")
        confirm.fill("Bea")
        page.get_by_role("button", name="Delete my account and data").click()
        expect(page.locator("#delete-status")).to_have_text(
            "Type your name, Ana, to confirm: nothing was deleted."
        )
        assert rows(db_url, ana)["activities"] == 3
        confirm.fill("Ana")
        with page.expect_navigation():
            page.get_by_role("button", name="Delete my account and data").click()
        assert rows(db_url, ana) == dict.fromkeys(rows(db_url, ana), 0)
        with Store.open(db_url) as store:
            assert store.find_athlete("Ana") is None
    finally:
        pages.close()
