"""Load maths against hand-computed values and the evidence sheet's worked example."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from afterrun.core.activity import Activity, Sport, Stream
from afterrun.core.intensity import Intensity
from afterrun.core.load import (
    HeartRateLimits,
    Profile,
    activity_load,
    daily_loads,
    describe_ratio,
    heart_rate_limits,
    load_ratio,
    smoothing,
    tanaka_hr_max,
    trimp_average,
    trimp_stream,
)
from afterrun.core.rating import RunLoad, rate_intensity

LIMITS = HeartRateLimits(hr_max=190, hr_rest=60, notes=())
START = datetime(2026, 11, 1, 7, 0, tzinfo=UTC)


def test_worked_example_45_min_at_150_bpm() -> None:
    assert trimp_average(45, 150, LIMITS, "m") == pytest.approx(75.3, abs=0.05)
    assert trimp_average(45, 150, LIMITS, "f") == pytest.approx(85.1, abs=0.05)
    unknown = trimp_average(45, 150, LIMITS, None)
    assert unknown == pytest.approx((75.32 + 85.15) / 2, abs=0.05)


def test_a_steady_stream_gives_the_same_trimp_as_the_average() -> None:
    stream = Stream(offsets=tuple(range(45 * 60 + 1)), values=tuple([150.0] * (45 * 60 + 1)))
    assert trimp_stream(stream, LIMITS, "m") == pytest.approx(75.3, abs=0.05)


def test_gaps_in_the_stream_count_at_most_ten_seconds() -> None:
    stream = Stream(offsets=(0, 60, 120), values=(150.0, 150.0, 150.0))
    expected = 2 * 10 / 60 * (90 / 130) * 0.64 * math.exp(1.92 * 90 / 130)
    assert trimp_stream(stream, LIMITS, "m") == pytest.approx(expected)


def test_hrmax_is_estimated_with_tanaka_and_labelled() -> None:
    assert tanaka_hr_max(36) == pytest.approx(182.8)
    limits = heart_rate_limits(Profile(birth_year=1990, hr_rest=52), 2026)
    assert limits.hr_max == pytest.approx(182.8)
    assert limits.notes[0].startswith("HRmax 183 is an estimate (Tanaka: 208 - 0.7 x age 36)")
    measured = heart_rate_limits(Profile(hr_max=188, hr_rest=52), 2026)
    assert (measured.hr_max, measured.notes) == (188, ())


def _run(minutes: float, avg_hr: float | None = None, rpe: float | None = None) -> Activity:
    return Activity(
        sport=Sport.RUNNING, start=START, elapsed_seconds=minutes * 60, avg_hr=avg_hr, rpe=rpe
    )


def test_load_falls_back_from_heart_rate_to_session_rpe() -> None:
    profile = Profile(hr_max=190, hr_rest=60, sex="m")
    with_hr = activity_load(_run(45, avg_hr=150), profile, 2026)
    assert (with_hr.method, round(with_hr.value, 1)) == ("trimp-average", 75.3)
    with_rpe = activity_load(_run(52.5, rpe=7), profile, 2026)
    assert (with_rpe.method, with_rpe.value) == ("session-rpe", 367.5)
    assert activity_load(_run(30), profile, 2026).method == "none"


def test_fatigue_fitness_and_form_by_hand() -> None:
    day0 = date(2026, 11, 1)
    rows = daily_loads([(day0, 100.0), (day0 + timedelta(days=2), 50.0)], day0 + timedelta(days=2))
    k7, k42 = 1 - math.exp(-1 / 7), 1 - math.exp(-1 / 42)
    assert k7 == pytest.approx(0.1331, abs=1e-4)
    fatigue = [100 * k7]
    fatigue.append(fatigue[0] * (1 - k7))
    fatigue.append(fatigue[1] + k7 * (50 - fatigue[1]))
    fitness = [100 * k42]
    fitness.append(fitness[0] * (1 - k42))
    fitness.append(fitness[1] + k42 * (50 - fitness[1]))
    assert [r.fatigue for r in rows] == pytest.approx(fatigue)
    assert [r.fitness for r in rows] == pytest.approx(fitness)
    assert rows[-1].form == pytest.approx(fitness[-1] - fatigue[-1])


@given(st.lists(st.floats(min_value=0, max_value=500), min_size=1, max_size=120))
def test_smoothed_loads_stay_between_zero_and_the_largest_day(values: list[float]) -> None:
    day0 = date(2026, 1, 1)
    loads = [(day0 + timedelta(days=i), v) for i, v in enumerate(values)]
    rows = daily_loads(loads, day0 + timedelta(days=len(values) - 1))
    top = max(values)
    for row in rows:
        assert -1e-9 <= row.fatigue <= top + 1e-9
        assert -1e-9 <= row.fitness <= top + 1e-9
    assert smoothing(7) > smoothing(42)


def test_load_ratio_describes_change_without_predicting_injury() -> None:
    day0 = date(2026, 10, 1)
    loads = [(day0 + timedelta(days=i), 50.0 if i < 21 else 100.0) for i in range(28)]
    rows = daily_loads(loads, day0 + timedelta(days=27))
    ratio = load_ratio(rows)
    assert ratio == pytest.approx(100 / ((21 * 50 + 7 * 100) / 28))
    text = describe_ratio(ratio or 0)
    assert text == (
        "Your last 7 days' load is 60% more than your 4-week average (1.60x). "
        "This describes a change in load; it does not predict injury."
    )


def test_ratings_against_the_runner_own_six_weeks() -> None:
    history = [RunLoad(v, "trimp-stream", "") for v in (80, 90, 100, 110, 120)]
    rating = rate_intensity(RunLoad(170, "trimp-stream", ""), history)
    assert rating.intensity is Intensity.VERY_HARD
    assert (
        rating.explanation
        == "load 170 (TRIMP: Banister et al. 1975), 1.7x your median run of the last six weeks"
    )
    assert (
        rate_intensity(RunLoad(100, "trimp-average", ""), history).intensity is Intensity.MODERATE
    )
    assert rate_intensity(RunLoad(70, "trimp-average", ""), history).intensity is Intensity.EASY


def test_too_little_history_uses_stated_absolute_bands() -> None:
    rating = rate_intensity(RunLoad(120, "trimp-stream", ""), [])
    assert rating.intensity is Intensity.HARD
    assert rating.explanation == (
        "load 120 (TRIMP: Banister et al. 1975) on afterrun's fixed bands (easy < 40, moderate < 80, "
        "hard < 150); "
        "fewer than 5 earlier runs to compare with"
    )
    assert rate_intensity(RunLoad(367.5, "session-rpe", ""), []).intensity is Intensity.HARD


@given(st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=40))
def test_mean_and_median_are_the_statistics_modules(values: list[float]) -> None:
    import statistics

    from afterrun.core.averages import mean, median

    assert mean(values) == statistics.fmean(values)
    assert median(values) == statistics.median(values)
