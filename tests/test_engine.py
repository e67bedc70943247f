"""The session engine, driven by a fake clock: cue order, events and zero drift."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from afterrun.catalogue_files import load_catalogue
from afterrun.core.engine import SessionEngine
from afterrun.core.intensity import Intensity
from afterrun.core.plan import Plan, PlanRequest
from afterrun.core.planner import plan_cooldown
from afterrun.core.timeline import Cue

CATALOGUE = load_catalogue(None)
WALL = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def make_plan(minutes: int = 15, intensity: Intensity = Intensity.MODERATE) -> Plan:
    return plan_cooldown(CATALOGUE, PlanRequest(minutes=minutes, intensity=intensity))


def play(engine: SessionEngine, start: float, until: float, step: float) -> list[tuple[float, Cue]]:
    """Poll from start to until every `step` seconds; return (time emitted, cue)."""
    heard = [(start, cue) for cue in engine.start(start)]
    now = start
    while now < until:
        now = round(now + step, 6)
        heard.extend((now, cue) for cue in engine.poll(now))
    return heard


def test_a_session_opens_with_a_get_ready_countdown_then_the_first_swing() -> None:
    engine = SessionEngine(make_plan())
    heard = play(engine, 100.0, 112.0, 0.1)
    kinds = [(round(t - 100, 1), cue.kind, cue.text) for t, cue in heard]
    assert kinds[0][:2] == (0.0, "exercise")
    assert kinds[0][2].startswith("Get ready: Leg swings.")
    assert kinds[1:4] == [(7.0, "countdown", "3"), (8.0, "countdown", "2"), (9.0, "countdown", "1")]
    assert kinds[4:6] == [(10.0, "start", "Right side, 10 swings."), (10.0, "count", "1")]
    assert kinds[6] == (12.0, "count", "2")


def test_holds_announce_halfway_and_ten_seconds_left_and_next_up() -> None:
    engine = SessionEngine(make_plan(intensity=Intensity.HARD))
    heard = play(engine, 0.0, engine.timeline.total_ms / 1000, 0.5)
    calf = [c for _, c in heard if engine.timeline.steps[c.step_index].exercise == "calf-stretch"]
    texts = [c.text for c in calf]
    assert "Right side, hold 25 seconds." in texts
    assert "Halfway." in texts and "10 seconds left." in texts
    assert "Switch sides: now the left side." in texts
    assert texts.count("Next up: Kneeling hip flexor stretch.") == 1
    assert heard[-1][1].kind == "done"


def test_a_20_minute_session_ends_with_zero_drift() -> None:
    plan = make_plan(minutes=20, intensity=Intensity.VERY_HARD)
    engine = SessionEngine(plan)
    total = engine.timeline.total_ms
    assert 18 * 60_000 <= total <= 20 * 60_000
    rng = random.Random(7)
    start = 5_000.0
    now = start
    emitted: list[tuple[float, Cue]] = [(now, cue) for cue in engine.start(now)]
    while not engine.finished:
        # Irregular ticks, as a busy UI loop produces; float seconds accumulate error.
        now += rng.uniform(0.03, 0.17)
        emitted.extend((now, cue) for cue in engine.poll(now))
    for at, cue in emitted:
        due = start + cue.at_ms / 1000
        assert 0 <= at - due < 0.17 + 1e-9, cue
    done_due = [cue.at_ms for _, cue in emitted if cue.kind == "done"]
    drift_ms = done_due[0] - sum(step.seconds for step in plan.steps) * 1000
    assert drift_ms == 0
    assert [cue.at_ms for _, cue in emitted] == [cue.at_ms for cue in engine.timeline.cues]
    assert all(step.status == "done" for step in engine.step_records())
    for record in engine.step_records():
        assert record.actual_seconds == pytest.approx(record.planned_seconds, abs=0.001)


def test_pause_shifts_every_later_cue_by_exactly_the_pause() -> None:
    engine = SessionEngine(make_plan(minutes=5))
    engine.start(0.0)
    engine.poll(30.0)
    engine.pause(30.0)
    assert engine.poll(90.0) == []
    assert engine.snapshot(90.0).paused
    engine.resume(90.0)
    total_s = engine.timeline.total_ms / 1000
    assert not engine.poll(total_s + 60 - 0.001)[-1:] or not engine.finished
    cues = engine.poll(total_s + 60)
    assert cues[-1].kind == "done"
    assert engine.finished


def test_skip_jumps_to_the_next_step_and_marks_it_skipped() -> None:
    engine = SessionEngine(make_plan())
    engine.start(0.0)
    engine.poll(12.0)
    cues = engine.skip(12.0)
    snap = engine.snapshot(12.0)
    assert snap.step.kind == "switch"
    assert cues[0].kind == "switch"
    records = engine.step_records()
    assert records[1].status == "skipped"
    assert records[1].actual_seconds == pytest.approx(2.0)


def test_back_restarts_a_step_or_goes_to_the_previous_one() -> None:
    engine = SessionEngine(make_plan())
    engine.start(0.0)
    engine.poll(15.0)
    engine.back(15.0)
    assert engine.snapshot(15.0).step_index == 1
    assert engine.snapshot(15.0).step_elapsed_ms == 0
    engine.back(16.0)
    assert engine.snapshot(16.0).step_index == 0


def test_it_hurts_ends_the_hold_records_the_area_and_offers_to_skip() -> None:
    engine = SessionEngine(make_plan())
    start = engine.timeline.steps.index(
        next(s for s in engine.timeline.steps if s.exercise == "calf-stretch" and s.kind == "hold")
    )
    at = engine.timeline.starts_ms[start] / 1000 + 5
    engine.start(0.0)
    engine.poll(at)
    report = engine.hurt(at, WALL)
    assert (report.exercise, report.area, report.step_index) == ("calf-stretch", "calves", start)
    snap = engine.snapshot(at + 30)
    assert snap.paused and snap.skip_offer == "calf-stretch"
    assert snap.step_index == start + 1
    engine.skip_exercise(at + 30)
    snap = engine.snapshot(at + 30)
    assert snap.step.exercise == "hip-flexor-stretch"
    records = engine.step_records()
    assert records[start].status == "partial"
    calf_rest = [r for r in records[start + 1 :] if r.exercise == "calf-stretch"]
    assert calf_rest and all(r.status == "skipped" for r in calf_rest)


def test_skipping_after_pain_in_an_exercises_last_hold_leaves_the_next_exercise_alone() -> None:
    engine = SessionEngine(make_plan())
    steps = engine.timeline.steps
    last = max(i for i, s in enumerate(steps) if s.exercise == "calf-stretch" and s.kind == "hold")
    at = engine.timeline.starts_ms[last] / 1000 + 5
    engine.start(0.0)
    engine.poll(at)
    engine.hurt(at, WALL)
    engine.skip_exercise(at + 10)
    snap = engine.snapshot(at + 10)
    assert not snap.paused
    assert snap.step_index == last + 1
    assert snap.step.exercise != "calf-stretch"
    assert all(r.status != "skipped" for r in engine.step_records()[last + 1 :])


def test_carrying_on_after_pain_resumes_the_same_exercise() -> None:
    engine = SessionEngine(make_plan())
    engine.start(0.0)
    engine.poll(12.0)
    engine.hurt(12.0, WALL, area="hips")
    engine.decline_offer(20.0)
    snap = engine.snapshot(20.0)
    assert not snap.paused and snap.skip_offer is None
    assert snap.step.exercise == "leg-swings"
    assert engine.pains[0].area == "hips"


def test_carrying_on_gently_shortens_the_rest_of_that_side_and_says_so() -> None:
    engine = SessionEngine(make_plan())
    steps = engine.timeline.steps
    first = next(
        i for i, s in enumerate(steps) if s.exercise == "calf-stretch" and s.kind == "hold"
    )
    assert steps[first].side == "right" and steps[first].seconds == 25
    at = engine.timeline.starts_ms[first] / 1000 + 5
    total_before = engine.timeline.total_ms
    engine.start(0.0)
    engine.poll(at)
    report = engine.hurt(at, WALL)
    assert report.side == "right"
    engine.decline_offer(at + 4)
    # the later right-side holds of the calf stretch (its soleus part too) last 15 s;
    # the left side and the other exercises keep their 25 s
    eased = [i for i, s in enumerate(engine.timeline.steps) if s.eased_from is not None]
    later_right = [
        i
        for i, s in enumerate(steps)
        if i > first and s.exercise == "calf-stretch" and s.kind == "hold" and s.side == "right"
    ]
    assert eased == later_right and len(eased) == 3
    for index, step in enumerate(engine.timeline.steps):
        planned = steps[index]
        assert step.seconds == (15 if index in eased else planned.seconds), index
    assert engine.timeline.total_ms == total_before - 3 * 10_000
    # the runner goes on where they were: the switch to the left side, at the same second
    snap = engine.snapshot(at + 4)
    assert snap.step_index == first + 1 and not snap.paused
    assert snap.step_remaining_ms == steps[first + 1].seconds * 1000
    # ...and hears, then sees, that the next right-side hold is gentle and shorter
    nxt = eased[0]
    heard = []
    now = at + 4
    while now < at + 4 + 40:
        now = round(now + 0.25, 6)
        heard.extend(engine.poll(now))
    said = [c.text for c in heard if c.step_index == nxt and c.kind == "start"]
    assert said == ["Gently now. Right side, hold 15 seconds: a mild stretch only."]
    assert engine.timeline.steps[nxt].text.startswith("Gently: ease off to a mild stretch")
    # the countdown stays exact: the gentle hold ends 15 s after it began
    start_ms = engine.timeline.starts_ms[nxt]
    assert engine.timeline.end_ms(nxt) - start_ms == 15_000
    records = engine.step_records()
    assert [records[i].planned_seconds for i in eased] == [15, 15, 15]
    assert engine.record(WALL, None, "in-progress").plan["steps"][nxt]["eased_from"] == 25


def test_going_on_without_the_offer_keeps_the_planned_holds() -> None:
    """Resume (space, or the web player's Resume) is not 'carry on, gently': nothing eases."""
    engine = SessionEngine(make_plan())
    steps = engine.timeline.steps
    first = next(
        i for i, s in enumerate(steps) if s.exercise == "calf-stretch" and s.kind == "hold"
    )
    at = engine.timeline.starts_ms[first] / 1000 + 5
    engine.start(0.0)
    engine.poll(at)
    engine.hurt(at, WALL)
    engine.resume(at + 4)
    assert engine.timeline.steps == steps
    assert engine.snapshot(at + 4).skip_offer is None


def test_the_record_holds_plan_steps_and_pains() -> None:
    engine = SessionEngine(make_plan())
    engine.start(0.0)
    engine.poll(12.0)
    engine.hurt(12.0, WALL)
    engine.finish_now(13.0)
    record = engine.record(WALL, WALL, "quit")
    assert record.plan["total_seconds"] == engine.timeline.total_ms // 1000
    assert len(record.steps) == len(engine.timeline.steps)
    assert record.steps[-1].status == "not-reached"
    assert record.pains[0].area == "hips"


WALK_TEXT = (
    "Walk or jog very easily: around the block, along the hallway or on the spot; "
    "you should be able to talk."
)


@pytest.mark.parametrize(
    ("minutes", "intensity", "expected"),
    [
        (
            15,
            Intensity.HARD,
            [
                (0.0, "start", f"Easy walk or jog, 3 minutes. {WALK_TEXT}"),
                (90.0, "halfway", "Halfway."),
                (120.0, "minute-left", "1 minute left."),
                (175.0, "next-up", "Next up: Leg swings."),
            ],
        ),
        (
            15,
            Intensity.VERY_HARD,
            [
                (0.0, "start", f"Easy walk or jog, 5 minutes. {WALK_TEXT}"),
                (150.0, "halfway", "Halfway."),
                (240.0, "minute-left", "1 minute left."),
                (295.0, "next-up", "Next up: Leg swings."),
            ],
        ),
        (
            5,
            Intensity.HARD,
            [
                (0.0, "start", f"Easy walk or jog, 2 minutes. {WALK_TEXT}"),
                (60.0, "halfway", "Halfway. 1 minute left."),
                (115.0, "next-up", "Next up: Calf stretch at the wall."),
            ],
        ),
        (
            3,
            Intensity.VERY_HARD,
            [
                (0.0, "start", f"Easy walk or jog, 1 minute. {WALK_TEXT}"),
                (30.0, "halfway", "Halfway."),
                (55.0, "next-up", "Next up: Calf stretch at the wall."),
            ],
        ),
    ],
)
def test_the_walk_is_announced_in_full_with_halfway_a_minute_left_and_next_up(
    minutes: int, intensity: Intensity, expected: list[tuple[float, str, str]]
) -> None:
    engine = SessionEngine(make_plan(minutes, intensity))
    walk_end = engine.timeline.end_ms(0) / 1000
    heard = play(engine, 0.0, walk_end + 0.5, 0.5)
    walk = [(t, c.kind, c.text) for t, c in heard if c.step_index == 0]
    assert walk == expected
    after = [c for t, c in heard if c.step_index == 1]
    assert after[0].kind == "exercise" and after[0].text.startswith("Next: ")


def test_easy_and_moderate_runs_have_no_walk() -> None:
    for intensity in (Intensity.EASY, Intensity.MODERATE):
        steps = make_plan(15, intensity).steps
        assert "walk" not in {step.kind for step in steps}
        assert steps[0].kind == "get-ready"


def test_the_walk_counts_as_work_in_the_records() -> None:
    engine = SessionEngine(make_plan(15, Intensity.HARD))
    engine.start(0.0)
    engine.poll(200.0)
    engine.skip(200.0)
    engine.finish_now(201.0)
    walk = engine.step_records()[0]
    assert (walk.kind, walk.status, walk.planned_seconds, walk.actual_seconds) == (
        "walk",
        "done",
        180,
        180,
    )
    assert engine.plan.steps[0].is_work
