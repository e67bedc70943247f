"""The first frame of `afterrun go`, drawn with plain terminal codes before Textual loads.

Loading Textual takes about a second on a slow machine; the runner should see the first
step and its countdown at once. This draws the player's layout (the same lines, from
`tui/frame.py`) on the alternate screen, with the countdown as text instead of large
digits, and stops the terminal echoing keys; the player then draws over it and reads any
key pressed meanwhile. `close` puts the terminal back as it was.
"""

from __future__ import annotations

import contextlib
import os
import sys
import termios
from typing import Any, TextIO

from afterrun.core.engine import SessionEngine, Snapshot
from afterrun.tui.frame import (
    KEYS,
    clock_text,
    cue_text,
    elapsed_text,
    next_text,
    side_text,
    tip_text,
    title_text,
)

_ENTER = "\x1b[?1049h\x1b[?25l\x1b[2J"  # the alternate screen, cursor hidden, cleared
_LEAVE = "\x1b[2J\x1b[?25h\x1b[?1049l"
_COUNTDOWN_WIDTH = 22
_BAR_WIDTH = 40


def _wrap(text: str, width: int) -> list[str]:
    """Words into lines of at most `width` (a longer word is cut); textwrap's regular
    expressions cost more to compile than the whole frame takes to draw."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = ""
        line = f"{line} {word}" if line else word[:width]
    return [*lines, line] if line else lines


def frame_lines(
    engine: SessionEngine, snap: Snapshot, cue: str, voice: str, width: int = 78
) -> list[str]:
    """The player's rows (title to voice line) for `snap`, `width` wide; the keys line
    goes on the screen's last row."""
    side = side_text(snap).split("\n") if side_text(snap) else []
    beside = ["", *side, "", "", "", ""][:5]  # the side panel starts one row down
    countdown = clock_text(snap.step_remaining_ms)
    row = [
        f"{countdown if i == 1 else '':<{_COUNTDOWN_WIDTH}}  {text}".rstrip()
        for i, text in enumerate(beside)
    ]
    filled = min(_BAR_WIDTH, round(snap.progress * _BAR_WIDTH))
    bar = "━" * filled + "─" * (_BAR_WIDTH - filled)
    text = _wrap(snap.step.text, width)
    tip = _wrap(tip_text(snap), width)
    return [
        title_text(engine),
        snap.step.name,
        *row,
        *[*text, "", "", ""][:3],
        *[*tip, "", ""][:2],
        next_text(snap),
        cue_text(cue, snap),
        "",
        f"{bar} {snap.progress:4.0%}   {elapsed_text(snap)}",
        voice,
    ]


class FirstFrame:
    """The frame on screen and the terminal settings to restore."""

    def __init__(self, out: TextIO = sys.stdout) -> None:
        self.out = out
        self._saved: list[Any] | None = None
        self._shown = False

    def size(self) -> tuple[int, int]:
        """(columns, rows), 80 x 24 when the terminal does not say (as the player does)."""
        try:
            columns, rows = os.get_terminal_size(self.out.fileno())
        except (OSError, ValueError):
            columns = rows = 0
        return columns or 80, rows or 24

    def width(self) -> int:
        """Columns for a line's text (inside the player's margin)."""
        return max(20, self.size()[0] - 4)

    def draw(self, lines: list[str], bell: bool) -> None:
        """Show `lines` at the top of the alternate screen and the keys on its last row."""
        try:
            fd = sys.stdin.fileno()
            self._saved = termios.tcgetattr(fd)
            quiet = termios.tcgetattr(fd)
            quiet[3] &= ~(termios.ECHO | termios.ICANON)  # keys wait, unechoed, for the player
            termios.tcsetattr(fd, termios.TCSANOW, quiet)
        except (termios.error, OSError, ValueError):
            self._saved = None
        columns, rows = self.size()
        shown = [*lines[: rows - 1], *[""] * (rows - 1 - len(lines)), KEYS]
        text = "".join(
            f"\x1b[{row};1H  {line[: columns - 2]}" for row, line in enumerate(shown, start=1)
        )
        self.out.write(f"{_ENTER}{text}{chr(7) if bell else ''}")
        self.out.flush()
        self._shown = True

    def restore_terminal(self) -> None:
        """The terminal's own settings back (echo, line editing), as they were before."""
        if self._saved is not None:
            with contextlib.suppress(termios.error, OSError, ValueError):
                termios.tcsetattr(sys.stdin.fileno(), termios.TCSADRAIN, self._saved)
            self._saved = None

    def handed_over(self) -> None:
        """The player has the screen now: it clears it when it closes."""
        self._shown = False

    def close(self) -> None:
        """Take the frame away (when the player never started) and restore the terminal."""
        if self._shown:
            self.out.write(_LEAVE)
            self.out.flush()
            self._shown = False
        self.restore_terminal()
