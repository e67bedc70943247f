"""The runner's days: loads, weeks, check-in times and "recent" in their own time zone,
across daylight-saving changes; and session RPE put on the TRIMP scale by their own ratio."""

from __future__ import annotations

import json
import math
import statistics
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from afterrun.core.activity import Activity, Sport
from afterrun.core.load import (
    DEFAULT_RPE_TO_TRIMP,
    MIN_RUNS_FOR_OWN_SCALE,
    Profile,
    on_trimp_scale,
    rpe_scale,
)
from afterrun.core.rating import RunLoad
from afterrun.services.report import build_report
from afterrun.services.runs import is_recent, training_load, update_profile
from afterrun.store import Store
from conftest import Cli

NEW_YORK = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")
TONGA = ZoneInfo("Pacific/Tongatapu")  # UTC+13 all year


def add(
    store: Store,
    start: datetime,
    load: float,
    method: str = "trimp-average",
    rpe: float | None = None,
    minutes: float = 30,
) -> int:
    activity = Activity(
        sport=Sport.RUNNING,
        start=start.astimezone(UTC),
        elapsed_seconds=minutes * 60,
        moving_seconds=minutes * 60,
        distance_m=minutes * 60 * 3.0,
        rpe=rpe,
        source_format="manual",
    )
    key = f"{start.isoformat()}-{load}".ljust(64, "x")[:64]
    run_load = RunLoad(load, method, "")  # type: ignore[arg-type]
    activity_id, created = store.add_activity(activity, key, "test", run_load, start)
    assert created
    return activity_id


def load_on(store: Store, now: datetime, tz: ZoneInfo | None = None) -> dict[date, float]:
    return {row.day: row.load for row in training_load(store, now, tz).days if row.load}


# --- a runner in New York -----------------------------------------------------------


def test_a_new_york_run_at_20_00_counts_on_that_local_date(store: Store) -> None:
    start = datetime(2026, 11, 20, 20, 0, tzinfo=NEW_YORK)  # 01:00 UTC on the 21st
    now = datetime(2026, 11, 21, 2, 0, tzinfo=UTC)  # still the 20th in New York
    update_profile(store, {"timezone": "America/New_York"}, now)
    add(store, start, 50.0)
    assert load_on(store, now, NEW_YORK) == {date(2026, 11, 20): 50.0}
    assert training_load(store, now, NEW_YORK).days[-1].day == date(2026, 11, 20)
    # From the profile, without passing the zone:
    assert load_on(store, now) == {date(2026, 11, 20): 50.0}
    # The same data read on UTC days puts it on the next day: that was the bug.
    assert load_on(store, now, ZoneInfo("UTC")) == {date(2026, 11, 21): 50.0}


def test_a_sunday_evening_run_in_new_york_is_in_that_weeks_report(store: Store) -> None:
    update_profile(store, {"timezone": "America/New_York"}, datetime(2026, 11, 1, tzinfo=UTC))
    add(store, datetime(2026, 11, 22, 20, 0, tzinfo=NEW_YORK), 60.0)  # Monday 01:00 UTC
    now = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    weeks = build_report(store, now, 2, None).to_json()["weeks"]
    assert [(w["start"], w["runs"], w["load"]) for w in weeks] == [
        ("2026-11-16", 1, 60.0),
        ("2026-11-23", 0, 0.0),
    ]


@pytest.fixture
def cli(cli: Cli) -> Cli:
    cli.env["TZ"] = "Asia/Tokyo"  # the computer's zone, which the profile's overrides
    return cli


