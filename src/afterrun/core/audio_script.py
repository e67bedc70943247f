"""What a cool-down's audio track holds: each sound, where it starts, and how long the
track is, made from the timeline's own cues so that the track, the phone and the
terminal say the same thing at the same moment.

Cues that fall together (a set of swings and its first count) are said as one line.
Countdowns are tones. The closing "Done" lies at the very end of the session, so it
has no room in a track as long as the session: the player says it when the track ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from afterrun.core.timeline import Cue, Timeline

SoundKind = Literal["speech", "tone"]

#: Cues closer than this are said as one line, starting at the first one's moment.
JOIN_MS = 50
#: A countdown's tone, in Hz: "3" and "2" low, "1" (go) higher.
TONE_HZ = {"3": 660, "2": 660, "1": 990}
TONE_MS = 150


@dataclass(frozen=True)
class Sound:
    """One sound of the track: `text` spoken, or a tone of `hz` for `ms`.

    `minor` sounds (swing counts, countdown tones) give way: when the line before is
    still being said, they are left out rather than cutting it off, as the terminal's
    speaker drops a count it has no time for.
    """

    at_ms: int
    kind: SoundKind
    text: str
    minor: bool
    step_index: int
    hz: int = 0
    ms: int = 0


@dataclass(frozen=True)
class AudioScript:
    total_ms: int
    sounds: tuple[Sound, ...]


def _sound(cue: Cue) -> Sound:
    if cue.kind == "countdown":
        hz = TONE_HZ.get(cue.text, TONE_HZ["3"])
        return Sound(cue.at_ms, "tone", cue.text, True, cue.step_index, hz, TONE_MS)
    return Sound(cue.at_ms, "speech", cue.text, cue.kind == "count", cue.step_index)


def _joined(first: Sound, cue: Cue) -> Sound:
    text = f"{first.text} {cue.text}"
    return Sound(first.at_ms, "speech", text, first.minor and cue.kind == "count", first.step_index)


def audio_script(timeline: Timeline) -> AudioScript:
    """Every sound of the track in order, at the timeline's offsets; the closing cue,
    at the end itself, is left to the player."""
    sounds: list[Sound] = []
    for cue in timeline.cues:
        if cue.at_ms >= timeline.total_ms:
            continue
        last = sounds[-1] if sounds else None
        joinable = last is not None and last.kind == "speech" and cue.kind != "countdown"
        if last is not None and joinable and cue.at_ms - last.at_ms < JOIN_MS:
            sounds[-1] = _joined(last, cue)
            continue
        sounds.append(_sound(cue))
    return AudioScript(timeline.total_ms, tuple(sounds))
