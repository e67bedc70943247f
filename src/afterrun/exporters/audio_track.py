"""A cool-down as one audio track: every cue spoken by the machine's speech engine (or a
tone), mixed into a mono 16-bit WAV at its exact sample, as long as the session. A phone
plays it with the screen locked; `afterrun plan --audio` writes it.

No sound is ever moved: a line too long for the time before the next cue is said
faster (up to `MAX_WPM`); a swing count or countdown tone that would still fall on it
is left out; anything else cuts it short, with a brief fade, as the terminal's speaker
cuts a line for a new step.
"""

from __future__ import annotations

import io
import subprocess
import wave
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from afterrun.core.audio_script import AudioScript, Sound
from afterrun.exporters.speech_engine import LANGUAGE, SpeechFailed

Samples = npt.NDArray[np.float32]

BASE_WPM = 165
MAX_WPM = 330
#: Silence kept before the next sound, so that each one starts clear.
GAP_MS = 80
FADE_MS = 20
SPEECH_PEAK = 0.8
TONE_LEVEL = 0.5
#: Below this a sample counts as silence when a spoken line is trimmed.
QUIET = 0.01


@dataclass(frozen=True)
class Placed:
    """A sound as it is in the track: where its sound ends, how fast it was said."""

    sound: Sound
    end_ms: float
    wpm: int
    cut: bool


@dataclass(frozen=True)
class Track:
    wav: bytes
    rate: int
    placed: tuple[Placed, ...]
    #: Counts and countdown tones left out because a line was still being said.
    dropped: tuple[Sound, ...]


class Voice:
    """Lines said by one engine, trimmed of silence and kept for reuse: a session says
    "Halfway." many times."""

    def __init__(self, engine: str) -> None:
        self.engine = engine
        self.rate = 22050
        self._said: dict[tuple[str, int], Samples] = {}

    def say(self, text: str, wpm: int) -> Samples:
        key = (text, wpm)
        if key not in self._said:
            self._said[key] = self._speak(text, wpm)
        return self._said[key]

    def _speak(self, text: str, wpm: int) -> Samples:
        command = [self.engine, "-v", LANGUAGE, "-s", str(wpm), "--stdin", "--stdout"]
        done = subprocess.run(  # noqa: S603 - a fixed program found on PATH, list argv
            command, input=text.encode(), capture_output=True, check=False, timeout=60
        )
        if done.returncode != 0 or not done.stdout:
            reason = done.stderr.decode(errors="replace").strip() or f"exit {done.returncode}"
            raise SpeechFailed(
                f"The speech engine {self.engine} failed to say {text!r}: {reason}. Check that "
                "it speaks in a terminal (espeak-ng hello)."
            )
        with wave.open(io.BytesIO(done.stdout)) as clip:
            self.rate = clip.getframerate()
            raw = clip.readframes(clip.getnframes())
        samples = np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768
        loud = np.flatnonzero(np.abs(samples) > QUIET)
        if not loud.size:
            return np.zeros(0, dtype=np.float32)
        trimmed = samples[loud[0] : loud[-1] + 1]
        peak = float(np.max(np.abs(trimmed)))
        result: Samples = (trimmed * (SPEECH_PEAK / peak)).astype(np.float32)
        return result


def tone(hz: int, ms: int, rate: int) -> Samples:
    """A short sine beep with soft edges (no click)."""
    count = rate * ms // 1000
    times = np.arange(count, dtype=np.float32) / rate
    beep = TONE_LEVEL * np.sin(2 * np.pi * hz * times)
    edge = min(count // 2, rate * 5 // 1000)
    ramp = np.linspace(0, 1, edge, dtype=np.float32)
    beep[:edge] *= ramp
    beep[count - edge :] *= ramp[::-1]
    result: Samples = beep.astype(np.float32)
    return result


def _faded(samples: Samples, keep: int, rate: int) -> Samples:
    """The first `keep` samples, the last FADE_MS of them fading out."""
    cut = samples[:keep].copy()
    fade = min(keep, rate * FADE_MS // 1000)
    cut[keep - fade :] *= np.linspace(1, 0, fade, dtype=np.float32)
    return cut


def _rooms(sounds: tuple[Sound, ...], index: int, total_ms: int) -> list[int]:
    """How long sound `index` may last, the longest last: up to each later sound that
    gives way, then up to the first that does not (or the end)."""
    at = sounds[index].at_ms
    rooms = []
    for later in sounds[index + 1 :]:
        rooms.append(later.at_ms - GAP_MS - at)
        if not later.minor:
            return rooms
    return [*rooms, total_ms - at]


class _Layout:
    """Decides each sound's samples, given the voice; the mixing is done after."""

    def __init__(self, script: AudioScript, say: Callable[[str, int], Samples], rate: int):
        self.script = script
        self.say = say
        self.rate = rate
        self.placed: list[tuple[Placed, Samples]] = []
        self.dropped: list[Sound] = []

    def run(self) -> None:
        sounds = self.script.sounds
        busy_until = -1.0
        for index, sound in enumerate(sounds):
            if sound.at_ms < busy_until:
                self.dropped.append(sound)
                continue
            rooms = _rooms(sounds, index, self.script.total_ms)
            samples, wpm = self._fitted(sound, rooms)
            room = self.rate * max(rooms[-1], 1) // 1000
            cut = samples.size > room
            if cut:
                samples = _faded(samples, room, self.rate)
            end = sound.at_ms + 1000 * samples.size / self.rate
            self.placed.append((Placed(sound, end, wpm, cut), samples))
            busy_until = end + GAP_MS

    def _fitted(self, sound: Sound, rooms: list[int]) -> tuple[Samples, int]:
        """The sound at the usual pace, or faster, to end before the first later sound it
        can; the sounds that give way before that end are then left out."""
        if sound.kind == "tone":
            return tone(sound.hz, sound.ms, self.rate), 0
        samples = self.say(sound.text, BASE_WPM)
        length_ms = 1000 * samples.size / self.rate
        for room in rooms:
            if length_ms <= room:
                return samples, BASE_WPM
            wpm = int(BASE_WPM * length_ms / max(room, 1) * 1.05) + 1
            if wpm <= MAX_WPM:
                return self.say(sound.text, wpm), wpm
        return self.say(sound.text, MAX_WPM), MAX_WPM


def _wav(samples: Samples, rate: int) -> bytes:
    """16-bit PCM of the mix, worked out in place: a 20-minute mix is 100 MB of floats,
    and each temporary copy would cost as much again."""
    np.multiply(samples, 32767, out=samples)
    np.rint(samples, out=samples)
    np.clip(samples, -32768, 32767, out=samples)
    pcm = samples.astype("<i2")
    out = io.BytesIO()
    with wave.open(out, "wb") as track:
        track.setnchannels(1)
        track.setsampwidth(2)
        track.setframerate(rate)
        track.writeframes(pcm.data.cast("B"))
    return out.getvalue()


def render_track(script: AudioScript, engine: str) -> Track:
    """The whole track as WAV bytes, with where each sound went."""
    voice = Voice(engine)
    voice.say("Go.", BASE_WPM)  # learns the engine's sample rate
    layout = _Layout(script, voice.say, voice.rate)
    layout.run()
    rate = voice.rate
    mix = np.zeros(rate * script.total_ms // 1000, dtype=np.float32)
    for placed, samples in layout.placed:
        start = rate * placed.sound.at_ms // 1000
        part = samples[: max(0, mix.size - start)]
        mix[start : start + part.size] += part
    placed_all = tuple(placed for placed, _ in layout.placed)
    return Track(_wav(mix, rate), rate, placed_all, tuple(layout.dropped))
