"""Build a cool-down that fits the runner's time, place and run.

How it decides, in order:
0. After a hard or very hard run, start with a few minutes of easy walking or jogging
   (light activity clears blood lactate faster; Van Hooren & Peake 2018), never more than
   40% of the minutes; a walk shortened or left out for time is reported with the reason.
1. Leave out exercises that work an area the runner wants to avoid or should rest (rated
   7+ or with a red flag), or that need equipment they do not have (an alternative form is
   tried first). An area to ease gets the gentler form, if any, at the shortest dose.
2. Take exercises in priority order (focus areas first) at the shortest dose the
   original routine allows; one that no longer fits is dropped, with the reason.
3. Raise the doses one notch at a time towards the routine's target dose, while the
   budget allows; anything left below its target is reported as shortened. The target is
   the same after every run: the holds are a flexibility dose for comfort, not a recovery
   dose, so how hard the run was shapes only the walk of step 0.
4. Add the optional extras (additions such as the soleus stretch) if time remains.
Order on the floor: the walk, then standing, then kneeling, then lying, dynamic movement
first within a position, so the runner never has to get back up.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from afterrun.core.catalogue.models import (
    AREAS,
    EQUIPMENT_NAMES,
    Catalogue,
    Dose,
    Exercise,
    Variant,
)
from afterrun.core.errors import InvalidInput, verbatim
from afterrun.core.hints import Hint
from afterrun.core.intensity import Intensity
from afterrun.core.plan import (
    MAX_MINUTES,
    MIN_MINUTES,
    WALK_NAME,
    WALK_SLUG,
    Cut,
    Plan,
    PlanRequest,
    place_phrase,
)
from afterrun.core.plan_notes import plan_notes
from afterrun.core.plan_steps import Choice, Level, assemble, dose_text, planned_exercise

HOLD_STEP_SECONDS = 5

#: Where in each of the routine's ranges the target dose lands: (hold length, holds per
#: side, sets), 0 the low end of the range and 1 the high end. The same for every run
#: (25 s x 2 per side, swings 2 sets of 10): holds are for comfort and flexibility.
TARGET_LEVEL: tuple[float, float, float] = (0.5, 0.0, 0.0)

#: Minutes of easy walking or jogging before the exercises, by how hard the run was.
WALK_MINUTES: dict[Intensity, int] = {
    Intensity.EASY: 0,
    Intensity.MODERATE: 0,
    Intensity.HARD: 3,
    Intensity.VERY_HARD: 5,
}
#: The walk takes at most this share of the minutes: 2/5, i.e. 40%, in whole minutes.
WALK_SHARE_NUMERATOR, WALK_SHARE_DENOMINATOR = 2, 5

FOCUS_BONUS = 100


def _between(low: int, high: int, fraction: float, step: int = 1) -> int:
    value = low + (high - low) * fraction
    return max(low, min(high, int(round(value / step) * step)))


def _levels(dose: Dose) -> tuple[Level, Level]:
    """The shortest dose of the routine's range and the target dose."""
    hold_f, count_f, sets_f = TARGET_LEVEL
    if dose.hold_seconds is not None and dose.holds_per_side is not None:
        lo_s, hi_s = dose.hold_seconds
        lo_n, hi_n = dose.holds_per_side
        return Level(lo_s, lo_n), Level(
            _between(lo_s, hi_s, hold_f, HOLD_STEP_SECONDS), _between(lo_n, hi_n, count_f)
        )
    reps = dose.reps_per_side or 1
    lo, hi = dose.sets or (1, 1)
    return Level(reps, lo), Level(reps, _between(lo, hi, sets_f))


def _next_level(choice: Choice, level: Level) -> Level | None:
    """One notch up towards the target: hold length first, then repetitions."""
    if level.amount < choice.target.amount:
        step = HOLD_STEP_SECONDS if choice.dose.is_hold else 1
        return Level(min(level.amount + step, choice.target.amount), level.count)
    if level.count < choice.target.count:
        return Level(level.amount, level.count + 1)
    return None


def _needs(
    equipment: Sequence[str], support: Sequence[str], available: frozenset[str]
) -> list[str]:
    missing = [item for item in equipment if item not in available]
    if support and not any(item in available for item in support):
        missing.append(" or ".join(EQUIPMENT_NAMES[item] for item in support))
    return [EQUIPMENT_NAMES.get(item, item) for item in missing]


def _missing_reason(missing: list[str], request: PlanRequest) -> str:
    where = f"not {place_phrase(request.place)}" if request.place else "not in your equipment"
    return f"needs a {' and a '.join(missing)} ({where})"


