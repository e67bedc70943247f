"""`afterrun remind`: the refuelling and soreness check-in reminders as a calendar file."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from afterrun.cli.context import AppContext
from afterrun.cli.options import ID, NumbersCommand
from afterrun.cli.output_file import check_out_path, write_file


@click.command(cls=NumbersCommand)
@click.argument("run_id", metavar="[RUN]", required=False, type=ID)
@click.option(
    "--ics",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The calendar file to write (.ics).",
)
@click.option(
    "--next-session-in", default=None, help="Time to your next hard session, e.g. 6h or 2d."
)
@click.pass_obj
def remind(app: AppContext, /, run_id: int | None, ics: Path, next_session_in: str | None) -> None:
    """Write the refuelling and soreness check-in reminders for a run to a calendar file."""
    from afterrun.core.time_text import when_text
    from afterrun.core.units import parse_next_session
    from afterrun.services.export import reminders

    check_out_path(ics)
    gap = parse_next_session(next_session_in)
    now = datetime.now(UTC)
    stored, events, text = reminders(
        app.store(), run_id, gap, now, "In a terminal: afterrun checkin calves=3 hamstrings=2"
    )
    write_file(ics, text.encode())
    past = sum(event.start < now for event in events)
    ended = when_text(stored.activity.end, app.zone())
    note = f" ({past} already past)" if past else ""
    click.echo(
        f"Wrote {len(events)} reminders{note} for run {stored.id} (ended {ended}) to {ics}: "
        "refuelling and soreness check-ins. Import the file into your calendar; importing "
        "it again updates them rather than adding copies."
    )
