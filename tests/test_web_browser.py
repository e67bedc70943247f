"""The web app in a real browser: Chromium at a phone's size, driven by Playwright.

One browser for the module; each test has its own server and database. The player's
tests run on Playwright's fake clock, paused, so a 3-minute cool-down plays in a
fraction of a second and every countdown is exact.

Set AFTERRUN_SCREENSHOTS=DIR to save screenshots (light and dark) of Today, the player
in the middle of a hold and the report.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from afterrun.core.step_kinds import WORK_KINDS
from browser import (
    AFTER_THE_RUN,
    LiveServer,
    PageOpener,
    import_run,
    install_clock,
    live_server,
    run_file,
)

PAGES = ("/", "/play", "/runs", "/checkin", "/report", "/settings")
SCREENSHOTS = os.environ.get("AFTERRUN_SCREENSHOTS")
SERIOUS = ("serious", "critical")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LiveServer]:
    with live_server(tmp_path) as running:
        yield running


@pytest.fixture
def phone(browser: Any) -> Iterator[Callable[..., Page]]:
    """`phone(scheme="light", **context_options)`: a new page in a fresh profile; script
    errors and anything the Content-Security-Policy refused fail the test."""
    pages = PageOpener(browser)
    yield pages.open
    pages.close()


# -- the player -----------------------------------------------------------------------


def start_session(
    page: Page, server: LiveServer, minutes: int, intensity: str | None = None
) -> dict[str, Any]:
    """Open /play on a paused fake clock, start a cool-down with the form, return the
    server's answer (the compiled timeline)."""
    install_clock(page)
    page.goto(f"{server.url}/play")
    page.get_by_label("Minutes you have").fill(str(minutes))
    if intensity is not None:
        page.get_by_label("How hard was the run?").select_option(intensity)

    def is_start(response: Any) -> bool:
        return response.url == f"{server.url}/api/sessions" and response.request.method == "POST"

    with page.expect_response(is_start) as answered:
        page.get_by_role("button", name="Start").click()
    response = answered.value
    assert response.status == 201, response.text()
    expect(page.locator("#player")).to_be_visible()
    started: dict[str, Any] = response.json()
    return started


def countdown(page: Page) -> int:
    return int(page.locator("#clock").text_content() or "-1")


def cue_log(page: Page) -> list[dict[str, Any]]:
    log: list[dict[str, Any]] = page.evaluate("window.afterrunCueLog")
    return log


def saved_as(page: Page, status: str) -> None:
    """The finished screen is up and the server has the session as `status`."""
    finished = page.locator("#finished")
    expect(finished).to_be_visible()
    expect(finished).to_have_attribute("data-status", status)


def step_index(timeline: dict[str, Any], kind: str) -> int:
    """The first step of this kind ("hold", "reps", "switch"...)."""
    return next(i for i, step in enumerate(timeline["steps"]) if step["kind"] == kind)


def test_a_short_cool_down_plays_every_cue_in_order_and_is_stored(
    phone: Callable[..., Page], server: LiveServer
) -> None:
    page = phone()
    started = start_session(page, server, minutes=4)
    timeline = started["timeline"]
    assert timeline["cues"], timeline

    page.clock.run_for(timeline["total_ms"] + 1000)

    saved_as(page, "completed")
    expect(page.get_by_role("heading", name="Cool-down done")).to_be_visible()
    said = cue_log(page)
    assert [(c["at_ms"], c["text"]) for c in said] == [
        (c["at_ms"], c["text"]) for c in timeline["cues"]
    ]
    [stored] = server.history()
    assert stored["id"] == started["id"]
    assert stored["status"] == "completed"
    # Only the work steps count: the get-ready, transitions and switches are not steps done.
    work = [step for step in timeline["steps"] if step["kind"] in WORK_KINDS]
    assert stored["steps_done"] == len(work) < len(timeline["steps"])
    assert stored["summary"] == f"{len(work)} of {len(work)} steps done, 0 skipped."
    expect(page.locator("#finished-status")).to_have_text(f"Saved: {stored['summary']}")
    assert stored["total_actual_seconds"] == pytest.approx(timeline["total_ms"] / 1000)


