"""Which speech engine can write the cues' audio track here, found without loading the
track's own libraries: the phone asks before every session."""

from __future__ import annotations

import shutil

from afterrun.core.errors import AfterrunError

#: Engines that write a WAV to stdout, tried in order.
ENGINES = ("espeak-ng", "espeak")
#: Every cue is English, so the voice is too.
LANGUAGE = "en"

NO_ENGINE = (
    "No speech engine found: install espeak-ng (apt install espeak-ng, or brew install "
    "espeak-ng) to make the cues' audio track."
)


class SpeechUnavailable(AfterrunError):
    """The cues cannot be spoken here (a server answers 503: try again elsewhere)."""


class SpeechFailed(SpeechUnavailable):
    """The engine is there but did not say a line; the message gives its reason."""


class NoSpeechEngine(SpeechUnavailable):
    """Neither espeak-ng nor espeak is installed where the track is made."""

    def __init__(self) -> None:
        super().__init__(NO_ENGINE)


def find_speech_engine() -> str | None:
    """The path of the first engine on PATH, or None."""
    for name in ENGINES:
        found = shutil.which(name)
        if found:
            return found
    return None
