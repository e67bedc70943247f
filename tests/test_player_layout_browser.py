"""The player as a runner sees it, upright (390x844) and on its side (844x390), light and
dark: the countdown, the drawing and what to do are on the screen without scrolling and
nothing covers them; "It hurts" says so in the cue box and its offer takes the controls'
place; "Carry on, gently" shortens the next hold on that side; "Stop and save" asks first;
the swinging figure stands still while paused; axe finds nothing serious, paused included.

Screenshots go to AFTERRUN_SCREENSHOTS (else the test's tmp path); each test prints where.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from browser import (
    AFTER_THE_RUN,
    LiveServer,
    import_run,
    install_clock,
    live_server,
    phone_context,
)

SIZES = {"upright": {"width": 390, "height": 844}, "on its side": {"width": 844, "height": 390}}
SERIOUS = ("serious", "critical")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LiveServer]:
    """A database of its own: a pain in one test must not ease the next one's plan."""
    with live_server(tmp_path) as running:
        yield running


def _page(browser: Any, size: str, scheme: str, motion: str = "reduce") -> tuple[Any, Page]:
    context = phone_context(browser, scheme, viewport=SIZES[size], reduced_motion=motion)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


def _start(page: Page, server: LiveServer, minutes: int = 15) -> dict[str, Any]:
    install_clock(page)
    page.goto(f"{server.url}/play")
    page.get_by_label("Minutes you have").fill(str(minutes))

    def is_start(response: Any) -> bool:
        return response.url == f"{server.url}/api/sessions" and response.request.method == "POST"

    with page.expect_response(is_start) as answered:
        page.get_by_role("button", name="Start").click()
    timeline: dict[str, Any] = answered.value.json()["timeline"]
    expect(page.locator("#player")).to_be_visible()
    return timeline


def _first_sided_hold(timeline: dict[str, Any]) -> int:
    return next(
        i
        for i, s in enumerate(timeline["steps"])
        if s["kind"] == "hold" and s["side"] and s["eases"]
    )


def _shot(page: Page, shots: Path, name: str) -> None:
    path = shots / f"{name}.png"
    page.screenshot(path=str(path))
    print(f"screenshot: {path}")


def _problems(page: Page, ids: list[str]) -> list[str]:
    """Each element whole inside the viewport at the top of the page, and on top where it
    is drawn (its centre and corners are itself, not the dock, an offer or the tab bar)."""
    found: list[str] = page.evaluate(
        """(ids) => {
        const out = [];
        const width = window.innerWidth, height = window.innerHeight;
        for (const id of ids) {
          const element = document.getElementById(id);
          const box = element.getBoundingClientRect();
          if (!box.width || !box.height) { out.push(`${id}: not shown`); continue; }
          if (box.left < 0 || box.top < 0 || box.right > width + 0.5 || box.bottom > height + 0.5) {
            out.push(`${id}: ${JSON.stringify(box)} is not inside ${width}x${height}`);
            continue;
          }
          const inset = Math.min(16, box.width / 4, box.height / 4);
          for (const [x, y] of [[box.left + box.width / 2, box.top + box.height / 2],
              [box.left + inset, box.top + inset], [box.right - inset, box.top + inset],
              [box.left + inset, box.bottom - inset], [box.right - inset, box.bottom - inset]]) {
            const top = document.elementFromPoint(x, y);
            if (!top || !(top === element || element.contains(top))) {
              out.push(`${id}: (${Math.round(x)}, ${Math.round(y)}) shows ${top ? top.id || top.className || top.tagName : "nothing"}`);
            }
          }
        }
        return out;
      }""",
        ids,
    )
    return found


def _overlap(page: Page, one: str, other: str) -> bool:
    a = page.locator(one).bounding_box()
    b = page.locator(other).bounding_box()
    assert a is not None and b is not None
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def _serious(page: Page, label: str) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    page.clock.resume()  # axe waits on timers
    results = Axe().run(page)
    return [
        f"{label}: {v['id']}: {[' '.join(n['target']) for n in v['nodes'][:3]]}"
        for v in results.response["violations"]
        if v["impact"] in SERIOUS
    ]


