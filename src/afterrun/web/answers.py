"""The JSON the API answers and the pages show, made from the services in one place."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from afterrun.core.activity import Sport
from afterrun.services.advice import advice_for
from afterrun.web.deps import AdviceQuery, AthleteView


def advice_json(
    state: AthleteView, run_id: int | None, query: AdviceQuery | None = None
) -> dict[str, Any]:
    """The run, how hard it was, and the recovery timeline with a source on each line."""
    query = query or AdviceQuery()
    hours = query.next_session_hours
    answer = advice_for(
        state.store,
        run_id,
        state.now(),
        weight_before=query.weight_before,
        weight_after=query.weight_after,
        next_session_in=None if hours is None else timedelta(hours=hours),
    )
    rating = answer.rating
    return {
        "run": answer.stored.to_json(),
        "intensity": rating.intensity.value,
        "intensity_label": rating.intensity.label,
        "explanation": rating.explanation,
        "timeline": answer.timeline_json(),
        "run_end": answer.request.run_end.isoformat(),
        # An old run's advice is what applied after it, not a plan for today.
        "stale": answer.stale,
        "age": answer.age,
        **answer.safety.to_json(),
    }


def today_json(state: AthleteView, query: AdviceQuery) -> dict[str, Any] | None:
    """The latest run's advice, or None without runs; cached unless weights are given."""

    def compute() -> dict[str, Any] | None:
        if not state.store.list_activities(limit=1, sport=Sport.RUNNING):
            return None
        return advice_json(state, None, query)

    if not query.empty:
        return compute()  # not cached: one runner's numbers, asked for once
    return state.cached("today", compute)


def runs_json(state: AthleteView, limit: int, all_sports: bool) -> list[dict[str, Any]]:
    """Stored runs (or every activity), newest first."""
    sport = None if all_sports else Sport.RUNNING
    return [stored.to_json() for stored in state.store.list_activities(limit=limit, sport=sport)]
