"""The compiled timeline as the web player receives it: every step and cue, in ms."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from afterrun.core.engine import BACK_RESTARTS_AFTER_MS
from afterrun.core.gentle import eased_indices, eased_step
from afterrun.core.plan import PlanStep
from afterrun.core.timeline import Timeline, step_cues


def illustration_url(
    exercise: str, variant: str | None, side: str | None, *, still: bool = False
) -> str:
    """The picture's address; `still` asks for it without motion (paused, reduced motion)."""
    pairs = (("variant", variant), ("side", side), ("still", "1" if still else None))
    query = {key: value for key, value in pairs if value}
    suffix = f"?{urlencode(query)}" if query else ""
    return f"/api/exercises/{exercise}/illustration.svg{suffix}"


def _gentle(steps: tuple[PlanStep, ...], index: int) -> dict[str, Any]:
    """Step `index` as 'carry on, gently' makes it (core/gentle.py): its length, text and
    cues, the cues in ms from the step's start."""
    eased = eased_step(steps[index])
    alone = (*steps[:index], eased, *steps[index + 1 :])
    return {
        "seconds": eased.seconds,
        "text": eased.text,
        "cues": [
            {"offset_ms": cue.at_ms, "kind": cue.kind, "text": cue.text}
            for cue in step_cues(alone, index, 0)
        ],
    }


def timeline_json(timeline: Timeline) -> dict[str, Any]:
    """What the player needs to play without asking the server again: the steps, the
    cues, and for 'carry on, gently' which steps a pain at each step eases (`eases`) and
    how each of those is then played (`gentle`); the player rebuilds its timeline from
    these as the engine does."""
    steps = []
    easable: set[int] = set()
    for index in range(len(timeline.steps)):
        easable.update(eased_indices(timeline.steps, index))
    for index, step in enumerate(timeline.steps):
        data = step.to_json(index)
        data["start_ms"] = timeline.starts_ms[index]
        data["end_ms"] = timeline.end_ms(index)
        data["tip"] = step.tip
        data["note"] = step.note
        data["area"] = step.area
        data["seconds_per_rep"] = step.seconds_per_rep
        data["illustration"] = illustration_url(step.exercise, step.variant, step.side)
        data["still"] = illustration_url(step.exercise, step.variant, step.side, still=True)
        data["eases"] = list(eased_indices(timeline.steps, index))
        if index in easable:
            data["gentle"] = _gentle(timeline.steps, index)
        steps.append(data)
    return {
        "total_ms": timeline.total_ms,
        "back_restarts_after_ms": BACK_RESTARTS_AFTER_MS,
        "steps": steps,
        "cues": [
            {"at_ms": cue.at_ms, "kind": cue.kind, "text": cue.text, "step_index": cue.step_index}
            for cue in timeline.cues
        ],
    }
