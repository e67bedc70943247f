"""The terminal player through Textual's pilot, on a fake clock, at 80x24."""

from __future__ import annotations

import textwrap
from datetime import UTC, datetime

from textual.widgets import Digits, Static

from afterrun.catalogue_files import load_catalogue
from afterrun.core.engine import SessionEngine
from afterrun.core.intensity import Intensity
from afterrun.core.plan import PLACES, PlanRequest
from afterrun.core.planner import plan_cooldown
from afterrun.core.records import SessionStatus
from afterrun.tui.player import PlayerApp
from afterrun.tui.voice import NO_ENGINE_SHORT, Speaker, find_engine

CATALOGUE = load_catalogue(None)
SIZE = (80, 24)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def make_app(
    minutes: int = 12,
    voice_requested: bool = False,
    intensity: Intensity = Intensity.MODERATE,
) -> tuple[PlayerApp, FakeClock, list[SessionStatus]]:
    plan = plan_cooldown(CATALOGUE, PlanRequest(minutes=minutes, intensity=intensity))
    clock = FakeClock()
    saved: list[SessionStatus] = []
    app = PlayerApp(
        SessionEngine(plan),
        saved.append,
        clock=clock,
        wall=lambda: datetime(2026, 11, 23, 8, 0, tzinfo=UTC),
        voice_requested=voice_requested,
        bell=False,
        close_after_done=1.0,
    )
    return app, clock, saved


def text(app: PlayerApp, widget_id: str) -> str:
    return str(app.query_one(f"#{widget_id}", Static).render())


async def test_the_screen_shows_exercise_side_countdown_and_next() -> None:
    app, clock, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        assert text(app, "exercise") == "Leg swings"
        assert "Get ready" in text(app, "side")
        clock.now += 12.5
        app.tick()
        await pilot.pause()
        assert "RIGHT side" in text(app, "side")
        assert "Set 1 of 2" in text(app, "side")
        assert "Swing 2 of 10" in text(app, "side")
        assert text(app, "next") == "Next: Leg swings, left side"
        assert text(app, "tip").startswith("Tip: Keep your trunk quiet")
        assert text(app, "elapsed") == "0:13 / 11:58"


async def test_after_a_hard_run_the_player_starts_with_the_easy_walk() -> None:
    app, clock, saved = make_app(intensity=Intensity.HARD)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert text(app, "exercise") == "Easy walk or jog"
        assert text(app, "side") == "Walk or jog"
        assert text(app, "text") == (
            "Walk or jog very easily: around the block, along the hallway or on the spot; "
            "you should be able to talk."
        )
        assert text(app, "next") == "Next: Leg swings"
        assert app.spoken[0].startswith("Easy walk or jog, 3 minutes. Walk or jog very easily")
        assert text(app, "elapsed") == "0:00 / 11:53"
        clock.now += 90
        app.tick()
        await pilot.pause()
        assert text(app, "cue") == "Halfway."
        clock.now += 30
        app.tick()
        await pilot.pause()
        assert text(app, "cue") == "1 minute left."
        clock.now += 60
        app.tick()
        await pilot.pause()
        assert text(app, "exercise") == "Leg swings"
        assert text(app, "side") == "Move"
        await pilot.press("q")
    assert saved[-1] == "quit"
    walk = app.engine.step_records()[0]
    assert (walk.kind, walk.status, walk.planned_seconds) == ("walk", "done", 180)
    assert walk.actual_seconds == 180


async def test_it_hurts_during_the_walk_ends_the_walk() -> None:
    app, clock, _ = make_app(intensity=Intensity.HARD)
    async with app.run_test(size=SIZE) as pilot:
        clock.now += 40
        app.tick()
        await pilot.press("h")
        assert text(app, "cue") == "Pain noted."
        await pilot.press("c")
        assert text(app, "exercise") == "Leg swings"
        await pilot.press("q")
    walk = app.engine.step_records()[0]
    assert (walk.status, walk.actual_seconds) == ("partial", 40)
    assert [(p.exercise, p.area) for p in app.engine.pains] == [("easy-walk", "unspecified")]


async def test_everything_fits_in_80_by_24() -> None:
    app, _, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for widget_id in (
            "exercise",
            "countdown",
            "side",
            "text",
            "tip",
            "next",
            "offer",
            "progress",
            "elapsed",
            "voice",
            "keys",
        ):
            region = app.query_one(f"#{widget_id}").region
            assert region.height > 0, widget_id
            assert region.bottom <= 24 and region.right <= 80, widget_id


async def test_space_pauses_and_resumes() -> None:
    app, clock, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        clock.now += 3
        await pilot.press("space")
        assert "PAUSED" in text(app, "side")
        clock.now += 60
        app.tick()
        assert app.engine.snapshot(clock.now).position_ms == 3000
        await pilot.press("space")
        clock.now += 1
        app.tick()
        assert app.engine.snapshot(clock.now).position_ms == 4000


