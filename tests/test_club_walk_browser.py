"""The club as its members live it, on their own phones (Chromium, 390x844), with real
sign-in: Ana, the admin, invites Ben (athlete) and Dana (coach); Ben opens his link, sets
his password, uploads a run on the Runs tab, does a short cool-down, saves a check-in with
a warning sign and shares everything with Dana; Dana signs in and finds Ben at the top of
her squad with the warning sign; Ben switches sharing off and Dana no longer sees him.
Screenshots go to AFTERRUN_SCREENSHOTS (else the test's own temporary folder).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from activity_files import Leg, fit_file
from afterrun.services import club
from afterrun.store import Store
from browser import LiveServer, PageOpener, live_server
from test_web_browser import start_session
from test_web_pages_browser import fits_sideways

BASE = "https://club.example"
BEN_PASSWORD = "bens own long password"  # noqa: S105 - the test's
DANA_PASSWORD = "danas own long password"  # noqa: S105 - the test's
SWITCHES = ("Load and runs", "Cool-down adherence", "Soreness and warning signs")
SEES_ALL = "Coach Dana sees: load and runs, cool-down adherence, soreness and warning signs."
SEES_NOTHING = "Coach Dana sees nothing of yours."


def token(link: club.Link) -> str:
    return link.url.rsplit("/", 1)[1]


def set_up_club(db_url: str, now: datetime) -> str:
    """Ana's club with Ben and Dana invited; Dana has already set her password on her
    phone. Returns Ben's invitation path."""
    with Store.open(db_url) as store:
        club.init_club(store, "Ana", BASE, now)
        ben = club.invite(store, "Ben", "athlete", BASE, now, club.DEFAULT_LINK_LIFE)
        dana = club.invite(store, "Dana", "coach", BASE, now, club.DEFAULT_LINK_LIFE)
        assert club.set_password(store, token(dana), DANA_PASSWORD, now) is not None
    return f"/invite/{token(ben)}"


def bens_first_evening(
    page: Page, server: LiveServer, invitation: str, run: Path, shots: Path
) -> None:
    """Ben's link, his password, his run, a cool-down and a check-in with a warning sign."""
    page.goto(server.url + invitation)
    expect(page.get_by_role("heading", name="Welcome, Ben")).to_be_visible()
    page.get_by_label("New password").fill(BEN_PASSWORD)
    page.get_by_role("button", name="Set password and sign in").click()
    expect(page).to_have_url(server.url + "/")
    page.screenshot(path=shots / "walk-1-ben-today.png", full_page=True)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Runs").click()
    page.get_by_label("FIT, GPX or TCX files").set_input_files(run)
    page.get_by_role("button", name="Upload and import").click()
    expect(page.locator("#upload-status")).to_contain_text("imported 1,")
    page.reload()
    expect(page.locator("ul.runs > li")).to_have_count(1)
    page.screenshot(path=shots / "walk-2-ben-runs.png", full_page=True)

    started = start_session(page, server, minutes=4)
    page.clock.run_for(started["timeline"]["total_ms"] + 1000)
    finished = page.locator("#finished")
    expect(finished).to_have_attribute("data-status", "completed")
    expect(page.get_by_role("heading", name="Cool-down done")).to_be_visible()
    page.screenshot(path=shots / "walk-3-ben-cool-down-done.png", full_page=True)
    page.clock.resume()

    page.goto(server.url + "/checkin")
    page.locator("#area-calves").fill("6")
    page.get_by_label("Dark, tea- or cola-coloured urine?").check()
    page.get_by_role("button", name="Save check-in").click()
    result = page.locator("#checkin-result")
    expect(result.get_by_role("heading", name="Check-in saved: read this first")).to_be_visible()
    page.screenshot(path=shots / "walk-4-ben-check-in.png", full_page=True)