def _pick_form(
    exercise: Exercise, request: PlanRequest, gentle: bool
) -> tuple[Variant | None, str | None]:
    """The main form if the equipment is there, else the first alternative that fits."""
    main_missing = _needs(exercise.equipment, exercise.support, request.equipment)
    alternatives = [v for v in exercise.variants if v.role == "alternative"]
    if gentle:
        for variant in alternatives:
            equipment = variant.equipment if variant.equipment is not None else exercise.equipment
            if variant.gentler and not _needs(equipment, exercise.support, request.equipment):
                return variant, None
    if not main_missing:
        return None, None
    for variant in alternatives:
        if variant.gentler or variant.equipment is None:
            continue
        if not _needs(variant.equipment, exercise.support, request.equipment):
            return variant, None
    return None, _missing_reason(main_missing, request)


def _validate(request: PlanRequest, catalogue: Catalogue) -> None:
    if not MIN_MINUTES <= request.minutes <= MAX_MINUTES:
        raise InvalidInput.naming(
            f"{{minutes}} {request.minutes} is out of range: give {MIN_MINUTES} to "
            f"{MAX_MINUTES} minutes."
        )
    known_areas = {area for exercise in catalogue.exercises for area in exercise.areas}
    for field_name, areas in (("focus", request.focus), ("avoid", request.avoid)):
        for area in areas:
            if area not in AREAS and area not in known_areas:
                raise InvalidInput.naming(
                    f"{{{field_name}}}: unknown body area {verbatim(repr(area))}. "
                    f"Choose from: {', '.join(AREAS)}."
                )


def _candidates(
    catalogue: Catalogue, request: PlanRequest
) -> tuple[list[Choice], list[Choice], list[Cut]]:
    """Main choices and optional additions that the runner can do here, and what was left out."""
    cuts: list[Cut] = []
    mains: list[Choice] = []
    additions: list[Choice] = []
    ease = dict(request.ease)
    rest = dict(request.rest)
    for exercise in catalogue.exercises:
        avoided = [area for area in exercise.areas if area in request.avoid]
        if avoided:
            cuts.append(
                Cut(
                    exercise.slug,
                    exercise.name,
                    "dropped",
                    f"works the {avoided[0]}, which you asked to avoid",
                )
            )
            continue
        rested = next((area for area in exercise.areas if area in rest), None)
        if rested is not None:
            cuts.append(Cut(exercise.slug, exercise.name, "dropped", rest[rested]))
            continue
        eased = next((area for area in exercise.areas if area in ease), None)
        variant, missing = _pick_form(exercise, request, gentle=eased is not None)
        if missing:
            cuts.append(Cut(exercise.slug, exercise.name, "dropped", missing))
            continue
        focused = any(area in request.focus for area in exercise.areas)
        priority = exercise.priority + (FOCUS_BONUS if focused else 0)
        dose = variant.dose if variant and variant.dose else exercise.dose
        low, target = _levels(dose)
        eased_reason = None
        if eased is not None:
            target = low
            eased_reason = ease[eased]
        mains.append(Choice(exercise, variant, None, dose, priority, low, target, eased_reason))
        if eased is not None:
            cuts.extend(
                Cut(
                    exercise.slug,
                    extra.name,
                    "dropped",
                    f"optional extra left out while the {eased} are eased",
                    extra.slug,
                )
                for extra in exercise.variants
                if extra.role == "addition"
            )
            continue
        for extra in exercise.variants:
            if extra.role != "addition":
                continue
            extra_equipment = extra.equipment if extra.equipment is not None else exercise.equipment
            if _needs(extra_equipment, [], request.equipment):
                continue
            extra_dose = extra.dose or exercise.dose
            extra_low, extra_target = _levels(extra_dose)
            extra_focus = any(
                area in request.focus for area in [*exercise.areas, *extra.extra_areas]
            )
            additions.append(
                Choice(
                    exercise,
                    extra,
                    exercise.slug,
                    extra_dose,
                    priority + (FOCUS_BONUS if extra_focus else 0),
                    extra_low,
                    extra_target,
                )
            )
    mains.sort(key=lambda c: -c.priority)
    additions.sort(key=lambda c: -c.priority)
    return mains, additions, cuts


def _walk_minutes(request: PlanRequest) -> tuple[int, Cut | None]:
    """Minutes of easy walking first, and the cut when time made it shorter or left it out."""
    wanted = WALK_MINUTES[request.intensity]
    most = request.minutes * WALK_SHARE_NUMERATOR // WALK_SHARE_DENOMINATOR
    if wanted <= most:
        return wanted, None
    share = f"at most 40% of your {request.minutes} min goes to the walk"
    if most < 1:
        return 0, Cut(WALK_SLUG, WALK_NAME, "dropped", f"no whole minute left for it: {share}")
    return most, Cut(
        WALK_SLUG, WALK_NAME, "shortened", f"{most} min instead of {wanted} min: {share}"
    )


