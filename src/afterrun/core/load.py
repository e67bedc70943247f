"""Training load: how much a run asked of the body, as the usual models estimate it.

These are models, not measurements. TRIMP (Banister 1975) weights time by the
heart-rate reserve used; session RPE (Foster 2001) is the runner's 0-10 rating
times minutes. Fatigue, fitness and form are exponentially weighted daily loads
with time constants of 7 and 42 days.

Smoothing: each day, `avg += k * (load - avg)` with `k = 1 - exp(-1 / tau)`
(0.133 for 7 days, 0.0235 for 42 days), the exact discrete form of an
exponential decay with time constant `tau`. Some tools use `k = 1 / tau`
(0.143 and 0.0238); the difference is small and documented here.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Literal

from afterrun.core.averages import mean, median
from afterrun.core.hints import Hint
from afterrun.core.rating import (
    RunLoad,
)

if TYPE_CHECKING:
    from afterrun.core.activity import Activity, ActivityLoad, Sport, Stream

Sex = Literal["m", "f"]

#: Banister's weighting constants: TRIMP = minutes * HRr * a * exp(b * HRr).
BANISTER: dict[str, tuple[float, float]] = {"m": (0.64, 1.92), "f": (0.86, 1.67)}
#: A heart-rate sample covers the time to the next one, at most this long (longer gaps are pauses).
MAX_SAMPLE_GAP_S = 10
FATIGUE_DAYS = 7
FITNESS_DAYS = 42
ASSUMED_REST_HR = 60


@dataclass(frozen=True)
class Profile:
    """What the runner told us about themselves; every field may be missing."""

    hr_max: int | None = None
    hr_rest: int | None = None
    sex: Sex | None = None
    weight_kg: float | None = None
    birth_year: int | None = None
    #: An IANA zone name ("Europe/Berlin"); None means the system's zone, resolved at the edge.
    timezone: str | None = None
    #: The sport the runner mostly does; it settles a guess the data leaves open.
    main_sport: Sport | None = None


@dataclass(frozen=True)
class HeartRateLimits:
    hr_max: float
    hr_rest: float
    #: What was estimated or assumed, and beside each what the runner can do about it.
    notes: tuple[str, ...]
    hints: tuple[Hint, ...] = ()


def tanaka_hr_max(age: float) -> float:
    """Tanaka et al. 2001: 208 - 0.7 x age. Off by 7-11 bpm for many people."""
    return 208 - 0.7 * age


def heart_rate_limits(profile: Profile, year: int) -> HeartRateLimits:
    """The runner's HRmax and resting HR, saying which were estimated or assumed."""
    notes: list[tuple[str, Hint]] = []
    if profile.hr_max is not None:
        hr_max = float(profile.hr_max)
    elif profile.birth_year is not None:
        age = year - profile.birth_year
        hr_max = tanaka_hr_max(age)
        notes.append(
            (
                f"HRmax {hr_max:.0f} is an estimate (Tanaka: 208 - 0.7 x age {age}).",
                Hint.MEASURED_HR_MAX,
            )
        )
    else:
        hr_max = tanaka_hr_max(40)
        notes.append(
            (f"HRmax {hr_max:.0f} is a rough estimate for age 40.", Hint.HR_MAX_OR_BIRTH_YEAR)
        )
    if profile.hr_rest is not None:
        hr_rest = float(profile.hr_rest)
    else:
        hr_rest = float(ASSUMED_REST_HR)
        notes.append((f"Resting HR {ASSUMED_REST_HR} is assumed.", Hint.RESTING_HR))
    return HeartRateLimits(
        hr_max, hr_rest, tuple(text for text, _ in notes), tuple(hint for _, hint in notes)
    )


def _weight(hrr: float, sex: Sex | None) -> float:
    """Banister's weighting; for unknown sex, the mean of the men's and women's weights."""
    if sex is None:
        return mean(a * math.exp(b * hrr) for a, b in BANISTER.values())
    a, b = BANISTER[sex]
    return a * math.exp(b * hrr)


def heart_rate_reserve(hr: float, limits: HeartRateLimits) -> float:
    """Fraction of the heart-rate reserve used, clipped to 0..1."""
    span = limits.hr_max - limits.hr_rest
    if span <= 0:
        return 0.0
    return min(1.0, max(0.0, (hr - limits.hr_rest) / span))


def trimp_average(minutes: float, avg_hr: float, limits: HeartRateLimits, sex: Sex | None) -> float:
    """Banister TRIMP from duration and average heart rate."""
    hrr = heart_rate_reserve(avg_hr, limits)
    return minutes * hrr * _weight(hrr, sex)