def test_check_in_times_are_shown_in_the_profiles_zone(cli: Cli) -> None:
    set_zone = cli("profile", "set", "--timezone", "America/New_York")
    assert set_zone.exit_code == 0, set_zone.output
    assert "Time zone   America/New_York" in set_zone.stdout.splitlines()
    # --at is read in the runner's zone too: 19:30 in New York, 50 minutes.
    added = cli("run", "add", "--distance", "10km", "--time", "50:00", "--at", "2026-11-20 19:30")
    assert added.exit_code == 0, added.output
    shown = json.loads(cli("runs", "show", "1", "--json").stdout)
    assert shown["start"] == "2026-11-21T00:30:00+00:00"
    # Advice is given hour by hour for a recent run only: one that ended an hour ago.
    new_york = ZoneInfo("America/New_York")
    end = (datetime.now(UTC) - timedelta(hours=1)).astimezone(new_york).replace(second=0)
    start = end - timedelta(minutes=50)
    added = cli("run", "add", "--distance", "10km", "--time", "50:00",
                "--at", f"{start:%Y-%m-%d %H:%M}")  # fmt: skip
    assert added.exit_code == 0, added.output
    advice = cli("advice", "2")
    assert advice.exit_code == 0, advice.output
    lines = advice.stdout.splitlines()
    ended = f"{end:%a} {end:%d} {end:%b} {end:%H:%M}"
    assert lines[0] == f"After your moderate run (run 2, ended {ended}):"
    day_after, two_days_after = ((end + timedelta(hours=h)).astimezone(new_york) for h in (24, 48))
    assert [line[:25] for line in lines if "Check in" in line] == [
        # 24 h after, in New York, though the computer is in Tokyo
        f"{day_after:%a %H:%M}  Check in: rate",
        f"{two_days_after:%a %H:%M}  Check in again",  # 48 h
    ]


def test_an_unknown_zone_is_refused_and_nothing_changes(cli: Cli) -> None:
    cli("profile", "set", "--timezone", "Europe/Berlin")
    result = cli("profile", "set", "--timezone", "Europe/Atlantis", "--hr-max", "180")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: Invalid value for '--timezone': unknown time zone 'Europe/Atlantis': give an "
        "IANA name such as Europe/Berlin, America/New_York or UTC."
    )
    profile = json.loads(cli("profile", "show", "--json").stdout)
    assert (profile["timezone"], profile["hr_max"]) == ("Europe/Berlin", None)


def test_without_a_zone_in_the_profile_the_systems_is_used(cli: Cli) -> None:
    shown = cli("profile", "show").stdout.splitlines()
    assert "Time zone   Asia/Tokyo (this computer)" in shown


# --- daylight-saving weekends ---------------------------------------------------------


def test_europe_dst_end_weekend(store: Store) -> None:
    """Berlin, 25 Oct 2026: 03:00 CEST becomes 02:00 CET; that Sunday has 25 hours."""
    late_saturday = datetime(2026, 10, 24, 23, 30, tzinfo=BERLIN)  # 21:30 UTC
    just_after_midnight = datetime(2026, 10, 25, 0, 30, tzinfo=BERLIN)  # 22:30 UTC Saturday
    sunday_evening = datetime(2026, 10, 25, 23, 30, tzinfo=BERLIN)  # 22:30 UTC Sunday
    add(store, late_saturday, 10.0)
    add(store, just_after_midnight, 20.0)
    add(store, sunday_evening, 40.0)
    now = datetime(2026, 10, 26, 12, 0, tzinfo=UTC)
    assert load_on(store, now, BERLIN) == {
        date(2026, 10, 24): 10.0,
        date(2026, 10, 25): 60.0,
    }
    # The week of Monday 19 Oct holds all three: Sunday's 25 hours are all in it.
    weeks = build_report(store, now, 2, BERLIN).to_json()["weeks"]
    assert [(w["start"], w["runs"]) for w in weeks] == [("2026-10-19", 3), ("2026-10-26", 0)]


def test_the_12_hour_recent_run_rule_counts_real_hours_across_a_dst_change(
    store: Store,
) -> None:
    """A run ending 21:45 CEST on Saturday is 12.25 h old at 09:00 CET on Sunday, though the
    wall clock moved only 11.25 h."""
    run_id = add(store, datetime(2026, 10, 24, 21, 15, tzinfo=BERLIN), 30.0)
    stored = store.get_activity(run_id, with_streams=False)
    assert not is_recent(stored, datetime(2026, 10, 25, 9, 0, tzinfo=BERLIN))
    assert is_recent(stored, datetime(2026, 10, 25, 8, 45, tzinfo=BERLIN))