#: The seconds a list of chosen exercises takes, the walk and transitions included.
Timing = Callable[[list[tuple[Choice, Level]]], int]


def _at_shortest_dose(
    mains: list[Choice], budget: int, seconds_of: Timing, cuts: list[Cut]
) -> list[tuple[Choice, Level]]:
    """Step 2: each exercise in priority order at its shortest dose while it fits."""
    chosen: list[tuple[Choice, Level]] = []
    for choice in mains:
        trial = [*chosen, (choice, choice.low)]
        seconds = seconds_of(trial)
        if seconds <= budget:
            chosen = trial
            continue
        needed = seconds - seconds_of(chosen)
        left = budget - seconds_of(chosen)
        cuts.append(
            Cut(
                choice.slug,
                choice.name,
                "dropped",
                f"no time left: needs {needed} s even at the shortest dose, {left} s left",
                choice.variant_slug,
            )
        )
    return chosen


def _grown(
    chosen: list[tuple[Choice, Level]], budget: int, seconds_of: Timing
) -> list[tuple[Choice, Level]]:
    """Step 3: raise the doses one notch at a time, in turn, while the budget allows."""
    grown = True
    while grown:
        grown = False
        for index, (choice, level) in enumerate(chosen):
            bigger = _next_level(choice, level)
            if bigger is None:
                continue
            trial = list(chosen)
            trial[index] = (choice, bigger)
            if seconds_of(trial) <= budget:
                chosen = trial
                grown = True
    return chosen


def _below_target(
    chosen: list[tuple[Choice, Level]], request: PlanRequest, cuts: list[Cut]
) -> None:
    """An eased exercise, or one left below its target dose, is reported with the reason."""
    for choice, level in chosen:
        if choice.eased_reason:
            cuts.append(
                Cut(choice.slug, choice.name, "eased", choice.eased_reason, choice.variant_slug)
            )
        elif level != choice.target:
            cuts.append(
                Cut(
                    choice.slug,
                    choice.name,
                    "shortened",
                    f"{dose_text(choice, level)} instead of {dose_text(choice, choice.target)}, "
                    f"to fit {request.minutes} min",
                    choice.variant_slug,
                )
            )


def _with_extras(
    chosen: list[tuple[Choice, Level]],
    additions: list[Choice],
    budget: int,
    seconds_of: Timing,
    cuts: list[Cut],
) -> list[tuple[Choice, Level]]:
    """Step 4: the optional extras of the exercises chosen, if time remains."""
    chosen_slugs = {choice.slug for choice, _ in chosen}
    for extra in additions:
        if extra.addition_of not in chosen_slugs:
            continue
        trial = [*chosen, (extra, extra.target)]
        if seconds_of(trial) <= budget:
            chosen = trial
        else:
            cuts.append(
                Cut(
                    extra.slug,
                    extra.name,
                    "dropped",
                    "optional extra: no time left for it",
                    extra.variant_slug,
                )
            )
    return chosen


def plan_cooldown(catalogue: Catalogue, request: PlanRequest) -> Plan:
    """Plan a cool-down for `request` from `catalogue`; the total never exceeds the budget."""
    _validate(request, catalogue)
    budget = request.budget_seconds
    mains, additions, cuts = _candidates(catalogue, request)
    walk_minutes, walk_cut = _walk_minutes(request)
    walk = walk_minutes * 60

    def seconds_of(chosen: list[tuple[Choice, Level]]) -> int:
        return sum(step.seconds for step in assemble(chosen, walk))

    chosen = _at_shortest_dose(mains, budget, seconds_of, cuts)
    chosen = _grown(chosen, budget, seconds_of)
    _below_target(chosen, request, cuts)
    chosen = _with_extras(chosen, additions, budget, seconds_of, cuts)
    if walk_cut is not None:
        cuts.insert(0, walk_cut)
    steps = assemble(chosen, walk)
    ordered = sorted(chosen, key=lambda item: item[0].sort_key)
    covered = {
        area
        for choice, _ in chosen
        for area in [
            *choice.exercise.areas,
            *(choice.variant.extra_areas if choice.variant else []),
        ]
    }
    time_was_short = any(cut.reason.startswith("no time left") for cut in cuts)
    notes = plan_notes(request, steps, covered, time_was_short)
    return Plan(
        request=request,
        exercises=tuple(planned_exercise(choice, level) for choice, level in ordered),
        steps=tuple(steps),
        dropped=tuple(cuts),
        notes=tuple(text for text, _ in notes),
        note_sources=tuple(keys for _, keys in notes),
        hints=(Hint.MORE_MINUTES,) if time_was_short and not steps else (),
    )


def with_request(plan: Plan, **changes: object) -> PlanRequest:
    """A copy of the plan's request with some fields changed (used to re-plan)."""
    return replace(plan.request, **changes)  # type: ignore[arg-type]
