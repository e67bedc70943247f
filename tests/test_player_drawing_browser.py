"""The player's drawing on a phone, upright and on its side, light and dark: it is on the
screen, nothing covers it, and a figure lying down is big enough to see the knee move.

Set AFTERRUN_SCREENSHOTS=DIR to keep the screenshots (one per size and colour scheme).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from defusedxml.ElementTree import fromstring
from playwright.sync_api import Page, expect

from browser import (
    LiveServer,
    install_clock,
    live_server,
    phone_context,
)
from svg_figure import figure_box, view_box

SCREENSHOTS = os.environ.get("AFTERRUN_SCREENSHOTS")
SIZES = {"upright": {"width": 390, "height": 844}, "on its side": {"width": 844, "height": 390}}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(tmp_path_factory.mktemp("drawing")) as running:
        yield running


def _knee_to_chest(page: Page, server: LiveServer) -> dict[str, Any]:
    """Start a 15-minute cool-down on a paused clock and move to its knee-to-chest hold."""
    install_clock(page)
    page.goto(f"{server.url}/play")
    page.get_by_label("Minutes you have").fill("15")

    def is_start(response: Any) -> bool:
        return response.url == f"{server.url}/api/sessions" and response.request.method == "POST"

    with page.expect_response(is_start) as answered:
        page.get_by_role("button", name="Start").click()
    timeline: dict[str, Any] = answered.value.json()["timeline"]
    step = next(
        s
        for s in timeline["steps"]
        if "/knee-to-chest/" in s["illustration"] and s["kind"] == "hold"
    )
    page.clock.run_for(step["start_ms"] + 1500)
    expect(page.locator("#exercise")).to_have_text(step["name"])
    return step


def _uncovered(page: Page, box: dict[str, float]) -> list[str]:
    """Points of the box where something else is on top of the drawing."""
    found = []
    for fx, fy in ((0.5, 0.5), (0.1, 0.1), (0.9, 0.1), (0.1, 0.9), (0.9, 0.9)):
        x, y = box["x"] + fx * box["width"], box["y"] + fy * box["height"]
        on_top = page.evaluate(
            "([x, y]) => { const e = document.elementFromPoint(x, y);"
            " return e ? (e.id || e.className || e.tagName) : 'nothing'; }",
            [x, y],
        )
        if on_top != "figure":
            found.append(f"({x:.0f}, {y:.0f}) shows {on_top}")
    return found


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", ["upright", "on its side"])
def test_the_drawing_is_on_screen_uncovered_and_big_enough(
    browser: Any, server: LiveServer, size: str, scheme: str
) -> None:
    viewport = SIZES[size]
    context = phone_context(browser, scheme, viewport=viewport)
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        step = _knee_to_chest(page, server)
        figure = page.locator("#figure")
        expect(figure).to_have_js_property("complete", True)
        assert figure.evaluate("image => image.naturalWidth") > 0
        # from the top of the player, as the runner sees it on putting the phone down
        page.evaluate("window.scrollTo(0, 0)")
        if SCREENSHOTS:
            name = f"player-knee-to-chest-{viewport['width']}x{viewport['height']}-{scheme}.png"
            page.screenshot(path=str(Path(SCREENSHOTS) / name))
        box = figure.bounding_box()
        assert box is not None
        assert box["x"] >= 0 and box["y"] >= 0, box
        assert box["x"] + box["width"] <= viewport["width"], box
        assert box["y"] + box["height"] <= viewport["height"], box
        # no tab bar, dock or offer over it
        tabs = page.locator(".tabs")
        if tabs.count() and tabs.first.is_visible():
            bar = tabs.first.bounding_box()
            assert bar is not None
            assert bar["y"] >= box["y"] + box["height"] or bar["y"] + bar["height"] <= box["y"]
        assert not _uncovered(page, box)
        # the figure lying down is big enough to see: drawn from knee to head at least 80 px
        # high (the knee alone used to rise 20 px)
        root = fromstring(page.request.get(f"{server.url}{step['illustration']}").text())
        width, height = view_box(root)
        _, top, _, bottom = figure_box(root)
        shown = min(box["width"] / width, box["height"] / height)
        assert (bottom - top) * shown >= 80, (box, top, bottom)
    finally:
        context.close()
