"""`afterrun go --resume`: a stored plan played again from the step it reached.

The engine part runs on a fake clock: a resumed session must leave the same step records as
one played without a break. The command's refusals are checked with their exact messages.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from textual.widgets import Static

from afterrun.catalogue_files import load_catalogue
from afterrun.core.engine import SessionEngine, resume_index, stored_plan
from afterrun.core.errors import InvalidInput
from afterrun.core.intensity import Intensity
from afterrun.core.plan import Plan, PlanRequest
from afterrun.core.planner import plan_cooldown
from afterrun.core.records import PainReport, SessionStatus, StepRecord
from afterrun.core.timeline import Cue
from afterrun.store import Store
from afterrun.tui.player import PlayerApp
from conftest import Cli

CATALOGUE = load_catalogue(None)
WALL = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
TICK = 0.1


def make_plan(minutes: int = 8, intensity: Intensity = Intensity.MODERATE) -> Plan:
    return plan_cooldown(CATALOGUE, PlanRequest(minutes=minutes, intensity=intensity))


def play_to(engine: SessionEngine, start: float, until: float) -> list[Cue]:
    """Tick every TICK seconds from `start` (already started) up to `until`."""
    heard: list[Cue] = []
    now = start
    while now + TICK <= until + 1e-9:
        now = round(now + TICK, 6)
        heard.extend(engine.poll(now))
    if now < until:
        heard.extend(engine.poll(until))
    return heard


def play_to_end(engine: SessionEngine, now: float) -> list[Cue]:
    heard: list[Cue] = []
    while not engine.finished:
        now = round(now + TICK, 6)
        heard.extend(engine.poll(now))
    return heard


def uninterrupted(plan: Plan) -> SessionEngine:
    engine = SessionEngine(plan)
    engine.start(0.0)
    play_to_end(engine, 0.0)
    return engine


def cut_at(plan: Plan, seconds: float) -> SessionEngine:
    """A session played from 0 s until `seconds`, where it was stopped by a crash."""
    engine = SessionEngine(plan)
    engine.start(0.0)
    play_to(engine, 0.0, seconds)
    return engine


def resumed(stopped: SessionEngine, at: float = 5_000.0) -> tuple[SessionEngine, list[Cue]]:
    """A fresh engine on the stored plan, resumed from the stopped one's records."""
    record = stopped.record(WALL, None, "in-progress")
    engine = SessionEngine(Plan.from_json(record.plan))
    cues = engine.resume_from(record.steps, record.pains, at)
    cues += play_to_end(engine, at)
    return engine, cues


# --- the plan comes back from the stored JSON ------------------------------------------


@pytest.mark.parametrize("minutes", [2, 8, 15, 30])
@pytest.mark.parametrize("intensity", list(Intensity))
def test_a_stored_plan_comes_back_step_for_step(minutes: int, intensity: Intensity) -> None:
    plan = make_plan(minutes, intensity)
    back = Plan.from_json(json.loads(json.dumps(stored_plan(plan))))
    assert back.steps == plan.steps
    assert back.exercises == plan.exercises
    assert back.dropped == plan.dropped
    assert back.notes == plan.notes
    assert back.to_json() == plan.to_json()
    assert replace(back.request, ease=(), rest=()) == replace(plan.request, ease=(), rest=())


def test_the_session_record_keeps_what_playing_the_plan_again_needs() -> None:
    plan = make_plan()
    record = SessionEngine(plan).record(WALL, None, "in-progress")
    assert Plan.from_json(record.plan).steps == plan.steps  # areas and tips included
    assert record.plan["steps"][5]["area"] == plan.steps[5].area


def test_a_plan_stored_without_areas_and_tips_still_plays() -> None:
    plan = make_plan()
    back = Plan.from_json(plan.to_json())
    assert [s.seconds for s in back.steps] == [s.seconds for s in plan.steps]
    assert all(step.area is None and step.tip is None for step in back.steps)


def test_a_broken_stored_plan_says_what_is_wrong() -> None:
    data = stored_plan(make_plan())
    del data["steps"][3]["seconds"]
    with pytest.raises(ValueError, match="the field 'seconds' is missing"):
        Plan.from_json(data)
    data = stored_plan(make_plan())
    data["steps"][0]["kind"] = "cartwheel"
    with pytest.raises(ValueError, match="unknown step kind 'cartwheel'"):
        Plan.from_json(data)


# --- the engine: same records as without a break ---------------------------------------