async def test_arrows_skip_and_go_back() -> None:
    app, clock, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        clock.now += 11
        app.tick()
        await pilot.press("right")
        assert app.engine.snapshot(clock.now).step.kind == "switch"
        assert app.engine.step_records()[1].status == "skipped"
        await pilot.press("left")
        assert app.engine.snapshot(clock.now).step_index == 1


async def test_h_reports_pain_and_s_skips_the_rest_of_the_exercise() -> None:
    app, clock, saved = make_app()
    steps = app.engine.timeline.steps
    calf = next(i for i, s in enumerate(steps) if s.exercise == "calf-stretch" and s.kind == "hold")
    async with app.run_test(size=SIZE) as pilot:
        clock.now += app.engine.timeline.starts_ms[calf] / 1000 + 4
        app.tick()
        await pilot.press("h")
        assert text(app, "cue") == "Pain noted: calves, right side."
        assert "s: skip the rest of this exercise" in text(app, "offer")
        await pilot.press("s")
        assert text(app, "exercise") == "Kneeling hip flexor stretch"
        await pilot.press("q")
    assert app.return_code == 0
    assert saved[-1] == "quit"
    assert [p.area for p in app.engine.pains] == ["calves"]


async def test_h_then_c_carries_on_gently_with_a_shorter_hold_on_that_side() -> None:
    app, clock, _ = make_app()
    steps = app.engine.timeline.steps
    calf = next(i for i, s in enumerate(steps) if s.exercise == "calf-stretch" and s.kind == "hold")
    async with app.run_test(size=SIZE) as pilot:
        clock.now += app.engine.timeline.starts_ms[calf] / 1000 + 4
        app.tick()
        await pilot.press("h")
        assert "c: carry on gently" in text(app, "offer")
        await pilot.press("c")
        # the switch to the left side, then the left hold as planned, then the right
        # side again: 15 s, gently
        left = calf + 2
        right = calf + 4
        assert app.engine.timeline.steps[left].seconds == steps[left].seconds
        clock.now += (
            app.engine.timeline.starts_ms[right] - app.engine.timeline.starts_ms[calf + 1]
        ) / 1000
        app.tick()
        await pilot.pause()
        assert app.engine.snapshot(clock.now).step_index == right
        assert app.query_one("#countdown", Digits).value == "0:15"
        assert text(app, "text").startswith("Gently: ease off to a mild stretch")
        assert "Gently now. Right side, hold 15 seconds: a mild stretch only." in app.spoken[-1]
        await pilot.press("q")
    assert [p.side for p in app.engine.pains] == ["right"]


async def test_ctrl_c_saves_and_exits_130() -> None:
    app, clock, saved = make_app()
    async with app.run_test(size=SIZE) as pilot:
        clock.now += 5
        await pilot.press("ctrl+c")
    assert app.return_code == 130
    assert saved[-1] == "interrupted"


async def test_a_whole_session_completes_and_closes() -> None:
    app, clock, saved = make_app(minutes=4)
    async with app.run_test(size=SIZE) as pilot:
        clock.now += app.engine.timeline.total_ms / 1000
        app.tick()
        await pilot.pause()
        assert saved[-1] == "completed"
        assert text(app, "offer").startswith("Done. Saved to your history.")
        clock.now += 2
        app.tick()
        await pilot.pause()
    assert app.return_code == 0
    assert all(r.status == "done" for r in app.engine.step_records() if r.kind != "switch")
    assert app.spoken[-1] == "Done. That's your cool-down."


async def test_voice_requested_without_an_engine_says_so() -> None:
    app, _, _ = make_app(voice_requested=True)
    async with app.run_test(size=SIZE):
        assert text(app, "voice") == NO_ENGINE_SHORT


def test_no_engine_found_when_none_installed() -> None:
    assert find_engine(lambda name: None) is None
    assert find_engine(lambda name: f"/usr/bin/{name}" if name == "say" else None) == (
        "/usr/bin/say",
    )


def test_speaker_runs_a_real_program() -> None:
    speaker = Speaker(("true",))
    speaker.say("Halfway.")
    speaker.say("1", interrupt=False)
    speaker.stop()
    assert speaker.name == "true"


async def test_a_tick_while_the_player_closes_draws_and_saves_nothing() -> None:
    """The interval can fire once more while the screens are being taken down."""
    app, clock, saved = make_app()
    async with app.run_test(size=SIZE):
        pass
    before = list(saved)
    clock.now += 30  # a new step is due: a live player would redraw and save
    app.tick()
    assert saved == before


async def test_every_step_s_text_fits_its_three_lines_at_80_by_24() -> None:
    """The side's leg and every setup step are said in the step: none may be cut off."""
    app, _, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        box = app.query_one("#text").content_region
        assert box.height == 3
        for place in ("home", "gym"):
            plan = plan_cooldown(
                CATALOGUE,
                PlanRequest(minutes=40, equipment=PLACES[place] | {"bed"}, place=place),
            )
            for step in plan.steps:
                lines = textwrap.wrap(step.text, box.width)
                assert len(lines) <= box.height, (place, step.exercise, step.variant, lines)
