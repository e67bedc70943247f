"""`afterrun` with no command: the latest run, how hard it was, and its cool-down."""

from __future__ import annotations

import click

from afterrun.cli.context import AppContext
from afterrun.cli.planning import (
    build_plan,
    describe_plan,
    echo_flags,
    recent_safety,
    when_text,
    withheld_error,
)
from afterrun.cli.render import duration


def show_today(app: AppContext) -> None:
    state = recent_safety(app)
    echo_flags(state)
    latest = None
    if app.has_database():
        from afterrun.services.runs import latest_run

        latest = latest_run(app.store())
    if latest is None:
        click.echo(
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
        a = latest.stored.activity
        km = "" if a.distance_m is None else f", {a.distance_m / 1000:.2f} km"
        click.echo(
            f"Latest run: {when_text(a.start, app.zone())}{km} in "
            f"{duration(a.moving_seconds or a.elapsed_seconds)} (run {latest.stored.id}).\n"
            f"How hard: {latest.rating.intensity.label} ({latest.rating.explanation}).\n"
        )
    if state.withheld:
        click.echo(withheld_error(state).message)
        return
    from afterrun.services.planning import PlanOptions

    plan = build_plan(app, PlanOptions())
    click.echo("Suggested cool-down (play it with 'afterrun go'):\n")
    click.echo(describe_plan(plan, show_steps=False))
