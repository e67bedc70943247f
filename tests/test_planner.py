"""Planner rules, as properties over every request a runner can make."""

from __future__ import annotations

from collections import defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from afterrun.catalogue_files import load_catalogue
from afterrun.core.catalogue.models import AREAS, POSITION_ORDER
from afterrun.core.errors import InvalidInput
from afterrun.core.intensity import Intensity
from afterrun.core.plan import PLACES, PlanRequest
from afterrun.core.planner import plan_cooldown

CATALOGUE = load_catalogue(None)
EQUIPMENT = ("wall", "mat", "doorway", "chair", "bed", "foam-roller")

requests = st.builds(
    PlanRequest,
    minutes=st.integers(min_value=1, max_value=120),
    intensity=st.sampled_from(list(Intensity)),
    equipment=st.frozensets(st.sampled_from(EQUIPMENT)),
    place=st.none(),
    focus=st.lists(st.sampled_from(AREAS), max_size=3, unique=True).map(tuple),
    avoid=st.lists(st.sampled_from(AREAS), max_size=2, unique=True).map(tuple),
)


@settings(max_examples=300, deadline=None)
@given(requests)
def test_total_never_exceeds_the_budget(request: PlanRequest) -> None:
    plan = plan_cooldown(CATALOGUE, request)
    assert plan.total_seconds <= request.minutes * 60
    assert plan.total_seconds == sum(step.seconds for step in plan.steps)


@settings(max_examples=300, deadline=None)
@given(requests)
def test_runner_never_gets_back_up_and_moves_come_first(request: PlanRequest) -> None:
    plan = plan_cooldown(CATALOGUE, request)
    order = [(POSITION_ORDER[e.position], 0 if e.kind == "reps" else 1) for e in plan.exercises]
    assert order == sorted(order)