def test_us_dst_start_weekend(store: Store) -> None:
    """New York, 8 Mar 2026: 02:00 EST becomes 03:00 EDT; that Sunday has 23 hours."""
    add(store, datetime(2026, 3, 7, 23, 30, tzinfo=NEW_YORK), 10.0)  # 04:30 UTC Sunday
    add(store, datetime(2026, 3, 8, 3, 30, tzinfo=NEW_YORK), 20.0)  # first hour of EDT
    add(store, datetime(2026, 3, 8, 20, 0, tzinfo=NEW_YORK), 40.0)  # 00:00 UTC Monday
    now = datetime(2026, 3, 9, 12, 0, tzinfo=UTC)
    assert load_on(store, now, NEW_YORK) == {
        date(2026, 3, 7): 10.0,
        date(2026, 3, 8): 60.0,
    }
    weeks = build_report(store, now, 2, NEW_YORK).to_json()["weeks"]
    assert [(w["start"], w["runs"], w["load"]) for w in weeks] == [
        ("2026-03-02", 3, 70.0),
        ("2026-03-09", 0, 0.0),
    ]


def test_a_runner_at_utc_plus_13(store: Store) -> None:
    """Tonga: a Monday 07:00 run is Sunday 18:00 UTC; at 19:00 UTC it is already Monday."""
    add(store, datetime(2026, 11, 23, 7, 0, tzinfo=TONGA), 45.0)
    now = datetime(2026, 11, 22, 19, 0, tzinfo=UTC)
    days = training_load(store, now, TONGA).days
    assert [(row.day, row.load) for row in days] == [(date(2026, 11, 23), 45.0)]
    weeks = build_report(store, now, 1, TONGA).to_json()["weeks"]
    assert [(w["start"], w["runs"], w["in_progress"]) for w in weeks] == [("2026-11-23", 1, True)]
    # On UTC days the run would be Sunday's, in the week before.
    utc_weeks = build_report(store, now, 1, ZoneInfo("UTC")).to_json()["weeks"]
    assert [(w["start"], w["runs"]) for w in utc_weeks] == [("2026-11-16", 1)]


# --- session RPE on the TRIMP scale ---------------------------------------------------


def test_a_mixed_history_uses_the_runners_own_ratio_worked_out_by_hand(store: Store) -> None:
    """Five heart-rate runs with an RPE, each 60 min at RPE 5 (session RPE 300), with TRIMP
    120, 150, 90, 135 and 600 (a strap gone wild): ratios 0.4, 0.5, 0.3, 0.45 and 2.0, median
    0.45. Then an RPE-only run, 50 min at RPE 6 = 300, counts as 300 x 0.45 = 135."""
    first = datetime(2026, 11, 2, 7, 0, tzinfo=UTC)
    for day, trimp in enumerate((120.0, 150.0, 90.0, 135.0, 600.0)):
        add(store, first + timedelta(days=day), trimp, rpe=5, minutes=60)
    add(store, first + timedelta(days=5), 300.0, "session-rpe", rpe=6, minutes=50)
    now = datetime(2026, 11, 7, 20, 0, tzinfo=UTC)
    state = training_load(store, now, ZoneInfo("UTC"))
    assert (state.scale.ratio, state.scale.runs, state.scale.own) == (0.45, 5, True)
    assert [round(row.load, 6) for row in state.days] == [120, 150, 90, 135, 600, 135]
    # Fatigue and fitness by hand: avg += k * (load - avg), k = 1 - exp(-1/7) and 1 - exp(-1/42).
    k7, k42 = 1 - math.exp(-1 / 7), 1 - math.exp(-1 / 42)
    fatigue = fitness = 0.0
    for load in (120, 150, 90, 135, 600, 135):
        fatigue += k7 * (load - fatigue)
        fitness += k42 * (load - fitness)
    assert state.days[-1].fatigue == pytest.approx(fatigue)
    assert state.days[-1].fitness == pytest.approx(fitness)
    assert round(fatigue, 2) == 127.62  # the same, as numbers to check with a calculator
    assert round(fitness, 2) == 27.68
    assert state.explanation == (
        "Session-RPE loads are put on the heart-rate (TRIMP) scale by your own ratio 0.45: "
        "the median of TRIMP / (RPE x minutes) over 5 runs with both."
    )


