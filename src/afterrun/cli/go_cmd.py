"""`afterrun go`: plan, then play full-screen, saving progress as it goes."""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime
from typing import Any

import click

from afterrun.cli.context import AppContext
from afterrun.cli.exit_codes import ExitStatus
from afterrun.cli.planning import build_plan
from afterrun.core.errors import InvalidInput
from afterrun.core.records import SessionStatus


def _summary(session_id: int, status: SessionStatus, app: AppContext) -> str:
    stored = app.store().get_session(session_id)
    work = [step for step in stored.record.steps if step.kind in ("hold", "reps")]
    done = sum(step.status == "done" for step in work)
    skipped = sum(step.status == "skipped" for step in work)
    pains = sorted({pain.area for pain in stored.record.pains})
    words = {
        "completed": "Cool-down complete",
        "quit": "Stopped",
        "interrupted": "Interrupted",
        "in-progress": "Stopped",
    }
    line = f"{words[status]}: {done} of {len(work)} holds and sets done, {skipped} skipped"
    if pains:
        line += f", pain noted in the {', '.join(pains)}"
    return f"{line}. Saved as session {session_id}; see 'afterrun history'."


def run_go(app: AppContext, voice: bool, speed: float, **options: Any) -> ExitStatus:
    plan = build_plan(app, **options)
    if not plan.steps:
        raise InvalidInput(
            f"Nothing fits in {plan.request.minutes} min. Give more minutes with --minutes."
        )
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise InvalidInput(
            "afterrun go plays full-screen and needs a terminal; "
            "use 'afterrun plan' to print the plan instead."
        )
    from afterrun.core.engine import SessionEngine
    from afterrun.tui.player import PlayerApp
    from afterrun.tui.voice import NO_ENGINE, Speaker, find_engine

    store = app.store()
    engine = SessionEngine(plan)
    started = datetime.now(UTC)
    session_id = store.start_session(engine.record(started, None, "in-progress"))

    def save(status: SessionStatus) -> None:
        ended = None if status == "in-progress" else datetime.now(UTC)
        store.save_session(session_id, engine.record(started, ended, status))

    command = find_engine() if voice else None
    speaker = Speaker(command) if command else None

    def clock() -> float:
        return time.monotonic() * speed

    player = PlayerApp(engine, save, clock=clock, speaker=speaker, voice_requested=voice)
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