def test_resuming_at_a_step_boundary_gives_exactly_the_uninterrupted_records() -> None:
    plan = make_plan()
    whole = uninterrupted(plan)
    starts = SessionEngine(plan).timeline.starts_ms
    for index in (1, len(starts) // 2, len(starts) - 1):
        stopped = cut_at(plan, starts[index] / 1000)
        assert resume_index(stopped.step_records(), ()) == index
        engine, _ = resumed(stopped)
        assert engine.step_records() == whole.step_records(), index


@pytest.mark.parametrize("share", [0.2, 0.5, 0.9])
def test_resuming_mid_step_replays_that_step_and_keeps_what_was_done(share: float) -> None:
    plan = make_plan()
    whole = uninterrupted(plan)
    timeline = SessionEngine(plan).timeline
    index = next(i for i, s in enumerate(plan.steps) if s.kind == "hold")
    at = (timeline.starts_ms[index] + share * plan.steps[index].seconds * 1000) / 1000
    stopped = cut_at(plan, at)
    before = stopped.step_records()
    assert before[index].status == "partial"

    engine, cues = resumed(stopped)

    after = engine.step_records()
    assert after[:index] == before[:index] == whole.step_records()[:index]
    assert after[index + 1 :] == whole.step_records()[index + 1 :]
    assert after[index].status == "done"
    # The time already spent stays credited, as when the runner presses back.
    assert after[index].actual_seconds == pytest.approx(
        plan.steps[index].seconds + before[index].actual_seconds, abs=0.001
    )
    # Every cue from the restarted step's start on comes again, in order, once.
    step = plan.steps[index]
    assert cues[0].text == f"Picking up where you left off: {step.name}, {step.side} side."
    expected = [c for c in timeline.cues if c.at_ms >= timeline.starts_ms[index]]
    assert cues[1:] == expected


def test_a_resumed_session_ends_with_zero_drift() -> None:
    plan = make_plan(minutes=20, intensity=Intensity.VERY_HARD)
    stopped = cut_at(plan, 333.37)
    record = stopped.record(WALL, None, "in-progress")
    engine = SessionEngine(Plan.from_json(record.plan))
    resume_at = 10_000.0
    engine.resume_from(record.steps, record.pains, resume_at)
    index = resume_index(record.steps, record.pains)
    restart_ms = engine.timeline.starts_ms[index]
    end = play_to_end(engine, resume_at)
    assert end[-1].kind == "done"
    assert engine.position_ms(resume_at + (engine.timeline.total_ms - restart_ms) / 1000) == (
        engine.timeline.total_ms
    )


@pytest.mark.parametrize("share", [0.2, 0.9])
def test_resuming_mid_walk_walks_again_from_its_start(share: float) -> None:
    plan = make_plan(intensity=Intensity.HARD)
    assert (plan.steps[0].kind, plan.steps[0].seconds) == ("walk", 180)
    whole = uninterrupted(plan)
    stopped = cut_at(plan, share * 180)
    before = stopped.step_records()
    assert (before[0].kind, before[0].status) == ("walk", "partial")
    assert resume_index(before, ()) == 0

    engine, cues = resumed(stopped)

    after = engine.step_records()
    assert after[1:] == whole.step_records()[1:]
    assert after[0].status == "done"
    assert after[0].actual_seconds == pytest.approx(180 + share * 180, abs=0.001)
    assert [cue.text for cue in cues[:2]] == [
        "Picking up where you left off: Easy walk or jog.",
        "Easy walk or jog, 3 minutes. Walk or jog very easily: around the block, along the "
        "hallway or on the spot; you should be able to talk.",
    ]


def test_it_hurts_in_the_walk_moves_on_after_a_crash() -> None:
    plan = make_plan(intensity=Intensity.HARD)
    engine = cut_at(plan, 50.0)
    engine.hurt(50.0, WALL)
    assert resume_index(engine.step_records(), engine.pains) == 1


def test_quit_then_resume_keeps_skips_and_pains() -> None:
    plan = make_plan()
    timeline = SessionEngine(plan).timeline
    hold = next(i for i, s in enumerate(plan.steps) if s.kind == "hold")
    engine = SessionEngine(plan)
    engine.start(0.0)
    play_to(engine, 0.0, 12.0)
    engine.skip(12.0)  # the first set of swings is skipped
    at = timeline.starts_ms[hold] / 1000 + 4
    play_to(engine, 12.0, at)
    engine.hurt(at, WALL)  # ends the hold, pauses and offers to skip
    engine.decline_offer(at + 1)
    later = at + 1 + plan.steps[hold + 1].seconds + 3
    play_to(engine, at + 1, later)
    engine.finish_now(later)
    record = engine.record(WALL, WALL + timedelta(minutes=2), "quit")

    assert resume_index(record.steps, record.pains) == hold + 2
    again, _ = resumed(engine)
    after = again.step_records()
    assert after[1].status == "skipped"
    assert after[hold].status == "partial"  # the hurt hold is not played again
    assert after[: hold + 2] == record.steps[: hold + 2]
    assert all(r.status == "done" for r in after[hold + 1 :])
    assert after[hold + 2].actual_seconds == pytest.approx(
        record.steps[hold + 2].actual_seconds + plan.steps[hold + 2].seconds, abs=0.001
    )
    assert again.pains == record.pains


def test_a_crash_right_after_it_hurts_moves_on_to_the_next_step() -> None:
    plan = make_plan()
    hold = next(i for i, s in enumerate(plan.steps) if s.kind == "hold")
    engine = cut_at(plan, SessionEngine(plan).timeline.starts_ms[hold] / 1000 + 3)
    engine.hurt(SessionEngine(plan).timeline.starts_ms[hold] / 1000 + 3, WALL)
    assert resume_index(engine.step_records(), engine.pains) == hold + 1


def test_nothing_played_resumes_at_the_start_and_everything_played_just_finishes() -> None:
    plan = make_plan(minutes=3)
    fresh = SessionEngine(plan).step_records()
    assert resume_index(fresh, ()) == 0
    whole = uninterrupted(plan)
    records = whole.step_records()
    assert resume_index(records, ()) == len(records)
    engine = SessionEngine(plan)
    cues = engine.resume_from(records, (), 50.0)
    assert engine.finished
    assert [c.kind for c in cues] == ["done"]
    assert engine.step_records() == records


def test_records_from_another_plan_are_refused() -> None:
    records = SessionEngine(make_plan(minutes=8)).step_records()
    engine = SessionEngine(make_plan(minutes=12))
    with pytest.raises(InvalidInput, match="step records stored for a plan of"):
        engine.resume_from(records, (), 0.0)
    same_length = SessionEngine(make_plan(minutes=8)).step_records()
    tampered = (replace(same_length[0], planned_seconds=99), *same_length[1:])
    with pytest.raises(InvalidInput, match="Step record 0 does not match"):
        SessionEngine(make_plan(minutes=8)).resume_from(tampered, (), 0.0)
    started = SessionEngine(make_plan(minutes=8))
    started.start(0.0)
    with pytest.raises(InvalidInput, match="already started"):
        started.resume_from(same_length, (), 1.0)


# --- the player ----------------------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 2_000.0

    def __call__(self) -> float:
        return self.now


async def test_the_player_continues_a_stored_session_to_the_end() -> None:
    plan = make_plan(minutes=4)
    index = next(i for i, s in enumerate(plan.steps) if s.is_work and i > 2)
    stopped = cut_at(plan, SessionEngine(plan).timeline.starts_ms[index] / 1000 + 2)
    stored = stopped.record(WALL, None, "in-progress")
    clock = FakeClock()
    saved: list[SessionStatus] = []
    engine = SessionEngine(Plan.from_json(stored.plan))
    app = PlayerApp(engine, saved.append, clock=clock, bell=False, resume=stored)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert str(app.query_one("#exercise", Static).render()) == plan.steps[index].name
        assert app.spoken[0].startswith("Picking up where you left off:")
        clock.now += engine.timeline.total_ms / 1000
        app.tick()
        await pilot.pause()
        assert saved[-1] == "completed"
        await pilot.press("q")
    records = engine.step_records()
    assert records[:index] == stored.steps[:index]
    assert all(r.status == "done" for r in records)


# --- the command -----------------------------------------------------------------------


def store_session(cli: Cli, status: SessionStatus, hours: int = 0) -> int:
    engine = cut_at(make_plan(minutes=4), 40.0)
    record = engine.record(WALL + timedelta(hours=hours), None, status)
    with Store.open(cli.env["AFTERRUN_DB"]) as store:
        return store.start_session(record)


USAGE_GO = "Usage: afterrun go [OPTIONS]\nTry 'afterrun go --help' for help.\n\n"


def test_nothing_stored_means_nothing_to_resume(cli: Cli) -> None:
    result = cli("go", "--resume")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "Error: Nothing to resume: no cool-down is stored yet. Start one with 'afterrun go'.\n"
    )
    assert not Path(cli.env["AFTERRUN_DB"]).exists()


