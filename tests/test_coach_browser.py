"""The coach's squad page and the athlete's sharing switches, as people see them: Chromium
at a phone's size (390x844, one card per athlete) and a laptop's (1280x800, a table).

Each member signs in on the club's sign-in page with their password, the coach on a
device of their own. Screenshots go to AFTERRUN_SCREENSHOTS (else the test's own
temporary folder).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from afterrun.services.consent import set_share
from afterrun.store import Store
from afterrun.store.shares import Share
from browser import LiveServer, PageOpener, live_server, sign_in_on
from squad import NOW, seed_squad
from test_web_pages_browser import fits_sideways, no_serious_axe_violations

VIEWS = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1280, "height": 800}}


@pytest.fixture
def squad(tmp_path: Path) -> Iterator[LiveServer]:
    """The squad's club, everyone sharing everything with coach Dana, on a live server."""
    with Store.open(f"sqlite:///{tmp_path / 'a.db'}") as store:
        ids = seed_squad(store)
        for name in ("ana", "bo", "cy"):
            set_share(store, ids[name], ids["dana"], Share(True, True, True), NOW)
    with live_server(tmp_path, now=NOW, club=True) as server:
        yield server


@pytest.fixture
def pages(browser: Any) -> Iterator[PageOpener]:
    opener = PageOpener(browser)
    yield opener
    opener.close()


def open_at(pages: PageOpener, view: str, server: LiveServer, name: str) -> Page:
    """A new device of that size with `name` signed in on it."""
    if view == "phone":
        page: Page = pages.open(viewport=VIEWS[view])
    else:
        page = pages.open(
            viewport=VIEWS[view], is_mobile=False, has_touch=False, device_scale_factor=1
        )
    sign_in_on(page, server.url, name)
    return page


@pytest.mark.parametrize("view", VIEWS)
def test_the_coach_finds_the_flagged_athlete_first_and_sorts_by_a_column(
    squad: LiveServer,
    pages: PageOpener,
    shots: Path,
    view: str,
) -> None:
    server = squad
    page = open_at(pages, view, server, "Dana")
    page.goto(f"{server.url}/coach")
    expect(page.get_by_role("heading", name="Your squad this week")).to_be_visible()
    rows = page.locator("#roster tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first.locator("td").first).to_have_text("Ana")
    expect(page.locator(".flags .card.flag")).to_contain_text(
        "SEE A CLINICIAN SOON: Ana reported swelling or bruising."
    )
    fits_sideways(page)
    page.screenshot(path=shots / f"coach-{view}.png", full_page=True)
    if view == "phone":
        # One card per athlete: the labels beside the values, nothing sideways.
        first = rows.first.locator("td").nth(4)
        assert first.evaluate("(cell) => getComputedStyle(cell, '::before').content") == (
            '"Cool-down after it"'
        )
    else:
        athlete = page.locator('th[data-sort="name"]')
        athlete.get_by_role("link").click()
        expect(athlete).to_have_attribute("aria-sort", "ascending")
        athlete.get_by_role("link").click()
        expect(athlete).to_have_attribute("aria-sort", "descending")
        expect(rows.first.locator("td").first).to_have_text("Cy")
        assert page.url.endswith("/coach?sort=-name")
        page.screenshot(path=shots / f"coach-{view}-by-name.png", full_page=True)
    no_serious_axe_violations(page, f"/coach ({view})")


@pytest.mark.parametrize("view", VIEWS)
def test_an_athlete_withdraws_consent_with_a_switch_and_the_coach_sees_it_at_once(
    squad: LiveServer,
    pages: PageOpener,
    shots: Path,
    view: str,
) -> None:
    server = squad
    page = open_at(pages, view, server, "Ana")
    page.goto(f"{server.url}/settings")
    switch = page.get_by_role("switch", name="Soreness and warning signs")
    expect(switch).to_be_checked()
    switch.click()
    sees = page.locator("fieldset.share .sees")
    expect(sees).to_have_text("Coach Dana sees: load and runs, cool-down adherence.")
    sees.scroll_into_view_if_needed()
    page.screenshot(path=shots / f"sharing-{view}.png")
    no_serious_axe_violations(page, f"/settings sharing ({view})")
    page = open_at(pages, view, server, "Dana")
    page.goto(f"{server.url}/coach")
    ana = page.locator("#roster tbody tr", has_text="Ana")
    expect(ana.locator("td").nth(1)).to_have_text("not shared")
    expect(page.locator(".flags")).to_have_count(0)
    ana.get_by_role("link", name="Ana").click()
    expect(page.get_by_role("heading", name="Ana's last 8 weeks")).to_be_visible()
    expect(page.locator("section.not-shared", has_text="Warning signs")).to_contain_text(
        "Not shared with you."
    )
    page.wait_for_load_state("load")  # its style sheets too, before measuring
    page.screenshot(path=shots / f"coach-athlete-{view}.png", full_page=True)
    fits_sideways(page)
    no_serious_axe_violations(page, f"/coach/athletes/N ({view})")


def test_the_coach_saves_a_routine_and_a_bad_file_is_named(
    squad: LiveServer, pages: PageOpener, shots: Path
) -> None:
    from test_routines import WALL_SIT

    server = squad
    page = open_at(pages, "phone", server, "Dana")
    page.goto(f"{server.url}/coach")
    form = page.locator("#routine")
    form.get_by_label("Name").fill("Thursday squad")
    form.get_by_label("Minutes (empty: the athlete's)").fill("20")
    bad = WALL_SIT.replace('position = "standing"', 'position = "sitting"')
    files = form.get_by_label("Club exercises", exact=False)
    files.set_input_files({"name": "squad.toml", "mimeType": "text/plain", "buffer": bad.encode()})
    form.get_by_role("button", name="Save routine").click()
    status = page.locator("#routine-status")
    expect(status).to_have_text(
        "squad.toml: exercise 'club-wall-sit' (entry 1), field 'position': "
        "Input should be 'standing', 'kneeling' or 'lying'."
    )
    status.scroll_into_view_if_needed()
    page.screenshot(path=shots / "routine-refused-phone.png")
    files.set_input_files(
        {"name": "squad.toml", "mimeType": "text/plain", "buffer": WALL_SIT.encode()}
    )
    form.get_by_role("button", name="Save routine").click()
    expect(status).to_have_text("Routine saved.")
    page.reload()
    expect(page.locator("#routine-now")).to_have_text("Thursday squad: club-wall-sit")
    page = open_at(pages, "phone", server, "Ana")
    page.goto(f"{server.url}/play")
    expect(page.get_by_text("Routine from coach Dana: Thursday squad.")).to_be_visible()
    expect(page.get_by_label("Minutes you have")).to_have_value("20")
    page.screenshot(path=shots / "routine-play-phone.png")