def test_pause_freezes_the_countdown_and_the_pause_is_not_counted(
    phone: Callable[..., Page], server: LiveServer
) -> None:
    page = phone()
    timeline = start_session(page, server, minutes=3)["timeline"]
    hold = timeline["steps"][step_index(timeline, "hold")]
    page.clock.run_for(hold["start_ms"] + 5000)
    shown = countdown(page)
    assert shown == (hold["end_ms"] - hold["start_ms"]) // 1000 - 5

    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_role("button", name="Resume")).to_be_visible()
    page.clock.run_for(60_000)
    assert countdown(page) == shown
    before = len(cue_log(page))
    page.clock.run_for(30_000)
    assert countdown(page) == shown
    assert len(cue_log(page)) == before, "no cue while paused"

    page.get_by_role("button", name="Resume").click()
    page.clock.run_for(3000)
    assert countdown(page) == shown - 3

    page.get_by_role("button", name="Stop and save").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Stop and save").click()
    saved_as(page, "quit")
    [stored] = server.history()
    played = hold["start_ms"] / 1000 + 8
    assert stored["total_actual_seconds"] == pytest.approx(played, abs=0.05)
    assert stored["status"] == "quit"


def test_a_reload_in_the_middle_of_a_hold_resumes_at_the_same_second(
    phone: Callable[..., Page], server: LiveServer
) -> None:
    page = phone()
    timeline = start_session(page, server, minutes=3)["timeline"]
    hold = timeline["steps"][step_index(timeline, "hold")]
    middle = hold["start_ms"] + 7300
    page.clock.run_for(middle)
    shown = countdown(page)
    position = page.locator("#progress").evaluate("bar => bar.value") * timeline["total_ms"] / 1000
    assert abs(position - middle) <= 200
    name = page.locator("#exercise").text_content()
    side = page.locator("#side").text_content()

    page.reload()
    expect(page.locator("#player")).to_be_visible()
    assert page.locator("#setup").is_hidden()
    assert abs(countdown(page) - shown) <= 1
    resumed = page.locator("#progress").evaluate("bar => bar.value") * timeline["total_ms"] / 1000
    assert abs(resumed - middle) <= 1000
    assert page.locator("#exercise").text_content() == name
    assert page.locator("#side").text_content() == side

    page.clock.run_for(2000)
    expected = -(-(hold["end_ms"] - middle - 2000) // 1000)
    assert abs(countdown(page) - expected) <= 1
    # Cues said before the reload are not said again; the next one comes on time.
    upcoming = [c for c in timeline["cues"] if c["at_ms"] > middle + 2000]
    assert cue_log(page) == []
    page.clock.run_for(upcoming[0]["at_ms"] - middle - 2000)
    assert [c["text"] for c in cue_log(page)] == [upcoming[0]["text"]]


def test_skip_back_and_it_hurts_are_stored(phone: Callable[..., Page], server: LiveServer) -> None:
    page = phone()
    started = start_session(page, server, minutes=3)
    steps = started["timeline"]["steps"]
    first_hold = step_index(started["timeline"], "hold")
    kind = page.locator("#kind")

    page.clock.run_for(2000)
    page.get_by_role("button", name="Skip").click()
    expect(kind).to_have_text("Hold")
    page.clock.run_for(1000)
    page.get_by_role("button", name="Back").click()
    expect(kind).to_have_text("Get ready")
    page.clock.run_for(4000)
    page.get_by_role("button", name="Skip").click()
    expect(kind).to_have_text("Hold")

    page.clock.run_for(5000)
    page.get_by_role("button", name="It hurts").click()
    offer = page.get_by_role("alertdialog")
    expect(offer).to_be_visible()
    skip_rest = offer.get_by_role("button", name="Skip the rest")
    expect(skip_rest).to_be_focused()
    skip_rest.click()

    saved_as(page, "completed")
    area = steps[first_hold]["area"]
    expect(page.locator("#finished")).to_contain_text(f"Pain noted in the {area}")
    [stored] = server.history()
    statuses = [step["status"] for step in stored["steps"]]
    assert statuses[0] == "skipped"
    assert statuses[first_hold] == "partial"
    assert statuses[first_hold + 1 :] == ["skipped"] * (len(steps) - first_hold - 1)
    assert [(p["step_index"], p["exercise"], p["area"]) for p in stored["pains"]] == [
        (first_hold, steps[first_hold]["exercise"], area)
    ]


def test_it_hurts_in_the_last_hold_offers_only_to_go_on(
    phone: Callable[..., Page], server: LiveServer
) -> None:
    """The exercise that hurt is over: "Skip the rest" would skip the next one."""
    page = phone()
    timeline = start_session(page, server, minutes=6)["timeline"]
    steps = timeline["steps"]
    last = max(i for i, step in enumerate(steps) if step["exercise"] == steps[0]["exercise"])
    page.clock.run_for(steps[last]["start_ms"] + 5000)
    page.get_by_role("button", name="It hurts").click()
    offer = page.get_by_role("alertdialog")
    expect(offer).to_contain_text("That was the last of this exercise")
    expect(offer.get_by_role("button", name="Skip the rest")).to_be_hidden()
    go_on = offer.get_by_role("button", name="Go on")
    expect(go_on).to_be_focused()
    go_on.click()
    expect(page.locator("#exercise")).to_have_text(steps[last + 1]["name"])
    assert cue_log(page)[-1]["at_ms"] == steps[last + 1]["start_ms"]
    page.clock.run_for(2000)
    page.get_by_role("button", name="Stop and save").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Stop and save").click()
    saved_as(page, "quit")
    [stored] = server.history()
    assert stored["steps"][last]["status"] == "partial"
    assert stored["steps"][last + 1]["status"] == "partial"
    assert [pain["step_index"] for pain in stored["pains"]] == [last]


def test_after_a_hard_run_the_phone_walks_first_and_stores_the_walk(
    phone: Callable[..., Page], server: LiveServer
) -> None:
    page = phone()
    timeline = start_session(page, server, minutes=6, intensity="hard")["timeline"]
    steps = timeline["steps"]
    walk = steps[0]
    assert (walk["kind"], walk["name"], walk["end_ms"]) == ("walk", "Easy walk or jog", 120_000)
    expect(page.locator("#kind")).to_have_text("Walk or jog")
    expect(page.locator("#exercise")).to_have_text("Easy walk or jog")
    expect(page.locator("#step-text")).to_have_text(
        "Walk or jog very easily: around the block, along the hallway or on the spot; "
        "you should be able to talk."
    )
    expect(page.locator("#next")).to_have_text(f"Next: {steps[1]['name']}")
    figure = page.locator("#figure")
    expect(figure).to_have_attribute("alt", "Easy walk or jog")
    expect(figure).to_have_js_property("complete", True)
    assert figure.evaluate("image => image.naturalWidth") > 0

    page.clock.run_for(61_000)
    assert [(c["at_ms"], c["text"]) for c in cue_log(page)] == [
        (
            0,
            "Easy walk or jog, 2 minutes. Walk or jog very easily: around the block, along the "
            "hallway or on the spot; you should be able to talk.",
        ),
        (60_000, "Halfway. 1 minute left."),
    ]
    page.get_by_role("button", name="It hurts").click()
    offer = page.get_by_role("alertdialog")
    expect(offer).to_contain_text("That was the last of this exercise")
    offer.get_by_role("button", name="Go on").click()
    expect(page.locator("#exercise")).to_have_text(steps[1]["name"])
    expect(page.locator("#kind")).to_have_text("Next exercise")

    page.clock.run_for(timeline["total_ms"])
    saved_as(page, "completed")
    [stored] = server.history()
    first = stored["steps"][0]
    assert (first["kind"], first["status"], first["actual_seconds"]) == ("walk", "partial", 61)
    assert {step["status"] for step in stored["steps"][1:]} == {"done"}
    assert [(p["step_index"], p["exercise"]) for p in stored["pains"]] == [(0, "easy-walk")]


def test_every_step_shows_its_picture(phone: Callable[..., Page], server: LiveServer) -> None:
    page = phone()
    timeline = start_session(page, server, minutes=6)["timeline"]
    broken = []
    for url in sorted({step["illustration"] for step in timeline["steps"]}):
        answer = page.request.get(f"{server.url}{url}")
        if answer.status != 200 or not answer.headers["content-type"].startswith("image/svg+xml"):
            broken.append(f"{url}: {answer.status} {answer.text()[:200]}")
    assert not broken, "\n".join(broken)
    page.clock.run_for(timeline["steps"][1]["start_ms"] + 1000)
    figure = page.locator("#figure")
    expect(figure).to_have_js_property("complete", True)
    assert figure.evaluate("image => image.naturalWidth") > 0
    assert figure.get_attribute("alt") == f"{timeline['steps'][1]['name']}, right side"


# -- runs ------------------------------------------------------------------------------


def test_uploading_a_run_shows_progress_and_lists_it(
    phone: Callable[..., Page], server: LiveServer, tmp_path: Path
) -> None:
    page = phone()
    page.goto(f"{server.url}/")
    expect(page.get_by_role("heading", name="No runs yet")).to_be_visible()
    page.goto(f"{server.url}/runs")
    expect(page.get_by_text("No runs stored yet.")).to_be_visible()
    page.get_by_label("FIT, GPX or TCX files").set_input_files(run_file(tmp_path))
    page.get_by_role("button", name="Upload and import").click()

    expect(page.locator("#upload-progress")).to_be_visible()
    expect(page.locator("#upload-status")).to_have_text(
        "1 file, 1 activity: imported 1, replaced 0, already there 0, partial 0, failed 0."
    )
    page.reload()
    runs = page.locator("ul.runs > li")
    expect(runs).to_have_count(1)
    expect(runs.first).to_contain_text("km")

    # What the web app writes shows at once, on every page.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Today").click()
    expect(page.get_by_role("heading", name="Latest run")).to_be_visible()
    # The test run is from 2012: Today offers a cool-down, not one "for this run".
    expect(page.get_by_role("link", name="Start a 15-minute cool-down")).to_be_visible()


def test_correcting_a_sport_on_the_phone(
    phone: Callable[..., Page], server: LiveServer, tmp_path: Path
) -> None:
    page = phone()
    page.goto(f"{server.url}/runs")
    page.get_by_label("FIT, GPX or TCX files").set_input_files(run_file(tmp_path))
    page.get_by_role("button", name="Upload and import").click()
    expect(page.locator("#upload-status")).to_have_text(
        "1 file, 1 activity: imported 1, replaced 0, already there 0, partial 0, failed 0."
    )
    page.reload()
    card = page.locator("ul.runs > li").first
    card.get_by_text("Correct sport or name").click()
    card.get_by_label("Sport").select_option("cycling")
    card.get_by_label("Name").fill("Ride home")
    card.get_by_role("button", name="Save").click()
    card = page.locator("ul.runs > li").first
    expect(card.locator(".run-sport")).to_have_text("cycling")
    expect(card.locator(".run-title")).to_have_text("Ride home")
    page.goto(f"{server.url}/")
    expect(page.get_by_role("heading", name="No runs yet")).to_be_visible()


# -- offline ---------------------------------------------------------------------------


def wait_for_service_worker(page: Page) -> None:
    """The worker is active and controls the page (it claims its clients on activation)."""
    scope = page.evaluate(
        "navigator.serviceWorker.ready.then((registration) => registration.scope)"
    )
    assert scope == page.url.split("/play")[0] + "/"
    for _ in range(100):
        if page.evaluate("navigator.serviceWorker.controller !== null"):
            return
        page.wait_for_timeout(50)
    raise AssertionError("the service worker never took control of the page")


def test_offline_the_cool_down_goes_on_and_is_saved_when_back(
    phone: Callable[..., Page], server: LiveServer
) -> None:
    page = phone(service_workers="allow")
    started = start_session(page, server, minutes=3)
    wait_for_service_worker(page)
    timeline = started["timeline"]
    page.clock.run_for(20_000)

    page.context.set_offline(True)
    page.clock.run_for(timeline["total_ms"])
    expect(page.locator("#finished")).to_be_visible()
    expect(page.locator("#offline")).to_be_visible()
    expect(page.locator("#finished-status")).to_contain_text("Offline")
    assert [c["text"] for c in cue_log(page)] == [c["text"] for c in timeline["cues"]]
    assert server.history()[0]["status"] == "in-progress"

    # The app shell comes from the service worker's cache, and the finished session
    # waits on this phone.
    page.reload()
    expect(page.get_by_role("heading", name="Cool-down done")).to_be_visible()
    expect(page.locator("#offline")).to_be_visible()
    expect(page.locator("#finished-status")).to_contain_text("Offline")

    # Back online: within a probe's interval the page finds afterrun again and saves.
    page.context.set_offline(False)
    page.clock.run_for(10_000)
    saved_as(page, "completed")
    expect(page.locator("#offline")).to_be_hidden()
    [stored] = server.history()
    assert stored["id"] == started["id"]
    assert stored["total_actual_seconds"] == pytest.approx(timeline["total_ms"] / 1000)


# -- every page: accessibility, size, origins, screenshots ------------------------------


def visit(page: Page, server: LiveServer, path: str, *, with_run: bool = False) -> None:
    page.goto(f"{server.url}{path}")
    expect(page.locator("main h1").first).to_be_visible()
    if path == "/":
        heading = "Latest run" if with_run else "No runs yet"
        expect(page.get_by_role("heading", name=heading)).to_be_visible()


def player_mid_hold(page: Page, server: LiveServer) -> None:
    timeline = start_session(page, server, minutes=3)["timeline"]
    hold = timeline["steps"][step_index(timeline, "hold")]
    page.clock.run_for(hold["start_ms"] + 9000)
    figure = page.locator("#figure")
    expect(figure).to_have_js_property("complete", True)


def serious_violations(page: Page, label: str) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] not in SERIOUS:
            continue
        where = "; ".join(
            f"{' '.join(node['target'])}: {node.get('failureSummary', '')}".replace("\n", " ")
            for node in violation["nodes"][:4]
        )
        found.append(f"{label}: {violation['id']} ({violation['impact']}): {where}")
    return found