def test_a_complete_latest_session_means_nothing_to_resume(cli: Cli) -> None:
    store_session(cli, "quit", hours=0)  # older and unfinished: not picked up behind a newer one
    store_session(cli, "completed", hours=1)
    result = cli("go", "--resume")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: Nothing to resume: your latest session is complete. "
        "Start a new one with 'afterrun go'.\n"
    )


def test_an_unknown_session_id(cli: Cli) -> None:
    result = cli("go", "--resume", "42")
    assert result.exit_code == 1
    assert result.stderr == "Error: No session 42. Run 'afterrun history' to see session ids.\n"
    store_session(cli, "quit")
    result = cli("go", "--resume", "42")
    assert result.exit_code == 1
    assert result.stderr == "Error: No session 42. Run 'afterrun history' to see session ids.\n"


def test_a_complete_session_cannot_be_resumed(cli: Cli) -> None:
    session_id = store_session(cli, "completed")
    result = cli("go", "--resume", str(session_id))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: Session {session_id} is already complete; nothing to resume. "
        "Start a new one with 'afterrun go'.\n"
    )


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (("-m", "10"), "--minutes"),
        (("--intensity", "hard", "--place", "gym"), "--intensity, --place"),
        (("--avoid", "calves"), "--avoid"),
    ],
)
def test_resume_with_planning_options_is_a_usage_error(
    cli: Cli, args: tuple[str, ...], named: str
) -> None:
    result = cli("go", "--resume", *args)
    assert result.exit_code == 2
    assert result.stderr == (
        f"{USAGE_GO}Error: --resume plays the session's stored plan; it cannot be combined "
        f"with {named}.\n"
    )


