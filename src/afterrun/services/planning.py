"""Options in, plan out: the one place the CLI and the web app turn a request into a plan.

Intensity comes from the latest stored run when the runner does not give one, and the
soreness of recent check-ins eases the doses. Both come from `PlanFacts`, the few stored
facts a plan depends on: read through the store (`facts_from_store`) or, for the
command line on SQLite, by `quick_read.py` without loading the ORM. Without a
database (`facts` None) the plan is made from the options alone. The planner (and with
it the catalogue's models) is imported only when a plan is not in the plan cache.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from afterrun.core.hints import Hint
from afterrun.core.intensity import Intensity
from afterrun.core.plan import DEFAULT_MINUTES, PLACES, Plan, PlanRequest
from afterrun.core.plan_facts import RECENT_RUN_HOURS, PlanFacts, RunFacts, ended_recently
from afterrun.core.rating import rate_among, rating_window
from afterrun.core.time_text import when_text

if TYPE_CHECKING:
    from afterrun.core.catalogue import Catalogue
    from afterrun.core.rating import Rating
    from afterrun.core.safety import Safety
    from afterrun.core.soreness import PlanSoreness
    from afterrun.services.plan_cache import PlanCache
    from afterrun.store import Store


@dataclass(frozen=True)
class PlanOptions:
    """What the runner asked for; None means 'work it out'."""

    minutes: int = DEFAULT_MINUTES
    intensity: Intensity | None = None
    place: str | None = None
    equipment: tuple[str, ...] | None = None
    focus: tuple[str, ...] | None = None
    avoid: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        # Each area once, in the order given ("hips, hamstrings", not "hamstrings, hamstrings").
        both = list(dict.fromkeys(area for area in self.focus or () if area in (self.avoid or ())))
        if both:
            from afterrun.core.errors import InvalidInput, verbatim  # noqa: PLC0415

            raise InvalidInput.naming(
                f"{{focus}} and {{avoid}} both name {verbatim(', '.join(both))}: "
                "put an area first or leave it out, not both."
            )


def facts_from_store(store: Store, now: datetime) -> PlanFacts:
    """The plan's facts read through the store (any database)."""
    from afterrun.core.activity import Sport  # noqa: PLC0415
    from afterrun.core.soreness import WINDOW  # noqa: PLC0415
    from afterrun.services.training import run_load  # noqa: PLC0415
    from afterrun.zones import runner_zone  # noqa: PLC0415

    every_run = store.list_activities(sport=Sport.RUNNING)
    latest = None
    if every_run:
        stored = every_run[0]
        window = rating_window(stored.activity.start)
        every_run = [run for run in every_run if run.activity.start >= window]
        a = stored.activity
        latest = RunFacts(
            stored.id, a.start, a.elapsed_seconds, a.moving_seconds, a.distance_m, run_load(stored)
        )
    since = now - WINDOW
    return PlanFacts(
        zone=runner_zone(store.get_profile()),
        latest_run=latest,
        runs=tuple((s.id, s.activity.start, run_load(s)) for s in every_run),
        checkins=tuple((s.id, s.checkin) for s in store.list_checkins(since)),
        pains=tuple(
            (session_id, pain.area, pain.at) for session_id, pain in store.list_pain_reports(since)
        ),
        cleared_at=store.latest_clearance(),
    )


def latest_rating(facts: PlanFacts) -> Rating | None:
    """How hard the latest run was, against the runner's runs of the six weeks before it."""
    run = facts.latest_run
    if run is None:
        return None
    return rate_among(run.id, run.start, run.load, facts.runs)


def intensity_from_facts(
    facts: PlanFacts | None, now: datetime
) -> tuple[Intensity, str, Hint | None]:
    """The latest run's rating, or moderate when no recent run is stored, with the reason
    and, for moderate, what the runner can do instead (each edge words it)."""
    run = None if facts is None else facts.latest_run
    rating = None if facts is None else latest_rating(facts)
    if facts is not None and run is not None and rating is not None:
        start = when_text(run.start, facts.zone, now)
        if not ended_recently(run.start + timedelta(seconds=run.elapsed_seconds), now):
            reason = (
                f"Your latest stored run ({start}, run {run.id}) ended more than "
                f"{RECENT_RUN_HOURS} h ago, so it says nothing about today's run: planned "
                "for a moderate run."
            )
            return Intensity.MODERATE, reason, Hint.GIVE_INTENSITY
        return (
            rating.intensity,
            f"Sized for your latest run ({start}, run {run.id}): "
            f"{rating.intensity.label}, {rating.explanation}.",
            None,
        )
    reason = "No intensity given and no stored run: planned for a moderate run."
    return Intensity.MODERATE, reason, Hint.ADD_A_RUN


def soreness_from_facts(facts: PlanFacts, now: datetime) -> PlanSoreness:
    from afterrun.core.soreness import area_history, plan_soreness  # noqa: PLC0415

    return plan_soreness(area_history(facts.checkins, facts.pains), now, facts.zone)


def safety_from_facts(facts: PlanFacts, now: datetime) -> Safety:
    """The warning signs of the last days and whether they hold the cool-down back."""
    from afterrun.core.safety import safety  # noqa: PLC0415

    reports = [(checkin.at, checkin.red_flags) for _, checkin in facts.checkins]
    return safety(reports, facts.cleared_at, now, facts.zone)


def plan_request(facts: PlanFacts | None, options: PlanOptions, now: datetime) -> PlanRequest:
    """What the planner is asked: the options, the run's intensity and recent soreness."""
    intensity, reason, hint = options.intensity, None, None
    if intensity is None:
        intensity, reason, hint = intensity_from_facts(facts, now)
    place = options.place
    if place is None and not options.equipment:
        place = "home"
    gear = set(PLACES[place]) if place else set()
    gear.update(options.equipment or ())
    soreness = None if facts is None else soreness_from_facts(facts, now)
    return PlanRequest(
        minutes=options.minutes,
        intensity=intensity,
        equipment=frozenset(gear),
        place=place,
        focus=options.focus or (),
        avoid=options.avoid or (),
        ease=soreness.ease if soreness else (),
        rest=soreness.rest if soreness else (),
        intensity_reason=reason,
        intensity_hint=hint,
    )


def plan_from_facts(
    catalogue: Callable[[], Catalogue],
    facts: PlanFacts | None,
    options: PlanOptions,
    now: datetime,
    cache: PlanCache | None = None,
) -> Plan:
    """The cool-down for these options; `catalogue` is called only when the plan is made."""
    request = plan_request(facts, options, now)

    def make() -> Plan:
        from afterrun.core.planner import plan_cooldown  # noqa: PLC0415

        return plan_cooldown(catalogue(), request)

    return make() if cache is None else cache.plan(request, make)


def plan_for(
    catalogue: Catalogue,
    store: Store | None,
    options: PlanOptions,
    now: datetime,
    given: frozenset[str] | None = None,
) -> Plan:
    """The cool-down for these options, sized by the latest run and eased by recent soreness.

    A routine of the runner's coach (`services.routines`) adds its club exercises, and its
    defaults stand in for the options not in `given` (None: every option was given).
    """
    facts = None if store is None else facts_from_store(store, now)
    if store is None or given is None:
        return plan_from_facts(lambda: catalogue, facts, options, now)
    from afterrun.services import routines  # noqa: PLC0415

    routine = routines.routine_for(store)
    if routine is None:
        return plan_from_facts(lambda: catalogue, facts, options, now)
    club = routines.with_routine(catalogue, routine)
    chosen = routines.routine_options(options, given, routine)
    return routines.noted(plan_from_facts(lambda: club, facts, chosen, now), routine)
