"""A club member's first minutes on a phone (Chromium, 390x844): the invitation link, a
password too short then a good one, Today, signing out and in again, and the same link
opened a second time, which is refused with a clear page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from afterrun.services import club
from afterrun.store import Store
from browser import PageOpener, live_server
from club_helpers import make_club


def test_an_invited_member_sets_a_password_signs_in_and_out(
    browser: Any, tmp_path: Path, shots: Path
) -> None:
    db_url = f"sqlite:///{tmp_path / 'a.db'}"
    make_club(db_url)
    with Store.open(db_url) as store:
        link = club.invite(
            store, "Bea", "athlete", "http://x", datetime.now(UTC), timedelta(days=7)
        )
    path = "/invite/" + link.url.rsplit("/", 1)[1]
    pages = PageOpener(browser)
    try:
        with live_server(tmp_path, club=True) as server:
            page = pages.open()
            page.goto(server.url + "/")
            expect(page).to_have_url(server.url + "/signin")

            page.goto(server.url + path)
            expect(page.get_by_role("heading", name="Welcome, Bea")).to_be_visible()
            page.screenshot(path=shots / "club-invitation.png", full_page=True)
            page.get_by_label("New password").fill("too short")
            page.get_by_role("button", name="Set password and sign in").click()
            # the browser's own check (minlength) speaks first; the server says the same
            page.get_by_label("New password").evaluate(
                "(input) => input.removeAttribute('minlength')"
            )
            page.get_by_role("button", name="Set password and sign in").click()
            expect(page.locator(".club-status")).to_contain_text(
                "A password needs at least 10 characters"
            )
            page.get_by_label("New password").fill("my own long password")
            page.get_by_role("button", name="Set password and sign in").click()
            expect(page).to_have_url(server.url + "/")
            expect(page).to_have_title("Today · afterrun")

            page.goto(server.url + "/settings")
            expect(page.get_by_text("Signed in as Bea (athlete).")).to_be_visible()
            kept = "caches.open('afterrun-v3').then((c) => c.put('/runs', new Response('Bea')))"
            page.evaluate(kept)  # as the service worker keeps pages for offline use
            page.get_by_role("button", name="Sign out").click()
            expect(page).to_have_url(server.url + "/signin")
            assert page.evaluate("caches.keys()") == [], "the next person sees none of Bea's"

            page.goto(server.url + path)
            expect(page.get_by_role("heading", name="This link no longer works")).to_be_visible()
            expect(page.get_by_text(club.LINK_GONE)).to_be_visible()
            page.screenshot(path=shots / "club-link-gone.png", full_page=True)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, "the page fits a phone's width"

            page.goto(server.url + "/signin")
            page.get_by_label("Name").fill("bea")
            page.get_by_label("Password").fill("not my password!")
            page.get_by_role("button", name="Sign in").click()
            expect(page.locator(".club-status")).to_have_text(
                "That name and password do not match: try again, or ask your club admin for "
                "a new link."
            )
            page.screenshot(path=shots / "club-signin-wrong.png", full_page=True)
            page.get_by_label("Password").fill("my own long password")
            page.get_by_role("button", name="Sign in").click()
            expect(page).to_have_url(server.url + "/")
    finally:
        pages.close()
