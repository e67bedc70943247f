"""`afterrun go` as a runner sees it: a real terminal of 80x24 (tmux), its screen captured
as text, at the first frame and once the Textual player has taken over."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

TMUX = shutil.which("tmux")


def tmux_or_skip() -> None:
    """Skip without tmux, as on a fresh clone; but fail on CI, where it must be there."""
    if TMUX is None:
        reason = "the terminal screen tests need tmux (apt-get install tmux)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI is 'true' but {reason}")
        pytest.skip(reason)


GET_READY = "Get ready: Leg swings. Stand tall side-on to a wall or a chair"


def tmux(*args: str) -> str:
    done = subprocess.run([TMUX or "tmux", *args], capture_output=True, text=True, check=True)
    return done.stdout


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Callable[[list[str]], str]]:
    """Start a command in a detached 80x24 tmux session; yields a function that starts it
    and returns the session's name."""
    tmux_or_skip()
    name = f"afterrun-{os.getpid()}-{tmp_path.name}"[:60]
    env = {
        "AFTERRUN_DB": str(tmp_path / "afterrun.db"),
        "AFTERRUN_CONFIG_DIR": str(tmp_path / "config"),
        "AFTERRUN_DATA_DIR": str(tmp_path / "data"),
        "TERM": "xterm-256color",
    }

    def start(args: list[str]) -> str:
        exports = " ".join(f"{key}={shlex.quote(value)}" for key, value in env.items())
        command = f"env {exports} {shlex.quote(sys.executable)} -m afterrun {shlex.join(args)}"
        command += "; sleep 30"  # keep the pane, and what it shows, after afterrun ends
        tmux("new-session", "-d", "-s", name, "-x", "80", "-y", "24", command)
        return name

    yield start
    subprocess.run([TMUX or "tmux", "kill-session", "-t", name], check=False, capture_output=True)


def screen(name: str) -> list[str]:
    return tmux("capture-pane", "-p", "-t", name).splitlines()


def wait_for(name: str, text: str, seconds: float = 30) -> list[str]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        shown = screen(name)
        if any(text in line for line in shown):
            return shown
        time.sleep(0.1)
    raise AssertionError(f"{text!r} never appeared:\n" + "\n".join(screen(name)))


def test_the_player_fits_80x24_and_says_each_thing_once(
    terminal: Callable[[list[str]], str],
) -> None:
    name = terminal(["go", "-m", "5", "-i", "easy"])
    first = wait_for(name, "q quit")
    assert len(first) <= 24 and max(len(line) for line in first) <= 80
    assert first[0].strip().startswith("afterrun · cool-down after an easy run · ")
    assert first[1].strip() == "Leg swings"
    # The get-ready words are shown once: the cue line does not repeat the step's text.
    assert sum(GET_READY in line for line in first) == 1, "\n".join(first)
    assert any(line.strip() == "Next: Leg swings, right side" for line in first)
    assert "space pause/resume · → skip · ← back · h it hurts · q quit" in first[-1]
    # The Textual player takes over (its countdown in big digits) and says it once too.
    player = wait_for(name, "╭─╮")
    assert sum(GET_READY in line for line in player) == 1, "\n".join(player)
    assert max(len(line) for line in player) <= 80
    assert player[0].strip() == first[0].strip() and player[1].strip() == "Leg swings"
    tmux("send-keys", "-t", name, "q")
    done = wait_for(name, "Saved as session 1")
    assert any(line.startswith("Stopped: 0 of ") for line in done), "\n".join(done)
