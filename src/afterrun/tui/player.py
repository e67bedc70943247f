"""The full-screen cool-down player.

It draws the engine's snapshot ten times a second and passes key presses to the
engine; all timing lives in the engine, so a slow redraw never shifts a cue.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import Digits, ProgressBar, Static

from afterrun.core.engine import SessionEngine, Snapshot
from afterrun.core.records import SessionRecord, SessionStatus
from afterrun.core.timeline import Cue
from afterrun.tui.frame import (
    BELL_CUES,
    KEYS,
    clock_text,
    cue_text,
    elapsed_text,
    next_text,
    side_text,
    tip_text,
    title_text,
    voice_text,
)
from afterrun.tui.voice import Speaker

Clock = Callable[[], float]
WallClock = Callable[[], datetime]
SaveProgress = Callable[[SessionStatus], None]

CLOSE_AFTER_DONE_SECONDS = 5.0
CATCH_UP_MS = 1_500


def _utc_now() -> datetime:
    return datetime.now(UTC)


class PlayerApp(App[int]):
    """Plays one session; the app's return value is the process exit code."""

    CSS = """
    Screen { layout: vertical; padding: 0 1; }
    #title { height: 1; color: $text-muted; }
    #exercise { height: 1; text-style: bold; color: $accent; }
    #row { height: 5; }
    #countdown { width: 24; }
    #side { width: 1fr; padding: 1 0 0 2; }
    #text { height: 3; }
    #tip { height: 2; color: $text-muted; }
    #next { height: 1; }
    #cue { height: 1; color: $warning; }
    #offer { height: 2; color: $error; text-style: bold; }
    #progress-row { height: 1; }
    #progress { width: 1fr; }
    #elapsed { width: 16; text-align: right; }
    #voice { height: 1; color: $text-muted; }
    #keys { height: 1; dock: bottom; color: $text-muted; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "toggle_pause", "pause", priority=True),
        Binding("right", "skip", "skip"),
        Binding("left", "step_back", "back"),
        Binding("h", "hurt", "it hurts"),
        Binding("q", "quit_session", "quit"),
        Binding("ctrl+c", "interrupt", "interrupt", show=False, priority=True),
        Binding("s", "skip_exercise", "skip exercise", show=False),
        Binding("c", "carry_on", "carry on", show=False),
    ]

    def __init__(
        self,
        engine: SessionEngine,
        save: SaveProgress,
        clock: Clock = time.monotonic,
        wall: WallClock = _utc_now,
        speaker: Speaker | None = None,
        voice_requested: bool = False,
        bell: bool = True,
        close_after_done: float = CLOSE_AFTER_DONE_SECONDS,
        resume: SessionRecord | None = None,
        started: list[Cue] | None = None,
    ) -> None:
        """`resume`: a session stored part-way, continued from the step it reached.
        `started`: the engine is already playing (the first frame started it) and these
        are the cues it gave then, already rung and spoken: they are only shown."""
        super().__init__()
        self.engine = engine
        self.save = save
        self.clock = clock
        self.wall = wall
        self.speaker = speaker
        self.voice_requested = voice_requested
        self.ring_bell = bell
        self.close_after_done = close_after_done
        self.resume = resume
        self.started = started
        self.status: SessionStatus = "in-progress"
        self.spoken: list[str] = []
        self._last_step = -1
        self._done_at: float | None = None
        self._ticker: Timer | None = None
        self.title = "afterrun"

    # -- layout -------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(title_text(self.engine), id="title")
        yield Static("", id="exercise")
        with Horizontal(id="row"):
            yield Digits("0:00", id="countdown")
            yield Static("", id="side")
        yield Static("", id="text")
        yield Static("", id="tip")
        yield Static("", id="next")
        yield Static("", id="cue")
        yield Static("", id="offer")
        with Horizontal(id="progress-row"):
            yield ProgressBar(total=100, show_eta=False, show_percentage=True, id="progress")
            yield Static("", id="elapsed")
        speaker = None if self.speaker is None else self.speaker.name
        yield Static(voice_text(speaker, self.voice_requested), id="voice")
        yield Static(KEYS, id="keys")

    def on_mount(self) -> None:
        if self.started is not None:
            if self.started:
                snap = self.engine.snapshot(self.clock())
                self.query_one("#cue", Static).update(cue_text(self.started[-1].text, snap))
        elif self.resume is None:
            self._announce(self.engine.start(self.clock()))
        else:
            self._announce(
                self.engine.resume_from(self.resume.steps, self.resume.pains, self.clock())
            )
        self._refresh(self.engine.snapshot(self.clock()))
        self._ticker = self.set_interval(0.1, self.tick)

    # -- the loop -----------------------------------------------------------

    def tick(self) -> None:
        """Poll the engine, announce due cues, redraw, and save at step boundaries."""
        if not self.is_running:
            # Closing: the screens and their widgets are going, and the interval may fire
            # once more while they do. Nothing is left to draw or save.
            self._stop_ticking()
            return
        now = self.clock()
        if self.status != "in-progress":
            if self._done_at is not None and now - self._done_at >= self.close_after_done:
                self._close(0)
            return
        cues = self.engine.poll(now)
        self._announce(cues)
        snapshot = self.engine.snapshot(now)
        self._refresh(snapshot)
        if snapshot.step_index != self._last_step:
            self._last_step = snapshot.step_index
            self.save("in-progress")
        if self.engine.finished:
            self.status = "completed"
            self.save("completed")
            self._done_at = now
            self.query_one("#offer", Static).update(
                "Done. Saved to your history. Closing in a moment (q closes now)."
            )

    def _announce(self, cues: list[Cue]) -> None:
        if not cues:
            return
        snap = self.engine.snapshot(self.clock())
        self.query_one("#cue", Static).update(cue_text(cues[-1].text, snap))
        if self.ring_bell and any(cue.kind in BELL_CUES for cue in cues):
            self.bell()
        # After a stall (a suspended terminal, a slow machine) many cues fall due at
        # once; say only the ones that still describe the present moment.
        latest = cues[-1].at_ms
        spoken = [cue for cue in cues if latest - cue.at_ms <= CATCH_UP_MS]
        text = " ".join(cue.text for cue in spoken)
        self.spoken.append(text)
        if self.speaker is not None:
            only_counts = all(cue.kind in ("count", "countdown") for cue in spoken)
            self.speaker.say(text, interrupt=not only_counts)

    def _refresh(self, snap: Snapshot) -> None:
        self.query_one("#exercise", Static).update(snap.step.name)
        self.query_one("#countdown", Digits).update(clock_text(snap.step_remaining_ms))
        self.query_one("#side", Static).update(side_text(snap))
        self.query_one("#text", Static).update(snap.step.text)
        self.query_one("#tip", Static).update(tip_text(snap))
        self.query_one("#next", Static).update(next_text(snap))
        offer = ""
        if snap.skip_offer:
            offer = (
                "Noted. When something hurts, stop or ease off.\n"
                "s: skip the rest of this exercise · c: carry on gently (shorter, milder holds)"
            )
        if self.status == "in-progress":
            self.query_one("#offer", Static).update(offer)
        self.query_one("#progress", ProgressBar).update(progress=round(snap.progress * 100, 1))
        self.query_one("#elapsed", Static).update(elapsed_text(snap))

    # -- keys ---------------------------------------------------------------

    def _after_event(self, cues: list[Cue]) -> None:
        self._announce(cues)
        self._refresh(self.engine.snapshot(self.clock()))
        self.save("in-progress")

    def action_toggle_pause(self) -> None:
        if self.status == "in-progress":
            self._after_event(self.engine.toggle_pause(self.clock()))

    def action_skip(self) -> None:
        if self.status == "in-progress":
            self._after_event(self.engine.skip(self.clock()))

    def action_step_back(self) -> None:
        if self.status == "in-progress":
            self._after_event(self.engine.back(self.clock()))

    def action_hurt(self) -> None:
        if self.status != "in-progress":
            return
        report = self.engine.hurt(self.clock(), self.wall())
        named = [report.area] if report.area != "unspecified" else []
        named += [f"{report.side} side"] if report.side else []
        where = f": {', '.join(named)}" if named else ""
        self.query_one("#cue", Static).update(f"Pain noted{where}.")
        if self.speaker is not None:
            self.speaker.say(
                "Stop or ease off. Skip the rest of this exercise, or carry on gently?"
            )
        self._after_event([])

    def action_skip_exercise(self) -> None:
        if self.status == "in-progress" and self.engine.snapshot(self.clock()).skip_offer:
            self._after_event(self.engine.skip_exercise(self.clock()))

    def action_carry_on(self) -> None:
        if self.status == "in-progress" and self.engine.snapshot(self.clock()).skip_offer:
            self._after_event(self.engine.decline_offer(self.clock()))

    def _stop(self, status: SessionStatus, code: int) -> None:
        if self.status == "in-progress":
            self.engine.finish_now(self.clock())
            self.status = status
            self.save(status)
        if self.speaker is not None:
            self.speaker.stop()
        self._close(code)

    def _close(self, code: int) -> None:
        """Stop the interval first, so that no tick runs while the app closes."""
        self._stop_ticking()
        self.exit(result=code, return_code=code)

    def _stop_ticking(self) -> None:
        if self._ticker is not None:
            self._ticker.stop()
            self._ticker = None

    def action_quit_session(self) -> None:
        self._stop("quit", 0)

    def action_interrupt(self) -> None:
        self._stop("interrupted", 130)