def trimp_stream(stream: Stream, limits: HeartRateLimits, sex: Sex | None) -> float:
    """Banister TRIMP summed sample by sample: closer to the effort than the average form."""
    total = 0.0
    samples = [(t, v) for t, v in zip(stream.offsets, stream.values, strict=True) if v is not None]
    # A heart rate recurs thousands of times in a run: its reserve and weight are worked
    # out once (the sum itself is unchanged, term by term).
    terms: dict[float, tuple[float, float]] = {}
    for (offset, hr), (next_offset, _) in itertools.pairwise(samples):
        gap = min(next_offset - offset, MAX_SAMPLE_GAP_S)
        term = terms.get(hr)
        if term is None:
            hrr = heart_rate_reserve(hr, limits)
            term = terms[hr] = (hrr, _weight(hrr, sex))
        hrr, weight = term
        total += gap / 60 * hrr * weight
    return total


def _constants_text(sex: Sex | None) -> str:
    if sex is None:
        return "sex not set: mean of men's (0.64, 1.92) and women's (0.86, 1.67) constants"
    a, b = BANISTER[sex]
    return f"{'men' if sex == 'm' else 'women'}'s constants {a}, {b}"


def activity_load(activity: Activity, profile: Profile, year: int) -> RunLoad:
    """TRIMP from the heart-rate stream, else from average HR, else session RPE x minutes."""
    minutes = activity.elapsed_seconds / 60
    if activity.moving_seconds:
        minutes = activity.moving_seconds / 60
    limits = heart_rate_limits(profile, year)
    stream = activity.heart_rate
    if stream is not None and sum(v is not None for v in stream.values) >= 2:
        value = trimp_stream(stream, limits, profile.sex)
        return RunLoad(
            value,
            "trimp-stream",
            f"TRIMP over the heart-rate stream ({_constants_text(profile.sex)})",
        )
    if activity.avg_hr:
        value = trimp_average(minutes, activity.avg_hr, limits, profile.sex)
        return RunLoad(
            value,
            "trimp-average",
            f"TRIMP from average heart rate ({_constants_text(profile.sex)})",
        )
    if activity.rpe is not None:
        return RunLoad(
            activity.rpe * minutes,
            "session-rpe",
            f"session RPE {activity.rpe:g} x {round(minutes, 1):g} min",
        )
    return RunLoad(
        0.0, "none", "no heart rate or RPE: rate how hard the run felt to give it a load"
    )


# -- fatigue, fitness, form ---------------------------------------------------


def smoothing(tau_days: float) -> float:
    return 1 - math.exp(-1 / tau_days)


@dataclass(frozen=True)
class DayLoad:
    day: date
    load: float
    fatigue: float
    fitness: float

    @property
    def form(self) -> float:
        return self.fitness - self.fatigue


def daily_loads(loads: Iterable[tuple[date, float]], until: date) -> list[DayLoad]:
    """One row per day from the first load to `until`, with fatigue, fitness and form."""
    per_day: dict[date, float] = {}
    for day, value in loads:
        per_day[day] = per_day.get(day, 0.0) + value
    if not per_day:
        return []
    k_fatigue, k_fitness = smoothing(FATIGUE_DAYS), smoothing(FITNESS_DAYS)
    fatigue = fitness = 0.0
    rows: list[DayLoad] = []
    day = min(per_day)
    while day <= until:
        load = per_day.get(day, 0.0)
        fatigue += k_fatigue * (load - fatigue)
        fitness += k_fitness * (load - fitness)
        rows.append(DayLoad(day, load, fatigue, fitness))
        day += timedelta(days=1)
    return rows


@dataclass(frozen=True)
class DecayedLoads:
    """Loads weighted by how much each still counts today: the sums of load x (1 - k)^age
    (age in days) for fatigue's k and fitness's, session-RPE loads apart (they are put on
    the TRIMP scale by the runner's ratio, known only once every load is read)."""

    fatigue: float = 0.0
    fitness: float = 0.0
    rpe_fatigue: float = 0.0
    rpe_fitness: float = 0.0


#: A load this many days old adds less than 1e-180 of itself: the sums stop there (and a
#: database's power() does not underflow).
MAX_AGE_DAYS = 3000


def kept(tau_days: float) -> float:
    """The share of yesterday's average kept today: 1 - smoothing."""
    return 1 - smoothing(tau_days)


def decayed_loads(loads: Iterable[tuple[int, float, bool]]) -> DecayedLoads:
    """The sums from (age in days, load, whether a session RPE) of every load up to today."""
    fatigue = fitness = rpe_fatigue = rpe_fitness = 0.0
    keep_fatigue, keep_fitness = kept(FATIGUE_DAYS), kept(FITNESS_DAYS)
    for days, load, rpe in loads:
        if days < 0:
            continue
        age = min(days, MAX_AGE_DAYS)
        if rpe:
            rpe_fatigue += load * keep_fatigue**age
            rpe_fitness += load * keep_fitness**age
        else:
            fatigue += load * keep_fatigue**age
            fitness += load * keep_fitness**age
    return DecayedLoads(fatigue, fitness, rpe_fatigue, rpe_fitness)


