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

from dataclasses import replace

from afterrun.core.catalogue.models import AREAS, Catalogue
from afterrun.core.errors import InvalidInput
from afterrun.core.intensity import Intensity
from afterrun.core.plan import (
    MAX_MINUTES,
    MIN_MINUTES,
    WALK_NAME,
    WALK_SLUG,
    Cut,
    Plan,
    PlanRequest,
    PlanStep,
)
from afterrun.core.plan_choices import Choice, Level, candidates, dose_text, next_level, planned
from afterrun.core.plan_steps import assemble
from afterrun.core.sources import cite
from afterrun.core.time_text import duration

#: Minutes of easy walking or jogging before the exercises, by how hard the run was.
WALK_MINUTES: dict[Intensity, int] = {
    Intensity.EASY: 0,
    Intensity.MODERATE: 0,
    Intensity.HARD: 3,
    Intensity.VERY_HARD: 5,
}
#: The walk takes at most this share of the minutes: 2/5, i.e. 40%, in whole minutes.
WALK_SHARE_NUMERATOR, WALK_SHARE_DENOMINATOR = 2, 5


def _validate(request: PlanRequest, catalogue: Catalogue) -> None:
    if not MIN_MINUTES <= request.minutes <= MAX_MINUTES:
        raise InvalidInput(
            f"--minutes {request.minutes} is out of range: give {MIN_MINUTES} to {MAX_MINUTES} "
            "minutes."
        )
    known_areas = {area for exercise in catalogue.exercises for area in exercise.areas}
    for option, areas in (("--focus", request.focus), ("--avoid", request.avoid)):
        for area in areas:
            if area not in AREAS and area not in known_areas:
                raise InvalidInput(
                    f"{option}: unknown body area {area!r}. Choose from: {', '.join(AREAS)}."
                )


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


Chosen = list[tuple[Choice, Level]]


class _Fitter:
    """Tries exercises and doses against the budget, keeping what fits and the cuts."""

    def __init__(self, budget: int, walk_seconds: int, cuts: list[Cut]) -> None:
        self.budget = budget
        self.walk = walk_seconds
        self.cuts = cuts
        self.chosen: Chosen = []

    def seconds_of(self, chosen: Chosen) -> int:
        return sum(step.seconds for step in assemble(chosen, self.walk))

    def take_shortest(self, mains: list[Choice]) -> None:
        """Each exercise in priority order at its shortest dose, while it fits."""
        for choice in mains:
            trial = [*self.chosen, (choice, choice.low)]
            seconds = self.seconds_of(trial)
            if seconds <= self.budget:
                self.chosen = trial
                continue
            now = self.seconds_of(self.chosen)
            self.cuts.append(
                Cut(
                    choice.slug,
                    choice.name,
                    "dropped",
                    f"no time left: needs {seconds - now} s even at the shortest dose, "
                    f"{self.budget - now} s left",
                    choice.variant_slug,
                )
            )

    def grow(self) -> None:
        """Raise the doses one notch at a time, round after round, while they fit."""
        grown = True
        while grown:
            grown = False
            for index, (choice, level) in enumerate(self.chosen):
                bigger = next_level(choice, level)
                if bigger is None:
                    continue
                trial = list(self.chosen)
                trial[index] = (choice, bigger)
                if self.seconds_of(trial) <= self.budget:
                    self.chosen = trial
                    grown = True

    def note_short_doses(self, minutes: int) -> None:
        for choice, level in self.chosen:
            if choice.eased_reason:
                self.cuts.append(
                    Cut(choice.slug, choice.name, "eased", choice.eased_reason, choice.variant_slug)
                )
            elif level != choice.target:
                self.cuts.append(
                    Cut(
                        choice.slug,
                        choice.name,
                        "shortened",
                        f"{dose_text(choice, level)} instead of "
                        f"{dose_text(choice, choice.target)}, to fit {minutes} min",
                        choice.variant_slug,
                    )
                )

    def add_extras(self, additions: list[Choice]) -> None:
        """The optional extras of exercises taken, at their target dose, if time remains."""
        chosen_slugs = {choice.slug for choice, _ in self.chosen}
        for extra in additions:
            if extra.addition_of not in chosen_slugs:
                continue
            trial = [*self.chosen, (extra, extra.target)]
            if self.seconds_of(trial) <= self.budget:
                self.chosen = trial
                continue
            self.cuts.append(
                Cut(
                    extra.slug,
                    extra.name,
                    "dropped",
                    "optional extra: no time left for it",
                    extra.variant_slug,
                )
            )


def plan_cooldown(catalogue: Catalogue, request: PlanRequest) -> Plan:
    """Plan a cool-down for `request` from `catalogue`; the total never exceeds the budget."""
    _validate(request, catalogue)
    mains, additions, cuts = candidates(catalogue, request)
    walk_minutes, walk_cut = _walk_minutes(request)
    walk = walk_minutes * 60
    fitter = _Fitter(request.budget_seconds, walk, cuts)
    fitter.take_shortest(mains)
    fitter.grow()
    fitter.note_short_doses(request.minutes)
    fitter.add_extras(additions)
    chosen = fitter.chosen
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
    notes = _notes(request, steps, covered, time_was_short)
    return Plan(
        request=request,
        exercises=tuple(planned(choice, level) for choice, level in ordered),
        steps=tuple(steps),
        dropped=tuple(cuts),
        notes=tuple(text for text, _ in notes),
        note_sources=tuple(keys for _, keys in notes),
    )


#: What the evidence says the walk and the holds are for: shown with every plan.
COOL_DOWN_SOURCES: tuple[str, ...] = ("van-hooren-2018",)
COOL_DOWN_NOTE = (
    "A few easy minutes after a hard run clear blood lactate faster; a longer cool-down or "
    "longer holds are for comfort and a gradual return, not faster recovery "
    f"({cite(COOL_DOWN_SOURCES[0])})."
)


def _notes(
    request: PlanRequest, steps: list[PlanStep], covered: set[str], time_was_short: bool
) -> list[tuple[str, tuple[str, ...]]]:
    """The plan's notes, each with the citation keys behind it."""
    notes: list[tuple[str, tuple[str, ...]]] = []
    if request.intensity_reason:
        notes.append((request.intensity_reason, ()))
    total = sum(step.seconds for step in steps)
    if not steps and not time_was_short:
        notes.append(("Nothing left to plan: every exercise was left out (reasons above).", ()))
    elif not steps:
        notes.append(
            (
                f"Nothing fits in {request.minutes} min: the shortest exercise needs more. "
                "Give more minutes with --minutes.",
                (),
            )
        )
    else:
        notes.append(
            (
                f"Takes {duration(total)} of your {request.minutes} min, "
                "switches and moves between exercises included.",
                (),
            )
        )
    focus_missing = [area for area in request.focus if area not in covered]
    if focus_missing and steps:
        notes.append((f"Nothing in this plan works the {', '.join(focus_missing)}.", ()))
    if steps:
        notes.append((COOL_DOWN_NOTE, COOL_DOWN_SOURCES))
    return notes


def with_request(plan: Plan, **changes: object) -> PlanRequest:
    """A copy of the plan's request with some fields changed (used to re-plan)."""
    return replace(plan.request, **changes)  # type: ignore[arg-type]
