"""What a played cool-down leaves behind (the record the store keeps), and where a stored
session picks up again."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from afterrun.core.step_kinds import WORK_KINDS

StepStatus = Literal["done", "partial", "skipped", "not-reached"]
SessionStatus = Literal["in-progress", "completed", "quit", "interrupted"]


@dataclass(frozen=True)
class StepRecord:
    """One planned step and what actually happened to it."""

    index: int
    exercise: str
    variant: str | None
    side: str | None
    kind: str
    planned_seconds: int
    reps: int | None
    actual_seconds: float
    status: StepStatus


@dataclass(frozen=True)
class PainReport:
    """'It hurts', pressed during a step: where (the body area and the side), and when in
    the session."""

    step_index: int
    exercise: str
    area: str
    offset_seconds: float
    at: datetime
    side: str | None = None


@dataclass(frozen=True)
class SessionRecord:
    """A cool-down as played: plan, every step's outcome, pain, start and end."""

    started_at: datetime
    ended_at: datetime | None
    status: SessionStatus
    intensity: str
    minutes: int
    plan: dict[str, Any]
    steps: tuple[StepRecord, ...]
    pains: tuple[PainReport, ...]


def resume_index(steps: Sequence[StepRecord], pains: Sequence[PainReport]) -> int:
    """The step a stored session continues from; `len(steps)` when nothing is left.

    That is the first step neither done nor skipped after the last one reached: the step
    that was running is played again from its start, unless a pain report ended it
    ('it hurts' ends a hold, so the runner had moved on). A step left partial earlier (by
    'it hurts') is not played again.
    """
    reached = [record.index for record in steps if record.status != "not-reached"]
    if not reached:
        return 0
    last = max(reached)
    status = steps[last].status
    if status in ("done", "skipped"):
        return last + 1
    ended_by_pain = steps[last].kind in WORK_KINDS and any(
        pain.step_index == last for pain in pains
    )
    return last + 1 if ended_by_pain else last
