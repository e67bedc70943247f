"""`afterrun go`: plan, then play full-screen, saving progress as it goes.

`afterrun go --resume [SESSION]` continues a session stored part-way (a crash, `q`,
Ctrl-C) in the same session: its stored plan, its step records so far, from the step
it reached. Without an id it takes the latest session, and only if that one is not
complete: an older unfinished session is never picked up behind a newer one.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from afterrun.cli.exit_codes import ExitStatus
from afterrun.cli.options import plan_options
from afterrun.cli.plan_args import SPEED_RANGE
from afterrun.cli.playing import RESUME_LATEST, run_go
from afterrun.core.ids import MAX_ID


class _SessionToResume(click.ParamType[int, Any]):
    """`--resume` alone means the latest session (0); `--resume 12` means session 12."""

    name = "session"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        text = str(value).strip()
        if text == "latest":
            return RESUME_LATEST
        if not text.isdigit() or not 1 <= int(text) <= MAX_ID:
            self.fail(
                f"{value!r} is not a session id; give the number 'afterrun history' shows, "
                "or nothing for the latest session.",
                param,
                ctx,
            )
        return int(text)


_PLANNING_OPTIONS = ("minutes", "intensity", "place", "equipment", "focus", "avoid")


@click.command()
@plan_options
@click.option(
    "--voice/--no-voice",
    default=False,
    help="Speak the cues with a local text-to-speech engine (espeak-ng, espeak, spd-say or say).",
)
@click.option(
    "--resume",
    metavar="[SESSION]",
    type=_SessionToResume(),
    is_flag=False,
    flag_value="latest",
    default=None,
    help="Continue an unfinished cool-down from the step it reached, in the same session: "
    "the latest session, or the id given.",
)
@click.option("--speed", type=click.FloatRange(*SPEED_RANGE), default=1.0, hidden=True)
@click.pass_context
def go(
    ctx: click.Context, /, voice: bool, resume: int | None, speed: float, **options: Any
) -> None:
    """Play the cool-down full-screen, hands-free. Keys: space, arrows, h (it hurts), q."""
    from click.core import ParameterSource

    if resume is not None:
        given = [
            f"--{name}"
            for name in _PLANNING_OPTIONS
            if ctx.get_parameter_source(name) not in (None, ParameterSource.DEFAULT)
        ]
        if given:
            raise click.UsageError(
                "--resume plays the session's stored plan; it cannot be combined with "
                f"{', '.join(given)}.",
                ctx,
            )
    status = run_go(ctx.obj, voice=voice, speed=speed, resume=resume, **options)
    if status != ExitStatus.OK:
        sys.exit(int(status))