@pytest.mark.parametrize("value", ["0", "abc", "1.5"])
def test_a_bad_session_id_is_a_usage_error(cli: Cli, value: str) -> None:
    result = cli("go", f"--resume={value}")
    assert result.exit_code == 2
    assert result.stderr == (
        f"{USAGE_GO}Error: Invalid value for '--resume': {value!r} is not a session id; give "
        "the number 'afterrun history' shows, or nothing for the latest session.\n"
    )


@pytest.mark.parametrize("status", ["in-progress", "quit", "interrupted"])
def test_an_unfinished_session_is_found_but_needs_a_terminal(
    cli: Cli, status: SessionStatus
) -> None:
    session_id = store_session(cli, status)
    for args in (("--resume",), ("--resume", str(session_id))):
        result = cli("go", *args)
        assert result.exit_code == 2
        assert result.stderr == (
            "Error: afterrun go plays full-screen and needs a terminal; "
            "use 'afterrun plan' to print the plan instead.\n"
        )
    with Store.open(cli.env["AFTERRUN_DB"]) as store:
        assert store.get_session(session_id).record.status == status  # untouched


def test_a_stored_plan_that_cannot_be_played_is_a_storage_error(cli: Cli) -> None:
    session_id = store_session(cli, "interrupted")
    with Store.open(cli.env["AFTERRUN_DB"]) as store:
        stored = store.get_session(session_id).record
        plan = dict(stored.plan)
        plan["steps"] = plan["steps"][:-1]
        store.save_session(session_id, replace(stored, plan=plan))
    result = cli("go", "--resume")
    assert result.exit_code == 4
    count = len(stored.steps)
    assert result.stderr == (
        f"Error: Cannot resume session {session_id}: its stored plan cannot be played again "
        f"({count} step records stored for a plan of {count - 1} steps). "
        "Start a new one with 'afterrun go'.\n"
    )


def test_steps_stored_before_areas_were_kept_get_them_from_the_catalogue() -> None:
    from afterrun.cli.context import AppContext
    from afterrun.services.sessions import with_areas

    plan = make_plan()
    bare = Plan.from_json(plan.to_json())
    app = AppContext(environ={"AFTERRUN_CONFIG_DIR": "/nonexistent"})
    filled = with_areas(bare, app.catalogue)
    assert [s.area for s in filled.steps] == [s.area for s in plan.steps]


def _pain(index: int) -> PainReport:
    return PainReport(index, "calf-stretch", "calves", 1.0, WALL)


def test_resume_index_rules() -> None:
    def rec(index: int, status: str, kind: str = "hold") -> StepRecord:
        return StepRecord(index, "x", None, None, kind, 30, None, 0.0, status)  # type: ignore[arg-type]

    assert resume_index((rec(0, "not-reached"), rec(1, "not-reached")), ()) == 0
    assert resume_index((rec(0, "done"), rec(1, "partial")), ()) == 1
    assert resume_index((rec(0, "done"), rec(1, "skipped"), rec(2, "not-reached")), ()) == 2
    assert resume_index((rec(0, "partial"), rec(1, "done"), rec(2, "partial")), (_pain(0),)) == 2
    assert resume_index((rec(0, "done"), rec(1, "partial")), (_pain(1),)) == 2
    assert resume_index((rec(0, "done"), rec(1, "partial", "switch")), (_pain(1),)) == 1
