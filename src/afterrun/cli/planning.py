"""Turn `plan`/`go` options into a plan, and show it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

import click

from afterrun.cli.render import duration, table

if TYPE_CHECKING:
    from afterrun.cli.context import AppContext
    from afterrun.core.intensity import Intensity
    from afterrun.core.plan import Plan
    from afterrun.core.red_flags import RedFlag


def build_plan(
    app: AppContext,
    minutes: int,
    intensity: Intensity | None,
    place: str | None,
    equipment: tuple[str, ...] | None,
    focus: tuple[str, ...] | None,
    avoid: tuple[str, ...] | None,
) -> Plan:
    from afterrun.core.plan import PLACES, PlanRequest
    from afterrun.core.planner import plan_cooldown

    reason = None
    if intensity is None:
        intensity, reason = intensity_from_latest_run(app)
    if place is None and not equipment:
        place = "home"
    gear = set(PLACES[place]) if place else set()
    gear.update(equipment or ())
    soreness = None
    if app.has_database():  # without one there is no soreness, and the plan stays quick
        from datetime import UTC, datetime

        from afterrun.services.soreness import soreness_for_plan

        soreness = soreness_for_plan(app.store(), datetime.now(UTC))
    request = PlanRequest(
        minutes=minutes,
        intensity=intensity,
        equipment=frozenset(gear),
        place=place,
        focus=focus or (),
        avoid=avoid or (),
        ease=soreness.ease if soreness else (),
        rest=soreness.rest if soreness else (),
        intensity_reason=reason,
    )
    return plan_cooldown(app.catalogue(), request)


def when_text(moment: datetime) -> str:
    """'Mon 23 Nov 07:30', with the year when it is not this year."""
    local = moment.astimezone()
    if local.year != datetime.now(UTC).astimezone().year:
        return local.strftime("%a %d %b %Y %H:%M")
    return local.strftime("%a %d %b %H:%M")


def intensity_from_latest_run(app: AppContext) -> tuple[Intensity, str]:
    """The latest run's rating, or moderate when no run is stored."""
    from afterrun.core.intensity import Intensity

    if app.has_database():
        from afterrun.services.runs import RECENT_RUN_HOURS, is_recent, latest_run

        latest = latest_run(app.store())
        if latest is not None:
            start = when_text(latest.stored.activity.start)
            if not is_recent(latest.stored, datetime.now(UTC)):
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


def describe_plan(plan: Plan, show_steps: bool) -> str:
    from afterrun.core.catalogue.models import EQUIPMENT_NAMES

    request = plan.request
    from afterrun.core.plan import place_phrase

    where = place_phrase(request.place)
    gear = ", ".join(EQUIPMENT_NAMES[item] for item in sorted(request.equipment)) or "nothing"
    label = request.intensity.label
    article = "an" if label[0] in "aeiou" else "a"
    lines = [f"Cool-down after {article} {label} run, {where} ({gear}).", ""]
    if plan.exercises:
        rows = [
            (number, exercise.name, exercise.position, exercise.dose_text)
            for number, exercise in enumerate(plan.exercises, start=1)
        ]
        lines.append(table(("#", "Exercise", "Position", "Dose"), rows))
    if show_steps and plan.steps:
        lines.append("")
        rows_steps = []
        clock = 0
        for step in plan.steps:
            what = step.name + (f" ({step.variant})" if step.variant else "")
            amount = f"{step.reps} reps" if step.reps else f"{step.seconds} s"
            rows_steps.append((duration(clock), step.kind, what, step.side or "", amount))
            clock += step.seconds
        lines.append(table(("At", "Step", "Exercise", "Side", "For"), rows_steps))
    for action, title in (("shortened", "Shortened"), ("eased", "Eased"), ("dropped", "Left out")):
        cuts = [cut for cut in plan.dropped if cut.action == action]
        if cuts:
            lines.append("")
            lines.append(f"{title}:")
            lines.extend(f"  - {cut.name}: {cut.reason}" for cut in cuts)
    if plan.notes:
        lines.append("")
        lines.extend(plan.notes)
    return "\n".join(lines)


def recent_flags(app: AppContext) -> list[RedFlag]:
    """Red flags from check-ins of the last days: repeated wherever the runner plans next."""
    if not app.has_database():
        return []
    from afterrun.services.soreness import recent_red_flags

    return recent_red_flags(app.store(), datetime.now(UTC))


def echo_plan(plan: Plan, as_json: bool, show_steps: bool, flags: list[RedFlag]) -> None:
    if as_json:
        from afterrun.cli.render import to_json

        data = plan.to_json()
        data["red_flags"] = [
            {"slug": flag.slug, "urgency": flag.urgency, "advice": flag.banner} for flag in flags
        ]
        click.echo(to_json(data))
        return
    for flag in flags:
        click.echo(f"!! {flag.banner} (reported in a recent check-in)")
    if flags:
        click.echo("")
    click.echo(describe_plan(plan, show_steps))