def switch_all(page: Page, on: bool, sees: str) -> None:
    sharing = page.locator("fieldset.share", has_text="Dana")
    for label in SWITCHES:
        switch = sharing.get_by_role("switch", name=label)
        expect(switch).to_be_checked(checked=not on)
        switch.click()
        expect(switch).to_be_checked(checked=on)
    expect(sharing.locator(".sees")).to_have_text(sees)


def dana_finds_ben_first(page: Page, server: LiveServer, shots: Path) -> str:
    """Dana signs in on her phone and finds Ben at the top of her squad with his warning
    sign; returns the address of his page."""
    page.goto(server.url + "/coach")
    expect(page).to_have_url(server.url + "/signin")
    page.get_by_label("Name").fill("Dana")
    page.get_by_label("Password").fill(DANA_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(server.url + "/")
    page.goto(server.url + "/coach")
    rows = page.locator("#roster tbody tr")
    expect(rows).to_have_count(1)
    cells = rows.first.locator("td")
    expect(cells.first).to_have_text("Ben")
    expect(cells.nth(1)).to_contain_text("dark urine")
    expect(cells.nth(3)).to_have_text("very hard")
    expect(cells.nth(4)).to_have_text("done")  # the cool-down after it
    expect(cells.nth(5)).to_have_text("1 of 1")
    flag = page.locator(".flags .card.flag")
    expect(flag).to_have_count(1)
    expect(flag).to_contain_text("Ben reported dark urine.")
    fits_sideways(page)
    page.screenshot(path=shots / "walk-6-dana-squad.png", full_page=True)
    flag.get_by_role("link", name="Ben").click()
    expect(page.get_by_role("heading", name="Ben's last 8 weeks")).to_be_visible()
    page.screenshot(path=shots / "walk-7-dana-bens-report.png")
    return page.url


def test_a_coach_sees_an_athlete_while_he_shares_and_no_longer_once_he_stops(
    browser: Any, tmp_path: Path, shots: Path
) -> None:
    now = datetime.now(UTC)
    invitation = set_up_club(f"sqlite:///{tmp_path / 'a.db'}", now)
    run = tmp_path / "tuesday-intervals.fit"
    # A hard run that ended 25 minutes ago: the cool-down follows it within the hour.
    start = now - timedelta(minutes=70)
    hard = Leg(start=start, seconds=2700, metres_per_second=4.3, heart_rate=174)
    run.write_bytes(fit_file([hard]))
    pages = PageOpener(browser)
    try:
        with live_server(tmp_path, club=True) as server:
            ben = pages.open()
            bens_first_evening(ben, server, invitation, run, shots)

            ben.goto(server.url + "/settings")
            expect(ben.get_by_text("Signed in as Ben (athlete).")).to_be_visible()
            switch_all(ben, True, SEES_ALL)
            ben.locator("fieldset.share").scroll_into_view_if_needed()
            ben.screenshot(path=shots / "walk-5-ben-shares.png")

            dana = pages.open()  # her own phone
            athlete_page = dana_finds_ben_first(dana, server, shots)

            ben.reload()
            switch_all(ben, False, SEES_NOTHING)
            ben.screenshot(path=shots / "walk-8-ben-withdraws.png")

            dana.goto(server.url + "/coach")
            expect(dana.locator("#roster tbody tr")).to_have_count(0)
            expect(dana.locator(".flags")).to_have_count(0)
            assert "Ben" not in dana.locator("main").inner_text()
            dana.screenshot(path=shots / "walk-9-dana-squad-empty.png", full_page=True)
            gone = dana.goto(athlete_page)
            assert gone is not None and gone.status == 404
            expect(dana.get_by_text("There is no such athlete on your roster.")).to_be_visible()
            # The way back is the squad, not a runner's Today.
            expect(dana.get_by_role("link", name="Back to your squad")).to_have_attribute(
                "href", "/coach"
            )
            dana.screenshot(path=shots / "walk-10-dana-bens-page-gone.png", full_page=True)
    finally:
        pages.close()
