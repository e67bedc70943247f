"""What a played cool-down leaves behind (the record the store keeps), where a stored
session picks up again, and how much of it counts as done.

One count for every screen: the steps are the runner's work (`WORK_KINDS`: the walk, holds
and sets); get-ready, transitions and side switches are not counted. A session counts as a
cool-down when at least `DONE_SHARE` of its planned work seconds were done; less than that,
with at least one of those steps done in full, is a partial one; a session stopped before
any step was done in full (after 3 s of the walk, say) is not a cool-down.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from afterrun.core.step_kinds import WORK_KINDS

StepStatus = Literal["done", "partial", "skipped", "not-reached"]
SessionStatus = Literal["in-progress", "completed", "quit", "interrupted"]
#: How much of a session counts: a cool-down, a partial one, or none (see the docstring).
Outcome = Literal["done", "partial", "not-done"]

#: The share of the planned work seconds a session needs to count as a cool-down.
DONE_SHARE = 0.5
#: The rule in words, for every screen that counts cool-downs.
DONE_RULE = "at least half of its planned walk, holds and sets done"


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


@dataclass(frozen=True)
class WorkTally:
    """A session's work steps by status, and its planned and done work seconds."""

    done: int
    partial: int
    skipped: int
    not_reached: int
    planned_seconds: int
    done_seconds: float

    @property
    def steps(self) -> int:
        return self.done + self.partial + self.skipped + self.not_reached

    @property
    def share(self) -> float:
        """The share of the planned work seconds done (time beyond a step's plan not counted)."""
        return self.done_seconds / self.planned_seconds if self.planned_seconds else 0.0

    @property
    def outcome(self) -> Outcome:
        if self.planned_seconds and self.share >= DONE_SHARE:
            return "done"
        return "partial" if self.done else "not-done"

    def text(self) -> str:
        """'27 of 28 steps done, 1 skipped': the one wording of the counts."""
        return f"{self.done} of {steps_text(self.steps)} done, {self.skipped} skipped"


def work_tally(steps: Sequence[StepRecord]) -> WorkTally:
    """Count the work steps (walk, holds, sets) only: the steps a runner does."""
    work = [step for step in steps if step.kind in WORK_KINDS]
    statuses = [step.status for step in work]
    return WorkTally(
        done=statuses.count("done"),
        partial=statuses.count("partial"),
        skipped=statuses.count("skipped"),
        not_reached=statuses.count("not-reached"),
        planned_seconds=sum(step.planned_seconds for step in work),
        done_seconds=sum(min(step.actual_seconds, step.planned_seconds) for step in work),
    )


def steps_text(count: int) -> str:
    """'1 step', '2 steps'."""
    return f"{count} step" if count == 1 else f"{count} steps"


#: Each outcome as every edge writes it.
OUTCOME_WORDS: dict[Outcome, str] = {
    "done": "done",
    "partial": "partial",
    "not-done": "not done",
}
