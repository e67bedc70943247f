"""`afterrun runs` and `afterrun runs show`: the runs stored, as a table or one in full."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from afterrun.cli.context import AppContext
from afterrun.cli.options import ID, NumbersCommand
from afterrun.cli.render import table, to_json
from afterrun.core.time_text import duration, stamp

if TYPE_CHECKING:
    from afterrun.store.activities import StoredActivity


@click.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option("--limit", type=click.IntRange(1, 100_000), default=None, help="Only the newest N.")
@click.option("--all", "all_sports", is_flag=True, help="Every sport, not only runs.")
@click.pass_context
def runs(ctx: click.Context, as_json: bool, limit: int | None, all_sports: bool) -> None:
    """List your runs: date, distance, time, pace, heart rate, RPE and load."""
    if ctx.invoked_subcommand is None:
        list_runs(ctx.find_object(AppContext) or AppContext(), as_json, limit, all_sports)


@runs.command("show", cls=NumbersCommand)
@click.argument("activity_id", metavar="ID", type=ID)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def show(app: AppContext, /, activity_id: int, as_json: bool) -> None:
    """Show one run in full, with its load and how hard it was."""
    show_run(app, activity_id, as_json)


def pace(stored: StoredActivity) -> str:
    pace = stored.activity.avg_pace_s_per_km
    return "-" if pace is None else f"{duration(pace)}/km"


def km(stored: StoredActivity) -> str:
    metres = stored.activity.distance_m
    return "-" if metres is None else f"{metres / 1000:.2f} km"


def list_runs(app: AppContext, as_json: bool, limit: int | None, all_sports: bool) -> None:
    from afterrun.core.activity import Sport

    store = app.store()
    listed = store.list_activities(limit, None if all_sports else Sport.RUNNING)
    if as_json:
        click.echo(to_json([stored.to_json() for stored in listed]))
        return
    if not listed:
        click.echo(
            "No runs yet. Import files with 'afterrun import PATH' or add one with "
            "'afterrun run add'."
        )
        return
    zone = app.zone()
    rows = [
        (
            stored.id,
            stamp(stored.activity.start, zone),
            stored.activity.sport.value
            + ("?" if stored.activity.sport_source == "guessed" else ""),
            km(stored),
            duration(stored.activity.moving_seconds or stored.activity.elapsed_seconds),
            pace(stored),
            "-" if stored.activity.avg_hr is None else f"{stored.activity.avg_hr:.0f}",
            "-" if stored.activity.rpe is None else f"{stored.activity.rpe:g}",
            "-" if stored.load is None else f"{stored.load:.0f}",
            (stored.activity.name or "")[:28],
        )
        for stored in listed
    ]
    click.echo(
        table(
            ("ID", "Start", "Sport", "Distance", "Time", "Pace", "HR", "RPE", "Load", "Name"),
            rows,
            fold=(9,),
        )
    )
    if any(stored.activity.sport_source == "guessed" for stored in listed):
        click.echo(
            "? sport guessed (the file named none): see 'afterrun runs show ID', "
            "correct it with 'afterrun run edit ID --sport ...'."
        )


def show_run(app: AppContext, activity_id: int, as_json: bool) -> None:
    from afterrun.cli.wording import sport_text
    from afterrun.core.sport_guess import sport_note
    from afterrun.services.runs import rate_stored

    store = app.store()
    stored = store.get_activity(activity_id)
    rating = rate_stored(store, stored)
    if as_json:
        data = stored.to_json()
        data["rating"] = {"intensity": rating.intensity.value, "explanation": rating.explanation}
        click.echo(to_json(data))
        return
    a = stored.activity
    note = sport_note(a.sport, a.sport_source, a.sport_basis)
    told = sport_text(note, stored.id) if note is not None else None
    lines = [
        f"Run {stored.id}: {a.name or a.sport.value}",
        f"  Start      {a.start.astimezone(app.zone()).strftime('%Y-%m-%d %H:%M %Z')}",
        f"  Sport      {a.sport.value}" + (f" ({a.sub_sport})" if a.sub_sport else ""),
        *([f"             {told}"] if told else []),
        f"  Distance   {km(stored)}",
        f"  Time       {duration(a.elapsed_seconds)} elapsed"
        + (f", {duration(a.moving_seconds)} moving" if a.moving_seconds else ""),
        f"  Pace       {pace(stored)}",
        f"  Heart rate {'-' if a.avg_hr is None else f'{a.avg_hr:.0f} avg'}"
        + (f", {a.max_hr:.0f} max" if a.max_hr else ""),
        f"  RPE        {'-' if a.rpe is None else f'{a.rpe:g} / 10'}",
        f"  Load       {'-' if stored.load is None else f'{stored.load:.0f}'}"
        f" ({stored.load_method})",
        f"  How hard   {rating.intensity.label}: {rating.explanation}",
        f"  Device     {a.device or '-'}",
        f"  From       {stored.source}",
    ]
    if a.partial:
        lines.append("  Partial    the file ends early; what was read before that is kept")
    lines.extend(f"  Note       {note}" for note in a.notes)
    click.echo("\n".join(lines))
