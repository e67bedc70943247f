"""`afterrun plan --fit FILE`: the plan shown, and written as a workout a Garmin watch runs."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from afterrun.cli.context import AppContext
from afterrun.cli.output_file import check_out_path, write_file
from afterrun.cli.planning import build_plan, echo_plan, recent_safety
from afterrun.cli.render import echo
from afterrun.core.errors import InvalidInput
from afterrun.core.time_text import duration
from afterrun.services.planning import PlanOptions


def show_and_write(
    app: AppContext, options: PlanOptions, as_json: bool, show_steps: bool, path: Path
) -> None:
    """The file is written before the plan is shown, so that a path that cannot be
    written leaves only the error."""
    if as_json:
        raise InvalidInput("--fit writes a watch workout and --json prints JSON: give one of them.")
    check_out_path(path)
    state = recent_safety(app)
    made = None if state.withheld else build_plan(app, options)
    if made is not None and made.steps:
        from afterrun.exporters.fit_workout import fit_workout

        write_file(path, fit_workout(made, datetime.now(UTC)))
    echo_plan(made, as_json, show_steps, state)
    if made is None:
        return
    if not made.steps:
        raise InvalidInput(f"Nothing was written to {path}: the plan has no steps.")
    work = sum(step.is_work for step in made.steps)
    echo("")
    echo(
        f"Wrote the watch workout to {path}: {work} steps and {len(made.steps) - work} "
        f"rests, {duration(made.total_seconds)}. Copy it into GARMIN/NewFiles on the watch."
    )
