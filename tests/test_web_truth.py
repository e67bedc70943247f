"""What the phone shows first and counts, in Chromium at a phone's size: a red flag above
everything else on Today, Cool-down and Check-in, chest pain under emergency services in
the check-in's footer, a cool-down stopped after 3 s saved as nothing done, and an old
run's advice labelled with its age instead of this week's clock times."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from afterrun.core.red_flags import BY_SLUG
from browser import (
    AFTER_THE_RUN,
    PHONE,
    PageOpener,
    import_run,
    install_clock,
    live_server,
)

CHEST_PAIN = BY_SLUG["chest-pain"]
#: Three years and a few days after the test run ended (26 Dec 2012, 22:03 UTC).
YEARS_LATER = AFTER_THE_RUN + timedelta(days=3 * 365 + 5)


@pytest.fixture
def phone(browser: Any) -> Iterator[Callable[[], Page]]:
    pages = PageOpener(browser)
    yield pages.open
    pages.close()


def first_card_under_heading(page: Page) -> Any:
    """The first thing in the page's main column after its heading."""
    return page.locator("main h1 ~ *").first


def test_chest_pain_comes_first_on_every_page_and_is_an_emergency(
    phone: Callable[[], Page], tmp_path: Path
) -> None:
    with live_server(tmp_path, now=AFTER_THE_RUN) as server:
        page = phone()
        import_run(server, page)
        page.goto(f"{server.url}/checkin")
        page.get_by_label(CHEST_PAIN.question).check()
        page.get_by_role("button", name="Save check-in").click()
        result = page.locator("#checkin-result .card.flag")
        expect(result).to_have_text(f"{CHEST_PAIN.banner} (Thompson et al. 2007)")
        assert CHEST_PAIN.banner.startswith(
            "EMERGENCY: chest pain, pressure or tightness during or after a run can be the "
            "heart. Call emergency services now"
        )
        for path, heading in (("/", "Today"), ("/play", "Cool-down"), ("/checkin", "Check-in")):
            page.goto(f"{server.url}{path}")
            expect(page.locator("main h1").first).to_have_text(heading)
            first = first_card_under_heading(page)
            expect(first).to_have_class("flags")
            card = first.locator(".card.flag").first
            expect(card).to_have_text(
                f"EMERGENCY: {CHEST_PAIN.banner.split(': ', 1)[1]} (Thompson et al. 2007)"
            )
            box = card.bounding_box()
            assert box is not None and box["y"] + box["height"] <= PHONE["height"], (
                f"{path}: the sign is on the first screen"
            )
            # No way to start a cool-down: chest pain needs emergency care, not stretching.
            assert page.get_by_role("button", name="Start").count() == 0, path
            expect(page.get_by_role("link", name="Start the cool-down for this run")).to_have_count(
                0
            )
        # The footer of the check-in files chest pain under emergency services, and only there.
        footer = page.locator(".ladder li")
        expect(footer).to_have_count(3)
        rungs = footer.all_text_contents()
        assert rungs[0].startswith("EMERGENCY: chest pain; ")
        assert "Call emergency services now" in rungs[0]
        assert all("chest pain;" not in rung for rung in rungs[1:])


def test_a_cool_down_stopped_after_3_s_is_saved_as_nothing_done(
    phone: Callable[[], Page], tmp_path: Path
) -> None:
    with live_server(tmp_path) as server:
        page = phone()
        install_clock(page)
        page.goto(f"{server.url}/play")
        page.get_by_label("Minutes you have").fill("6")
        with page.expect_response(lambda r: r.url.endswith("/api/sessions")) as answered:
            page.get_by_role("button", name="Start").click()
        timeline = answered.value.json()["timeline"]
        work = [step for step in timeline["steps"] if step["kind"] in ("walk", "hold", "reps")]
        page.clock.run_for(3000)
        page.get_by_role("button", name="Stop and save").click()
        page.get_by_role("alertdialog").get_by_role("button", name="Stop and save").click()
        status = page.locator("#finished-status")
        expect(status).to_have_text(f"Saved: 0 of {len(work)} steps done, 0 skipped.")
        assert len(work) < len(timeline["steps"]), "get-ready, moves and switches not counted"
        [stored] = server.history()
        assert (stored["steps_done"], stored["cool_down"]) == (0, "not-done")


def test_an_old_run_on_today_says_how_old_it_is_and_gives_no_clock_times(
    phone: Callable[[], Page], tmp_path: Path
) -> None:
    with live_server(tmp_path, now=YEARS_LATER) as server:
        page = phone()
        import_run(server, page)
        page.goto(f"{server.url}/")
        expect(page.locator(".run-summary .when")).to_have_text(
            "Wed 26 Dec 2012 21:29 (3 years ago)"
        )
        expect(page.get_by_role("heading", name="What to do, hour by hour")).to_have_count(0)
        expect(page.get_by_role("heading", name="After that run")).to_be_visible()
        expect(page.locator("p.stale")).to_have_text(
            "That run ended 3 years ago (Wed 26 Dec 2012 22:03). This is the advice as it "
            "applied after it, with the training-load model as it stood then: it is not a "
            "plan for today. Add today's run on Runs for today's advice."
        )
        labels = page.locator(".timeline li:not(.topic-red-flags) .at").all_text_contents()
        assert [label.strip() for label in labels] == [
            "At the end",
            "At the end",
            "1 h after",
            "12 h after",
            "1 day after",
            "2 days after",
        ]
        expect(page.get_by_role("link", name="Start a 15-minute cool-down")).to_be_visible()


def test_a_recent_run_on_today_keeps_its_hour_by_hour_advice(
    phone: Callable[[], Page], tmp_path: Path
) -> None:
    with live_server(tmp_path, now=AFTER_THE_RUN) as server:
        page = phone()
        import_run(server, page)
        page.goto(f"{server.url}/")
        expect(page.get_by_role("heading", name="What to do, hour by hour")).to_be_visible()
        expect(page.locator("p.stale")).to_have_count(0)
        first = page.locator(".timeline li .at").first
        expect(first).to_have_text("Wed 22:03")
