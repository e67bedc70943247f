"""How long the cues' audio track of a plan takes to make, against speaking one line.

Run: python bench/audio_track.py [--runs 5] [--minutes 12 20 30]

For each length, a hard-run plan at home is made into its track in-process (espeak-ng
speaking every distinct line, the mixing, the WAV), median wall time of `--runs`. The
baseline, measured in the same run, is espeak-ng saying "Halfway." once as a process:
the figure to compare is how many such lines the whole track costs. The WAV's size is
printed too, as the phone downloads it.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import time

from afterrun.catalogue_files import load_catalogue
from afterrun.core.intensity import Intensity
from afterrun.core.plan import PLACES, PlanRequest
from afterrun.core.planner import plan_cooldown
from afterrun.exporters.audio_track import render_track
from afterrun.exporters.speech_engine import find_speech_engine
from afterrun.services.cue_track import script_for


def _median(runs: int, work: object) -> float:
    assert callable(work)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--minutes", type=int, nargs="+", default=[12, 20, 30])
    args = parser.parse_args()
    engine = find_speech_engine()
    if engine is None:
        raise SystemExit("No speech engine found: install espeak-ng (apt install espeak-ng).")
    line = [engine, "-v", "en", "--stdout", "Halfway."]
    baseline = _median(args.runs, lambda: subprocess.run(line, capture_output=True, check=True))
    print(f"baseline: espeak-ng says one line in {baseline * 1000:.0f} ms")
    catalogue = load_catalogue(None)
    for minutes in args.minutes:
        request = PlanRequest(
            minutes=minutes, intensity=Intensity.HARD, equipment=PLACES["home"], place="home"
        )
        script = script_for(plan_cooldown(catalogue, request))
        track = render_track(script, engine)
        took = _median(args.runs, lambda s=script: render_track(s, engine))
        print(
            f"{minutes:3d} min plan: {len(script.sounds)} sounds, track made in {took:.2f} s "
            f"({took / baseline:.0f}x one line), {len(track.wav) / 1e6:.1f} MB"
        )


if __name__ == "__main__":
    main()
