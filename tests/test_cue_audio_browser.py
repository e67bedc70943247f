"""The cues with the screen locked, in Chromium at a phone's width: the server's track
plays on with the page hidden (another tab in front: document.visibilityState is
'hidden'), follows Skip and Pause, and the Media Session names the exercise and side;
without a speech engine on the server the player says the cues stop when the screen
locks; each new step, side switch and the end buzzes and flashes (a static colour with
reduced motion).

Hiding a page needs a browser Playwright did not launch: Playwright keeps every page it
opens focused and visible, so this module starts Chromium itself and connects over CDP
without those defaults. Screenshots go to AFTERRUN_SCREENSHOTS (else the test's tmp path).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from afterrun.exporters.speech_engine import find_speech_engine
from browser import PHONE, LiveServer, PageOpener, chromium_or_skip, install_clock, live_server

NO_ENGINE_LINE = (
    "Cues stop when the screen locks: this server has no speech engine (install espeak-ng on it)."
)
BUZZ = """
window.buzzes = [];
Object.defineProperty(Navigator.prototype, "vibrate", {
  configurable: true,
  value(pattern) { window.buzzes.push(pattern); return true; },
});
"""


def _devtools_endpoint(log: Path, process: subprocess.Popen[bytes]) -> str:
    """Where the browser's DevTools listen, as it prints on start."""
    for _ in range(200):
        found = re.search(r"ws://\S+", log.read_text())
        if found:
            return found.group(0)
        assert process.poll() is None, log.read_text()
        time.sleep(0.05)
    raise AssertionError(f"Chromium did not say where its DevTools listen: {log.read_text()}")


@pytest.fixture(scope="module")
def own_chromium(browser: Any) -> Iterator[Any]:
    """Chromium started here, driven over CDP with no focus emulation (through the
    module's Playwright): a tab brought to the front hides the others, as on a phone."""
    path = chromium_or_skip()
    profile = tempfile.mkdtemp(prefix="afterrun-chromium-")
    log = Path(profile) / "stderr.log"
    with log.open("w") as stderr:
        process = subprocess.Popen(
            [
                str(path),
                "--headless",
                "--no-sandbox",
                "--remote-debugging-port=0",
                f"--user-data-dir={profile}",
                f"--window-size={PHONE['width']},{PHONE['height']}",
                "about:blank",
            ],
            stderr=stderr,
        )
    try:
        endpoint = _devtools_endpoint(log, process)
        connected = browser.browser_type.connect_over_cdp(endpoint, no_defaults=True)
        yield connected
        connected.close()
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LiveServer]:
    with live_server(tmp_path) as running:
        yield running


def _shot(page: Page, shots: Path, name: str) -> None:
    path = shots / f"{name}.png"
    page.screenshot(path=str(path))
    print(f"screenshot: {path}")


def _start(page: Page, server: LiveServer) -> dict[str, Any]:
    """A 12-minute cool-down after a hard run, started with a tap on Start."""
    page.goto(f"{server.url}/play")
    page.get_by_label("Minutes you have").fill("12")
    page.get_by_label("How hard was the run?").select_option("hard")

    def is_start(response: Any) -> bool:
        return response.url == f"{server.url}/api/sessions" and response.request.method == "POST"

    with page.expect_response(is_start) as answered:
        page.get_by_role("button", name="Start").click()
    expect(page.locator("#player")).to_be_visible()
    started: dict[str, Any] = answered.value.json()
    return started


def _track(page: Page) -> dict[str, Any]:
    state: dict[str, Any] = page.evaluate(
        "() => { const a = document.getElementById('cue-track');"
        " const m = navigator.mediaSession;"
        " return { paused: a.paused, at: a.currentTime, src: a.getAttribute('src'),"
        " title: m.metadata && m.metadata.title, artist: m.metadata && m.metadata.artist,"
        " state: m.playbackState, visibility: document.visibilityState }; }"
    )
    return state


