"""The advice for a run, built one way for `advice`, Today on the phone and `remind`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from afterrun.core.activity import Sport
from afterrun.core.advice import (
    AdviceLine,
    AdviceRequest,
    LoadState,
    recovery_timeline,
)
from afterrun.core.errors import NotFound
from afterrun.core.hints import Hint
from afterrun.core.plan_facts import is_stale
from afterrun.core.rating import Rating
from afterrun.core.time_text import after_text, age_text
from afterrun.services.runs import rate_stored, training_load
from afterrun.services.soreness import safety_now

if TYPE_CHECKING:
    from afterrun.core.safety import Safety
    from afterrun.store import Store
    from afterrun.store.activities import StoredActivity


def run_or_latest(store: Store, run_id: int | None) -> StoredActivity:
    """The run asked for, else the latest run; NotFound says how to add one."""
    if run_id is not None:
        return store.get_activity(run_id, with_streams=False)
    latest = store.list_activities(limit=1, sport=Sport.RUNNING)
    if not latest:
        raise NotFound("No run stored yet.", Hint.ADD_A_RUN)
    return latest[0]


def advice_request(
    store: Store,
    stored: StoredActivity,
    now: datetime,
    *,
    weight_before: float | None = None,
    weight_after: float | None = None,
    next_session_in: timedelta | None = None,
    with_load: bool = True,
) -> tuple[Rating, AdviceRequest]:
    """How hard the run was and what the advice needs to know about it and the runner."""
    rating = rate_stored(store, stored)
    end = stored.activity.end
    load = None
    if with_load:
        # For an old run, the model as it stood when the run ended: no later activity.
        stale = is_stale(end, now)
        state = (
            training_load(store, end, before=end) if stale else training_load(store, max(now, end))
        )
        if state.days:
            last = state.days[-1]
            load = LoadState(
                last.fatigue, last.fitness, state.ratio, len(state.days), state.explanation
            )
    safety = safety_now(store, now)
    withheld_sources = tuple(
        dict.fromkeys(key for reported in safety.holding_back for key in reported.flag.sources)
    )
    request = AdviceRequest(
        run_end=end,
        intensity_label=rating.intensity.label,
        body_mass_kg=store.get_profile().weight_kg or weight_after,
        weight_before_kg=weight_before,
        weight_after_kg=weight_after,
        next_session_in=next_session_in,
        load=load,
        withheld_reason=safety.reason or None,
        withheld_sources=withheld_sources,
        warning_signs=tuple(reported.flag.slug for reported in safety.recent),
    )
    return rating, request


@dataclass(frozen=True)
class AdviceAnswer:
    """The run, how hard it was, its recovery timeline and the recent warning signs."""

    stored: StoredActivity
    rating: Rating
    request: AdviceRequest
    lines: list[AdviceLine]
    safety: Safety
    #: When the advice was asked for: an old run's advice says how old the run is.
    now: datetime

    @property
    def stale(self) -> bool:
        """Whether the run ended too long ago for its advice to be shown hour by hour."""
        return is_stale(self.request.run_end, self.now)

    def timeline_json(self) -> list[dict[str, Any]]:
        return [
            {**line.to_json(self.request.run_end), "after_end": after_text(line.after)}
            for line in self.lines
        ]

    @property
    def age(self) -> str:
        """'3 years ago': how long ago the run ended."""
        return age_text(self.request.run_end, self.now)


def advice_for(
    store: Store,
    run_id: int | None,
    now: datetime,
    *,
    weight_before: float | None = None,
    weight_after: float | None = None,
    next_session_in: timedelta | None = None,
) -> AdviceAnswer:
    """The advice after `run_id`, else after the latest run, with the warning signs that
    come first wherever it is shown."""
    stored = run_or_latest(store, run_id)
    rating, request = advice_request(
        store,
        stored,
        now,
        weight_before=weight_before,
        weight_after=weight_after,
        next_session_in=next_session_in,
    )
    lines = recovery_timeline(request)
    return AdviceAnswer(stored, rating, request, lines, safety_now(store, now), now)