def model_today(sums: DecayedLoads, rpe_ratio: float) -> tuple[float, float]:
    """(fatigue, fitness) today, as `daily_loads` ends: its recurrence avg += k (load - avg)
    from 0 is the sum of k (1 - k)^age x load, so a database can sum the loads instead of
    sending every day of a long history."""
    return (
        smoothing(FATIGUE_DAYS) * (sums.fatigue + rpe_ratio * sums.rpe_fatigue),
        smoothing(FITNESS_DAYS) * (sums.fitness + rpe_ratio * sums.rpe_fitness),
    )


def load_ratio(rows: Sequence[DayLoad]) -> float | None:
    """Mean daily load of the last 7 days over that of the last 28 (a description of change)."""
    if len(rows) < 28:
        return None
    recent = mean(row.load for row in rows[-7:])
    chronic = mean(row.load for row in rows[-28:])
    return recent / chronic if chronic > 0 else None


def describe_ratio(ratio: float) -> str:
    """The 7:28 ratio in words: a change in load, never a prediction of injury."""
    change = (ratio - 1) * 100
    if abs(change) < 10:
        return f"Your last 7 days' load is about the same as your 4-week average ({ratio:.2f}x)."
    direction = "more" if change > 0 else "less"
    return (
        f"Your last 7 days' load is {abs(change):.0f}% {direction} than your 4-week average "
        f"({ratio:.2f}x). This describes a change in load; it does not predict injury."
    )


# -- one scale for session RPE and TRIMP ------------------------------------------

#: TRIMP per session-RPE unit assumed until the runner has enough runs with both.
#: Banister's formula gives about 0.40 for a steady run at RPE 5 and 75% of the HR
#: reserve, and 0.40-0.48 for RPE 3 at 65% to RPE 7 at 85%.
DEFAULT_RPE_TO_TRIMP = 0.4
#: Runs with both an RPE and a heart-rate TRIMP needed before the runner's own ratio is used.
MIN_RUNS_FOR_OWN_SCALE = 5


@dataclass(frozen=True)
class LoadScale:
    """TRIMP per unit of session RPE (RPE x minutes), and the runs it rests on."""

    ratio: float
    runs: int
    own: bool

    def explanation(self) -> str:
        if self.own:
            return (
                f"Session-RPE loads are put on the heart-rate (TRIMP) scale by your own ratio "
                f"{self.ratio:.2f}: the median of TRIMP / (RPE x minutes) over {self.runs} "
                "runs with both."
            )
        have = f"{self.runs} run" + ("" if self.runs == 1 else "s")
        return (
            f"Session-RPE loads are put on the heart-rate (TRIMP) scale by a default ratio of "
            f"{self.ratio:g}: {have} with both an RPE and heart rate, fewer than "
            f"{MIN_RUNS_FOR_OWN_SCALE}; rate runs you record with heart rate to use your own."
        )


def session_rpe(activity: Activity | ActivityLoad) -> float | None:
    """RPE x minutes (moving minutes when known), or None without an RPE."""
    if activity.rpe is None:
        return None
    seconds = activity.moving_seconds or activity.elapsed_seconds
    return activity.rpe * seconds / 60


def rpe_scale(pairs: Iterable[tuple[float, float]]) -> LoadScale:
    """The runner's TRIMP per session-RPE unit from (session RPE, TRIMP) pairs.

    The median of the per-run ratios: robust to a run with a dropped-out heart-rate
    strap or a mistyped RPE, which would pull a least-squares fit. Pairs with a zero on
    either side say nothing about the ratio and are left out.
    """
    ratios = [trimp / srpe for srpe, trimp in pairs if srpe > 0 and trimp > 0]
    return scale_of(len(ratios), median(ratios) if ratios else None)


def scale_of(runs: int, median_ratio: float | None) -> LoadScale:
    """The scale from the number of runs with both and the median of their ratios (as a
    database can work them out): the runner's own from MIN_RUNS_FOR_OWN_SCALE runs up."""
    if runs < MIN_RUNS_FOR_OWN_SCALE or median_ratio is None:
        return LoadScale(DEFAULT_RPE_TO_TRIMP, runs, own=False)
    return LoadScale(median_ratio, runs, own=True)


def on_trimp_scale(value: float, method: str, scale: LoadScale) -> float:
    """A stored load on the TRIMP scale: session-RPE loads times the ratio, others as they are."""
    return value * scale.ratio if method == "session-rpe" else value
