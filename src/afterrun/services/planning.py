"""Options in, plan out: the one place the CLI and the web app turn a request into a plan.

Intensity comes from the latest stored run when the runner does not give one,
and the soreness of recent check-ins eases the doses; both need the database,
so `store` may be None (no database yet) and the plan is then made from the
options alone. Those services are imported only when needed, to keep `afterrun plan`
quick to start.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from afterrun.core.intensity import Intensity
from afterrun.core.plan import DEFAULT_MINUTES, PLACES, Plan, PlanRequest
from afterrun.core.planner import plan_cooldown

if TYPE_CHECKING:
    from afterrun.core.catalogue import Catalogue
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


def when_text(moment: datetime, now: datetime, tz: tzinfo) -> str:
    """'Mon 23 Nov 07:30' in the runner's zone `tz`, with the year when it is not this year."""
    local = moment.astimezone(tz)
    if local.year != now.astimezone(tz).year:
        return local.strftime("%a %d %b %Y %H:%M")
    return local.strftime("%a %d %b %H:%M")


def intensity_from_latest_run(store: Store | None, now: datetime) -> tuple[Intensity, str]:
    """The latest run's rating, or moderate when no recent run is stored, with the reason."""
    if store is not None:
        from afterrun.services.runs import RECENT_RUN_HOURS, is_recent, latest_run  # noqa: PLC0415

        latest = latest_run(store)
        if latest is not None:
            from afterrun.zones import runner_zone  # noqa: PLC0415

            zone = runner_zone(store.get_profile())
            start = when_text(latest.stored.activity.start, now, zone)
            if not is_recent(latest.stored, now):
                return Intensity.MODERATE, (
                    f"Your latest stored run ({start}, run {latest.stored.id}) ended more than "
                    f"{RECENT_RUN_HOURS} h ago, so it says nothing about today's run: planned "
                    "for a moderate run. Give --intensity, or import today's run first."
                )
            return latest.rating.intensity, (
                f"Sized for your latest run ({start}, run {latest.stored.id}): "
                f"{latest.rating.intensity.label}, {latest.rating.explanation}."
            )
    return Intensity.MODERATE, (
        "No --intensity and no stored run: planned for a moderate run. "
        "Import your runs with 'afterrun import PATH'."
    )


def plan_for(
    catalogue: Catalogue, store: Store | None, options: PlanOptions, now: datetime
) -> Plan:
    """The cool-down for these options, sized by the latest run and eased by recent soreness."""
    intensity, reason = options.intensity, None
    if intensity is None:
        intensity, reason = intensity_from_latest_run(store, now)
    place = options.place
    if place is None and not options.equipment:
        place = "home"
    gear = set(PLACES[place]) if place else set()
    gear.update(options.equipment or ())
    soreness = None
    if store is not None:
        from afterrun.services.soreness import soreness_for_plan  # noqa: PLC0415

        soreness = soreness_for_plan(store, now)
    request = PlanRequest(
        minutes=options.minutes,
        intensity=intensity,
        equipment=frozenset(gear),
        place=place,
        focus=options.focus or (),
        avoid=options.avoid or (),
        ease=soreness.ease if soreness else (),
        rest=soreness.rest if soreness else (),
        intensity_reason=reason,
    )
    return plan_cooldown(catalogue, request)
