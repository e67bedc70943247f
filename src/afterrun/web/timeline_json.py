"""The compiled timeline as the web player receives it: every step and cue, in ms."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from afterrun.core.engine import BACK_RESTARTS_AFTER_MS
from afterrun.core.timeline import Timeline


def illustration_url(exercise: str, variant: str | None, side: str | None) -> str:
    query = {key: value for key, value in (("variant", variant), ("side", side)) if value}
    suffix = f"?{urlencode(query)}" if query else ""
    return f"/api/exercises/{exercise}/illustration.svg{suffix}"


def timeline_json(timeline: Timeline) -> dict[str, Any]:
    """What the player needs to play without asking the server again."""
    steps = []
    for index, step in enumerate(timeline.steps):
        data = step.to_json(index)
        data["start_ms"] = timeline.starts_ms[index]
        data["end_ms"] = timeline.end_ms(index)
        data["tip"] = step.tip
        data["area"] = step.area
        data["seconds_per_rep"] = step.seconds_per_rep
        data["illustration"] = illustration_url(step.exercise, step.variant, step.side)
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
