"""The weekly report: local ISO weeks, cool-downs after hard runs, steps, soreness, load, HTML."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from afterrun.catalogue_files import load_catalogue
from afterrun.cli.commands.report import bar, render_text, sparkline
from afterrun.core.engine import SessionEngine
from afterrun.core.errors import InvalidInput
from afterrun.core.intensity import Intensity
from afterrun.core.load import daily_loads
from afterrun.core.plan import WORK_KINDS, PlanRequest
from afterrun.core.planner import plan_cooldown
from afterrun.core.records import PainReport, SessionRecord, StepRecord
from afterrun.core.report import (
    MODEL_NOTE,
    ReportCheckin,
    ReportRun,
    WeeklyReport,
    weekly_report,
)
from afterrun.rendering.report import nice_step, render_html
from afterrun.services.report import build_report
from afterrun.store import Store
from conftest import Cli

#: Wednesday of ISO week 2026-W48; the report's weeks start on Mondays 16 and 23 Nov.
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
BERLIN_WINTER = timezone(timedelta(hours=1))


def run(run_id: int, start: datetime, minutes: float = 50, hard: bool = True) -> ReportRun:
    intensity = Intensity.HARD if hard else Intensity.EASY
    return ReportRun(run_id, start, minutes * 60, intensity)


def step(index: int, kind: str, status: str) -> StepRecord:
    return StepRecord(index, f"exercise-{index}", None, None, kind, 30, None, 30.0, status)  # type: ignore[arg-type]


def session(
    started: datetime,
    steps: tuple[StepRecord, ...] = (),
    pains: tuple[PainReport, ...] = (),
) -> SessionRecord:
    return SessionRecord(
        started, started + timedelta(minutes=10), "completed", "hard", 10, {}, steps, pains
    )


def report(**changes: object) -> WeeklyReport:
    values: dict[str, object] = {
        "now": NOW,
        "weeks": 2,
        "tz": UTC,
        "runs": (),
        "loads": (),
        "sessions": (),
        "days": (),
    }
    values.update(changes)
    return weekly_report(**values)  # type: ignore[arg-type]


# -- weeks ----------------------------------------------------------------------------------


def test_weeks_are_iso_weeks_oldest_first_with_the_current_one_in_progress() -> None:
    weeks = report(weeks=3).weeks
    assert [(w.label, w.start, w.end, w.partial) for w in weeks] == [
        ("2026-W46", date(2026, 11, 9), date(2026, 11, 15), False),
        ("2026-W47", date(2026, 11, 16), date(2026, 11, 22), False),
        ("2026-W48", date(2026, 11, 23), date(2026, 11, 29), True),
    ]


def test_a_run_early_on_monday_local_time_counts_in_the_local_week() -> None:
    # 00:30 on Monday 23 Nov in UTC+1 is still Sunday 22 Nov in UTC.
    monday_night = datetime(2026, 11, 23, 0, 30, tzinfo=BERLIN_WINTER)
    local = report(tz=BERLIN_WINTER, runs=[run(1, monday_night)]).weeks
    utc = report(tz=UTC, runs=[run(1, monday_night)]).weeks
    assert [w.runs for w in local] == [0, 1]
    assert [w.runs for w in utc] == [1, 0]


def test_the_iso_year_labels_the_first_week_of_january() -> None:
    weeks = report(now=datetime(2027, 1, 1, 12, tzinfo=UTC), weeks=1).weeks
    assert (weeks[0].label, weeks[0].start) == ("2026-W53", date(2026, 12, 28))


@pytest.mark.parametrize("weeks", [0, -1, 105, 10**9])
def test_weeks_out_of_range_are_refused(weeks: int) -> None:
    with pytest.raises(InvalidInput) as caught:
        report(weeks=weeks)
    assert str(caught.value) == f"weeks {weeks} is out of range: give 1 to 104 weeks."
    # The terminal names the input as its option.
    from afterrun.cli.wording import error_text

    assert error_text(caught.value) == f"--weeks {weeks} is out of range: give 1 to 104 weeks."


# -- hard runs and their cool-downs --------------------------------------------------------------


def test_a_cool_down_counts_when_it_starts_within_an_hour_of_the_runs_end() -> None:
    start = datetime(2026, 11, 17, 7, 0, tzinfo=UTC)  # ends 07:50
    runs = [
        run(1, start),  # cool-down at 08:50, exactly an hour after: counts
        run(2, start + timedelta(days=1)),  # cool-down 61 minutes after: too late
        run(3, start + timedelta(days=2)),  # cool-down before the end: not after this run
        run(4, start + timedelta(days=3), hard=False),  # easy runs are not counted
    ]
    # Each session's one hold was done (a session with nothing done counts for nothing).
    held = (step(0, "hold", "done"),)
    sessions = [
        session(start + timedelta(minutes=110), held),
        session(start + timedelta(days=1, minutes=111), held),
        session(start + timedelta(days=2, minutes=49), held),
        session(start + timedelta(days=3, minutes=55), held),
    ]
    week = report(runs=runs, sessions=sessions).weeks[0]
    assert (week.runs, week.hard_runs, week.hard_cooled_down, week.sessions) == (4, 3, 1, 4)
    assert week.cool_down_share == pytest.approx(1 / 3)
    assert week.to_json()["cool_down_share"] == 0.333


def worked(index: int, kind: str, planned: int, actual: float) -> StepRecord:
    status = "done" if actual >= planned else ("partial" if actual else "not-reached")
    return StepRecord(index, f"exercise-{index}", None, None, kind, planned, None, actual, status)  # type: ignore[arg-type]


def test_a_cool_down_counts_when_half_its_planned_work_was_done() -> None:
    """Half the planned work seconds (walk, holds, sets) make a cool-down; less, with a step
    done, is partial; a session stopped before any step was done is not a cool-down at all."""
    start = datetime(2026, 11, 17, 7, 0, tzinfo=UTC)  # ends 07:50; sessions at 08:00
    ready = worked(0, "get-ready", 10, 10.0)
    sessions_by_run = {
        # Stopped after 3 s of the get-ready: nothing done.
        1: (worked(0, "get-ready", 10, 3.0), worked(1, "hold", 30, 0), worked(2, "hold", 30, 0)),
        # 30 of 60 work seconds done: exactly half counts.
        2: (ready, worked(1, "hold", 30, 30.0), worked(2, "switch", 5, 5.0), worked(3, "hold", 30, 0)),
        # 30 of 90: partial; the switch and get-ready done do not make up the rest.
        3: (ready, worked(1, "hold", 30, 30.0), worked(2, "switch", 5, 5.0), worked(3, "hold", 30, 0),
            worked(4, "hold", 30, 0)),
        # 29 s of a 30 s hold and nothing else: no step done, not a cool-down.
        4: (ready, worked(1, "hold", 30, 29.0), worked(2, "hold", 30, 0)),
    }  # fmt: skip
    runs = [run(i, start + timedelta(days=i)) for i in sessions_by_run]
    sessions = [
        session(start + timedelta(days=i, minutes=60), steps)
        for i, steps in sessions_by_run.items()
    ]
    made = report(runs=runs, sessions=sessions)
    week = made.weeks[0]
    assert (week.hard_runs, week.hard_cooled_down, week.hard_partial) == (4, 1, 1)
    assert week.to_json()["hard_runs_partial_cool_down"] == 1
    assert (week.steps_done, week.steps_skipped) == (2, 0), "switches are not steps done"
    from afterrun.cli.commands.report import render_text

    text = render_text(made)
    assert (
        "1 of 4 hard runs were followed by a cool-down started within an hour of the run's end "
        "(at least half of its planned walk, holds and sets done). 1 more hard run had a "
        "partial cool-down (less than half of it done).\n"
    ) in text
    html = render_html(made)
    assert (
        "1 of 4" in html
        and "at least half of its planned walk, holds and sets done; 1 partial" in html
    )


def test_a_week_without_hard_runs_has_no_share() -> None:
    week = report(runs=[run(1, NOW - timedelta(days=1), hard=False)]).weeks[1]
    assert week.cool_down_share is None
    assert week.to_json()["cool_down_share"] is None


# -- steps, pain and soreness --------------------------------------------------------------------


def test_only_work_steps_count_as_done_or_skipped() -> None:
    steps = (
        step(0, "get-ready", "done"),
        step(1, "hold", "done"),
        step(2, "switch", "done"),
        step(3, "hold", "skipped"),
        step(4, "reps", "done"),
        step(5, "transition", "skipped"),
        step(6, "hold", "partial"),
        step(7, "reps", "not-reached"),
    )
    week = report(sessions=[session(NOW - timedelta(hours=2), steps)]).weeks[1]
    assert (week.steps_done, week.steps_skipped) == (2, 1)


def test_pain_reports_are_counted_per_area_in_the_week_they_happened() -> None:
    started = datetime(2026, 11, 22, 23, 55, tzinfo=UTC)  # Sunday night; the pain on Monday
    pains = (
        PainReport(1, "calf-stretch", "calves", 360.0, started + timedelta(minutes=6)),
        PainReport(3, "calf-stretch", "calves", 400.0, started + timedelta(minutes=7)),
        PainReport(5, "hamstring-stretch", "hamstrings", 500.0, started + timedelta(minutes=9)),
    )
    result = report(sessions=[session(started, pains=pains)])
    assert [dict(w.pains) for w in result.weeks] == [{}, {"calves": 2, "hamstrings": 1}]
    assert result.areas == ("calves", "hamstrings")


def test_check_ins_give_each_areas_peak_and_mean_and_count_red_flags() -> None:
    checkins = [
        ReportCheckin(NOW - timedelta(days=2), {"calves": 6, "quads": 2}),
        ReportCheckin(NOW - timedelta(days=1), {"calves": 3}, ("swelling",)),
        ReportCheckin(NOW - timedelta(days=8), {"glutes": 4}),
    ]
    result = report(checkins=checkins, checkins_supported=True)
    last = result.weeks[1]
    assert last.to_json()["soreness"] == {
        "calves": {"peak": 6.0, "mean": 4.5, "checkins": 2},
        "quads": {"peak": 2.0, "mean": 2.0, "checkins": 1},
    }
    assert (last.checkins, last.red_flags) == (2, 1)
    assert result.weeks[0].soreness["glutes"].peak == 4
    assert result.areas == ("calves", "glutes", "quads")


# -- load -----------------------------------------------------------------------------------------


def test_load_is_summed_per_week_and_the_model_is_read_at_each_weeks_end() -> None:
    loads = [
        (datetime(2026, 11, 16, 7, tzinfo=UTC), 100.0),
        (datetime(2026, 11, 22, 7, tzinfo=UTC), 50.0),
        (datetime(2026, 11, 24, 7, tzinfo=UTC), 80.0),
    ]
    days = daily_loads([(start.date(), value) for start, value in loads], NOW.date())
    weeks = report(loads=loads, days=days).weeks
    assert [w.load for w in weeks] == [150.0, 80.0]
    sunday = next(d for d in days if d.day == date(2026, 11, 22))
    assert (weeks[0].fatigue, weeks[0].fitness) == (sunday.fatigue, sunday.fitness)
    assert weeks[1].fatigue == days[-1].fatigue  # the week in progress: today
    assert weeks[0].form == pytest.approx(sunday.fitness - sunday.fatigue)


def test_weeks_before_any_load_have_no_model_values() -> None:
    days = daily_loads([(date(2026, 11, 24), 80.0)], NOW.date())
    weeks = report(days=days).weeks
    assert (weeks[0].fatigue, weeks[0].form) == (None, None)
    assert weeks[0].to_json()["form"] is None


# -- terminal output -----------------------------------------------------------------------------


def test_sparkline_and_bar_use_block_characters() -> None:
    assert sparkline([0, 5, 10, None, 10]) == "▁▅█ █"
    assert sparkline([3, 3]) == "▅▅"
    assert sparkline([None, None]) == "  "
    assert bar(50, 100, width=4) == "██"
    assert bar(10, 80, width=4) == "▌"
    assert bar(0, 100) == ""


def test_the_text_report_has_a_table_charts_and_the_model_note() -> None:
    start = datetime(2026, 11, 17, 7, 0, tzinfo=UTC)
    days = daily_loads([(start.date(), 120.0)], NOW.date())
    text = render_text(
        report(
            runs=[run(1, start)],
            sessions=[session(start + timedelta(minutes=55), (step(1, "hold", "done"),))],
            loads=[(start, 120.0)],
            days=days,
        )
    )
    lines = text.splitlines()
    assert lines[0] == (
        "Last 2 weeks, 16 Nov 2026 to 29 Nov 2026 "
        "(ISO weeks, Monday to Sunday, local time; * in progress)"
    )
    # At 80 columns (not a terminal) the two-word headers fold onto a second line.
    assert [lines[2].split(), lines[3].split()] == [
        [
            "Week",
            "From",
            "Runs",
            "Hard",
            "Cooled",
            "Steps",
            "Skipped",
            "Load",
            "Fatigue",
            "Fitness",
            "Form",
        ],
        ["down", "done"],
    ]
    assert lines[5].split()[:8] == ["2026-W47", "16", "Nov", "1", "1", "1/1", "100%", "1"]
    assert lines[6].startswith("2026-W48*")
    assert (
        "1 of 1 hard runs were followed by a cool-down started within an hour of the run's end "
        "(at least half of its planned walk, holds and sets done)." in lines
    )
    assert "  2026-W47  " + "█" * 30 + "  120" in lines
    assert lines[-1] == MODEL_NOTE


def test_the_text_report_invites_check_ins_only_when_the_store_keeps_them() -> None:
    hint = "No soreness check-ins in these weeks: 'afterrun checkin calves=3' a day after a run."
    assert hint in render_text(report(checkins_supported=True))
    assert hint not in render_text(report(checkins_supported=False))


# -- HTML -----------------------------------------------------------------------------------------


def full_report() -> WeeklyReport:
    start = datetime(2026, 11, 17, 7, 0, tzinfo=UTC)
    pains = (PainReport(1, "calf-stretch", "calves", 60.0, start + timedelta(minutes=60)),)
    loads = [(start - timedelta(days=i), 60.0 + i) for i in range(0, 40, 2)]
    days = daily_loads([(s.date(), v) for s, v in loads], NOW.date())
    return report(
        weeks=6,
        runs=[run(1, start), run(2, start - timedelta(days=8), hard=False)],
        sessions=[session(start + timedelta(minutes=55), (step(1, "hold", "done"),), pains)],
        loads=loads,
        days=days,
        checkins=[ReportCheckin(NOW - timedelta(days=1), {"calves": 7, "hip-flexors": 2})],
        checkins_supported=True,
    )


def test_the_html_report_is_self_contained() -> None:
    page = render_html(full_report())
    lowered = page.lower()
    for external in ("http://", "https://", "//", "src=", "href=", "url(", "@import", "<script"):
        assert external not in lowered.replace("</", ""), external
    assert "default-src 'none'" in page
    assert page.startswith("<!DOCTYPE html>\n")


def test_the_html_report_has_charts_with_titles_axes_and_legends() -> None:
    page = render_html(full_report())
    assert page.count("<svg ") == 4  # load, model curves, soreness, pain
    for title in (
        "Weekly training load",
        "Fatigue, fitness and form",
        "Soreness from check-ins",
        "Pain reported during cool-downs",
    ):
        assert f">{title}</title>" in page and f"<h2>{title}</h2>" in page
    assert "Load (model units)" in page and "Model value" in page
    assert page.count("ISO week (Monday to Sunday)</text>") == 4
    assert ">fatigue</text>" in page and ">form</text>" in page and ">rating, 0-10</text>" in page
    assert MODEL_NOTE in page
    assert "prefers-color-scheme: dark" in page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert re.search(r'<svg viewBox="0 0 480 \d+"', page)


def test_the_html_report_escapes_what_it_shows() -> None:
    checkin = ReportCheckin(NOW - timedelta(days=1), {"<b>calves</b>": 3})
    page = render_html(report(checkins=[checkin], checkins_supported=True))
    assert "<b>calves</b>" not in page and "&lt;b&gt;calves&lt;/b&gt;" in page


def test_an_empty_report_still_renders() -> None:
    page = render_html(report(checkins_supported=True))
    assert "No load recorded yet" in page
    assert "No check-ins in these weeks." in page


@pytest.mark.parametrize(
    ("span", "step"),
    [(0, 1.0), (4, 1.0), (10, 5.0), (1988, 500.0), (7, 2.0), (0.3, 0.1), (1, 0.5), (100, 25.0)],
)
def test_axis_steps_are_round_numbers(span: float, step: float) -> None:
    assert nice_step(span) == pytest.approx(step)


# -- from the store and the command line ------------------------------------------------------------


def played(plan_minutes: int, started: datetime, hurt_area: str | None = None) -> SessionRecord:
    """A cool-down played by the real engine on a fake clock, skipping one step."""
    plan = plan_cooldown(load_catalogue(None), PlanRequest(plan_minutes, Intensity.HARD))
    walk = plan.walk_minutes * 60  # the easy walk first, then the exercises
    assert walk == 3 * 60
    engine = SessionEngine(plan)
    engine.start(0.0)
    now = 0.0
    total = engine.timeline.total_ms / 1000
    while not engine.finished:
        now += 1.0
        engine.poll(now)
        if now == walk + 120 and hurt_area:
            engine.hurt(now, started + timedelta(seconds=now), hurt_area)
            engine.skip_exercise(now)
        if now == walk + 200:
            engine.skip(now)
        assert now < total + 60
    return engine.record(started, started + timedelta(seconds=now), "completed")


def fill(cli: Cli) -> tuple[datetime, list[int]]:
    """Three runs in the last days by the CLI (the middle one very hard) and two cool-downs."""
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    starts = [now - timedelta(days=3), now - timedelta(days=2), now - timedelta(hours=5)]
    for start, rpe in zip(starts, ("3", "10", "4"), strict=True):
        result = cli(
            "run",
            "add",
            "--distance",
            "10km",
            "--time",
            "50:00" if rpe != "10" else "1:40:00",
            "--rpe",
            rpe,
            "--at",
            start.isoformat(),
        )
        assert result.exit_code == 0, result.output
    with Store.open(cli.env["AFTERRUN_DB"]) as store:
        hard_end = starts[1] + timedelta(minutes=100)
        for started, area in ((hard_end + timedelta(minutes=10), "calves"), (now, None)):
            record = played(10, started, area)
            session_id = store.start_session(replace(record, status="in-progress", ended_at=None))
            store.save_session(session_id, record)
    return now, [1, 2, 3]


def test_report_from_the_store_rates_runs_and_finds_the_cool_down(cli: Cli) -> None:
    now, _ = fill(cli)
    with Store.open(cli.env["AFTERRUN_DB"]) as store:
        result = build_report(store, now + timedelta(minutes=1), 2, None)
        sessions = store.list_sessions()
    totals = {
        key: sum(getattr(week, key) for week in result.weeks)
        for key in ("runs", "hard_runs", "hard_cooled_down", "sessions", "steps_skipped")
    }
    assert totals == {
        "runs": 3,
        "hard_runs": 1,
        "hard_cooled_down": 1,
        "sessions": 2,
        "steps_skipped": sum(
            step.status == "skipped" and step.kind in WORK_KINDS
            for stored in sessions
            for step in stored.record.steps
        ),
    }
    assert totals["steps_skipped"] >= 2
    assert sum(week.pains.get("calves", 0) for week in result.weeks) == 1
    # Session RPE x minutes, put on the TRIMP scale by the default ratio (no HR runs here).
    assert result.weeks[-1].load + result.weeks[0].load == pytest.approx(
        0.4 * (3 * 50 + 10 * 100 + 4 * 50)
    )


def test_report_on_the_command_line_json_and_html(cli: Cli, tmp_path: Path) -> None:
    fill(cli)
    text = cli("report", "--weeks", "2")
    assert text.exit_code == 0, text.output
    assert text.stdout.startswith("Last 2 weeks, ")
    assert "1 of 1 hard runs were followed by a cool-down started within an hour" in text.stdout
    data = json.loads(cli("report", "--json").stdout)
    assert len(data["weeks"]) == 8
    assert sum(week["runs"] for week in data["weeks"]) == 3
    assert data["note"] == MODEL_NOTE
    out = tmp_path / "report.html"
    written = cli("report", "--out", str(out))
    assert (written.exit_code, written.stdout) == (
        0,
        f"Wrote the report for the last 8 weeks to {out}.\n",
    )
    page = out.read_text()
    assert "http:" not in page and "https:" not in page and "<svg " in page


def export_of(cli: Cli) -> str:
    result = cli("export")
    assert result.exit_code == 0, result.output
    return re.sub(r'"exported_at": "[^"]+"', "", result.stdout)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--weeks", "0"], "Invalid value for '--weeks': 0 is not in the range 1<=x<=104."),
        (
            ["--weeks", str(10**9)],
            "Invalid value for '--weeks': 1000000000 is not in the range 1<=x<=104.",
        ),
        (["--weeks", "many"], "Invalid value for '--weeks': 'many' is not a valid integer range."),
    ],
)
def test_bad_weeks_are_refused_and_nothing_changes(cli: Cli, args: list[str], message: str) -> None:
    fill(cli)
    before = export_of(cli)
    result = cli("report", *args)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == f"Error: {message}"
    assert export_of(cli) == before


def test_an_out_path_in_a_missing_folder_is_refused_before_any_work(
    cli: Cli, tmp_path: Path
) -> None:
    out = tmp_path / "nowhere" / "report.html"
    result = cli("report", "--out", str(out))
    assert (result.exit_code, result.stderr) == (
        2,
        f"Error: cannot write {out}: the folder {out.parent} does not exist. Create it or "
        "choose another path.\n",
    )
    assert not Path(cli.env["AFTERRUN_DB"]).exists(), "refused before the database was opened"


def test_out_and_json_together_are_refused(cli: Cli, tmp_path: Path) -> None:
    result = cli("report", "--json", "--out", str(tmp_path / "r.html"))
    assert (result.exit_code, result.stderr) == (
        2,
        "Error: --out writes an HTML file and --json prints JSON: give one of them.\n",
    )


def test_check_ins_appear_in_the_report_when_the_store_keeps_them(cli: Cli) -> None:
    soreness = pytest.importorskip("afterrun.core.soreness")
    if not hasattr(Store, "add_checkin"):
        pytest.skip("this store does not keep check-ins yet")
    now, _ = fill(cli)
    with Store.open(cli.env["AFTERRUN_DB"]) as store:
        store.add_checkin(soreness.CheckIn(now - timedelta(days=1), {"calves": 6}, (), 2))
        store.add_checkin(soreness.CheckIn(now - timedelta(hours=1), {"calves": 3, "quads": 1}))
        result = build_report(store, now + timedelta(minutes=1), 2, None)
    assert result.checkins_supported
    peaks = [week.soreness["calves"].peak for week in result.weeks if "calves" in week.soreness]
    assert max(peaks) == 6
    assert sum(week.checkins for week in result.weeks) == 2


def test_rating_many_runs_at_once_agrees_with_rate_stored(tmp_path: Path) -> None:
    from afterrun.core.activity import Activity, Sport
    from afterrun.core.load import Profile, activity_load
    from afterrun.services.runs import rate_runs as rate_all
    from afterrun.services.runs import rate_stored

    with Store.open(str(tmp_path / "a.db")) as store:
        profile = Profile(hr_max=190, hr_rest=50)
        for day in range(60):
            start = NOW - timedelta(days=day, hours=day % 5)
            heart = {"avg_hr": 120.0 + (day * 7) % 50} if day % 3 else {}
            activity = Activity(
                sport=Sport.CYCLING if day % 11 == 0 else Sport.RUNNING,
                start=start,
                elapsed_seconds=1800 + (day * 397) % 3600,
                rpe=float(2 + day % 8),
                **heart,  # type: ignore[arg-type]
            )
            load = activity_load(activity, profile, 2026)
            store.add_activity(activity, f"hash-{day}", "test", load, NOW)
        runs = store.list_activities(sport=Sport.RUNNING)
        together = rate_all(runs, runs)
        one_by_one = {stored.id: rate_stored(store, stored) for stored in runs}
    assert together == one_by_one
    assert {rating.intensity for rating in together.values()} >= {Intensity.EASY, Intensity.HARD}


def test_warning_signs_in_check_ins_are_listed_on_their_rung_in_text_and_html() -> None:
    at = NOW - timedelta(days=1)
    checkins = [ReportCheckin(at, {"calves": 8}, ("swelling", "bruising", "dark-urine"))]
    result = report(checkins=checkins, checkins_supported=True)
    local = at.astimezone()
    lines = render_text(result).splitlines()
    start = lines.index("Warning signs reported in these weeks ('afterrun why red-flags'):")
    assert lines[start + 1 : start + 3] == [
        f"  SAME-DAY CARE: dark urine ({local:%d %b %H:%M})",
        f"  SEE A CLINICIAN SOON: swelling or bruising ({local:%d %b %H:%M})",
    ], "most urgent first; an unknown sign from an older afterrun is left out"
    html = render_html(result)
    assert (
        '<section class="warnings"><h2>Warning signs reported in these weeks</h2><ul>'
        f'<li class="level-same-day">SAME-DAY CARE: dark urine ({local:%d %b %H:%M}): get '
        "medical care today: a same-day doctor&#x27;s appointment, urgent care or A&amp;E.</li>"
        f'<li class="level-soon">SEE A CLINICIAN SOON: swelling or bruising '
        f"({local:%d %b %H:%M}): stop running and see a doctor or physiotherapist in the next "
        "few days.</li></ul>"
    ) in html
    assert "afterrun why" not in html, "a page in a browser names no terminal command"
    # A check-in with a warning sign and no rating is listed too.
    alone = report(checkins=[ReportCheckin(at, {}, ("chest-pain",))], checkins_supported=True)
    assert f"  EMERGENCY: chest pain ({local:%d %b %H:%M})" in render_text(alone).splitlines()
    assert "EMERGENCY: chest pain" in render_html(alone)
