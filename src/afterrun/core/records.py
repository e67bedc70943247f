"""What a played cool-down leaves behind: the record the store keeps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

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
    """'It hurts', pressed during a step: where, and when in the session."""

    step_index: int
    exercise: str
    area: str
    offset_seconds: float
    at: datetime


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