def _track_in_step(page: Page) -> None:
    """Wait until the track plays within half a second of where the player is."""
    page.wait_for_function(
        "() => { const a = document.getElementById('cue-track');"
        " const s = JSON.parse(localStorage.getItem('afterrun.session'));"
        " const p = window.afterrunPlayer; const state = p.replay(s.timeline, s.events);"
        " const at = p.positionOf(state.timeline, state, Date.now() - s.startWall);"
        " return !a.paused && a.readyState >= 2 && Math.abs(a.currentTime * 1000 - at) < 500; }",
        timeout=15_000,
    )


@pytest.mark.skipif(find_speech_engine() is None, reason="the track needs espeak-ng here")
def test_the_track_plays_on_with_the_page_hidden_and_names_the_step(
    own_chromium: Any, server: LiveServer, shots: Path
) -> None:
    context = own_chromium.contexts[0]
    page = context.new_page()
    page.set_viewport_size(PHONE)
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        started = _start(page, server)
        assert started["cues_audio"] == f"/api/sessions/{started['id']}/cues.wav"
        steps = started["timeline"]["steps"]
        _track_in_step(page)
        # Skip twice: from the walk past the get-ready to the first set with a side; the
        # track jumps to where that step starts.
        sided = next(i for i, s in enumerate(steps) if s["side"] and s["kind"] in ("reps", "hold"))
        for _ in range(sided):
            page.get_by_role("button", name="Skip").click()
        step = steps[sided]
        expect(page.locator("#exercise")).to_have_text(step["name"])
        _track_in_step(page)
        assert step["start_ms"] / 1000 <= _track(page)["at"] < step["end_ms"] / 1000
        title = f"{step['name']} · {step['side']} side"
        page.wait_for_function(
            "(t) => navigator.mediaSession.metadata?.title === t", arg=title, timeout=5000
        )
        # The phone is locked: another tab in front hides this one.
        other = context.new_page()
        other.bring_to_front()
        before = _track(page)
        assert before["visibility"] == "hidden"
        other.wait_for_timeout(3000)
        after = _track(page)
        assert after["visibility"] == "hidden"
        assert not after["paused"]
        assert after["at"] - before["at"] >= 2.0
        assert after["title"] == title
        assert after["artist"] == "afterrun"
        assert after["state"] == "playing"
        other.close()
        page.bring_to_front()
        # Pause stops the track; Resume plays it on from the same moment.
        page.get_by_role("button", name="Pause").click()
        page.wait_for_function("() => document.getElementById('cue-track').paused")
        paused = _track(page)
        assert paused["state"] == "paused"
        _shot(page, shots, "track-paused-390")
        page.get_by_role("button", name="Resume").click()
        _track_in_step(page)
        assert _track(page)["at"] >= paused["at"]
    finally:
        page.close()
    assert not errors


def _phone(opener: PageOpener, motion: str) -> Page:
    page: Page = opener.open(reduced_motion=motion)
    page.add_init_script(BUZZ)
    return page


@pytest.fixture
def opener(browser: Any) -> Iterator[PageOpener]:
    opened = PageOpener(browser)
    yield opened
    opened.close()