def screenshot(page: Page, name: str) -> None:
    if SCREENSHOTS:
        folder = Path(SCREENSHOTS)
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=folder / f"{name}.png")


@pytest.fixture
def after_the_run(tmp_path: Path) -> Iterator[LiveServer]:
    """A server whose clock stands just after RUN_TCX's run, so that Today, the advice
    and the report show it as recent."""
    with live_server(tmp_path, now=AFTER_THE_RUN) as running:
        yield running


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_passes_axe(
    phone: Callable[..., Page], after_the_run: LiveServer, scheme: str
) -> None:
    server = after_the_run
    page = phone(scheme)
    problems: list[str] = []
    for data in ("empty", "with a run"):
        if data == "with a run":
            import_run(server, page)
        for path in PAGES:
            visit(page, server, path, with_run=data == "with a run")
            problems += serious_violations(page, f"{path} ({data}, {scheme})")
            if data == "with a run" and path in ("/", "/report"):
                screenshot(page, f"{'today' if path == '/' else 'report'}-{scheme}")
    player = phone(scheme)
    player_mid_hold(player, server)
    screenshot(player, f"player-{scheme}")
    # axe waits on timers: let the clock run (the hold has 16 s to go).
    player.clock.resume()
    problems += serious_violations(player, f"/play mid-hold ({scheme})")
    assert not problems, "\n".join(problems)


