"""The cues' audio track: as long as the plan, each cue's sound starting at its moment
(found in the samples, and the length checked by sox too), written by `plan --audio`
and served to the phone for its session, 'carry on, gently' included."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import wave
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

from afterrun.catalogue_files import load_catalogue
from afterrun.core.audio_script import AudioScript, audio_script
from afterrun.core.intensity import Intensity
from afterrun.core.plan import PLACES, Plan, PlanRequest
from afterrun.core.planner import plan_cooldown
from afterrun.core.timeline import compile_timeline
from afterrun.exporters.audio_track import GAP_MS, Track, render_track
from afterrun.exporters.speech_engine import NO_ENGINE, find_speech_engine
from afterrun.services.cue_track import eased_as_played
from conftest import WRITE, Cli

CATALOGUE = load_catalogue(None)
#: A sample this loud is sound, not silence (speech peaks at 0.8, tones at 0.5).
LOUD = 0.02
ONSET_MS = 50

needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None,
    reason="the track is spoken by espeak-ng, not installed here (apt install espeak-ng)",
)


def plan_of(minutes: int, intensity: Intensity, place: str) -> Plan:
    request = PlanRequest(
        minutes=minutes, intensity=intensity, equipment=PLACES[place], place=place
    )
    return plan_cooldown(CATALOGUE, request)


def read_wav(data: bytes) -> tuple[np.ndarray, int]:
    with wave.open(io.BytesIO(data)) as track:
        assert (track.getnchannels(), track.getsampwidth()) == (1, 2)
        rate = track.getframerate()
        frames = track.readframes(track.getnframes())
    return np.frombuffer(frames, dtype="<i2").astype(np.float32) / 32768, rate


def onset_ms(samples: np.ndarray, rate: int, at_ms: int) -> float:
    """When the first sound after the silence before `at_ms` begins."""
    before = samples[rate * (at_ms - GAP_MS + 10) // 1000 : rate * at_ms // 1000]
    assert before.size == 0 or np.max(np.abs(before)) < LOUD, f"no silence before {at_ms} ms"
    start = rate * at_ms // 1000
    window = samples[start : start + rate * 500 // 1000]
    loud = np.flatnonzero(np.abs(window) > LOUD)
    assert loud.size, f"no sound after {at_ms} ms"
    return 1000 * (start + int(loud[0])) / rate


def check_track(plan: Plan, track: Track) -> None:
    script = audio_script(compile_timeline(plan))
    samples, rate = read_wav(track.wav)
    assert abs(1000 * samples.size / rate - plan.total_seconds * 1000) <= ONSET_MS
    late = []
    for placed in track.placed:
        found = onset_ms(samples, rate, placed.sound.at_ms)
        if abs(found - placed.sound.at_ms) > ONSET_MS:
            late.append((placed.sound.at_ms, placed.sound.text, found))
    assert not late
    # Every sound is placed but a count or countdown tone falling on a line still said.
    assert {p.sound for p in track.placed} | set(track.dropped) == set(script.sounds)
    assert all(sound.minor for sound in track.dropped)
    assert len(track.dropped) <= 2
    # Nothing is cut short in these plans: a long line is said faster instead.
    assert not [p.sound.text for p in track.placed if p.cut]


@needs_espeak
@pytest.mark.parametrize(
    ("minutes", "intensity", "place"),
    [(12, Intensity.HARD, "home"), (20, Intensity.EASY, "track")],
    ids=["12-min-hard-home", "20-min-easy-track"],
)
def test_each_cue_sounds_at_its_moment_in_a_track_as_long_as_the_plan(
    minutes: int, intensity: Intensity, place: str
) -> None:
    plan = plan_of(minutes, intensity, place)
    engine = find_speech_engine()
    assert engine is not None
    check_track(plan, render_track(audio_script(compile_timeline(plan)), engine))


def test_the_script_holds_the_timelines_cues_at_their_offsets_but_the_closing_one() -> None:
    timeline = compile_timeline(plan_of(12, Intensity.HARD, "home"))
    script = audio_script(timeline)
    assert script.total_ms == timeline.total_ms
    said = {(s.at_ms, s.text) for s in script.sounds}
    for cue in timeline.cues:
        if cue.kind == "done":
            assert cue.at_ms == timeline.total_ms
            assert all(s.at_ms < timeline.total_ms for s in script.sounds)
        elif cue.kind == "countdown":
            assert (cue.at_ms, cue.text) in said
        else:
            # Said alone, or in one line with the cue at the same moment.
            assert any(at == cue.at_ms and cue.text in text for at, text in said), cue
    tones = [s for s in script.sounds if s.kind == "tone"]
    assert tones and {s.text for s in tones} == {"3", "2", "1"}
    assert any(s.text == "Right side, 10 swings. 1" for s in script.sounds)


@needs_espeak
def test_the_length_sox_reads_is_the_plans() -> None:
    if shutil.which("sox") is None:
        pytest.skip("sox is not installed (apt install sox)")
    plan = plan_of(12, Intensity.HARD, "home")
    engine = find_speech_engine()
    assert engine is not None
    track = render_track(audio_script(compile_timeline(plan)), engine)
    done = subprocess.run(
        ["sox", "-t", "wav", "-", "-n", "stat"], input=track.wav, capture_output=True, check=True
    )
    stats = dict(
        (name.strip(), value.strip())
        for name, _, value in (line.partition(":") for line in done.stderr.decode().splitlines())
    )
    assert abs(float(stats["Length (seconds)"]) - plan.total_seconds) <= 0.05
    assert 0.5 < float(stats["Maximum amplitude"]) <= 1.0


# -- plan --audio ------------------------------------------------------------------------


def plan_args(path: Path | str) -> list[str]:
    return ["plan", "-m", "12", "--intensity", "hard", "--place", "home", "--audio", str(path)]


@needs_espeak
def test_plan_audio_writes_the_track_and_says_so_after_the_plan(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "cooldown.wav"
    result = cli(*plan_args(target))
    assert result.exit_code == 0, result.output
    plan = plan_of(12, Intensity.HARD, "home")
    samples, rate = read_wav(target.read_bytes())
    assert abs(samples.size / rate - plan.total_seconds) <= 0.05
    last = result.output.rstrip("\n").splitlines()[-1]
    sounds = len(audio_script(compile_timeline(plan)).sounds) - 1  # one count gives way
    assert last == (
        f"Wrote the audio track to {target}: 11:53, {sounds} cues spoken or beeped at their "
        "moments. Play it on the phone as you start; it goes on with the screen locked."
    )
    assert result.output.startswith("Cool-down after a hard run, at home")


def test_plan_audio_without_a_speech_engine_says_what_to_install(tmp_path: Path) -> None:
    """A real `afterrun` process whose PATH holds no speech engine."""
    bare = tmp_path / "bin"
    bare.mkdir()
    env = {
        "PATH": str(bare),
        "AFTERRUN_DB": str(tmp_path / "a.db"),
        "AFTERRUN_CONFIG_DIR": str(tmp_path / "config"),
        "AFTERRUN_DATA_DIR": str(tmp_path / "data"),
        "HOME": str(tmp_path),
    }
    target = tmp_path / "cooldown.wav"
    done = subprocess.run(
        [sys.executable, "-m", "afterrun", *plan_args(target)],
        env={**env, "PYTHONPATH": os.pathsep.join(sys.path)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr == f"Error: {NO_ENGINE}\n"
    assert not target.exists()


def test_plan_audio_says_why_when_the_engine_fails(tmp_path: Path) -> None:
    """An espeak-ng that cannot speak (no voice data): its own reason, nothing written."""
    folder = tmp_path / "bin"
    folder.mkdir()
    broken = folder / "espeak-ng"
    broken.write_text("#!/bin/sh\necho 'Error processing file: No such file or directory' >&2\n")
    broken.chmod(0o755)
    target = tmp_path / "cooldown.wav"
    done = subprocess.run(
        [sys.executable, "-m", "afterrun", *plan_args(target)],
        env={
            "PATH": str(folder),
            "PYTHONPATH": os.pathsep.join(sys.path),
            "AFTERRUN_DB": str(tmp_path / "a.db"),
            "AFTERRUN_CONFIG_DIR": str(tmp_path / "config"),
            "AFTERRUN_DATA_DIR": str(tmp_path / "data"),
            "HOME": str(tmp_path),
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr == (
        f"Error: The speech engine {broken} failed to say 'Go.': Error processing file: No such "
        "file or directory. Check that it speaks in a terminal (espeak-ng hello).\n"
    )
    assert not target.exists()


def test_plan_audio_with_json_or_fit_is_refused(cli: Cli, tmp_path: Path) -> None:
    result = cli(*plan_args(tmp_path / "a.wav"), "--json")
    assert result.exit_code == 2
    assert "--audio writes an audio track and --json prints JSON: give one of them." in (
        result.output
    )
    result = cli(*plan_args(tmp_path / "a.wav"), "--fit", str(tmp_path / "a.fit"))
    assert result.exit_code == 2
    assert "--fit and --audio each write a file: give one of them at a time." in result.output
    assert list(tmp_path.glob("a.*")) == []


def test_plan_audio_into_a_missing_folder_is_refused_before_any_work(
    cli: Cli, tmp_path: Path
) -> None:
    target = tmp_path / "nowhere" / "a.wav"
    result = cli(*plan_args(target))
    assert result.exit_code == 2
    assert f"cannot write {target}: the folder {target.parent} does not exist." in result.output
    assert "Cool-down after" not in result.output


# -- the phone's track -------------------------------------------------------------------


def start_session(web: TestClient) -> dict[str, object]:
    body = {"minutes": 12, "intensity": "hard", "place": "home"}
    answer = web.post("/api/sessions", json=body, headers=WRITE)
    assert answer.status_code == 201, answer.text
    started: dict[str, object] = answer.json()
    return started


@needs_espeak
def test_the_phone_gets_the_track_of_the_session_it_plays(web: TestClient) -> None:
    started = start_session(web)
    url = f"/api/sessions/{started['id']}/cues.wav"
    assert started["cues_audio"] == url
    answer = web.get(url)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "audio/wav"
    plan = Plan.from_json(started["plan"])  # type: ignore[arg-type]
    samples, rate = read_wav(answer.content)
    assert abs(samples.size / rate - plan.total_seconds) <= 0.05
    # The player seeks in it: a range of bytes is served as asked.
    part = web.get(url, headers={"Range": "bytes=1000-1999"})
    assert part.status_code == 206
    assert part.content == answer.content[1000:2000]


@needs_espeak
def test_after_carry_on_gently_the_track_plays_the_eased_steps(web: TestClient) -> None:
    started = start_session(web)
    plan = Plan.from_json(started["plan"])  # type: ignore[arg-type]
    steps = started["timeline"]["steps"]  # type: ignore[index]
    eased = next(step["eases"] for step in steps if step["eases"] and step["kind"] == "hold")
    answer = web.get(f"{started['cues_audio']}?eased={','.join(map(str, eased))}")
    assert answer.status_code == 200
    played = eased_as_played(plan, eased)
    played_ms = compile_timeline(played).total_ms
    assert played_ms < compile_timeline(plan).total_ms
    samples, rate = read_wav(answer.content)
    assert abs(1000 * samples.size / rate - played_ms) <= ONSET_MS
    script: AudioScript = audio_script(compile_timeline(played))
    assert any(s.text.startswith("Gently now.") for s in script.sounds)


def test_a_step_carry_on_never_eases_is_refused(web: TestClient) -> None:
    started = start_session(web)
    answer = web.get(f"/api/sessions/{started['id']}/cues.wav?eased=0")
    assert answer.status_code == 422
    assert answer.json() == {
        "error": "step 0 is not one 'carry on, gently' eases: give steps that are holds or "
        "swings after another of the same exercise."
    }


def test_without_a_speech_engine_the_phone_is_told_and_the_track_refused(
    web: TestClient, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    started = start_session(web)
    assert started["cues_audio"] is None
    answer = web.get(f"/api/sessions/{started['id']}/cues.wav")
    assert answer.status_code == 503
    assert answer.json() == {"error": NO_ENGINE}


def test_the_track_of_a_session_not_stored_is_not_found(web: TestClient) -> None:
    answer = web.get("/api/sessions/999/cues.wav")
    assert answer.status_code == 404
