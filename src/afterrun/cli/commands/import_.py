"""`afterrun import`: files, folders and zip exports in, with a progress bar and a summary."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import click

from afterrun.cli.context import AppContext
from afterrun.cli.exit_codes import ExitStatus
from afterrun.cli.render import to_json


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_obj
def import_(app: AppContext, /, paths: tuple[Path, ...], as_json: bool) -> None:
    """Import .fit, .gpx and .tcx files (also .gz), folders and .zip exports (Strava, Garmin).

    Exits 1 if any file failed; every good file is kept either way.
    """
    status = run_import(app, paths, as_json)
    if status != ExitStatus.OK:
        sys.exit(int(status))


def run_import(app: AppContext, paths: tuple[Path, ...], as_json: bool) -> ExitStatus:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from afterrun.cli.wording import sport_text
    from afterrun.services.imports import import_paths

    store = app.store()
    console = Console(stderr=True)
    with Progress(
        TextColumn("Importing"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}", style="dim"),
        console=console,
        transient=True,
        disable=as_json or not console.is_terminal,
    ) as bar:
        task = bar.add_task("", total=None)

        def progress(done: int, total: int, label: str) -> None:
            bar.update(task, completed=done, total=total, description=label[-40:])

        summary = import_paths(store, list(paths), datetime.now(UTC), progress)
    if as_json:
        click.echo(to_json(summary.to_json()))
    else:
        click.echo(summary.headline())
        for label, run_id, reason in summary.replaced:
            click.echo(f"  replaced run {run_id}: {reason} ({label})")
        for label, run_id in summary.already_there:
            click.echo(f"  already there: {label} (run {run_id})")
        for label, _id, reason in summary.partial:
            click.echo(f"  partial: {label}: {reason}")
        for label, reason in summary.failed:
            click.echo(f"  failed: {label}: {reason}")
        for label, activity_id, note in summary.sport_untold:
            click.echo(f"  activity {activity_id} ({label}): {sport_text(note, activity_id)}")
        for label, restored in summary.restored:
            if restored.anything:
                click.echo(f"  {label}: {restored.line()}")
        if summary.interrupted:
            click.echo(
                "Interrupted: what was stored is kept; run the same import again to finish "
                "(files already stored are skipped)."
            )
        else:
            _offer_cool_down(app, summary.new_ids)
    if summary.interrupted:
        return ExitStatus.INTERRUPTED
    return ExitStatus.OK if summary.ok else ExitStatus.ERROR


def _offer_cool_down(app: AppContext, new_ids: set[int]) -> None:
    """After a run comes in (not a ride or a swim), point to the cool-down sized for it."""
    from afterrun.cli.planning import when_text
    from afterrun.services.runs import is_recent, latest_run

    latest = latest_run(app.store())
    if (
        latest is None
        or latest.stored.id not in new_ids
        or not is_recent(latest.stored, datetime.now(UTC))
    ):
        return
    start = when_text(latest.stored.activity.start, app.zone())
    click.echo(
        f"Latest run ({start}, run {latest.stored.id}) was {latest.rating.intensity.label}: "
        f"{latest.rating.explanation}. Cool down with 'afterrun go'."
    )
