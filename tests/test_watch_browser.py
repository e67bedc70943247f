"""The phone's Today page, left open while `serve --watch` imports a run dropped into the
watched folder: the run and its cool-down appear in place, without a reload."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from activity_files import Leg, fit_file
from browser import PageOpener, live_server


@pytest.fixture
def phone(browser: Any) -> Iterator[Callable[..., Page]]:
    pages = PageOpener(browser)
    yield pages.open
    pages.close()


def test_a_run_dropped_into_the_watched_folder_appears_on_today_without_a_reload(
    phone: Callable[..., Page], tmp_path: Path, shots: Path
) -> None:
    inbox = tmp_path / "Garmin"
    inbox.mkdir()
    run = Leg(
        start=datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1),
        seconds=2400,
        metres_per_second=3.2,
    )
    with live_server(
        tmp_path, watch_folders=(inbox,), watch_settle=0.5, today_check_seconds=0.5
    ) as server:
        page = phone()
        loads: list[str] = []
        page.on("load", lambda: loads.append(page.url))
        page.goto(server.url + "/")
        expect(page.get_by_role("heading", name="No runs yet")).to_be_visible()
        expect(page.locator("#precise")).to_be_hidden()
        page.evaluate("window.stillTheSamePage = true")

        (inbox / "evening-run.fit").write_bytes(fit_file([run]))

        news = page.get_by_role("status").filter(has_text="New run imported")
        expect(news).to_have_text(
            "New run imported: the advice and cool-down below are for it.", timeout=20_000
        )
        expect(page.get_by_role("heading", name="Latest run")).to_be_visible()
        expect(page.locator(".run-summary .facts")).to_contain_text("7.68 km")
        expect(page.get_by_role("link", name="Start the cool-down for this run")).to_be_visible()
        expect(page.get_by_role("heading", name="No runs yet")).to_have_count(0)
        expect(page.locator("#precise")).to_be_visible()
        assert page.evaluate("window.stillTheSamePage") is True
        assert loads == [server.url + "/"]
        page.screenshot(path=str(shots / "today-new-run.png"))
        runs = server.cli_json("runs", "--json")
    assert len(runs) == 1
