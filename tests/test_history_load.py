"""A 10-run synthetic history: TRIMP, fatigue, fitness, form and ratings, checked by hand."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from afterrun.core.activity import Activity, Sport
from afterrun.core.load import Profile, activity_load
from afterrun.services.runs import latest_run, rate_stored, training_load
from afterrun.store import Store

PROFILE = Profile(hr_max=190, hr_rest=60, sex="m")
DAY0 = datetime(2026, 11, 1, 7, 0, tzinfo=UTC)
#: (minutes, average heart rate) for ten runs on ten consecutive days.
RUNS = [
    (30, 140),
    (45, 150),
    (30, 140),
    (60, 145),
    (30, 140),
    (45, 150),
    (30, 140),
    (40, 175),
    (30, 130),
    (45, 150),
]


def by_hand(minutes: float, hr: float) -> float:
    hrr = (hr - 60) / (190 - 60)
    return minutes * hrr * 0.64 * math.exp(1.92 * hrr)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(str(tmp_path / "a.db")) as opened:
        opened.save_profile(PROFILE, DAY0)
        for day, (minutes, hr) in enumerate(RUNS):
            activity = Activity(
                sport=Sport.RUNNING,
                start=DAY0 + timedelta(days=day),
                elapsed_seconds=minutes * 60,
                avg_hr=hr,
                source_format="fit",
            )
            load = activity_load(activity, PROFILE, 2026)
            opened.add_activity(activity, f"run{day}", f"run{day}.fit", load, DAY0)
        yield opened


def test_each_run_gets_banister_trimp(store: Store) -> None:
    stored = sorted(store.list_activities(), key=lambda s: s.activity.start)
    assert [s.load for s in stored] == pytest.approx([by_hand(m, hr) for m, hr in RUNS])
    assert stored[1].load == pytest.approx(75.3 * 45 / 45, abs=0.05)  # the sheet's example


def test_fatigue_fitness_and_form_after_ten_days(store: Store) -> None:
    k7, k42 = 1 - math.exp(-1 / 7), 1 - math.exp(-1 / 42)
    fatigue = fitness = 0.0
    for minutes, hr in RUNS:
        fatigue += k7 * (by_hand(minutes, hr) - fatigue)
        fitness += k42 * (by_hand(minutes, hr) - fitness)
    state = training_load(store, DAY0 + timedelta(days=9))
    last = state.days[-1]
    assert len(state.days) == 10
    assert last.fatigue == pytest.approx(fatigue)
    assert last.fitness == pytest.approx(fitness)
    assert last.form == pytest.approx(fitness - fatigue)
    assert state.ratio is None, "fewer than 28 days: no 7:28 ratio yet"


def test_ratings_use_fixed_bands_then_the_runner_own_median(store: Store) -> None:
    stored = sorted(store.list_activities(), key=lambda s: s.activity.start)
    ratings = [rate_stored(store, s) for s in stored]
    loads = [by_hand(m, hr) for m, hr in RUNS]
    # Runs 1-5 have fewer than 5 earlier runs: fixed TRIMP bands 40 / 80 / 150.
    assert [r.intensity.value for r in ratings[:5]] == [
        "easy",
        "moderate",
        "easy",
        "hard",
        "easy",
    ]
    assert loads[0] < 40 and 40 <= loads[1] < 80 and 80 <= loads[3] < 150
    # From run 6: against the median of the earlier runs in the six weeks before.
    for index in range(5, 10):
        median = (
            sorted(loads[:index])[index // 2]
            if index % 2
            else ((sorted(loads[:index])[index // 2 - 1] + sorted(loads[:index])[index // 2]) / 2)
        )
        ratio = loads[index] / median
        expected = (
            "easy"
            if ratio < 0.8
            else "moderate"
            if ratio < 1.2
            else "hard"
            if ratio < 1.6
            else "very-hard"
        )
        assert ratings[index].intensity.value == expected, index
        assert ratings[index].explanation == (
            f"load {loads[index]:.0f} (TRIMP: Banister et al. 1975), {ratio:.1f}x your median run of "
            "the last six weeks"
        )
    assert ratings[7].intensity.value == "very-hard"  # 40 min at 175 bpm
    assert ratings[8].intensity.value == "easy"  # 30 min at 130 bpm


def test_the_latest_run_is_the_tenth(store: Store) -> None:
    latest = latest_run(store)
    assert latest is not None
    assert latest.stored.activity.start == DAY0 + timedelta(days=9)
