"""`afterrun run add|rate|edit`: a run typed in, its RPE, or its sport or name corrected."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import click

from afterrun.cli.context import AppContext
from afterrun.cli.options import ID, NumbersCommand
from afterrun.core.activity import Sport
from afterrun.core.time_text import duration

_SPORTS = [sport.value for sport in Sport if sport is not Sport.MULTISPORT]


@click.group()
def run() -> None:
    """Add a run by hand, rate how hard one felt, or correct its sport or name."""


@run.command("add")
@click.option("--distance", required=True, help="Distance, e.g. 10km, 800m or 6.2mi.")
@click.option("--time", "time_", required=True, help="Time, e.g. 52:30 or 1:02:03.")
@click.option(
    "--rpe", type=click.FloatRange(0, 10), default=None, help="How hard it felt, 0-10 (CR-10)."
)
@click.option(
    "--at",
    default=None,
    help='When the run started, in your time zone, e.g. "2026-11-23 07:30". '
    "Default: it ended just now (it started --time ago).",
)
@click.pass_obj
def add(app: AppContext, /, distance: str, time_: str, rpe: float | None, at: str | None) -> None:
    """Add a run you did not record with a watch."""
    add_run(app, distance, time_, rpe, at)


@run.command("rate", cls=NumbersCommand)
@click.argument("activity_id", metavar="ID", type=ID)
@click.argument("rpe", type=click.FloatRange(0, 10))
@click.pass_obj
def rate(app: AppContext, /, activity_id: int, rpe: float) -> None:
    """Rate how hard a run felt on the CR-10 scale (0 rest, 10 maximal), ideally ~30 min after."""
    record_rpe(app, activity_id, rpe)


@run.command("edit", cls=NumbersCommand)
@click.argument("activity_id", metavar="ID", type=ID)
@click.option("--sport", type=click.Choice(_SPORTS), default=None, help="The right sport.")
@click.option("--name", default=None, help="A new name, e.g. 'Long run'.")
@click.pass_obj
def edit(app: AppContext, /, activity_id: int, sport: str | None, name: str | None) -> None:
    """Correct an activity's sport or name; load, rating and plans follow at once.

    A sport set here is kept when the same run is imported again.
    """
    if sport is None and name is None:
        raise click.UsageError("give --sport or --name (or both).")
    edit_run(app, activity_id, None if sport is None else Sport(sport), name)


def add_run(app: AppContext, distance: str, time: str, rpe: float | None, at: str | None) -> None:
    from afterrun.cli.commands.runs import km, pace
    from afterrun.core.units import parse_distance, parse_duration, parse_when
    from afterrun.services.runs import add_manual_run, manual_run, rate_stored

    now = datetime.now(UTC)
    seconds = parse_duration(time)
    # Without --at the run has just finished: it started `time` ago.
    start = parse_when(at, app.zone()) if at else now - timedelta(seconds=seconds)
    activity = manual_run(parse_distance(distance), seconds, rpe, start, now)
    store = app.store()
    activity_id, created = add_manual_run(store, activity, now)
    stored = store.get_activity(activity_id)
    if not created:
        click.echo(f"Run {activity_id} with that start, distance and time is already there.")
        return
    rating = rate_stored(store, stored)
    click.echo(
        f"Added run {activity_id}: {km(stored)} in {duration(seconds)} ({pace(stored)}). "
        f"How hard: {rating.intensity.label} ({rating.explanation})."
    )


def record_rpe(app: AppContext, activity_id: int, rpe: float) -> None:
    from afterrun.services.runs import rate_stored, record_rpe

    store = app.store()
    load = record_rpe(store, activity_id, rpe, datetime.now(UTC))
    rating = rate_stored(store, store.get_activity(activity_id, with_streams=False))
    used = (
        "it sets the load"
        if load.method == "session-rpe"
        else "kept with the run; its load comes from heart rate, which is measured"
    )
    click.echo(
        f"Run {activity_id} rated RPE {rpe:g} ({used}). Load {load.value:.0f} "
        f"({load.explanation}); {rating.intensity.label}: {rating.explanation}."
    )


def edit_run(app: AppContext, activity_id: int, sport: Sport | None, name: str | None) -> None:
    from afterrun.services.runs import edit_activity, rate_stored

    store = app.store()
    stored = edit_activity(store, activity_id, sport, name, datetime.now(UTC))
    a = stored.activity
    what = [f"sport {a.sport.value}"] if sport is not None else []
    if name is not None:
        what.append(f"name {a.name!r}")
    load = "-" if stored.load is None else f"{stored.load:.0f}"
    if a.sport is Sport.RUNNING:
        rating = rate_stored(store, stored)
        follows = f"Load {load}; how hard: {rating.intensity.label} ({rating.explanation})."
    else:
        follows = (
            f"Load {load}, counted in fatigue and fitness; as {a.sport.value} it is not "
            "listed in 'afterrun runs' nor used to size a cool-down."
        )
    click.echo(f"Activity {activity_id}: {' and '.join(what)}. {follows}")