SEEN = ["kind", "exercise", "figure", "clock", "cue", "next", "pause", "hurt", "quit"]
BOTH = pytest.mark.parametrize("size", list(SIZES))
SCHEMES = pytest.mark.parametrize("scheme", ["light", "dark"])


@pytest.fixture
def phone(browser: Any, request: pytest.FixtureRequest) -> Iterator[tuple[Page, str]]:
    """A page at the test's size and scheme, and the tag its screenshots are named by."""
    size, scheme = request.node.callspec.params["size"], request.node.callspec.params["scheme"]
    context, page = _page(browser, size, scheme)
    try:
        yield page, f"{SIZES[size]['width']}x{SIZES[size]['height']}-{scheme}"
    finally:
        context.close()


def _in_a_hold(page: Page, server: LiveServer) -> dict[str, Any]:
    """Five seconds into the first hold that has a side (calf stretch, right)."""
    timeline = _start(page, server)
    step: dict[str, Any] = timeline["steps"][_first_sided_hold(timeline)]
    page.clock.run_for(step["start_ms"] + 5000)
    expect(page.locator("#exercise")).to_have_text(step["name"])
    expect(page.locator("#figure")).to_have_js_property("complete", True)
    return step


def _hurt(page: Page, server: LiveServer) -> dict[str, Any]:
    step = _in_a_hold(page, server)
    page.get_by_role("button", name="It hurts").click()
    expect(page.get_by_role("alertdialog")).to_be_visible()
    return step


def _position(page: Page) -> int:
    """The session's position in ms, as the player works it out."""
    position: int = page.evaluate(
        "() => { const s = JSON.parse(localStorage.getItem('afterrun.session'));"
        " const p = window.afterrunPlayer; const state = p.replay(s.timeline, s.events);"
        " return p.positionOf(state.timeline, state, Date.now() - s.startWall); }"
    )
    return position


def _step_start(page: Page, index: int) -> int:
    """Where step `index` starts in the timeline the player now plays."""
    start: int = page.evaluate(
        "(i) => { const s = JSON.parse(localStorage.getItem('afterrun.session'));"
        " return window.afterrunPlayer.replay(s.timeline, s.events).timeline.steps[i].start_ms; }",
        index,
    )
    return start


@SCHEMES
@BOTH
def test_a_hold_is_on_one_screen_with_nothing_over_it(
    phone: tuple[Page, str], server: LiveServer, shots: Path, size: str, scheme: str
) -> None:
    page, tag = phone
    _in_a_hold(page, server)
    page.evaluate("window.scrollTo(0, 0)")
    _shot(page, shots, f"hold-{tag}")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= SIZES[size]["width"]
    assert page.evaluate("document.scrollingElement.scrollHeight") <= SIZES[size]["height"]
    assert not _problems(page, SEEN)
    expect(page.locator(".tabs")).to_be_hidden()


@SCHEMES
@BOTH
def test_it_hurts_says_so_and_its_offer_takes_the_controls_place(
    phone: tuple[Page, str], server: LiveServer, shots: Path, size: str, scheme: str
) -> None:
    page, tag = phone
    step = _hurt(page, server)
    expect(page.locator("#cue")).to_have_text(
        f"Pain noted ({step['area']}, {step['side']} side). Paused."
    )
    # one way on at a time: no "Resume" beside "Carry on, gently", no "It hurts" again
    expect(page.get_by_role("button", name="Resume")).to_be_hidden()
    expect(page.get_by_role("button", name="It hurts")).to_be_hidden()
    page.evaluate("window.scrollTo(0, 0)")
    _shot(page, shots, f"hurt-offer-{tag}")
    assert not _problems(page, ["clock", "cue", "next", "offer", "skip-exercise", "carry-on"])
    assert not _overlap(page, "#offer", "#next")
    problems = _serious(page, f"offer {tag}")
    assert not problems, "\n".join(problems)


