"""`afterrun` with no command: the latest run, how hard it was, and its cool-down."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from afterrun.cli.context import AppContext
from afterrun.cli.planning import (
    build_plan,
    describe_plan,
    echo_flags,
    recent_safety,
    when_text,
    withheld_error,
)
from afterrun.cli.render import echo, folded
from afterrun.core.time_text import age_text, duration


def show_today(app: AppContext) -> None:
    state = recent_safety(app)
    echo_flags(state)
    facts = None
    if app.has_database():
        facts = app.plan_facts(datetime.now(UTC))
    from afterrun.services.planning import latest_rating

    run = None if facts is None else facts.latest_run
    rating = None if facts is None else latest_rating(facts)
    if facts is None or run is None or rating is None:
        echo(
            "No runs stored yet.\n"
            "  afterrun import PATH   bring in FIT, GPX or TCX files, folders or zip exports\n"
            "  afterrun run add --distance 10km --time 52:30 --rpe 7\n"
            + (
                ""
                if state.withheld
                else "  afterrun go            play a 15-minute cool-down now\n"
            )
        )
    else:
        km = "" if run.distance_m is None else f", {run.distance_m / 1000:.2f} km"
        from afterrun.core.plan_facts import is_stale

        end = run.start + timedelta(seconds=run.elapsed_seconds)
        now = datetime.now(UTC)
        age = f", {age_text(end, now)}" if is_stale(end, now) else ""
        echo(
            folded(
                f"Latest run: {when_text(run.start, facts.zone)}{km} in "
                f"{duration(run.moving_seconds or run.elapsed_seconds)} (run {run.id}{age}).\n"
                f"How hard: {rating.intensity.label} ({rating.explanation}).\n"
            )
        )
    if state.withheld:
        echo(withheld_error(state).message)
        return
    from afterrun.services.planning import PlanOptions

    plan = build_plan(app, PlanOptions())
    echo("Suggested cool-down (play it with 'afterrun go'):\n")
    echo(folded(describe_plan(plan, show_steps=False)))
