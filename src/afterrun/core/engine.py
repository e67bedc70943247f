"""The session engine: plays a timeline against a clock the caller passes in.

The position in the session is always `now - origin` (or frozen while paused), where
`origin` is fixed at start and moved only by pause, skip and back. Every cue is due at a
fixed offset, so there is no accumulated tick error: a session ends exactly `total` after
its start plus the time spent paused. Times are monotonic seconds (`time.monotonic()` in
real use), converted to whole milliseconds once, on entry. A session stored part-way
continues with `resume_from`: its stored step records are kept, and play goes on."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from afterrun.core.errors import InvalidInput
from afterrun.core.gentle import eased_plan
from afterrun.core.plan import Plan, PlanStep, stored_plan
from afterrun.core.records import (
    PainReport,
    SessionRecord,
    SessionStatus,
    StepRecord,
    StepStatus,
    resume_index,
)
from afterrun.core.timeline import Cue, Timeline, compile_timeline

__all__ = [
    "BACK_RESTARTS_AFTER_MS",
    "SessionEngine",
    "Snapshot",
    "resume_index",
    "stored_plan",
    "to_ms",
]

#: Pressing back later than this into a step restarts the step; earlier, goes to the previous one.
BACK_RESTARTS_AFTER_MS = 3_000


def to_ms(seconds: float) -> int:
    """Whole milliseconds, rounded down so that a cue is never early."""
    return math.floor(seconds * 1000)


@dataclass(frozen=True)
class Snapshot:
    """Everything a player needs to draw the current moment."""

    position_ms: int
    total_ms: int
    step_index: int
    step: PlanStep
    step_elapsed_ms: int
    step_remaining_ms: int
    next_step: PlanStep | None
    paused: bool
    finished: bool
    rep: int | None
    skip_offer: str | None

    @property
    def progress(self) -> float:
        return min(1.0, self.position_ms / self.total_ms) if self.total_ms else 1.0


class SessionEngine:
    """A clock-injected state machine over a compiled timeline."""

    def __init__(self, plan: Plan) -> None:
        if not plan.steps:
            raise InvalidInput("This plan has no exercises to play: it needs more minutes.")
        self.plan = plan
        self.timeline: Timeline = compile_timeline(plan)
        self._origin_ms: int | None = None
        self._paused_at_ms: int | None = None
        self._emitted_to_ms = -1
        self._next_cue = 0
        self._actual_ms = [0] * len(plan.steps)
        self._status: list[StepStatus] = ["not-reached"] * len(plan.steps)
        self._accounted_to_ms = 0
        self._pains: list[PainReport] = []
        self._skip_offer: str | None = None
        self._hurt_step: int | None = None
        self._finished = False

    # -- clock arithmetic -------------------------------------------------

    @property
    def started(self) -> bool:
        return self._origin_ms is not None

    @property
    def paused(self) -> bool:
        return self._paused_at_ms is not None

    @property
    def finished(self) -> bool:
        return self._finished

    @property
    def pains(self) -> tuple[PainReport, ...]:
        return tuple(self._pains)

    def _position(self, now_ms: int) -> int:
        if self._origin_ms is None:
            return 0
        reference = self._paused_at_ms if self._paused_at_ms is not None else now_ms
        return max(0, min(self.timeline.total_ms, reference - self._origin_ms))

    def position_ms(self, now: float) -> int:
        return self._position(to_ms(now))

    def _seek(self, now_ms: int, target_ms: int) -> None:
        """Move the position to `target_ms`; cues from there on are due again."""
        self._account(now_ms)
        reference = self._paused_at_ms if self._paused_at_ms is not None else now_ms
        self._origin_ms = reference - target_ms
        self._accounted_to_ms = target_ms
        self._emitted_to_ms = target_ms - 1
        self._next_cue = next(
            (i for i, cue in enumerate(self.timeline.cues) if cue.at_ms >= target_ms),
            len(self.timeline.cues),
        )
        self._finished = target_ms >= self.timeline.total_ms and self._finished

    def _account(self, now_ms: int) -> None:
        """Credit the time since the last call to the steps it was spent in."""
        position = self._position(now_ms)
        cursor = self._accounted_to_ms
        while cursor < position:
            index = self.timeline.step_at(cursor)
            end = min(position, self.timeline.end_ms(index))
            self._actual_ms[index] += end - cursor
            if self._status[index] == "not-reached":
                self._status[index] = "partial"
            if end == self.timeline.end_ms(index) and self._status[index] == "partial":
                self._status[index] = "done"
            cursor = end
        self._accounted_to_ms = max(self._accounted_to_ms, position)

    # -- events -----------------------------------------------------------

    def start(self, now: float) -> list[Cue]:
        if self.started:
            raise InvalidInput("This session has already started.")
        self._origin_ms = to_ms(now)
        self._status[0] = "partial"
        return self.poll(now)

    def check_records(self, steps: Sequence[StepRecord]) -> None:
        """InvalidInput unless `steps` are this plan's steps, one record each, in order."""
        planned = self.timeline.steps
        if len(steps) != len(planned):
            raise InvalidInput(
                f"{len(steps)} step records stored for a plan of {len(planned)} steps."
            )
        for index, (record, step) in enumerate(zip(steps, planned, strict=True)):
            if (record.index, record.exercise, record.kind, record.planned_seconds) != (
                index,
                step.exercise,
                step.kind,
                step.seconds,
            ):
                raise InvalidInput(f"Step record {index} does not match the plan's step.")

    def resume_from(
        self, steps: Sequence[StepRecord], pains: Sequence[PainReport], now: float
    ) -> list[Cue]:
        """Start a session stored part-way: keep its step records and pain reports and play
        on from `resume_index` as if the time before had been played here.

        The step that was running restarts from its beginning; its time so far stays
        credited, as with `back`. Returns the cues due now: a reminder of where the runner
        is, then the step's own cues.
        """
        if self.started:
            raise InvalidInput("This session has already started.")
        self.check_records(steps)
        planned = self.timeline.steps
        index = resume_index(steps, pains)
        self._actual_ms = [round(record.actual_seconds * 1000) for record in steps]
        self._status = [record.status for record in steps]
        self._pains = list(pains)
        target = self.timeline.starts_ms[index] if index < len(planned) else self.timeline.total_ms
        now_ms = to_ms(now)
        self._origin_ms = now_ms
        self._seek(now_ms, target)
        if index < len(planned) and self._status[index] == "not-reached":
            self._status[index] = "partial"
        cues = self.poll(now)
        if index < len(planned) and planned[index].kind not in ("get-ready", "transition"):
            step = planned[index]
            where = f"{step.name}, {step.side} side" if step.side else step.name
            cues.insert(
                0, Cue(target, "exercise", f"Picking up where you left off: {where}.", index)
            )
        return cues

    def poll(self, now: float) -> list[Cue]:
        """Cues that fell due since the last poll, in order; none while paused."""
        now_ms = to_ms(now)
        if not self.started or self.paused:
            return []
        self._account(now_ms)
        position = self._position(now_ms)
        due: list[Cue] = []
        cues = self.timeline.cues
        while self._next_cue < len(cues) and cues[self._next_cue].at_ms <= position:
            cue = cues[self._next_cue]
            if cue.at_ms > self._emitted_to_ms:
                due.append(cue)
            self._next_cue += 1
        self._emitted_to_ms = max(self._emitted_to_ms, position)
        if position >= self.timeline.total_ms:
            self._finished = True
        return due

    def pause(self, now: float) -> None:
        now_ms = to_ms(now)
        if self.started and not self.paused and not self.finished:
            self._account(now_ms)
            self._paused_at_ms = now_ms

    def resume(self, now: float) -> list[Cue]:
        now_ms = to_ms(now)
        if self._paused_at_ms is not None and self._origin_ms is not None:
            self._origin_ms += now_ms - self._paused_at_ms
            self._paused_at_ms = None
            self._skip_offer = None
        return self.poll(now)

    def toggle_pause(self, now: float) -> list[Cue]:
        if self.paused:
            return self.resume(now)
        self.pause(now)
        return []

    def skip(self, now: float) -> list[Cue]:
        """Jump to the start of the next step; the current one is marked skipped."""
        now_ms = to_ms(now)
        if not self.started or self.finished:
            return []
        self._account(now_ms)
        index = self.timeline.step_at(self._position(now_ms))
        if self._status[index] != "done":
            self._status[index] = "skipped"
        self._seek(now_ms, self.timeline.end_ms(index))
        return self.poll(now)

    def back(self, now: float) -> list[Cue]:
        """Restart the current step, or go to the previous one if it has only just begun."""
        now_ms = to_ms(now)
        if not self.started:
            return []
        position = self._position(now_ms)
        index = self.timeline.step_at(position)
        if self._finished:
            index = len(self.timeline.steps) - 1
            self._finished = False
        elif position - self.timeline.starts_ms[index] < BACK_RESTARTS_AFTER_MS and index > 0:
            index -= 1
        self._seek(now_ms, self.timeline.starts_ms[index])
        return self.poll(now)

    def hurt(self, now: float, at: datetime, area: str | None = None) -> PainReport:
        """'It hurts': record the pain, end the current hold, pause, and offer to skip on.

        The original routine's advice is to stop or ease off when a stretch hurts.
        """
        now_ms = to_ms(now)
        self._account(now_ms)
        position = self._position(now_ms)
        index = self.timeline.step_at(position)
        step = self.timeline.steps[index]
        report = PainReport(
            step_index=index,
            exercise=step.exercise,
            area=area or step.area or "unspecified",
            offset_seconds=position / 1000,
            at=at,
            side=step.side,
        )
        self._pains.append(report)
        if step.is_work and not self._finished:
            self._status[index] = "partial"
            self._seek(now_ms, self.timeline.end_ms(index))
        if not self._finished:
            self.pause(now)
            self._skip_offer = step.exercise
            self._hurt_step = index
        return report

    def skip_exercise(self, now: float) -> list[Cue]:
        """Accept the offer after a pain report: skip what is left of that exercise."""
        now_ms = to_ms(now)
        slug = self._skip_offer
        self._skip_offer = None
        if slug is None or not self.started:
            return self.resume(now)
        position = self._position(now_ms)
        index = self.timeline.step_at(position)
        if self.timeline.steps[index].exercise != slug:
            # The hold that hurt was the exercise's last: nothing of it is left to skip.
            return self.resume(now)
        _, last = self.timeline.exercise_bounds(index)
        for skipped in range(index, last + 1):
            if self._status[skipped] != "done":
                self._status[skipped] = "skipped"
        self._seek(now_ms, self.timeline.end_ms(last))
        return self.resume(now)

    def decline_offer(self, now: float) -> list[Cue]:
        """Carry on gently after a pain report: the rest of that exercise on that side is
        eased (`core.gentle`: shorter holds, gentler cues), then play resumes."""
        if self._skip_offer is not None and self._hurt_step is not None and self.started:
            self._ease(to_ms(now), self._hurt_step)
        self._skip_offer = None
        return self.resume(now)

    def _ease(self, now_ms: int, index: int) -> None:
        """Play the plan with the steps after `index` eased. Only later steps change, so
        the position and the cues already said stay where they are."""
        plan = eased_plan(self.plan, index)
        if plan is self.plan:
            return
        self._account(now_ms)
        self.plan = plan
        self.timeline = compile_timeline(plan)
        self._next_cue = next(
            (i for i, cue in enumerate(self.timeline.cues) if cue.at_ms > self._emitted_to_ms),
            len(self.timeline.cues),
        )

    def finish_now(self, now: float) -> None:
        """Stop here (quit): account the time so far; later steps stay not reached."""
        self._account(to_ms(now))
        if not self.paused:
            self.pause(now)

    # -- views ------------------------------------------------------------

    def snapshot(self, now: float) -> Snapshot:
        position = self._position(to_ms(now))
        index = self.timeline.step_at(position)
        step = self.timeline.steps[index]
        start = self.timeline.starts_ms[index]
        end = self.timeline.end_ms(index)
        following = next((s for s in self.timeline.steps[index + 1 :] if s.kind != "switch"), None)
        rep = None
        if step.kind == "reps" and step.reps:
            pace = (end - start) // step.reps
            rep = min(step.reps, (position - start) // pace + 1)
        return Snapshot(
            position_ms=position,
            total_ms=self.timeline.total_ms,
            step_index=index,
            step=step,
            step_elapsed_ms=position - start,
            step_remaining_ms=end - position,
            next_step=following,
            paused=self.paused,
            finished=self._finished,
            rep=rep,
            skip_offer=self._skip_offer,
        )

    def step_records(self) -> tuple[StepRecord, ...]:
        return tuple(
            StepRecord(
                index=index,
                exercise=step.exercise,
                variant=step.variant,
                side=step.side,
                kind=step.kind,
                planned_seconds=step.seconds,
                reps=step.reps,
                actual_seconds=self._actual_ms[index] / 1000,
                status=self._status[index],
            )
            for index, step in enumerate(self.timeline.steps)
        )

    def record(
        self, started_at: datetime, ended_at: datetime | None, status: SessionStatus
    ) -> SessionRecord:
        """What to store: the plan, each step's outcome and the pain reports."""
        return SessionRecord(
            started_at=started_at,
            ended_at=ended_at,
            status=status,
            intensity=self.plan.request.intensity.value,
            minutes=self.plan.request.minutes,
            plan=stored_plan(self.plan),
            steps=self.step_records(),
            pains=self.pains,
        )
