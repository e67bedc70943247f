"""Advice for a run that ended long ago says how old the run is, counts its times from the
run's end instead of clock times that read as this week, and uses the training-load model
as it stood then; the load paragraph never contradicts itself."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from afterrun.core.advice import AdviceRequest, LoadState, recovery_timeline
from afterrun.core.plan_facts import STALE_AFTER, is_stale
from afterrun.core.report import WeekRow
from afterrun.core.time_text import after_text, age_text
from conftest import Cli

END = datetime(2026, 11, 23, 8, 20, tzinfo=UTC)


def load_text(state: LoadState) -> str:
    request = AdviceRequest(run_end=END, intensity_label="easy", load=state)
    return next(line.text for line in recovery_timeline(request) if line.topic == "load")


def add_run(cli: Cli, start: datetime, rpe: str = "7") -> None:
    result = cli("run", "add", "--distance", "10km", "--time", "50:00", "--rpe", rpe,
                 "--at", start.isoformat())  # fmt: skip
    assert result.exit_code == 0, result.output


# -- how old ----------------------------------------------------------------------------------


def test_a_run_is_stale_a_day_after_it_ended() -> None:
    assert timedelta(hours=24) == STALE_AFTER
    assert not is_stale(END, END + timedelta(hours=24))
    assert is_stale(END, END + timedelta(hours=24, seconds=1))


@pytest.mark.parametrize(
    ("ago", "text"),
    [
        (timedelta(hours=5), "5 hours ago"),
        (timedelta(hours=30), "1 day ago"),
        (timedelta(days=3), "3 days ago"),
        (timedelta(days=20), "2 weeks ago"),
        (timedelta(days=95), "3 months ago"),
        (timedelta(days=365), "1 year ago"),
        (timedelta(days=3 * 365 + 200), "3 years ago"),
    ],
)
def test_how_long_ago_is_said_in_the_largest_unit(ago: timedelta, text: str) -> None:
    assert age_text(END - ago, END) == text


def test_times_after_the_end_are_counted_from_it() -> None:
    assert [after_text(timedelta(hours=h)) for h in (0, 1, 12, 24, 48)] == [
        "at the end",
        "1 h after",
        "12 h after",
        "1 day after",
        "2 days after",
    ]


def test_the_terminal_says_how_old_the_run_is_and_gives_no_clock_times(cli: Cli) -> None:
    cli.env["TZ"] = "UTC"
    start = (datetime.now(UTC) - timedelta(days=3 * 365 + 10)).replace(
        hour=7, minute=0, second=0, microsecond=0
    )
    add_run(cli, start)
    end = start + timedelta(minutes=50)
    ended = f"{end:%a %d %b %Y} 07:50"
    advice = cli("advice")
    assert advice.exit_code == 0, advice.output
    lines = advice.stdout.splitlines()
    assert lines[0] == (
        f"After your hard run (run 1, ended {ended}, 3 years ago). This is the advice as it "
        "applied after that run, with the training-load model as it stood then: it is not a "
        "plan for today. Import today's run for today's advice."
    )
    labels = [
        line[:13] for line in lines[2:] if line[:1] not in (" ", "!", "") and line[:4] != "More"
    ]
    assert labels[:7] == [
        "at the end   ",
        "at the end   ",
        "1 h after    ",
        "12 h after   ",
        "1 day after  ",
        "2 days after ",
        "Why? 'afterru",
    ]
    bare = cli()
    assert f"Latest run: {start:%a %d %b %Y} 07:00, 10.00 km in 50:00 (run 1, 3 years ago).\n" in (
        bare.stdout
    )


def test_a_recent_run_keeps_its_clock_times(cli: Cli) -> None:
    cli.env["TZ"] = "UTC"
    start = (datetime.now(UTC) - timedelta(hours=2)).replace(second=0, microsecond=0)
    add_run(cli, start)
    end = start + timedelta(minutes=50)
    lines = cli("advice").stdout.splitlines()
    assert lines[0] == f"After your hard run (run 1, ended {end:%a %d %b %H:%M}):"
    assert lines[2].startswith(f"{end:%H:%M}      Cool-down, optional")
    assert "(run 1)." in cli().stdout


def test_an_old_runs_load_is_the_model_as_it_stood_then(cli: Cli) -> None:
    """Runs after the old one do not change its advice: fatigue and fitness are those of
    the evening it ended, not of today."""
    cli.env["TZ"] = "UTC"
    old = (datetime.now(UTC) - timedelta(days=400)).replace(
        hour=7, minute=0, second=0, microsecond=0
    )
    add_run(cli, old)
    before = cli("advice", "1", "--json").stdout
    for days in (30, 20, 10, 2):
        add_run(cli, datetime.now(UTC) - timedelta(days=days), rpe="9")
    after = cli("advice", "1", "--json").stdout
    assert before == after
    # The run alone, on its day: a session RPE of 7 x 50 min = 350, on the TRIMP scale by
    # the default ratio 0.4 = 140, smoothed by the 7- and 42-day constants.
    assert "fitness 3, fatigue 19, form -16. With 1 day of history" in after


# -- the load paragraph agrees with itself -------------------------------------------------


def test_form_is_the_difference_of_the_numbers_shown() -> None:
    text = load_text(LoadState(fatigue=15.5, fitness=7.4, ratio=1.0, days_of_history=60))
    assert text.startswith(
        "By the training-load model (a model, not a measurement): fitness 7, fatigue 16, form -9."
    )
    week = WeekRow(END.date(), False, 1, 0, 0, 0, 0, 0, 100.0, 15.5, 7.4)
    assert week.shown_form == -9


def test_the_words_on_recent_load_follow_the_ratio_printed() -> None:
    def said(ratio: float | None) -> str:
        return load_text(LoadState(fatigue=20, fitness=20, ratio=ratio, days_of_history=60))

    assert (
        " Recent load is below your usual: your last 7 days' load is 0.00x your 4-week "
        "average (-100%), a description of change, not an injury forecast."
    ) in said(0.0)
    assert " Recent load is in line with your usual: your last 7 days' load is 1.05x" in said(1.05)
    assert said(1.4).endswith(
        "1.40x your 4-week average (+40%), a description of change, not an injury forecast. "
        "The model would put an easy day before the next hard session."
    )
    nothing = said(None)
    assert "usual" not in nothing
    assert "There was no load in the 4 weeks before to compare recent load with." in nothing


def test_deep_fatigue_is_said_without_calling_low_load_high() -> None:
    text = load_text(LoadState(fatigue=30, fitness=10, ratio=0.5, days_of_history=60))
    assert "Recent load is below your usual" in text
    assert "above your usual" not in text
    assert text.endswith("The model would put an easy day before the next hard session.")
