"""`afterrun plan --audio FILE`: the plan shown, and written as the audio track of its cues
(spoken and beeped at their moments) for a phone to play with the screen locked."""

from __future__ import annotations

from pathlib import Path

from afterrun.cli.context import AppContext
from afterrun.cli.output_file import check_out_path, write_file
from afterrun.cli.planning import build_plan, echo_plan, recent_safety
from afterrun.cli.render import echo
from afterrun.core.errors import InvalidInput
from afterrun.core.time_text import duration
from afterrun.services.planning import PlanOptions


def show_and_write_audio(
    app: AppContext, options: PlanOptions, as_json: bool, show_steps: bool, path: Path
) -> None:
    """As `--fit`: refused before any work when the file cannot be made (no folder, no
    speech engine), and written before the plan is shown."""
    if as_json:
        raise InvalidInput(
            "--audio writes an audio track and --json prints JSON: give one of them."
        )
    check_out_path(path)
    from afterrun.exporters.audio_track import render_track
    from afterrun.exporters.speech_engine import NoSpeechEngine, find_speech_engine
    from afterrun.services.cue_track import script_for

    engine = find_speech_engine()
    if engine is None:
        raise NoSpeechEngine
    state = recent_safety(app)
    made = None if state.withheld else build_plan(app, options)
    track = None
    if made is not None and made.steps:
        track = render_track(script_for(made), engine)
        write_file(path, track.wav)
    echo_plan(made, as_json, show_steps, state)
    if made is None:
        return
    if track is None:
        raise InvalidInput(f"Nothing was written to {path}: the plan has no steps.")
    echo("")
    echo(
        f"Wrote the audio track to {path}: {duration(made.total_seconds)}, "
        f"{len(track.placed)} cues spoken or beeped at their moments. Play it on the phone "
        "as you start; it goes on with the screen locked."
    )