def test_without_a_speech_engine_the_player_says_cues_stop_when_the_screen_locks(
    opener: PageOpener,
    tmp_path: Path,
    shots: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    with live_server(tmp_path / "server") as running:
        page = _phone(opener, "reduce")
        started = _start(page, running)
        assert started["cues_audio"] is None
        expect(page.locator("#audio-note")).to_have_text(NO_ENGINE_LINE)
        expect(page.locator("#audio-note")).to_be_visible()
        assert page.evaluate("document.getElementById('cue-track').getAttribute('src')") is None
        _shot(page, shots, "no-speech-engine-390")


def _run_to(page: Page, from_ms: int, to_ms: int) -> None:
    page.clock.run_for(to_ms - from_ms)


def test_a_side_switch_and_the_end_buzz_and_flash(
    opener: PageOpener, server: LiveServer, shots: Path
) -> None:
    page = _phone(opener, "no-preference")
    install_clock(page)
    started = _start(page, server)
    steps = started["timeline"]["steps"]
    switch = next(s for s in steps if s["kind"] == "switch")
    assert page.evaluate("window.buzzes") == [200]  # the first step
    _run_to(page, 0, switch["start_ms"] + 100)
    expect(page.locator("#kind")).to_have_text("Switch sides")
    assert page.evaluate("window.buzzes")[-1] == [120, 80, 120]
    expect(page.locator("#flash")).to_have_class(re.compile(r"\bpulse\b"))
    # Caught at its brightest: one soft pulse, never a strobe.
    page.evaluate("document.getAnimations().forEach((a) => { a.pause(); a.currentTime = 175; })")
    opacity = float(page.evaluate("getComputedStyle(document.getElementById('flash')).opacity"))
    assert 0.3 <= opacity <= 0.55
    _shot(page, shots, "switch-flash-390")
    page.evaluate("document.getAnimations().forEach((a) => a.finish())")
    buzzed = len(page.evaluate("window.buzzes"))
    _run_to(page, switch["start_ms"] + 100, started["timeline"]["total_ms"] + 500)
    expect(page.locator("#done-h")).to_have_text("Cool-down done")
    buzzes = page.evaluate("window.buzzes")
    assert len(buzzes) > buzzed
    assert buzzes[-1] == [400, 150, 400, 150, 400]


def test_with_reduced_motion_the_clock_changes_colour_instead_of_a_flash(
    opener: PageOpener, server: LiveServer, shots: Path
) -> None:
    page = _phone(opener, "reduce")
    install_clock(page)
    started = _start(page, server)
    switch = next(s for s in started["timeline"]["steps"] if s["kind"] == "switch")
    _run_to(page, 0, switch["start_ms"] + 100)
    expect(page.locator("#clock")).to_have_class(re.compile(r"\bsignalled\b"))
    expect(page.locator("#flash")).to_be_hidden()
    _shot(page, shots, "switch-reduced-motion-390")
    page.clock.run_for(1600)
    expect(page.locator("#clock")).not_to_have_class(re.compile(r"\bsignalled\b"))


@pytest.mark.skipif(find_speech_engine() is None, reason="the track needs espeak-ng here")
def test_after_carry_on_gently_the_phone_plays_the_eased_track(
    opener: PageOpener, server: LiveServer
) -> None:
    page = _phone(opener, "reduce")
    install_clock(page)
    started = _start(page, server)
    steps = started["timeline"]["steps"]
    hold = next(s for s in steps if s["kind"] == "hold" and s["side"] and s["eases"])
    page.clock.run_for(hold["start_ms"] + 5000)
    expect(page.locator("#exercise")).to_have_text(hold["name"])
    page.get_by_role("button", name="It hurts").click()
    page.wait_for_function("() => document.getElementById('cue-track').paused")
    page.get_by_role("button", name="Carry on, gently").click()
    eased = ",".join(str(i) for i in hold["eases"])
    expect(page.locator("#cue-track")).to_have_attribute(
        "src", f"{started['cues_audio']}?eased={eased}"
    )
    # It starts where the player is (the end of the hold that hurt), not at its beginning.
    page.wait_for_function(
        "(s) => { const a = document.getElementById('cue-track');"
        " return !a.paused && a.readyState >= 2 && a.currentTime >= s; }",
        arg=hold["end_ms"] / 1000 - 0.5,
        timeout=15_000,
    )


def test_settings_turn_the_buzz_and_the_flash_off(opener: PageOpener, server: LiveServer) -> None:
    page = _phone(opener, "no-preference")
    page.goto(f"{server.url}/settings")
    page.get_by_label("Vibrate at each new step").uncheck()
    page.get_by_label("Flash the screen at each new step").uncheck()
    page.get_by_role("button", name="Save on this phone").click()
    expect(page.locator("#device-status")).to_have_text("Saved on this phone.")
    install_clock(page)
    started = _start(page, server)
    switch = next(s for s in started["timeline"]["steps"] if s["kind"] == "switch")
    _run_to(page, 0, switch["start_ms"] + 100)
    expect(page.locator("#kind")).to_have_text("Switch sides")
    assert page.evaluate("window.buzzes") == []
    expect(page.locator("#flash")).not_to_have_class(re.compile(r"\bpulse\b"))
    expect(page.locator("#clock")).not_to_have_class(re.compile(r"\bsignalled\b"))
