"""On the phone, in a club (SQLite and PostgreSQL): bring an `afterrun export` on the
Settings page and watch it come in (in the background on PostgreSQL), download your own
export, and delete your account once your name is typed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from afterrun.store import Store
from browser import PageOpener, live_server, sign_in_on
from club_helpers import make_club
from test_your_data import NOW, personal_export, rows

__all__ = ["personal_export"]  # a fixture this module's test uses


def test_bring_export_and_delete_ones_data_on_the_phone(
    browser: Any, db_url: str, personal_export: bytes, tmp_path: Path, shots: Path
) -> None:
    ana = make_club(db_url, ("Ana", "athlete"), admin="Ada", now=NOW)["Ana"]
    exported = tmp_path / "afterrun.json"
    exported.write_bytes(personal_export)
    pages = PageOpener(browser)
    try:
        with live_server(tmp_path, club=True, db_url=db_url, data_dir=tmp_path / "data") as server:
            club_url = server.url
            page = pages.open()
            sign_in_on(page, club_url, "Ana")
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
            backend = "postgresql" if db_url.startswith("postgresql") else "sqlite"
            page.screenshot(path=shots / f"settings-your-data-{backend}.png")

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
            expect(page).to_have_url(f"{club_url}/signin")
    finally:
        pages.close()