@SCHEMES
@BOTH
def test_carrying_on_gently_shortens_the_next_hold_on_that_side(
    phone: tuple[Page, str], server: LiveServer, shots: Path, size: str, scheme: str
) -> None:
    page, tag = phone
    step = _hurt(page, server)
    page.get_by_role("alertdialog").get_by_role("button", name="Carry on, gently").click()
    expect(page.get_by_role("alertdialog")).to_be_hidden()
    expect(page.locator("#pause")).to_have_text("Pause")
    gentle = step["eases"][0]
    page.clock.run_for(_step_start(page, gentle) - _position(page) + 500)
    expect(page.locator("#kind")).to_have_text("Hold · gently")
    expect(page.locator("#clock")).to_have_text("15")
    expect(page.locator("#step-text")).to_contain_text("Gently: ease off to a mild stretch")
    said = [c["text"] for c in page.evaluate("window.afterrunCueLog")]
    side = step["side"].capitalize()
    assert f"Gently now. {side} side, hold 15 seconds: a mild stretch only." in said
    page.evaluate("window.scrollTo(0, 0)")
    _shot(page, shots, f"gentle-hold-{tag}")
    assert not _problems(page, SEEN)
    # the hold ends after its 15 s, and the server's replay agrees
    page.clock.run_for(15_000)
    expect(page.locator("#kind")).to_have_text("Switch sides")


@SCHEMES
@BOTH
def test_stop_and_save_asks_first(
    phone: tuple[Page, str], server: LiveServer, shots: Path, size: str, scheme: str
) -> None:
    page, tag = phone
    _in_a_hold(page, server)
    page.get_by_role("button", name="Stop and save").click()
    question = page.get_by_role("alertdialog")
    expect(question).to_contain_text("Stop here?")
    expect(page.get_by_role("button", name="Keep going")).to_be_focused()
    page.evaluate("window.scrollTo(0, 0)")
    _shot(page, shots, f"stop-question-{tag}")
    assert not _problems(page, ["confirm", "keep-going", "quit-confirm", "clock", "next"])
    page.get_by_role("button", name="Keep going").click()
    expect(page.locator("#pause")).to_be_visible()
    expect(page.locator("#quit")).to_be_focused()
    expect(page.locator("#finished")).to_be_hidden()


@SCHEMES
@BOTH
def test_the_paused_countdown_is_muted_and_keeps_its_contrast(
    phone: tuple[Page, str], server: LiveServer, shots: Path, size: str, scheme: str
) -> None:
    page, tag = phone
    _in_a_hold(page, server)
    page.get_by_role("button", name="Pause").click()
    expect(page.locator("#player")).to_have_class(re.compile(r"\bpaused\b"))
    expect(page.locator("#pause")).to_have_text("Resume")
    page.evaluate("window.scrollTo(0, 0)")
    _shot(page, shots, f"paused-{tag}")
    assert not _problems(page, SEEN)
    problems = _serious(page, f"paused {tag}")
    assert not problems, "\n".join(problems)


def test_stopping_for_real_saves_as_quit(browser: Any, server: LiveServer) -> None:
    context, page = _page(browser, "upright", "light")
    try:
        timeline = _start(page, server, minutes=3)
        page.clock.run_for(timeline["steps"][1]["start_ms"] + 2000)
        page.get_by_role("button", name="Stop and save").click()
        expect(page.locator("#finished")).to_be_hidden()
        page.get_by_role("alertdialog").get_by_role("button", name="Stop and save").click()
        expect(page.locator("#finished")).to_have_attribute("data-status", "quit")
    finally:
        context.close()


