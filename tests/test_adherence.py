"""What a cool-down counts as, and one count of steps on every screen.

The steps counted are the runner's work (the walk, holds and sets); get-ready, transitions
and side switches are not. A session counts as a cool-down when at least half of its planned
work seconds were done; less, with a step done, is partial; none done is not a cool-down.
History, the report and the phone say the same.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from afterrun.catalogue_files import load_catalogue
from afterrun.core.intensity import Intensity
from afterrun.core.plan import Plan, PlanRequest
from afterrun.core.planner import plan_cooldown
from afterrun.core.records import SessionRecord, StepRecord, steps_text, work_tally
from afterrun.store import Store
from conftest import Cli

#: 07:00 UTC five days ago: the runs end at 08:00 on three days, within the report's two
#: weeks; each session starts 10 minutes after its run ends.
DAY = (datetime.now(UTC) - timedelta(days=5)).replace(hour=7, minute=0, second=0, microsecond=0)


def hard_plan() -> Plan:
    return plan_cooldown(load_catalogue(None), PlanRequest(minutes=10, intensity=Intensity.HARD))


def played(plan: Plan, start: datetime, seconds: float) -> SessionRecord:
    """The session as the engine leaves it when stopped after `seconds` of playing."""
    steps, left = [], seconds
    for index, step in enumerate(plan.steps):
        actual = min(left, step.seconds)
        left -= actual
        status = "done" if actual >= step.seconds else ("partial" if actual else "not-reached")
        steps.append(
            StepRecord(index, step.exercise, step.variant, step.side, step.kind, step.seconds,
                       step.reps, float(actual), status)  # type: ignore[arg-type]
        )  # fmt: skip
    finished = seconds >= plan.total_seconds
    return SessionRecord(
        start, start + timedelta(seconds=min(seconds, plan.total_seconds)),
        "completed" if finished else "quit", "hard", 10, plan.to_json(), tuple(steps), (),
    )  # fmt: skip


def store_sessions(cli: Cli, *records: SessionRecord) -> None:
    store = Store.open(f"sqlite:///{Path(cli.env['AFTERRUN_DB'])}")
    try:
        for record in records:
            store.start_session(record)
    finally:
        store.close()


def add_hard_run(cli: Cli, ended: datetime) -> None:
    start = ended - timedelta(minutes=50)
    result = cli("run", "add", "--distance", "10km", "--time", "50:00", "--rpe", "8",
                 "--at", start.isoformat())  # fmt: skip
    assert result.exit_code == 0, result.output


def test_the_rule_in_the_core() -> None:
    plan = hard_plan()
    work = [step for step in plan.steps if step.is_work]
    planned = sum(step.seconds for step in work)
    assert len(work) < len(plan.steps), "switches and transitions are in the plan"
    # Stopped 3 s into the walk: no step done, not a cool-down.
    stopped = work_tally(played(plan, DAY, 3).steps)
    assert (stopped.done, stopped.steps, stopped.outcome) == (0, len(work), "not-done")
    assert stopped.text() == f"0 of {len(work)} steps done, 0 skipped"
    # The walk alone is a step done, but under half of the work: partial.
    walked = work_tally(played(plan, DAY, plan.steps[0].seconds).steps)
    assert (walked.done, walked.outcome) == (1, "partial")
    assert walked.share < 0.5
    whole = work_tally(played(plan, DAY, plan.total_seconds).steps)
    assert (whole.done, whole.planned_seconds, whole.outcome) == (len(work), planned, "done")
    assert (steps_text(1), steps_text(2)) == ("1 step", "2 steps")


def test_history_and_the_report_count_the_same_steps_and_say_partial(cli: Cli) -> None:
    cli.env["TZ"] = "UTC"
    plan = hard_plan()
    work = sum(step.is_work for step in plan.steps)
    runs_end = [DAY + timedelta(days=i, hours=1) for i in range(3)]
    for end in runs_end:
        add_hard_run(cli, end)
    store_sessions(
        cli,
        played(plan, runs_end[0] + timedelta(minutes=10), 3),  # stopped after 3 s
        played(plan, runs_end[1] + timedelta(minutes=10), plan.steps[0].seconds),  # the walk
        played(plan, runs_end[2] + timedelta(minutes=10), plan.total_seconds),  # all of it
    )
    history = cli("history")

    def day(index: int) -> str:
        return f"{DAY + timedelta(days=index):%Y-%m-%d}"

    assert history.exit_code == 0, history.output
    # The plan: a 3-minute walk, then 12 holds and sets, 25 steps in all with the switches.
    assert (work, len(plan.steps), plan.total_seconds) == (13, 25, 513)
    assert history.stdout == (
        "ID  Started           Time  Run   Status     Done   Skipped  Counts    Pain\n"
        "--  ----------------  ----  ----  ---------  -----  -------  --------  ----\n"
        f"3   {day(2)} 08:10  8:33  hard  completed  13/13  0        done      -\n"
        f"2   {day(1)} 08:10  3:00  hard  quit       1/13   0        partial   -\n"
        f"1   {day(0)} 08:10  0:03  hard  quit       0/13   0        not done  -\n"
    )
    report = cli("report", "--weeks", "2")
    assert report.exit_code == 0, report.output
    assert (
        "1 of 3 hard runs were followed by a cool-down started within an hour of the run's end "
        "(at least half of its planned walk, holds and sets done). 1 more hard run had a "
        "partial cool-down (less than half of it done).\n"
    ) in report.stdout


def test_one_week_is_one_week(cli: Cli) -> None:
    assert cli("report", "--weeks", "1").stdout.startswith("Last 1 week, ")
    assert cli("report", "--weeks", "2").stdout.startswith("Last 2 weeks, ")
