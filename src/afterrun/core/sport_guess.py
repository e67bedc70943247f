"""A sport for an activity whose file names none, guessed only where the data leaves no doubt.

Many GPX files (Strava's single-activity export, OpenTracks, most phone apps) carry no
`<type>` and some FIT files say "generic". The guess reads what the data shows:

* the moving speed's median and its 95th percentile (samples under 0.5 m/s are stops),
  or the average speed when there are fewer than 60 speed samples;
* the average cadence where present. Watches write running cadence as steps per minute
  (150-210) or strides per minute (75-105); walking is 90-140 or 45-70;
* the climb per kilometre, which tells a hike from a walk;
* the runner's main sport from their profile, which settles the one band where a steady
  run and an easy ride look alike (3.5-4.5 m/s without a cadence that says running).

Rules, first match wins; anything else stays "other":

* no speed at all, or a median over 14 m/s or a 95th percentile over 16.7 m/s (60 km/h):
  other, since no body moves like that under its own power;
* running: median 2.2-4.5 m/s (3:42-7:35 per km), or 4.5-5.5 m/s with a running cadence;
  95th percentile at most 6 m/s and at most 1.6 x the median (a run is steady: no
  freewheeling, no 30 km/h descents); a cadence, if any, in a running band. Without a
  speed stream the spread is unknown, so a running cadence is required;
* cycling: median 5-12 m/s, or a 95th percentile of at least 7 m/s (25 km/h held for one
  minute in twenty, which no run does) with a median of at least 3 m/s;
* walking: median 0.8-1.9 m/s, 95th percentile at most 2.4 m/s, a cadence, if any, in a
  walking band; hiking instead when it climbs 40 m or more per km or hiking is the main
  sport.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from afterrun.core.activity import Activity, Sport
from afterrun.core.averages import median

MOVING_M_S = 0.5
MIN_SPEED_SAMPLES = 60
#: Faster than this is a machine: a median over 50 km/h, or 60 km/h one minute in twenty.
MAX_MEDIAN_M_S = 14.0
MAX_P95_M_S = 16.7
RUN_MEDIAN = (2.2, 4.5)
FAST_RUN_MEDIAN = 5.5
RUN_MAX_P95 = 6.0
RUN_MAX_SPREAD = 1.6
#: Where a steady run and an easy ride overlap; the main sport decides.
OVERLAP_MEDIAN = (3.5, 4.5)
RIDE_MEDIAN = (5.0, 12.0)
RIDE_P95 = 7.0
RIDE_MIN_MEDIAN_FOR_P95 = 3.0
WALK_MEDIAN = (0.8, 1.9)
WALK_MAX_P95 = 2.4
HIKE_CLIMB_M_PER_KM = 40.0
RUN_CADENCE = ((75.0, 105.0), (150.0, 210.0))
WALK_CADENCE = ((45.0, 70.0), (90.0, 140.0))


@dataclass(frozen=True)
class SportGuess:
    """The guessed sport (OTHER when unsure) and what it rests on, or why none was safe."""

    sport: Sport
    basis: str


@dataclass(frozen=True)
class _Motion:
    median: float
    p95: float
    from_stream: bool


def _motion(activity: Activity) -> _Motion | None:
    stream = activity.speed
    moving = sorted(
        v for v in (stream.values if stream else ()) if v is not None and MOVING_M_S <= v < 100
    )
    if len(moving) >= MIN_SPEED_SAMPLES:
        p95 = moving[min(len(moving) - 1, round(0.95 * (len(moving) - 1)))]
        return _Motion(median(moving), p95, True)
    seconds = activity.moving_seconds or activity.elapsed_seconds
    if not activity.distance_m or not seconds or activity.distance_m <= 0 or seconds <= 0:
        return None
    average = activity.distance_m / seconds
    return _Motion(average, average, False)


def _within(value: float | None, bands: tuple[tuple[float, float], ...]) -> bool:
    return value is not None and any(low <= value <= high for low, high in bands)


def _kmh(speed: float) -> str:
    return f"{speed * 3.6:.1f} km/h"


def guess_sport(activity: Activity, main_sport: Sport | None) -> SportGuess:
    """The sport the data shows, or OTHER with the reason none could be told."""
    motion = _motion(activity)
    if motion is None:
        return SportGuess(Sport.OTHER, "no distance or speed in the file to tell the sport by")
    median, p95 = motion.median, motion.p95
    figures = (
        f"median {_kmh(median)}, fastest 5% {_kmh(p95)}"
        if motion.from_stream
        else f"average {_kmh(median)}"
    )
    if median > MAX_MEDIAN_M_S or p95 > MAX_P95_M_S:
        return SportGuess(Sport.OTHER, f"faster than a body moves on its own ({figures})")
    cadence = activity.avg_cadence
    basis = "pace and cadence" if cadence else "pace and its spread"
    run_cadence = _within(cadence, RUN_CADENCE)
    if _looks_like_a_run(motion, cadence, run_cadence):
        low, high = OVERLAP_MEDIAN
        if run_cadence or not (low <= median <= high) or main_sport in (None, Sport.RUNNING):
            return SportGuess(Sport.RUNNING, basis)
    ride_low, ride_high = RIDE_MEDIAN
    if motion.from_stream and (
        ride_low <= median <= ride_high or (p95 >= RIDE_P95 and median >= RIDE_MIN_MEDIAN_FOR_P95)
    ):
        return SportGuess(Sport.CYCLING, "pace and its spread")
    if not motion.from_stream and ride_low + 1 <= median <= ride_high:
        return SportGuess(Sport.CYCLING, "pace")
    walk_low, walk_high = WALK_MEDIAN
    if (
        walk_low <= median <= walk_high
        and p95 <= WALK_MAX_P95
        and (cadence is None or _within(cadence, WALK_CADENCE))
    ):
        climb = activity.elevation_gain_m
        km = (activity.distance_m or 0) / 1000
        if main_sport is Sport.HIKING or (climb and km and climb / km >= HIKE_CLIMB_M_PER_KM):
            return SportGuess(Sport.HIKING, basis.replace("its spread", "climb"))
        return SportGuess(Sport.WALKING, basis)
    return SportGuess(Sport.OTHER, f"the pace fits no one sport ({figures})")


def _looks_like_a_run(motion: _Motion, cadence: float | None, run_cadence: bool) -> bool:
    median, p95 = motion.median, motion.p95
    low, high = RUN_MEDIAN
    if not (low <= median <= high or (run_cadence and high < median <= FAST_RUN_MEDIAN)):
        return False
    if cadence is not None and not run_cadence:
        return False
    if not motion.from_stream:
        return run_cadence
    return p95 <= RUN_MAX_P95 and p95 <= RUN_MAX_SPREAD * median


def with_guessed_sport(activity: Activity, main_sport: Sport | None) -> Activity:
    """An untyped activity with its guess and what it rests on; others come back unchanged."""
    if activity.sport_source != "unstated":
        return activity
    guess = guess_sport(activity, main_sport)
    if guess.sport is Sport.OTHER:
        return replace(activity, sport_basis=guess.basis)
    return replace(activity, sport=guess.sport, sport_source="guessed", sport_basis=guess.basis)


@dataclass(frozen=True)
class SportNote:
    """What the runner reads about a sport the file did not give. `fix` says what the
    runner can do, which each edge offers its own way: "correct" a guess, or "set" a
    sport none could be told."""

    text: str
    fix: Literal["correct", "set"]


def sport_note(sport: Sport, source: str, basis: str | None) -> SportNote | None:
    """What to say about a sport that the file did not give, or None when it did."""
    if source == "guessed":
        return SportNote(f"sport guessed from {basis or 'the data'}: {sport.value}", "correct")
    if source == "unstated":
        why = f": {basis}" if basis else ""
        return SportNote(f"the file names no sport and none could be told{why}", "set")
    return None