def test_too_few_runs_with_both_use_the_stated_default(store: Store) -> None:
    add(store, datetime(2026, 11, 2, 7, 0, tzinfo=UTC), 120.0, rpe=5, minutes=60)
    add(store, datetime(2026, 11, 3, 7, 0, tzinfo=UTC), 300.0, "session-rpe", rpe=6, minutes=50)
    state = training_load(store, datetime(2026, 11, 3, 20, 0, tzinfo=UTC), ZoneInfo("UTC"))
    assert (state.scale.ratio, state.scale.runs, state.scale.own) == (0.4, 1, False)
    assert [row.load for row in state.days] == [120.0, 120.0]
    assert state.explanation == (
        "Session-RPE loads are put on the heart-rate (TRIMP) scale by a default ratio of 0.4: "
        "1 run with both an RPE and heart rate, fewer than 5; rate runs you record with heart "
        "rate to use your own."
    )


def test_the_load_line_of_the_advice_says_how_rpe_loads_were_scaled(cli: Cli) -> None:
    cli("run", "add", "--distance", "10km", "--time", "50:00", "--rpe", "6")
    advice = cli("advice", "--json")
    lines = json.loads(advice.stdout)["timeline"]
    load = next(line["text"] for line in lines if line["topic"] == "load")
    assert load.endswith(
        "by a default ratio of 0.4: 0 runs with both an RPE and heart rate, fewer than 5; "
        "rate runs you record with heart rate to use your own."
    )


ratios = st.floats(min_value=0.05, max_value=5, allow_nan=False)
srpes = st.floats(min_value=1, max_value=2000, allow_nan=False)


@given(st.lists(st.tuples(srpes, ratios), min_size=MIN_RUNS_FOR_OWN_SCALE, max_size=40))
def test_the_own_ratio_is_the_median_and_scales_with_trimp(
    pairs: list[tuple[float, float]],
) -> None:
    data = [(srpe, srpe * ratio) for srpe, ratio in pairs]
    scale = rpe_scale(data)
    assert scale.own and scale.runs == len(pairs)
    assert scale.ratio == pytest.approx(statistics.median(t / s for s, t in data))
    assert min(r for _, r in pairs) - 1e-9 <= scale.ratio <= max(r for _, r in pairs) + 1e-9
    doubled = rpe_scale([(s, 2 * t) for s, t in data])
    assert doubled.ratio == pytest.approx(2 * scale.ratio)
    assert on_trimp_scale(100.0, "session-rpe", scale) == pytest.approx(100 * scale.ratio)
    assert on_trimp_scale(100.0, "trimp-stream", scale) == 100.0


@given(st.lists(st.tuples(srpes, ratios), max_size=MIN_RUNS_FOR_OWN_SCALE - 1))
def test_with_too_few_runs_the_default_ratio_holds(pairs: list[tuple[float, float]]) -> None:
    scale = rpe_scale([(srpe, srpe * ratio) for srpe, ratio in pairs])
    assert (scale.ratio, scale.own, scale.runs) == (DEFAULT_RPE_TO_TRIMP, False, len(pairs))


def test_the_profile_keeps_its_zone(store: Store) -> None:
    update_profile(store, {"timezone": "Pacific/Tongatapu"}, datetime(2026, 11, 1, tzinfo=UTC))
    assert store.get_profile() == Profile(timezone="Pacific/Tongatapu")
