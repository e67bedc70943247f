"""Planner rules, as properties over every request a runner can make."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from afterrun.catalogue_files import load_catalogue
from afterrun.cli.wording import error_text
from afterrun.core.catalogue.models import AREAS, POSITION_ORDER
from afterrun.core.errors import InvalidInput
from afterrun.core.intensity import Intensity
from afterrun.core.plan import PLACES, Plan, PlannedExercise, PlanRequest
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


#: Holds and swings are one target for every run: the middle of the hold range, the fewest
#: holds per side and sets. Only the walk before them depends on how hard the run was.
TARGET = {"hold_seconds": 25, "holds_per_side": 2, "sets": 2}
WALK_MINUTES = {
    Intensity.EASY: 0,
    Intensity.MODERATE: 0,
    Intensity.HARD: 3,
    Intensity.VERY_HARD: 5,
}


def _dose(planned: PlannedExercise) -> tuple[int | None, int | None, int | None, int | None]:
    return (planned.hold_seconds, planned.holds_per_side, planned.reps_per_side, planned.sets)


@settings(max_examples=200, deadline=None)
@given(requests)
def test_the_walk_grows_with_intensity_and_never_exceeds_40_percent(request: PlanRequest) -> None:
    plan = plan_cooldown(CATALOGUE, request)
    walks = [step for step in plan.steps if step.kind == "walk"]
    most = request.minutes * 40 // 100
    wanted = WALK_MINUTES[request.intensity]
    assert plan.walk_minutes == min(wanted, most)
    assert plan.walk_minutes * 60 <= 0.4 * request.minutes * 60
    if plan.walk_minutes:
        assert plan.steps[0] == walks[0] and len(walks) == 1
        assert walks[0].seconds == plan.walk_minutes * 60
        assert walks[0].is_work
        if len(plan.steps) > 1:
            assert plan.steps[1].kind == "transition"
    else:
        assert walks == []
        assert plan.steps == () or plan.steps[0].kind == "get-ready"
    cuts = [cut for cut in plan.dropped if cut.exercise == "easy-walk"]
    if wanted > most >= 1:
        assert [(c.action, c.reason) for c in cuts] == [
            (
                "shortened",
                f"{most} min instead of {wanted} min: at most 40% of your "
                f"{request.minutes} min goes to the walk",
            )
        ]
    elif wanted > most:
        assert [(c.action, c.reason) for c in cuts] == [
            (
                "dropped",
                f"no whole minute left for it: at most 40% of your {request.minutes} min "
                "goes to the walk",
            )
        ]
    else:
        assert cuts == []
    harder = [
        plan_cooldown(CATALOGUE, replace(request, intensity=level)).walk_minutes
        for level in Intensity
    ]
    assert harder == sorted(harder)


@settings(max_examples=200, deadline=None)
@given(requests)
def test_stretch_doses_are_the_same_for_every_intensity(request: PlanRequest) -> None:
    """Every exercise aims at the same dose whatever the run; only time and soreness cut it."""
    plan = plan_cooldown(CATALOGUE, request)
    cut_short = {
        (cut.exercise, cut.variant) for cut in plan.dropped if cut.action in ("shortened", "eased")
    }
    for planned in plan.exercises:
        exercise = CATALOGUE.get(planned.exercise)
        variant = exercise.variant(planned.variant) if planned.variant else None
        dose = variant.dose if variant and variant.dose else exercise.dose
        if dose.hold_seconds and dose.holds_per_side:
            low, high = dose.hold_seconds
            target = (
                min(high, max(low, round((low + high) / 2 / 5) * 5)),
                dose.holds_per_side[0],
                None,
                None,
            )
        else:
            assert dose.sets is not None
            target = (None, None, dose.reps_per_side, dose.sets[0])
        if (planned.exercise, planned.variant) in cut_short:
            assert _dose(planned) <= target
        else:
            assert _dose(planned) == target, planned


@settings(max_examples=100, deadline=None)
@given(requests.filter(lambda request: request.minutes >= 25))
def test_with_time_for_everything_the_exercises_are_identical_for_every_intensity(
    request: PlanRequest,
) -> None:
    plans = [plan_cooldown(CATALOGUE, replace(request, intensity=level)) for level in Intensity]
    exercises = {plan.exercises for plan in plans}
    assert len(exercises) == 1
    assert [plan.walk_minutes for plan in plans] == [0, 0, 3, 5]


def test_hold_seconds_are_identical_across_intensities_for_the_same_minutes() -> None:
    for minutes in (15, 20, 30, 60):
        holds = {
            (step.exercise, step.side, step.seconds)
            for level in Intensity
            for step in plan_cooldown(CATALOGUE, PlanRequest(minutes, level)).steps
            if step.kind == "hold"
        }
        assert {seconds for _, _, seconds in holds} == {TARGET["hold_seconds"]}, minutes


def test_twelve_minutes_after_a_hard_run_walks_three_minutes_then_four_exercises() -> None:
    request = PlanRequest(minutes=12, intensity=Intensity.HARD, equipment=PLACES["home"])
    plan = plan_cooldown(CATALOGUE, request)
    assert plan.total_seconds <= 720
    assert (plan.steps[0].kind, plan.steps[0].seconds, plan.walk_minutes) == ("walk", 180, 3)
    assert plan.steps[0].text == (
        "Walk or jog very easily: around the block, along the hallway or on the spot; "
        "you should be able to talk."
    )
    assert [e.exercise for e in plan.exercises] == [
        "leg-swings",
        "calf-stretch",
        "hip-flexor-stretch",
        "hamstring-wall-stretch",
    ]
    assert [e.position for e in plan.exercises] == ["standing", "standing", "kneeling", "lying"]
    shortened = [(cut.exercise, cut.reason) for cut in plan.dropped if cut.action == "shortened"]
    assert shortened == [
        (slug, "20 s x 2 per side instead of 25 s x 2 per side, to fit 12 min")
        for slug in ("calf-stretch", "hip-flexor-stretch", "hamstring-wall-stretch")
    ]
    reasons = {cut.exercise: cut.reason for cut in plan.dropped}
    assert (
        reasons["knee-to-chest"] == "no time left: needs 105 s even at the shortest dose, 7 s left"
    )


def test_twelve_minutes_after_a_moderate_run_covers_all_five_at_the_target() -> None:
    plan = plan_cooldown(CATALOGUE, PlanRequest(minutes=12, intensity=Intensity.MODERATE))
    assert plan.walk_minutes == 0 and plan.steps[0].kind == "get-ready"
    assert [(e.exercise, e.hold_seconds, e.holds_per_side, e.sets) for e in plan.exercises] == [
        ("leg-swings", None, None, 2),
        ("calf-stretch", 25, 2, None),
        ("hip-flexor-stretch", 25, 2, None),
        ("hamstring-wall-stretch", 25, 2, None),
        ("knee-to-chest", 25, 2, None),
    ]
    assert [cut.action for cut in plan.dropped] == ["dropped"]  # only the optional soleus


def test_plan_notes_say_what_the_walk_and_the_holds_are_for_with_the_source() -> None:
    plan = plan_cooldown(CATALOGUE, PlanRequest(minutes=15, intensity=Intensity.VERY_HARD))
    note = (
        "A few easy minutes after a hard run clear blood lactate faster; a longer cool-down or "
        "longer holds are for comfort and a gradual return, not faster recovery "
        "(Van Hooren & Peake 2018)."
    )
    assert plan.notes[-1] == note
    data = plan.to_json()
    assert data["notes"][-1] == note
    assert data["note_sources"] == [[], ["van-hooren-2018"]]
    assert data["walk_minutes"] == 5
    again = Plan.from_json(data)
    assert (again.notes, again.note_sources) == (plan.notes, plan.note_sources)
    assert (again.steps[0], again.walk_minutes) == (plan.steps[0], 5)


def test_four_minutes_drops_and_says_why() -> None:
    plan = plan_cooldown(CATALOGUE, PlanRequest(minutes=4))
    assert plan.total_seconds <= 240
    reasons = {cut.exercise: cut.reason for cut in plan.dropped}
    assert reasons["calf-stretch"] == (
        "no time left: needs 105 s even at the shortest dose, 32 s left"
    )


def test_harder_runs_get_a_longer_walk_not_longer_holds_when_there_is_time() -> None:
    plans = [
        plan_cooldown(CATALOGUE, PlanRequest(minutes=30, intensity=level)) for level in Intensity
    ]
    exercise_seconds = [plan.total_seconds - plan.walk_minutes * 60 for plan in plans]
    assert [plan.walk_minutes for plan in plans] == [0, 0, 3, 5]
    assert len({plan.exercises for plan in plans}) == 1
    # The exercises take the same time; only the first move into them differs after a walk.
    assert exercise_seconds == [843, 843, 843, 843]


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
    with pytest.raises(InvalidInput) as caught:
        plan_cooldown(CATALOGUE, PlanRequest(minutes=minutes))
    assert error_text(caught.value).startswith(f"--minutes {minutes} is out of range")
