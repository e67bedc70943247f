"""Plan and play a cool-down in the terminal, storing it as it goes; resume one.

The body of `afterrun go`, without Click: `cli/direct.py` runs it when it can read the
arguments itself, so the first frame appears before Click (or Textual, or the ORM) loads.
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from afterrun.cli.context import AppContext
from afterrun.cli.exit_codes import ExitStatus
from afterrun.cli.render import echo
from afterrun.core.errors import InvalidInput, NotFound, StorageError
from afterrun.core.records import SessionRecord, SessionStatus, steps_text, work_tally
from afterrun.core.step_kinds import WORK_KINDS

if TYPE_CHECKING:
    from collections.abc import Callable

    from afterrun.core.engine import SessionEngine
    from afterrun.core.safety import Safety
    from afterrun.core.timeline import Cue
    from afterrun.tui.first_frame import FirstFrame
    from afterrun.tui.voice import Speaker

#: The value of a bare `--resume`: the latest session.
RESUME_LATEST = 0


def _summary(session_id: int, status: SessionStatus, app: AppContext) -> str:
    stored = app.store().get_session(session_id)
    tally = work_tally(stored.record.steps)
    pains = sorted({pain.area for pain in stored.record.pains})
    words = {
        "completed": "Cool-down complete",
        "quit": "Stopped",
        "interrupted": "Interrupted",
        "in-progress": "Stopped",
    }
    # The steps counted are the work steps everywhere (history, the report, the phone);
    # here the line also says which those are.
    work = [step for step in stored.record.steps if step.kind in WORK_KINDS]
    what = "holds and sets"
    if any(step.kind == "walk" for step in work):
        what = "the walk, holds and sets"
    counted = f"{steps_text(tally.steps)} ({what})"
    line = f"{words[status]}: {tally.done} of {counted} done, {tally.skipped} skipped"
    if pains:
        line += f", pain noted in the {', '.join(pains)}"
    return f"{line}. Saved as session {session_id}; see 'afterrun history'."


def _need_terminal() -> None:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise InvalidInput(
            "afterrun go plays full-screen and needs a terminal; "
            "use 'afterrun plan' to print the plan instead."
        )


def _warn_first(app: AppContext) -> Safety:
    """Recent warning signs before the player takes the screen: a stop sign ends it here;
    any other waits for Enter, so the runner has read it before the cool-down starts."""
    from afterrun.cli.planning import echo_flags, recent_safety, withheld_error

    state = recent_safety(app)
    echo_flags(state)
    if state.withheld:
        raise withheld_error(state)
    if state.flags:
        _need_terminal()
        import click

        try:
            click.prompt(
                "Press Enter to start the cool-down (Ctrl-C to stop)",
                default="",
                show_default=False,
                prompt_suffix=" ",
            )
        except (click.Abort, KeyboardInterrupt):
            echo("\nCool-down not started; nothing was stored.", err=True)
            sys.exit(int(ExitStatus.INTERRUPTED))
    return state


def run_go(
    app: AppContext, voice: bool, speed: float, resume: int | None = None, **options: Any
) -> ExitStatus:
    safety = _warn_first(app)
    if resume is not None:
        return _resume(app, voice, speed, None if resume == RESUME_LATEST else resume)
    from afterrun.cli.planning import build_plan, plan_options_of
    from afterrun.services.sessions import NothingFits, ready_session

    wanted = plan_options_of(**options)
    try:
        engine = ready_session(safety, lambda: build_plan(app, wanted), ready=_need_terminal)
    except NothingFits as error:
        raise InvalidInput(f"{error.message.removesuffix('.')} with --minutes.") from error
    now = datetime.now(UTC)
    # Stored as it is before it plays, once the runner sees the first step.
    first = engine.record(now, None, "in-progress")
    return _play(app, voice, speed, engine, first, now, None)


def _resume(app: AppContext, voice: bool, speed: float, session_id: int | None) -> ExitStatus:
    from afterrun.services.sessions import NothingToResume, UnplayableSession, resume_session

    store = app.store() if app.has_database() else None
    try:
        resumed = resume_session(store, session_id, app.catalogue, ready=_need_terminal)
    except NothingToResume as error:
        start = "Start one" if error.reason == "none-stored" else "Start a new one"
        raise NotFound(f"{error.message} {start} with 'afterrun go'.") from error
    except UnplayableSession as error:
        raise StorageError(f"{error.message} Start a new one with 'afterrun go'.") from error
    steps = resumed.engine.plan.steps
    index = resumed.index
    where = f"{steps[index].name}, step {index + 1} of {len(steps)}" if index < len(steps) else ""
    stored = resumed.stored
    echo(f"Resuming session {stored.id}" + (f" at {where}." if where else "."))
    record = stored.record
    return _play(app, voice, speed, resumed.engine, stored.id, record.started_at, record)


def _play(
    app: AppContext,
    voice: bool,
    speed: float,
    engine: SessionEngine,
    session: int | SessionRecord,
    started: datetime,
    resume: SessionRecord | None,
) -> ExitStatus:
    """Play `engine` for the stored session `session`, or for a new one given as the
    record to store: that one's first step and countdown appear at once, drawn without
    Textual, and it is stored while the player loads."""
    from afterrun.tui.voice import NO_ENGINE, Speaker, find_engine

    command = find_engine() if voice else None
    speaker = Speaker(command) if command else None

    def clock() -> float:
        return time.monotonic() * speed

    frame = None
    first_cues = None
    if not isinstance(session, int):
        frame, first_cues = _first_frame(engine, clock, speaker, voice)
    try:
        if isinstance(session, int):
            session_id = session
        else:
            from afterrun.services.sessions import store_started

            try:
                session_id = store_started(app.store(), session)
            except KeyboardInterrupt:
                if frame is not None:
                    frame.close()
                echo("Cool-down not started; nothing was stored.", err=True)
                return ExitStatus.INTERRUPTED
        code, status = _run_player(
            app, engine, session_id, started, clock, speaker, voice, resume, first_cues, frame
        )
    finally:
        if frame is not None:
            frame.close()
    if voice and speaker is None:
        echo(NO_ENGINE, err=True)
    echo(_summary(session_id, status, app))
    return ExitStatus(code if code is not None else 0)


def _first_frame(
    engine: SessionEngine, clock: Callable[[], float], speaker: Speaker | None, voice: bool
) -> tuple[FirstFrame, list[Cue]]:
    """Start the engine and show its first moment with plain terminal codes."""
    from afterrun.tui.first_frame import FirstFrame, frame_lines
    from afterrun.tui.frame import BELL_CUES, voice_text

    cues = engine.start(clock())
    frame = FirstFrame()
    cue = cues[-1].text if cues else ""
    voice_line = voice_text(None if speaker is None else speaker.name, voice)
    lines = frame_lines(engine, engine.snapshot(clock()), cue, voice_line, frame.width())
    frame.draw(lines, bell=any(cue.kind in BELL_CUES for cue in cues))
    if speaker is not None and cues:
        speaker.say(" ".join(c.text for c in cues))
    return frame, cues


def _run_player(
    app: AppContext,
    engine: SessionEngine,
    session_id: int,
    started: datetime,
    clock: Callable[[], float],
    speaker: Speaker | None,
    voice: bool,
    resume: SessionRecord | None,
    first_cues: list[Cue] | None,
    frame: FirstFrame | None,
) -> tuple[int | None, SessionStatus]:
    store = app.store()

    def save(status: SessionStatus) -> None:
        ended = None if status == "in-progress" else datetime.now(UTC)
        store.save_session(session_id, engine.record(started, ended, status))

    try:
        from afterrun.tui.player import PlayerApp

        player = PlayerApp(
            engine,
            save,
            clock=clock,
            speaker=speaker,
            voice_requested=voice,
            resume=resume,
            started=first_cues,
        )
    except KeyboardInterrupt:
        if not engine.started:  # a resumed session keeps what it had stored
            raise
        # Ctrl-C on the first frame, while the player loads: as in the player.
        engine.finish_now(clock())
        save("interrupted")
        return int(ExitStatus.INTERRUPTED), "interrupted"
    if frame is not None:
        frame.handed_over()  # the player draws over the frame and clears the screen itself
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
    return code, player.status