@settings(max_examples=300, deadline=None)
@given(requests)
def test_both_sides_get_the_same_dose(request: PlanRequest) -> None:
    plan = plan_cooldown(CATALOGUE, request)
    per_side: dict[tuple[str, str | None], dict[str | None, list[int]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for step in plan.steps:
        if step.is_work:
            per_side[(step.exercise, step.name)][step.side].append(step.reps or step.seconds)
    for sides in per_side.values():
        assert sides["right"] == sides["left"]


@settings(max_examples=300, deadline=None)
@given(requests)
def test_doses_stay_inside_the_routine_ranges(request: PlanRequest) -> None:
    plan = plan_cooldown(CATALOGUE, request)
    for planned in plan.exercises:
        exercise = CATALOGUE.get(planned.exercise)
        variant = exercise.variant(planned.variant) if planned.variant else None
        dose = variant.dose if variant and variant.dose else exercise.dose
        if dose.hold_seconds and dose.holds_per_side:
            assert planned.hold_seconds is not None and planned.holds_per_side is not None
            assert dose.hold_seconds[0] <= planned.hold_seconds <= dose.hold_seconds[1]
            assert dose.holds_per_side[0] <= planned.holds_per_side <= dose.holds_per_side[1]
        else:
            assert dose.sets is not None and planned.sets is not None
            assert planned.reps_per_side == dose.reps_per_side
            assert dose.sets[0] <= planned.sets <= dose.sets[1]


@settings(max_examples=300, deadline=None)
@given(requests)
def test_every_exercise_is_planned_or_explained(request: PlanRequest) -> None:
    plan = plan_cooldown(CATALOGUE, request)
    planned = {e.exercise for e in plan.exercises}
    dropped = {
        cut.exercise
        for cut in plan.dropped
        if cut.action == "dropped"
        and not (
            cut.variant and CATALOGUE.get(cut.exercise).variant(cut.variant).role == "addition"
        )
    }
    for slug in CATALOGUE.slugs:
        assert slug in planned or slug in dropped
    for cut in plan.dropped:
        assert cut.reason


@settings(max_examples=300, deadline=None)
@given(requests)
def test_avoided_areas_and_missing_equipment_are_respected(request: PlanRequest) -> None:
    plan = plan_cooldown(CATALOGUE, request)
    for planned in plan.exercises:
        exercise = CATALOGUE.get(planned.exercise)
        assert not set(exercise.areas) & set(request.avoid)
        variant = exercise.variant(planned.variant) if planned.variant else None
        needed = (
            variant.equipment if variant and variant.equipment is not None else (exercise.equipment)
        )
        assert set(needed) <= request.equipment
        if exercise.support:
            assert set(exercise.support) & request.equipment


@settings(max_examples=150, deadline=None)
@given(requests, st.integers(min_value=1, max_value=30))
def test_more_time_never_gives_a_shorter_cool_down(request: PlanRequest, extra: int) -> None:
    shorter = plan_cooldown(CATALOGUE, request)
    longer_request = PlanRequest(
        minutes=min(120, request.minutes + extra),
        intensity=request.intensity,
        equipment=request.equipment,
        place=None,
        focus=request.focus,
        avoid=request.avoid,
    )
    longer = plan_cooldown(CATALOGUE, longer_request)
    assert longer.total_seconds >= shorter.total_seconds


def test_twelve_minutes_after_a_hard_run_at_home_covers_all_five() -> None:
    request = PlanRequest(minutes=12, intensity=Intensity.HARD, equipment=PLACES["home"])
    plan = plan_cooldown(CATALOGUE, request)
    assert plan.total_seconds <= 720
    assert [e.exercise for e in plan.exercises] == [
        "leg-swings",
        "calf-stretch",
        "hip-flexor-stretch",
        "hamstring-wall-stretch",
        "knee-to-chest",
    ]
    assert [e.position for e in plan.exercises] == [
        "standing",
        "standing",
        "kneeling",
        "lying",
        "lying",
    ]
    shortened = [cut for cut in plan.dropped if cut.action == "shortened"]
    assert shortened, "12 min cannot hold the full hard dose, so the plan says what it cut"


def test_four_minutes_drops_and_says_why() -> None:
    plan = plan_cooldown(CATALOGUE, PlanRequest(minutes=4))
    assert plan.total_seconds <= 240
    reasons = {cut.exercise: cut.reason for cut in plan.dropped}
    assert reasons["calf-stretch"] == (
        "no time left: needs 105 s even at the shortest dose, 32 s left"
    )


def test_harder_runs_get_longer_doses_when_there_is_time() -> None:
    totals = [
        plan_cooldown(CATALOGUE, PlanRequest(minutes=30, intensity=level)).total_seconds
        for level in Intensity
    ]
    assert totals == sorted(totals)
    assert totals[0] < totals[-1]


def test_at_the_track_the_hip_flexor_stretch_is_done_standing() -> None:
    request = PlanRequest(minutes=15, equipment=PLACES["track"], place="track")
    plan = plan_cooldown(CATALOGUE, request)
    forms = {e.exercise: e.variant for e in plan.exercises}
    assert forms["hip-flexor-stretch"] == "standing-chair"
    reasons = {cut.exercise: cut.reason for cut in plan.dropped}
    assert reasons["hamstring-wall-stretch"] == "needs a mat and a doorway (not at the track)"


def test_no_doorway_uses_the_other_knee_bent_version() -> None:
    plan = plan_cooldown(CATALOGUE, PlanRequest(equipment=frozenset({"wall", "mat"}), place=None))
    forms = {e.exercise: e.variant for e in plan.exercises}
    assert forms["hamstring-wall-stretch"] == "other-leg-bent"


def test_focus_puts_an_area_first_when_time_is_short() -> None:
    plan = plan_cooldown(CATALOGUE, PlanRequest(minutes=4, focus=("lower-back",)))
    assert [e.exercise for e in plan.exercises] == ["calf-stretch", "knee-to-chest"]
    reasons = {cut.exercise: cut.reason for cut in plan.dropped}
    assert reasons["leg-swings"].startswith("no time left")


def test_avoid_leaves_the_area_out_with_a_reason() -> None:
    plan = plan_cooldown(CATALOGUE, PlanRequest(avoid=("calves",)))
    assert "calf-stretch" not in {e.exercise for e in plan.exercises}
    reasons = {cut.exercise: cut.reason for cut in plan.dropped}
    assert reasons["calf-stretch"] == "works the calves, which you asked to avoid"


def test_eased_areas_get_the_gentle_form_and_shortest_dose() -> None:
    request = PlanRequest(intensity=Intensity.VERY_HARD, ease=(("calves", "sore twice"),))
    plan = plan_cooldown(CATALOGUE, request)
    calf = next(e for e in plan.exercises if e.exercise == "calf-stretch")
    assert (calf.variant, calf.hold_seconds, calf.holds_per_side) == ("short-holds", 10, 2)
    assert any(cut.action == "eased" and cut.reason == "sore twice" for cut in plan.dropped)


@pytest.mark.parametrize("minutes", [0, -3, 121, 10**9])
def test_minutes_out_of_range_are_refused(minutes: int) -> None:
    with pytest.raises(InvalidInput, match=f"--minutes {minutes} is out of range"):
        plan_cooldown(CATALOGUE, PlanRequest(minutes=minutes))
