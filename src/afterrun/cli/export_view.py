"""`afterrun remind` and `afterrun export`, and writing any output file safely."""

from __future__ import annotations

import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import click

from afterrun.cli.context import AppContext
from afterrun.cli.render import to_json
from afterrun.core.errors import AfterrunError, InvalidInput


class OutputFailed(AfterrunError):
    """A file afterrun was asked to write could not be written (exit status 1)."""


def check_out_path(path: Path) -> None:
    """Refuse an output path whose folder is missing, before any work is done."""
    folder = path.parent if str(path.parent) else Path()
    if path.is_dir():
        raise InvalidInput(f"{path} is a folder: give a file name inside it.")
    if not folder.is_dir():
        raise InvalidInput(
            f"cannot write {path}: the folder {folder} does not exist. Create it or choose "
            "another path."
        )


def write_file(path: Path, content: bytes) -> None:
    """Write next to the target and rename, so a failure never leaves half a file."""
    check_out_path(path)
    temp_name: str | None = None
    try:
        with tempfile.NamedTemporaryFile(
            dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False
        ) as temp:
            temp_name = temp.name
            temp.write(content)
        os.replace(temp_name, path)
        temp_name = None
    except OSError as error:
        reason = error.strerror or str(error)
        raise OutputFailed(
            f"cannot write {path}: {reason}. Choose a path you can write to."
        ) from None
    finally:
        if temp_name is not None:
            Path(temp_name).unlink(missing_ok=True)


def show_remind(
    app: AppContext, run_id: int | None, ics: Path, next_session_in: str | None
) -> None:
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


def run_export(app: AppContext, fmt: str, out: Path | None) -> None:
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
