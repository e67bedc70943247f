"""Which exercises a plan can hold, in which form and at which doses.

Every exercise of the catalogue is taken or left out here: left out when it works an area
to avoid or rest, or needs equipment the runner lacks (an alternative form is tried
first); taken with its shortest dose and its target dose. An area to ease gets the
gentler form at the shortest dose.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from afterrun.core.catalogue.models import (
    EQUIPMENT_NAMES,
    POSITION_ORDER,
    Catalogue,
    Dose,
    Exercise,
    Variant,
)
from afterrun.core.plan import Cut, PlannedExercise, PlanRequest, place_phrase

HOLD_STEP_SECONDS = 5

#: Where in each of the routine's ranges the target dose lands: (hold length, holds per
#: side, sets), 0 the low end of the range and 1 the high end. The same for every run
#: (25 s x 2 per side, swings 2 sets of 10): holds are for comfort and flexibility.
TARGET_LEVEL: tuple[float, float, float] = (0.5, 0.0, 0.0)

FOCUS_BONUS = 100


@dataclass(frozen=True)
class Level:
    """A dose: for holds, seconds per hold and holds per side; for reps, reps and sets."""

    amount: int
    count: int


@dataclass(frozen=True)
class Choice:
    """An exercise in the form it will be done, with its dose range."""

    exercise: Exercise
    variant: Variant | None
    addition_of: str | None
    dose: Dose
    priority: int
    low: Level
    target: Level
    eased_reason: str | None = None

    @property
    def slug(self) -> str:
        return self.exercise.slug

    @property
    def variant_slug(self) -> str | None:
        return self.variant.slug if self.variant else None

    @property
    def name(self) -> str:
        return self.variant.name if self.variant else self.exercise.name

    @property
    def position(self) -> str:
        if self.variant and self.variant.position:
            return self.variant.position
        return self.exercise.position

    @property
    def steps_text(self) -> list[str]:
        if self.variant and self.variant.steps:
            return self.variant.steps
        return self.exercise.steps

    @property
    def sort_key(self) -> tuple[int, int, int, str, int]:
        main_priority = self.priority
        return (
            POSITION_ORDER[self.position],
            0 if self.exercise.kind == "reps" else 1,
            -main_priority,
            self.addition_of or self.slug,
            1 if self.addition_of else 0,
        )


def _between(low: int, high: int, fraction: float, step: int = 1) -> int:
    value = low + (high - low) * fraction
    return max(low, min(high, int(round(value / step) * step)))


def levels(dose: Dose) -> tuple[Level, Level]:
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


def next_level(choice: Choice, level: Level) -> Level | None:
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


def candidates(
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
        low, target = levels(dose)
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
            extra_low, extra_target = levels(extra_dose)
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


def dose_text(choice: Choice, level: Level) -> str:
    if choice.dose.is_hold:
        return f"{level.amount} s x {level.count} per side"
    return f"{level.count} sets of {level.amount}"


def planned(choice: Choice, level: Level) -> PlannedExercise:
    hold = choice.dose.is_hold
    return PlannedExercise(
        exercise=choice.slug,
        variant=choice.variant_slug,
        name=choice.name,
        position=choice.position,
        kind=choice.exercise.kind,
        hold_seconds=level.amount if hold else None,
        holds_per_side=level.count if hold else None,
        reps_per_side=None if hold else level.amount,
        sets=None if hold else level.count,
    )