@pytest.mark.parametrize("motion", ["no-preference", "reduce"])
def test_the_swinging_figure_stands_still_while_paused_and_under_reduced_motion(
    browser: Any, server: LiveServer, motion: str
) -> None:
    context, page = _page(browser, "upright", "light", motion=motion)
    try:
        timeline = _start(page, server)
        swings = next(s for s in timeline["steps"] if s["kind"] == "reps")
        page.clock.run_for(swings["start_ms"] + 2000)
        figure = page.locator("#figure")
        moving = motion == "no-preference"
        expect(figure).to_have_attribute(
            "src", swings["illustration"] if moving else swings["still"]
        )
        page.get_by_role("button", name="Pause").click()
        expect(figure).to_have_attribute("src", swings["still"])
        page.get_by_role("button", name="Resume").click()
        expect(figure).to_have_attribute(
            "src", swings["illustration"] if moving else swings["still"]
        )
        # the still drawing has no animation running: every animated group is at rest
        still = page.request.get(f"{server.url}{swings['still']}").text()
        assert ".arx-anim{animation:none!important}" in still
        assert "animation:" in page.request.get(f"{server.url}{swings['illustration']}").text()
    finally:
        context.close()


def test_the_players_eased_timeline_is_the_engines(browser: Any, server: LiveServer) -> None:
    """The phone rebuilds its timeline after 'carry on, gently' as the engine recompiles it."""
    from datetime import UTC, datetime

    from afterrun.core.engine import SessionEngine
    from afterrun.core.plan import Plan
    from afterrun.web.timeline_json import timeline_json

    context, page = _page(browser, "upright", "light")
    try:
        timeline = _start(page, server)
        hold = _first_sided_hold(timeline)
        stored = max(server.history(), key=lambda s: s["id"])
        engine = SessionEngine(Plan.from_json(stored["plan"]))
        engine.start(0.0)
        at = timeline["steps"][hold]["start_ms"] / 1000 + 3
        engine.poll(at)
        engine.hurt(at, datetime(2026, 1, 1, tzinfo=UTC))
        engine.decline_offer(at + 1)
        want = timeline_json(engine.timeline)
        got = page.evaluate(
            "([t, eased]) => window.afterrunPlayer.easedTimeline(t, eased)",
            [timeline, timeline["steps"][hold]["eases"]],
        )
        assert got["total_ms"] == want["total_ms"]
        assert [(s["start_ms"], s["end_ms"], s["text"]) for s in got["steps"]] == [
            (s["start_ms"], s["end_ms"], s["text"]) for s in want["steps"]
        ]
        assert got["cues"] == want["cues"]
    finally:
        context.close()


@pytest.mark.parametrize("width", [390, 360])
def test_todays_start_button_keeps_cool_down_on_one_line(
    browser: Any, tmp_path: Path, shots: Path, width: int
) -> None:
    context = phone_context(browser, viewport={"width": width, "height": 844})
    # just after the test run, so that Today offers a cool-down for it
    with live_server(tmp_path / "today", now=AFTER_THE_RUN) as server:
        _check_start_buttons(context, server, shots, width)


def _check_start_buttons(context: Any, server: LiveServer, shots: Path, width: int) -> None:
    try:
        page = context.new_page()
        page.goto(f"{server.url}/")
        button = page.get_by_role("link", name="Start a 15-minute cool-down")
        expect(button).to_be_visible()
        _shot(page, shots, f"today-start-{width}")
        lines = button.evaluate(
            "b => [...b.querySelectorAll('.nowrap')].map(s => s.getClientRects().length)"
        )
        assert lines == [1, 1]
        # one label that wraps as text (at most two lines), not words laid out side by side
        tops = button.evaluate(
            "b => { const r = document.createRange(); r.selectNodeContents(b);"
            " return [...new Set([...r.getClientRects()].map(x => Math.round(x.top)))]; }"
        )
        assert len(tops) <= 2, tops
        starts = button.evaluate(
            "b => { const r = document.createRange(); const t = b.firstElementChild.firstChild;"
            " r.setStart(t, 0); r.setEnd(t, t.length); return r.getClientRects().length; }"
        )
        assert starts == 1
        # with a run, the button names it
        import_run(server, page)
        page.goto(f"{server.url}/")
        run_button = page.get_by_role("link", name="Start the cool-down for this run")
        expect(run_button).to_be_visible()
        assert run_button.evaluate("b => b.querySelector('.nowrap').getClientRects().length") == 1
    finally:
        context.close()


