"""A chosen exercise at its dose (`Choice`, `Level`) and the timed steps it becomes: the
walk, get-ready and transitions, holds per side and sets of swings, ordered on the floor."""

from __future__ import annotations

from dataclasses import dataclass

from afterrun.core.catalogue.models import POSITION_ORDER, Dose, Exercise, Variant
from afterrun.core.plan import (
    GET_READY_SECONDS,
    PART_CHANGE_SECONDS,
    POSITION_CHANGE_SECONDS,
    SAME_POSITION_SECONDS,
    SWITCH_SECONDS,
    WALK_NAME,
    WALK_SLUG,
    WALK_TEXT,
    PlannedExercise,
    PlanStep,
    Side,
)

SIDES: tuple[Side, Side] = ("right", "left")
OTHER_SIDE: dict[Side, Side] = {"right": "left", "left": "right"}


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
    def side_cue(self) -> str | None:
        if self.variant and self.variant.side_cue:
            return self.variant.side_cue
        return self.exercise.side_cue

    def side_text(self, side: Side | None, action: str) -> str:
        """The action, after which leg this side is: 'Right leg back. Step one leg ...'."""
        if side is None:
            return action
        cue = self.side_cue or "{side} side"
        said = cue.format(side=side, other=OTHER_SIDE[side])
        return f"{said[0].upper()}{said[1:]}. {action}"

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


def step_tip(choice: Choice) -> str | None:
    return choice.exercise.tips[0] if choice.exercise.tips else None


def step_note(choice: Choice) -> str | None:
    """Why the exercise is done this way today: eased for soreness, or another version."""
    if choice.eased_reason:
        return f"Eased: {choice.eased_reason}."
    if choice.variant and choice.variant.role == "alternative":
        return f"Why this version: {choice.variant.when}."
    return None


def hold_action(texts: list[str]) -> str:
    """Every step after the setup, which the get-ready says: the last one too unless it
    only gives the dose ('Hold 20 to 30 seconds, then change legs.'), which the timer does."""
    if len(texts) == 1:
        return texts[0]
    doing = texts[1:]
    if len(doing) > 1 and doing[-1].startswith("Hold"):
        doing = doing[:-1]
    return " ".join(doing)


def work_steps(choice: Choice, level: Level) -> list[PlanStep]:
    """The holds or sets of one exercise, alternating sides, with the switches between."""
    exercise = choice.exercise
    texts = choice.steps_text
    area = exercise.areas[0]
    common = {
        "exercise": exercise.slug,
        "name": choice.name,
        "variant": choice.variant_slug,
        "area": area,
        "tip": step_tip(choice),
        "note": step_note(choice),
    }
    steps: list[PlanStep] = []
    sides: tuple[Side | None, ...] = SIDES if exercise.sided else (None,)

    def switch(to: Side | None, text: str, variant: str | None) -> None:
        steps.append(
            PlanStep(
                kind="switch",
                seconds=SWITCH_SECONDS,
                text=text,
                side=to,
                **{**common, "variant": variant},  # type: ignore[arg-type]
            )
        )

    if choice.dose.is_hold:
        action = hold_action(texts)
        for round_no in range(1, level.count + 1):
            for side in sides:
                if steps:
                    switch(
                        side,
                        f"Switch sides: now the {side} side." if side else "Again.",
                        choice.variant_slug,
                    )
                steps.append(
                    PlanStep(
                        kind="hold",
                        seconds=level.amount,
                        text=choice.side_text(side, action),
                        side=side,
                        round=round_no,
                        rounds=level.count,
                        **common,  # type: ignore[arg-type]
                    )
                )
        return steps

    per_rep = choice.dose.seconds_per_rep
    set_seconds = int(round(level.amount * per_rep))
    parts = exercise.parts or []
    part_specs: list[tuple[str | None, str, str]]
    if parts and not choice.variant:
        part_specs = [(p.slug, p.name, texts[p.steps[-1] - 1]) for p in parts]
    else:
        part_specs = [(choice.variant_slug, choice.name, texts[1] if len(texts) > 1 else texts[0])]
    for part_index, (part_slug, part_name, action) in enumerate(part_specs):
        part_common = {**common, "variant": part_slug}
        if part_index > 0:
            setup = texts[parts[part_index].steps[0] - 1]
            steps.append(
                PlanStep(
                    kind="transition",
                    seconds=PART_CHANGE_SECONDS,
                    text=f"Now {part_name}. {setup}",
                    **part_common,  # type: ignore[arg-type]
                )
            )
        for set_no in range(1, level.count + 1):
            for side in sides:
                if steps and steps[-1].kind != "transition":
                    switch(
                        side,
                        f"Switch legs: now the {side} leg." if side else "Next set.",
                        part_slug,
                    )
                steps.append(
                    PlanStep(
                        kind="reps",
                        seconds=set_seconds,
                        reps=level.amount,
                        seconds_per_rep=per_rep,
                        text=choice.side_text(side, action),
                        side=side,
                        round=set_no,
                        rounds=level.count,
                        **part_common,  # type: ignore[arg-type]
                    )
                )
    return steps


def walk_step(seconds: int) -> PlanStep:
    """The easy walk or jog that comes first after a hard run."""
    return PlanStep(
        exercise=WALK_SLUG, name=WALK_NAME, kind="walk", seconds=seconds, text=WALK_TEXT
    )


def assemble(chosen: list[tuple[Choice, Level]], walk_seconds: int = 0) -> list[PlanStep]:
    """Order the exercises on the floor and put the time between them into the plan.

    A walk (`walk_seconds` > 0) comes first; the runner is then standing, so the first
    exercise follows with the usual move into it instead of a get-ready.
    """
    ordered = sorted(chosen, key=lambda item: item[0].sort_key)
    steps: list[PlanStep] = [walk_step(walk_seconds)] if walk_seconds else []
    previous_position: str | None = "standing" if walk_seconds else None
    for choice, level in ordered:
        setup = choice.steps_text[0]
        if choice.exercise.parts and not choice.variant:
            setup = choice.steps_text[choice.exercise.parts[0].steps[0] - 1]
        if previous_position is None:
            kind_seconds, text = GET_READY_SECONDS, f"Get ready: {choice.name}. {setup}"
        elif previous_position != choice.position:
            kind_seconds = POSITION_CHANGE_SECONDS
            text = f"Down to {choice.position}: {choice.name}. {setup}"
        else:
            kind_seconds, text = SAME_POSITION_SECONDS, f"Next: {choice.name}. {setup}"
        first_variant = choice.variant_slug
        if choice.exercise.parts and not choice.variant:
            first_variant = choice.exercise.parts[0].slug
        steps.append(
            PlanStep(
                exercise=choice.slug,
                name=choice.name,
                kind="get-ready" if previous_position is None else "transition",
                seconds=kind_seconds,
                text=text,
                variant=first_variant,
                area=choice.exercise.areas[0],
                tip=choice.exercise.safety,
                note=step_note(choice),
            )
        )
        steps.extend(work_steps(choice, level))
        previous_position = choice.position
    return steps


def dose_text(choice: Choice, level: Level) -> str:
    """'25 s x 2 per side' or '2 sets of 10'."""
    if choice.dose.is_hold:
        return f"{level.amount} s x {level.count} per side"
    return f"{level.count} sets of {level.amount}"


def planned_exercise(choice: Choice, level: Level) -> PlannedExercise:
    """The chosen exercise at its dose, as the plan lists it."""
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
