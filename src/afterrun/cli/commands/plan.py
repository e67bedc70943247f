"""`afterrun plan`: the cool-down that fits the minutes, run and place, and what was cut."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from afterrun.cli.context import AppContext
from afterrun.cli.options import plan_options


@click.command()
@plan_options
@click.option("--steps", "show_steps", is_flag=True, help="Also list every timed step.")
@click.option("--json", "as_json", is_flag=True, help="Print the plan as JSON.")
@click.option(
    "--fit",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the plan as a FIT workout for a Garmin watch.",
)
@click.option(
    "--audio",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write its cues as one WAV audio track (needs espeak-ng).",
)
@click.pass_obj
def plan(
    app: AppContext,
    /,
    as_json: bool,
    show_steps: bool,
    fit: Path | None,
    audio: Path | None,
    **options: Any,
) -> None:
    """Plan a cool-down that fits your minutes, run and place, and show what was cut."""
    from afterrun.cli.planning import plan_options_of, show_plan

    if fit is not None and audio is not None:
        from afterrun.core.errors import InvalidInput

        raise InvalidInput("--fit and --audio each write a file: give one of them at a time.")
    if audio is not None:
        from afterrun.cli.audio_file import show_and_write_audio

        show_and_write_audio(app, plan_options_of(**options), as_json, show_steps, audio)
        return
    if fit is None:
        show_plan(app, plan_options_of(**options), as_json, show_steps)
        return
    from afterrun.cli.watch_workout import show_and_write

    show_and_write(app, plan_options_of(**options), as_json, show_steps, fit)
