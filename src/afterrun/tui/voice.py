"""Speak cues through whatever local text-to-speech engine the machine has."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import subprocess

#: Tried in order; each takes the text to say as its last argument.
ENGINES: tuple[tuple[str, ...], ...] = (
    ("espeak-ng", "-s", "150"),
    ("espeak", "-s", "150"),
    ("spd-say", "-w"),
    ("say",),
)

NO_ENGINE_SHORT = "Voice: no speech engine found; install espeak-ng to hear the cues."
NO_ENGINE = (
    "Voice: no text-to-speech engine found (looked for espeak-ng, espeak, spd-say, say). "
    "Install espeak-ng to hear the cues; the bell and the screen still guide you."
)


def find_engine(which: object = None) -> tuple[str, ...] | None:
    """The first installed engine's command line, or None."""
    import shutil  # only with --voice: `go` draws its first frame without it

    finder = which if callable(which) else shutil.which
    for command in ENGINES:
        path = finder(command[0])
        if path:
            return (str(path), *command[1:])
    return None


class Speaker:
    """Says one thing at a time.

    An important cue cuts off whatever is still being spoken; a swing count is
    dropped instead, so counts never pile up behind the speech.
    """

    def __init__(self, command: tuple[str, ...]) -> None:
        self.command = command
        self._current: subprocess.Popen[bytes] | None = None

    @property
    def name(self) -> str:
        return self.command[0].rsplit("/", 1)[-1]

    @property
    def busy(self) -> bool:
        return self._current is not None and self._current.poll() is None

    def say(self, text: str, interrupt: bool = True) -> None:
        if self.busy and not interrupt:
            return
        import subprocess  # the first frame of `go` is drawn before anything is said

        self.stop()
        try:
            self._current = subprocess.Popen(  # noqa: S603 - fixed program, list argv
                [*self.command, text],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        except OSError:
            self._current = None

    def stop(self) -> None:
        import subprocess

        process, self._current = self._current, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=1)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
