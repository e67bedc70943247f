"""A session's cues as one audio track, for the terminal's `plan --audio` and the phone:
the same plan, timeline and sounds for both, 'carry on, gently' included."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from afterrun.core.audio_script import AudioScript, audio_script
from afterrun.core.errors import InvalidInput
from afterrun.core.gentle import eased_indices, eased_step, uneased
from afterrun.core.timeline import compile_timeline

if TYPE_CHECKING:
    from afterrun.core.plan import Plan


def script_for(plan: Plan) -> AudioScript:
    return audio_script(compile_timeline(plan))


def eased_as_played(plan: Plan, eased: Iterable[int]) -> Plan:
    """The plan as the player plays it once 'carry on, gently' eased the steps `eased`
    (the phone lists them: it eases them as core/gentle.py does)."""
    base = uneased(plan)
    steps = base.steps
    easable = {later for index in range(len(steps)) for later in eased_indices(steps, index)}
    chosen = set(eased)
    wrong = sorted(chosen - easable)
    if wrong:
        raise InvalidInput(
            f"step {wrong[0]} is not one 'carry on, gently' eases: give steps that are holds "
            "or swings after another of the same exercise."
        )
    played = tuple(
        eased_step(step) if number in chosen else step for number, step in enumerate(steps)
    )
    return replace(base, steps=played)