def test_the_get_ready_says_its_text_once(browser: Any, server: LiveServer) -> None:
    context, page = _page(browser, "upright", "light")
    try:
        timeline = _start(page, server)
        page.clock.run_for(1500)
        first = timeline["steps"][0]
        assert first["kind"] == "get-ready"
        expect(page.locator("#cue")).to_have_text(first["text"])
        expect(page.locator("#step-text")).to_be_hidden()
        # the countdown takes the cue box: the instruction is back on the screen
        page.clock.run_for(first["end_ms"] - 1500 - 2500)
        expect(page.locator("#cue")).to_have_text("3")
        expect(page.locator("#step-text")).to_have_text(first["text"])
    finally:
        context.close()


def test_an_eased_exercise_shows_why_and_keeps_its_tip(
    browser: Any, server: LiveServer, shots: Path
) -> None:
    """After a pain in the calves, the next cool-down eases them: the note says so, and
    the exercise's own tip is still there."""
    context, page = _page(browser, "upright", "light")
    try:
        _hurt(page, server)
        page.get_by_role("button", name="Skip the rest").click()
        page.get_by_role("button", name="Stop and save").click()
        page.get_by_role("alertdialog").get_by_role("button", name="Stop and save").click()
        expect(page.locator("#finished")).to_have_attribute("data-status", "quit")
    finally:
        context.close()
    context, page = _page(browser, "upright", "light")
    try:
        timeline = _start(page, server)
        calf = next(s for s in timeline["steps"] if s["area"] == "calves" and s["kind"] == "hold")
        assert calf["note"].startswith("Eased: calves hurt")
        assert calf["tip"]
        page.clock.run_for(calf["start_ms"] + 2000)
        expect(page.locator("#note")).to_have_text(calf["note"])
        expect(page.locator("#tip")).to_have_text(f"Tip: {calf['tip']}")
        _shot(page, shots, "eased-note-and-tip-390x844-light")
        assert not _problems(page, ["note", "tip", "next", "clock"])
    finally:
        context.close()


@BOTH
def test_every_step_fits_its_screen_whatever_its_heading(
    browser: Any, server: LiveServer, shots: Path, size: str
) -> None:
    """Each exercise's first hold or set, long names and lying figures included: headings
    wrap clear of the bar above and the picture below, and nothing leaves the screen."""
    context, page = _page(browser, size, "light")
    tag = f"{SIZES[size]['width']}x{SIZES[size]['height']}"
    try:
        timeline = _start(page, server, minutes=25)
        seen: set[str] = set()
        problems: list[str] = []
        at = 0
        for step in timeline["steps"]:
            if step["kind"] not in ("hold", "reps", "walk") or step["name"] in seen:
                continue
            seen.add(step["name"])
            page.clock.run_for(step["start_ms"] + 1000 - at)
            at = step["start_ms"] + 1000
            expect(page.locator("#exercise")).to_have_text(step["name"])
            expect(page.locator("#figure")).to_have_js_property("complete", True)
            label = f"{step['name']} ({tag})"
            problems += [f"{label}: {p}" for p in _problems(page, SEEN)]
            for one, other in (("#exercise", ".player-head"), ("#exercise", ".stage")):
                if _overlap(page, one, other):
                    problems.append(f"{label}: {one} overlaps {other}")
            slug = step["exercise"]
            _shot(page, shots, f"step-{slug}-{len(seen)}-{tag}")
        assert len(seen) >= 5
        assert not problems, "\n".join(problems)
    finally:
        context.close()
