"""`afterrun go`: plan, then play full-screen, saving progress as it goes.

`afterrun go --resume [SESSION]` continues a session stored part-way (a crash, `q`,
Ctrl-C) in the same session: its stored plan, its step records so far, from the step
it reached. Without an id it takes the latest session, and only if that one is not
complete: an older unfinished session is never picked up behind a newer one.
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import click

from afterrun.cli.context import AppContext
from afterrun.cli.exit_codes import ExitStatus
from afterrun.cli.options import MAX_ID, plan_options
from afterrun.cli.planning import build_plan
from afterrun.core.errors import AfterrunError, InvalidInput, NotFound, StorageError
from afterrun.core.plan import WORK_KINDS
from afterrun.core.records import SessionRecord, SessionStatus

if TYPE_CHECKING:
    from afterrun.core.engine import SessionEngine
    from afterrun.core.plan import Plan
    from afterrun.store import StoredSession

#: The value of a bare `--resume`: the latest session.
RESUME_LATEST = 0

NOTHING_STORED = "Nothing to resume: no cool-down is stored yet. Start one with 'afterrun go'."
LATEST_COMPLETE = (
    "Nothing to resume: your latest session is complete. Start a new one with 'afterrun go'."
)


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
@click.option("--speed", type=click.FloatRange(0.1, 100.0), default=1.0, hidden=True)
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


def already_complete(session_id: int) -> str:
    return (
        f"Session {session_id} is already complete; nothing to resume. "
        "Start a new one with 'afterrun go'."
    )


def unreadable(session_id: int, reason: str) -> str:
    return (
        f"Cannot resume session {session_id}: its stored plan cannot be played again "
        f"({reason}). Start a new one with 'afterrun go'."
    )


def _summary(session_id: int, status: SessionStatus, app: AppContext) -> str:
    stored = app.store().get_session(session_id)
    work = [step for step in stored.record.steps if step.kind in WORK_KINDS]
    done = sum(step.status == "done" for step in work)
    skipped = sum(step.status == "skipped" for step in work)
    pains = sorted({pain.area for pain in stored.record.pains})
    words = {
        "completed": "Cool-down complete",
        "quit": "Stopped",
        "interrupted": "Interrupted",
        "in-progress": "Stopped",
    }
    what = "holds and sets"
    if any(step.kind == "walk" for step in work):
        what = "steps (the walk, holds and sets)"
    line = f"{words[status]}: {done} of {len(work)} {what} done, {skipped} skipped"
    if pains:
        line += f", pain noted in the {', '.join(pains)}"
    return f"{line}. Saved as session {session_id}; see 'afterrun history'."


def _warn_first(app: AppContext) -> None:
    """Recent warning signs before the player takes the screen: a stop sign ends it here;
    any other waits for Enter, so the runner has read it before the cool-down starts."""
    from afterrun.cli.planning import echo_flags, recent_safety, withheld_error

    state = recent_safety(app)
    echo_flags(state)
    if state.withheld:
        raise withheld_error(state)
    if state.flags:
        _need_terminal()
        try:
            click.prompt(
                "Press Enter to start the cool-down (Ctrl-C to stop)",
                default="",
                show_default=False,
                prompt_suffix=" ",
            )
        except (click.Abort, KeyboardInterrupt):
            click.echo("\nCool-down not started; nothing was stored.", err=True)
            click.get_current_context().exit(int(ExitStatus.INTERRUPTED))


def _need_terminal() -> None:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise InvalidInput(
            "afterrun go plays full-screen and needs a terminal; "
            "use 'afterrun plan' to print the plan instead."
        )


def run_go(
    app: AppContext, voice: bool, speed: float, resume: int | None = None, **options: Any
) -> ExitStatus:
    _warn_first(app)
    if resume is not None:
        return _resume(app, voice, speed, None if resume == RESUME_LATEST else resume)
    plan = build_plan(app, **options)
    if not plan.steps:
        raise InvalidInput(
            f"Nothing fits in {plan.request.minutes} min. Give more minutes with --minutes."
        )
    _need_terminal()
    from afterrun.core.engine import SessionEngine

    engine = SessionEngine(plan)
    started = datetime.now(UTC)
    session_id = app.store().start_session(engine.record(started, None, "in-progress"))
    return _play(app, voice, speed, engine, session_id, started, None)


def resumable_session(app: AppContext, session_id: int | None) -> StoredSession:
    """The session `--resume` continues, or NotFound saying why there is none."""
    if session_id is None:
        latest = app.store().list_sessions(limit=1) if app.has_database() else []
        if not latest:
            raise NotFound(NOTHING_STORED)
        stored = latest[0]
        if stored.record.status == "completed":
            raise NotFound(LATEST_COMPLETE)
        return stored
    if not app.has_database():
        from afterrun.store.sessions import not_found

        raise not_found(session_id)
    stored = app.store().get_session(session_id)
    if stored.record.status == "completed":
        raise NotFound(already_complete(session_id))
    return stored


def _with_areas(app: AppContext, plan: Plan) -> Plan:
    """Plans stored before steps kept their body area get it from the catalogue, so that
    'it hurts' still names the area."""
    if all(step.area is not None for step in plan.steps):
        return plan
    try:
        catalogue = app.catalogue()
    except AfterrunError:
        return plan  # a broken exercise file must not stop a resume; pain says "unspecified"
    areas: dict[str, str] = {}
    for exercise in catalogue.exercises:
        if exercise.areas:
            areas[exercise.slug] = exercise.areas[0]
    steps = tuple(
        step if step.area is not None else replace(step, area=areas.get(step.exercise))
        for step in plan.steps
    )
    return replace(plan, steps=steps)


def _resume(app: AppContext, voice: bool, speed: float, session_id: int | None) -> ExitStatus:
    from afterrun.core.engine import SessionEngine, resume_index
    from afterrun.core.plan import Plan

    stored = resumable_session(app, session_id)
    record = stored.record
    try:
        engine = SessionEngine(_with_areas(app, Plan.from_json(record.plan)))
        engine.check_records(record.steps)
    except (ValueError, InvalidInput) as exc:
        raise StorageError(unreadable(stored.id, str(exc).rstrip("."))) from exc
    _need_terminal()
    index = resume_index(record.steps, record.pains)
    steps = engine.plan.steps
    where = f"{steps[index].name}, step {index + 1} of {len(steps)}" if index < len(steps) else ""
    click.echo(f"Resuming session {stored.id}" + (f" at {where}." if where else "."))
    app.store().save_session(stored.id, replace(record, status="in-progress", ended_at=None))
    return _play(app, voice, speed, engine, stored.id, record.started_at, record)


def _play(
    app: AppContext,
    voice: bool,
    speed: float,
    engine: SessionEngine,
    session_id: int,
    started: datetime,
    resume: SessionRecord | None,
) -> ExitStatus:
    from afterrun.tui.player import PlayerApp
    from afterrun.tui.voice import NO_ENGINE, Speaker, find_engine

    store = app.store()

    def save(status: SessionStatus) -> None:
        ended = None if status == "in-progress" else datetime.now(UTC)
        store.save_session(session_id, engine.record(started, ended, status))

    command = find_engine() if voice else None
    speaker = Speaker(command) if command else None

    def clock() -> float:
        return time.monotonic() * speed

    player = PlayerApp(
        engine, save, clock=clock, speaker=speaker, voice_requested=voice, resume=resume
    )
    try:
        code = player.run()
    except KeyboardInterrupt:
        code = int(ExitStatus.INTERRUPTED)
        if player.status == "in-progress":
            engine.finish_now(clock())
            player.status = "interrupted"
            save("interrupted")
    if player.status == "in-progress":
        engine.finish_now(clock())
        player.status = "quit"
        save("quit")
    if voice and speaker is None:
        click.echo(NO_ENGINE, err=True)
    click.echo(_summary(session_id, player.status, app))
    return ExitStatus(code if code is not None else 0)
