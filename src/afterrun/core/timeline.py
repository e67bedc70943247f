"""Compile a plan into a timeline: when each step starts and what to say when.

All times are whole milliseconds from the session start, so nothing is rounded
twice and cue times never drift, however long the session.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from afterrun.core.plan import Plan, PlanStep

CueKind = Literal[
    "exercise",
    "countdown",
    "start",
    "switch",
    "halfway",
    "ten-seconds",
    "minute-left",
    "next-up",
    "count",
    "done",
]

COUNTDOWN_FROM = 3
NEXT_UP_BEFORE_MS = 5_000


@dataclass(frozen=True)
class Cue:
    """Something to show and say at `at_ms` into the session."""

    at_ms: int
    kind: CueKind
    text: str
    step_index: int


@dataclass(frozen=True)
class Timeline:
    steps: tuple[PlanStep, ...]
    starts_ms: tuple[int, ...]
    total_ms: int
    cues: tuple[Cue, ...]

    def end_ms(self, index: int) -> int:
        return self.starts_ms[index + 1] if index + 1 < len(self.steps) else self.total_ms

    def step_at(self, position_ms: int) -> int:
        """Index of the step running at `position_ms` (the last step once finished)."""
        low, high = 0, len(self.starts_ms) - 1
        while low < high:
            middle = (low + high + 1) // 2
            if self.starts_ms[middle] <= position_ms:
                low = middle
            else:
                high = middle - 1
        return low

    def exercise_bounds(self, index: int) -> tuple[int, int]:
        """First and last step of the exercise (with its extras) that step `index` is in."""
        slug = self.steps[index].exercise
        first, last = index, index
        while first > 0 and self.steps[first - 1].exercise == slug:
            first -= 1
        while last + 1 < len(self.steps) and self.steps[last + 1].exercise == slug:
            last += 1
        return first, last


def _say_side(step: PlanStep) -> str:
    return f"{step.side} side, " if step.side else ""


def _next_exercise_name(steps: tuple[PlanStep, ...], index: int) -> str | None:
    current = (steps[index].exercise, steps[index].name)
    for step in steps[index + 1 :]:
        if (step.exercise, step.name) != current:
            return step.name
    return None


def _is_last_work(steps: tuple[PlanStep, ...], index: int) -> bool:
    current = (steps[index].exercise, steps[index].name)
    for step in steps[index + 1 :]:
        if (step.exercise, step.name) != current:
            return True
        if step.is_work:
            return False
    return True


def _minutes(count: int) -> str:
    return f"{count} minute" if count == 1 else f"{count} minutes"


def _walk_cues(step: PlanStep, index: int, start: int, end: int) -> list[Cue]:
    """The walk's cues: what to do (said in full, as the runner is not looking), halfway
    and a minute left."""
    length = (
        f"{_minutes(step.seconds // 60)}" if step.seconds % 60 == 0 else f"{step.seconds} seconds"
    )
    cues = [Cue(start, "start", f"Easy walk or jog, {length}. {step.text}", index)]
    half = start + step.seconds * 500
    minute_left = end - 60_000
    if half == minute_left:
        cues.append(Cue(half, "halfway", "Halfway. 1 minute left.", index))
    else:
        cues.append(Cue(half, "halfway", "Halfway.", index))
        if minute_left > half:
            cues.append(Cue(minute_left, "minute-left", "1 minute left.", index))
    return cues


def _countdown_cues(step: PlanStep, index: int, start: int, end: int) -> list[Cue]:
    """A get-ready or transition: the exercise and its first instruction, then 3-2-1."""
    cues = [Cue(start, "exercise", step.text, index)]
    for remaining in range(COUNTDOWN_FROM, 0, -1):
        at = end - remaining * 1000
        if at > start:
            cues.append(Cue(at, "countdown", str(remaining), index))
    return cues


def _hold_cues(step: PlanStep, index: int, start: int, end: int) -> list[Cue]:
    """A hold: its length, halfway and 10 seconds left (one cue when those coincide)."""
    said = f"{_say_side(step)}hold {step.seconds} seconds".capitalize()
    if step.eased_from is not None:
        said = f"Gently now. {said}: a mild stretch only"
    cues = [Cue(start, "start", f"{said}.", index)]
    half = start + step.seconds * 500
    ten_left = end - 10_000
    if step.seconds >= 20 and half == ten_left:
        cues.append(Cue(half, "halfway", "Halfway. 10 seconds left.", index))
        return cues
    if step.seconds >= 10:
        cues.append(Cue(half, "halfway", "Halfway.", index))
    if step.seconds > 10:
        cues.append(Cue(ten_left, "ten-seconds", "10 seconds left.", index))
    return cues


def _reps_cues(step: PlanStep, index: int, start: int, end: int) -> list[Cue]:
    """A set of swings: how many, then a count for each."""
    reps = step.reps or 0
    if not reps:
        return []
    said = f"{_say_side(step)}{reps} swings".capitalize()
    if step.eased_from is not None:
        said = f"Gently now. {said}, smaller ones"
    cues = [Cue(start, "start", f"{said}.", index)]
    pace = (end - start) // reps
    cues.extend(
        Cue(start + (rep - 1) * pace, "count", str(rep), index) for rep in range(1, reps + 1)
    )
    return cues


def _step_cues(step: PlanStep, index: int, start: int, end: int) -> list[Cue]:
    """The cues of one step by its kind (the next-up and done cues are added after)."""
    if step.kind in ("get-ready", "transition"):
        return _countdown_cues(step, index, start, end)
    if step.kind == "walk":
        return _walk_cues(step, index, start, end)
    if step.kind == "switch":
        return [Cue(start, "switch", step.text, index)]
    if step.kind == "hold":
        return _hold_cues(step, index, start, end)
    if step.kind == "reps":
        return _reps_cues(step, index, start, end)
    return []


def step_cues(steps: tuple[PlanStep, ...], index: int, start: int) -> list[Cue]:
    """The cues of step `index` when it starts at `start`, its next-up included. They
    depend on that step and on the names of those after it, never on their lengths."""
    step = steps[index]
    end = start + step.seconds * 1000
    cues = _step_cues(step, index, start, end)
    last_of_exercise = step.is_work and _is_last_work(steps, index)
    next_name = _next_exercise_name(steps, index) if last_of_exercise else None
    if next_name:
        at = max(start + 1, end - NEXT_UP_BEFORE_MS)
        cues.append(Cue(at, "next-up", f"Next up: {next_name}.", index))
    return cues


def compile_timeline(plan: Plan) -> Timeline:
    """Every cue of the session, from the plan alone."""
    steps = plan.steps
    starts: list[int] = []
    cursor = 0
    for step in steps:
        starts.append(cursor)
        cursor += step.seconds * 1000
    total = cursor
    cues: list[Cue] = []
    for index in range(len(steps)):
        cues.extend(step_cues(steps, index, starts[index]))
    if steps:
        cues.append(Cue(total, "done", "Done. That's your cool-down.", len(steps) - 1))
    order = {kind: rank for rank, kind in enumerate(("exercise", "switch", "start", "count"))}
    cues.sort(key=lambda cue: (cue.at_ms, order.get(cue.kind, 9)))
    return Timeline(tuple(steps), tuple(starts), total, tuple(cues))
