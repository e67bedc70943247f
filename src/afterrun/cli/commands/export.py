"""`afterrun export`: everything entered and recorded, as JSON or a zip of CSV files."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from afterrun.cli.context import AppContext
from afterrun.cli.output_file import check_out_path, write_file
from afterrun.cli.render import to_json
from afterrun.core.errors import InvalidInput


@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "csv"]),
    default="json",
    show_default=True,
    help="json: one document; csv: a zip of CSV files, one per table (needs --out).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The file to write. Default for json: print to the screen.",
)
@click.pass_obj
def export(app: AppContext, /, fmt: str, out: Path | None) -> None:
    """Export everything you entered and recorded: runs, cool-downs, profile, check-ins."""
    from afterrun.services.export import csv_zip, export_document

    if out is not None:
        check_out_path(out)
    elif fmt == "csv":
        raise InvalidInput(
            "--format csv writes a zip of CSV files: give --out, e.g. --out afterrun.zip."
        )
    now = datetime.now(UTC)
    document = export_document(app.store(), now)
    if out is None:
        click.echo(to_json(document))
        return
    content = csv_zip(document, now) if fmt == "csv" else (to_json(document) + "\n").encode()
    write_file(out, content)
    labels = {"runs": "activities", "sessions": "cool-downs", "checkins": "check-ins"}
    counts = ", ".join(
        f"{len(document[key])} {label}" for key, label in labels.items() if key in document
    )
    click.echo(f"Exported {counts} and your profile to {out}.")
