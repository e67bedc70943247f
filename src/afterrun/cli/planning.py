"""Turn `plan`/`go` options into a plan, and show it."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING

from afterrun.cli.render import echo, folded, table
from afterrun.core.time_text import duration

if TYPE_CHECKING:
    from afterrun.cli.context import AppContext
    from afterrun.core.errors import CoolDownWithheld
    from afterrun.core.intensity import Intensity
    from afterrun.core.plan import Plan
    from afterrun.core.safety import Safety
    from afterrun.services.planning import PlanOptions


def plan_options_of(
    minutes: int,
    intensity: Intensity | None,
    place: str | None,
    equipment: tuple[str, ...] | None,
    focus: tuple[str, ...] | None,
    avoid: tuple[str, ...] | None,
) -> PlanOptions:
    """The planning options (`cli.options.plan_options`) as the planning service takes them."""
    from afterrun.services.planning import PlanOptions

    return PlanOptions(minutes, intensity, place, equipment, focus, avoid)


#: The planning options a coach's routine may stand in for when the runner gave none.
ROUTINE_OPTIONS = ("minutes", "place", "equipment", "focus", "avoid")


def build_plan(app: AppContext, options: PlanOptions) -> Plan:
    from afterrun.services.planning import plan_from_facts

    # Without a database there is no run or soreness to size by.
    now = datetime.now(UTC)
    if app.athlete:
        return _club_plan(app, options, now)
    facts = app.plan_facts(now) if app.has_database() else None
    return plan_from_facts(app.catalogue, facts, options, now, cache=app.plan_cache())


def _club_plan(app: AppContext, options: PlanOptions, now: datetime) -> Plan:
    """A club member's plan (`--athlete`): their coach's routine stands in for the options
    not given on the command line, as on the phone."""
    import click

    from afterrun.services.planning import plan_for

    context = click.get_current_context(silent=True)
    given = frozenset(
        name
        for name in ROUTINE_OPTIONS
        if context is not None
        and context.get_parameter_source(name) not in (None, click.core.ParameterSource.DEFAULT)
    )
    return plan_for(app.catalogue(), app.store(), options, now, given)


def when_text(moment: datetime, zone: tzinfo) -> str:
    """'Mon 23 Nov 07:30' in the runner's zone, with the year when it is not this year."""
    from afterrun.core.time_text import when_text as text

    return text(moment, zone, datetime.now(UTC))


def describe_plan(plan: Plan, show_steps: bool) -> str:
    from afterrun.core.body import EQUIPMENT_NAMES

    request = plan.request
    from afterrun.core.plan import place_phrase

    where = place_phrase(request.place)
    gear = ", ".join(EQUIPMENT_NAMES[item] for item in sorted(request.equipment)) or "nothing"
    label = request.intensity.label
    article = "an" if label[0] in "aeiou" else "a"
    lines = [f"Cool-down after {article} {label} run, {where} ({gear}).", ""]
    if plan.exercises or plan.walk_minutes:
        from afterrun.core.plan import WALK_NAME

        first = [(WALK_NAME, "standing", f"{plan.walk_minutes} min")] if plan.walk_minutes else []
        doses = [(e.name, e.position, e.dose_text) for e in plan.exercises]
        rows = [(number, *row) for number, row in enumerate([*first, *doses], start=1)]
        lines.append(table(("#", "Exercise", "Position", "Dose"), rows))
    if show_steps and plan.steps:
        lines.append("")
        rows_steps = []
        clock = 0
        for step in plan.steps:
            what = step.name + (f" ({step.variant})" if step.variant else "")
            amount = f"{step.reps} reps" if step.reps else f"{step.seconds} s"
            if step.kind == "walk" and step.seconds % 60 == 0:
                amount = f"{step.seconds // 60} min"
            rows_steps.append((duration(clock), step.kind, what, step.side or "", amount))
            clock += step.seconds
        lines.append(table(("At", "Step", "Exercise", "Side", "For"), rows_steps))
    for action, title in (("shortened", "Shortened"), ("eased", "Eased"), ("dropped", "Left out")):
        cuts = [cut for cut in plan.dropped if cut.action == action]
        if cuts:
            lines.append("")
            lines.append(f"{title}:")
            lines.extend(f"  - {cut.name}: {cut.reason}" for cut in cuts)
    if plan.notes or plan.hints:
        from afterrun.cli.wording import hint_sentence

        request = plan.request
        lines.append("")
        hint = request.intensity_hint
        lines.extend(
            f"{note} {hint_sentence(hint)}"
            if hint is not None and note == request.intensity_reason
            else note
            for note in plan.notes
        )
        lines.extend(hint_sentence(hint) for hint in plan.hints)
    return "\n".join(lines)


def recent_safety(app: AppContext) -> Safety:
    """Warning signs from check-ins of the last days: repeated wherever the runner plans
    next, and holding the cool-down back while a stop sign has not been seen to."""
    from afterrun.core.safety import Safety

    if not app.has_database():
        return Safety()
    from afterrun.services.planning import safety_from_facts

    now = datetime.now(UTC)
    return safety_from_facts(app.plan_facts(now), now)


def withheld_error(state: Safety) -> CoolDownWithheld:
    from afterrun.cli.warnings_view import SEEN_HINT
    from afterrun.core.errors import CoolDownWithheld

    return CoolDownWithheld(f"{state.reason} {SEEN_HINT}")


def echo_flags(state: Safety) -> None:
    """The recent warning signs, most urgent first, before anything else is shown."""
    if not (state.flags or state.seen_note):
        return
    from afterrun.cli.warnings_view import flag_lines

    for line in flag_lines(state.flags, " (reported in a recent check-in)"):
        echo(folded(line))
    if state.seen_note:
        echo(state.seen_note)
    if state.flags or state.seen_note:
        echo("")


def show_plan(app: AppContext, options: PlanOptions, as_json: bool, show_steps: bool) -> None:
    """`afterrun plan`: recent warning signs, then the plan (none while they hold it back)."""
    state = recent_safety(app)
    made = None if state.withheld else build_plan(app, options)
    echo_plan(made, as_json, show_steps, state)


def echo_plan(plan: Plan | None, as_json: bool, show_steps: bool, state: Safety) -> None:
    """The plan, after any recent warning signs; none and an error when they hold it back."""
    if as_json:
        from afterrun.cli.render import to_json

        data = plan.to_json() if plan is not None else {"plan": None}
        data.update(state.to_json())
        echo(to_json(data))
    else:
        echo_flags(state)
        if plan is not None:
            echo(folded(describe_plan(plan, show_steps)))
    if state.withheld:
        raise withheld_error(state)
