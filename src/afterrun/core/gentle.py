"""'Carry on, gently': what changes after a stretch hurt and the runner chose to go on.

The original routine's advice is to stop or ease off when a stretch hurts. Easing off
is made concrete: the rest of that exercise on the side that hurt is done gently. Its
holds last at most `GENTLE_HOLD_SECONDS` and are cued as a mild stretch; its swings keep
their count and are cued as smaller. Steps are only ever shortened after the one that
hurt, so the session's position does not move and every cue before it keeps its time.
"""

from __future__ import annotations

from dataclasses import replace

from afterrun.core.plan import Plan, PlanStep

#: A gentle hold: long enough to ease into a mild stretch, short enough not to push it.
GENTLE_HOLD_SECONDS = 15
GENTLE_HOLD_TEXT = "Gently: ease off to a mild stretch, never into pain."
GENTLE_SWING_TEXT = "Gently: smaller, easy swings, never into pain."


def eased_indices(steps: tuple[PlanStep, ...], index: int) -> tuple[int, ...]:
    """The steps 'carry on, gently' after a pain at step `index` eases: the later holds
    and sets of swings of the same exercise on the same side (every side when the step
    that hurt has none), not already eased."""
    hurt = steps[index]
    found = []
    for later in range(index + 1, len(steps)):
        step = steps[later]
        if step.exercise != hurt.exercise:
            break
        if step.kind not in ("hold", "reps") or step.eased_from is not None:
            continue
        if hurt.side is None or step.side == hurt.side:
            found.append(later)
    return tuple(found)


def eased_step(step: PlanStep) -> PlanStep:
    """One hold or set of swings as done gently."""
    if step.kind == "hold":
        seconds = min(step.seconds, GENTLE_HOLD_SECONDS)
        return replace(
            step, seconds=seconds, text=f"{GENTLE_HOLD_TEXT} {step.text}", eased_from=step.seconds
        )
    return replace(step, text=f"{GENTLE_SWING_TEXT} {step.text}", eased_from=step.seconds)


def eased_plan(plan: Plan, index: int) -> Plan:
    """The plan with the steps `eased_indices` names done gently."""
    chosen = set(eased_indices(plan.steps, index))
    if not chosen:
        return plan
    steps = tuple(
        eased_step(step) if number in chosen else step for number, step in enumerate(plan.steps)
    )
    return replace(plan, steps=steps)


def uneased(plan: Plan) -> Plan:
    """The plan as it was made, before any 'carry on, gently' (the web player's log is
    replayed from it, and eases again where the runner chose to)."""
    if all(step.eased_from is None for step in plan.steps):
        return plan
    return replace(plan, steps=tuple(_as_planned(step) for step in plan.steps))


def _as_planned(step: PlanStep) -> PlanStep:
    if step.eased_from is None:
        return step
    prefix = f"{GENTLE_HOLD_TEXT if step.kind == 'hold' else GENTLE_SWING_TEXT} "
    text = step.text.removeprefix(prefix)
    return replace(step, seconds=step.eased_from, text=text, eased_from=None)
