"""`afterrun history`: the cool-downs you have done."""

from __future__ import annotations

import click

from afterrun.cli.context import AppContext
from afterrun.cli.render import table, to_json
from afterrun.core.records import OUTCOME_WORDS, work_tally
from afterrun.core.time_text import duration, stamp


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option(
    "--limit", type=click.IntRange(1, 10_000), default=None, help="Show only the newest N."
)
@click.pass_obj
def history(app: AppContext, /, as_json: bool, limit: int | None) -> None:
    """List your past cool-downs: when, how long, steps done and skipped, pain reported.

    "Counts" is what the session counts as: a cool-down when at least half of its planned
    work (the walk, holds and sets) was done, partial when less, not done when nothing.
    """
    sessions = app.store().list_sessions(limit)
    if as_json:
        click.echo(to_json([stored.to_json() for stored in sessions]))
        return
    if not sessions:
        click.echo("No cool-downs yet. Start one with 'afterrun go'.")
        return
    zone = app.zone()
    rows = []
    for stored in sessions:
        record = stored.record
        tally = work_tally(record.steps)
        pains = ", ".join(sorted({pain.area for pain in record.pains})) or "-"
        rows.append(
            (
                stored.id,
                stamp(record.started_at, zone),
                duration(sum(step.actual_seconds for step in record.steps)),
                record.intensity.replace("-", " "),
                record.status,
                f"{tally.done}/{tally.steps}",
                tally.skipped,
                OUTCOME_WORDS[tally.outcome],
                pains,
            )
        )
    headers = ("ID", "Started", "Time", "Run", "Status", "Done", "Skipped", "Counts", "Pain")
    click.echo(table(headers, rows))
