"""The web player's event log, replayed through the engine: the record to store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from afterrun.catalogue_files import load_catalogue
from afterrun.core.engine import SessionEngine
from afterrun.core.errors import InvalidInput
from afterrun.core.intensity import Intensity
from afterrun.core.plan import Plan, PlanRequest
from afterrun.core.planner import plan_cooldown
from afterrun.core.replay import ACTIONS, PlayerEvent, replay, replayed_record

CATALOGUE = load_catalogue(None)
START = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
NOW = START + timedelta(hours=1)


def make_plan(minutes: int = 6) -> Plan:
    return plan_cooldown(CATALOGUE, PlanRequest(minutes=minutes, intensity=Intensity.HARD))


def test_an_untouched_log_past_the_end_is_a_completed_session() -> None:
    plan = make_plan()
    record = replayed_record(plan, (), plan.total_seconds * 1000 + 500, START, NOW)
    assert record.status == "completed"
    assert record.ended_at == NOW
    assert all(step.status == "done" for step in record.steps)
    assert sum(step.actual_seconds for step in record.steps) == plan.total_seconds


def test_a_log_gives_the_same_record_as_pressing_the_same_keys_on_the_engine() -> None:
    plan = make_plan()
    presses = (
        PlayerEvent(4_000, "pause"),
        PlayerEvent(9_000, "resume"),
        PlayerEvent(15_000, "skip"),
        PlayerEvent(16_000, "back"),
        PlayerEvent(40_000, "hurt", "hips"),
        PlayerEvent(42_000, "skip-exercise"),
        PlayerEvent(70_000, "hurt"),
        PlayerEvent(75_000, "carry-on"),
        PlayerEvent(90_000, "quit"),
    )
    engine = SessionEngine(plan)
    engine.start(0.0)
    for event in presses:
        now = event.at_ms / 1000
        engine.poll(now)
        if event.action == "hurt":
            engine.hurt(now, START + timedelta(milliseconds=event.at_ms), event.area)
            continue
        {
            "pause": engine.pause,
            "resume": engine.resume,
            "skip": engine.skip,
            "back": engine.back,
            "skip-exercise": engine.skip_exercise,
            "carry-on": engine.decline_offer,
            "quit": engine.finish_now,
        }[event.action](now)
    record = replayed_record(plan, presses, 95_000, START, NOW)
    assert record.steps == engine.step_records()
    assert record.status == "quit"
    assert [(p.area, p.at) for p in record.pains] == [
        ("hips", START + timedelta(seconds=40)),
        (engine.pains[1].area, START + timedelta(seconds=70)),
    ]
    assert record.pains == engine.pains


def test_a_paused_session_counts_no_time_while_paused() -> None:
    plan = make_plan()
    events = (PlayerEvent(5_000, "pause"),)
    record = replayed_record(plan, events, 600_000, START, NOW)
    assert record.status == "in-progress"
    assert record.ended_at is None
    assert sum(step.actual_seconds for step in record.steps) == 5


def test_events_out_of_order_are_refused_with_the_numbers() -> None:
    plan = make_plan()
    events = (PlayerEvent(5_000, "pause"), PlayerEvent(3_000, "resume"))
    with pytest.raises(InvalidInput) as caught:
        replay(plan, events, 6_000, START)
    assert caught.value.message == (
        "Player event 2 (resume at 3000 ms) is earlier than the one before it (5000 ms); "
        "events must be in the order they happened."
    )


def test_a_clock_behind_the_last_event_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        replay(make_plan(), (PlayerEvent(5_000, "pause"),), 4_000, START)
    assert caught.value.message == (
        "The session's clock (4000 ms) is earlier than its last event (5000 ms)."
    )


@settings(max_examples=60, deadline=None)
@given(
    gaps=st.lists(st.integers(0, 60_000), max_size=25),
    actions=st.lists(st.sampled_from(ACTIONS), max_size=25),
    tail=st.integers(0, 400_000),
)
def test_any_log_replays_twice_to_the_same_record(
    gaps: list[int], actions: list[str], tail: int
) -> None:
    """Idempotent, and never more time in the steps than has passed on the clock."""
    plan = make_plan()
    at = 0
    events = []
    for gap, action in zip(gaps, actions, strict=False):
        at += gap
        events.append(PlayerEvent(at, action))  # type: ignore[arg-type]
    until = at + tail
    first = replayed_record(plan, tuple(events), until, START, NOW)
    second = replayed_record(plan, tuple(events), until, START, NOW)
    assert first == second
    spent = sum(step.actual_seconds for step in first.steps)
    assert spent <= until / 1000 + 1e-9
    if first.status == "completed":
        assert all(step.status != "not-reached" for step in first.steps)


def test_a_log_through_the_walk_gives_the_engine_s_record() -> None:
    plan = make_plan()  # 6 minutes after a hard run: 2 minutes of easy walking first
    assert (plan.steps[0].kind, plan.steps[0].seconds) == ("walk", 120)
    presses = (
        PlayerEvent(30_000, "pause"),
        PlayerEvent(50_000, "resume"),
        PlayerEvent(80_000, "hurt"),
        PlayerEvent(81_000, "carry-on"),
        PlayerEvent(90_000, "quit"),
    )
    record = replayed_record(plan, presses, 95_000, START, NOW)
    engine = SessionEngine(plan)
    engine.start(0.0)
    for at, act in ((30, engine.pause), (50, engine.resume)):
        engine.poll(at)
        act(at)
    engine.poll(80)
    engine.hurt(80, START + timedelta(seconds=80))
    engine.decline_offer(81)
    engine.poll(90)
    engine.finish_now(90)
    assert record.steps == engine.step_records()
    walk = record.steps[0]
    # Paused 20 s, then "it hurts" after 60 s of walking ends the walk.
    assert (walk.kind, walk.status, walk.actual_seconds) == ("walk", "partial", 60)
    assert record.steps[1].status == "partial" and record.steps[1].actual_seconds == 9
    assert [(p.exercise, p.area, p.offset_seconds) for p in record.pains] == [
        ("easy-walk", "unspecified", 60)
    ]
    assert record.status == "quit"


def test_a_log_that_carried_on_gently_replays_the_same_from_the_stored_eased_plan() -> None:
    """The stored plan is eased after 'carry-on'; the next upload replays the whole log from
    it, including presses made further on before the pain, and must give the same record."""
    plan = make_plan(15)
    steps = plan.steps
    first = next(i for i, s in enumerate(steps) if s.kind == "hold" and s.side == "right")
    engine = SessionEngine(plan)
    start_ms = engine.timeline.starts_ms[first]
    later = engine.timeline.starts_ms[first + 4]  # the right side's next hold, as planned
    events = (
        # the runner skips ahead past that hold, comes back, then it hurts
        PlayerEvent(start_ms + 1_000, "skip"),
        PlayerEvent(start_ms + 1_500, "skip"),
        PlayerEvent(start_ms + 2_000, "skip"),
        PlayerEvent(start_ms + 2_500, "skip"),
        PlayerEvent(start_ms + 3_000, "skip"),
        PlayerEvent(start_ms + 3_100, "back"),
        PlayerEvent(start_ms + 3_200, "back"),
        PlayerEvent(start_ms + 3_300, "back"),
        PlayerEvent(start_ms + 3_400, "back"),
        PlayerEvent(start_ms + 3_500, "back"),
        PlayerEvent(start_ms + 6_000, "hurt"),
        PlayerEvent(start_ms + 9_000, "carry-on"),
    )
    until = later + 60_000
    first_upload = replayed_record(plan, events, until, START, NOW)
    eased = Plan.from_json(first_upload.plan)
    hurt = first_upload.pains[0]
    assert hurt.side is not None and steps[hurt.step_index].kind == "hold"
    assert any(s.eased_from is not None for s in eased.steps[hurt.step_index + 1 :])
    again = replayed_record(eased, events, until, START, NOW)
    assert again == first_upload