def too_small(page: Page) -> list[str]:
    """Visible buttons, nav links and form fields under 44 px high (a box's label counts)."""
    found: list[str] = page.evaluate(
        """() => {
        const small = [];
        const targets = document.querySelectorAll(
          "button, nav a, a.button, input, select, textarea");
        for (const element of targets) {
          const box = element.getBoundingClientRect();
          if (!box.width || !box.height || element.closest("[hidden]")) continue;
          let height = box.height;
          if (element.type === "checkbox" || element.type === "radio") {
            const label = element.labels && element.labels[0];
            if (label) height = Math.max(height, label.getBoundingClientRect().height);
          }
          if (height < 44) {
            small.push(`${element.tagName.toLowerCase()}#${element.id || ""}` +
              ` "${(element.textContent || element.name || "").trim().slice(0, 30)}"` +
              ` ${Math.round(height)} px`);
          }
        }
        return small;
      }"""
    )
    return found


def test_every_page_fits_a_small_phone_with_big_targets_and_no_other_origin(
    phone: Callable[..., Page], server: LiveServer
) -> None:
    page = phone(viewport={"width": 360, "height": 740})
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    problems: list[str] = []

    def check(label: str) -> None:
        width = page.evaluate("document.scrollingElement.scrollWidth")
        if width > 360:
            problems.append(f"{label}: scrolls sideways ({width} px wide)")
        problems.extend(f"{label}: {small}" for small in too_small(page))

    for data in ("empty", "with a run"):
        if data == "with a run":
            import_run(server, page)
        for path in PAGES:
            visit(page, server, path, with_run=data == "with a run")
            check(f"{path} ({data})")
    player_mid_hold(page, server)
    check("/play mid-hold")
    page.get_by_role("button", name="It hurts").click()
    check("/play offer")

    assert not problems, "\n".join(problems)
    elsewhere = [url for url in requests if not url.startswith(f"{server.url}/")]
    assert not elsewhere, elsewhere
