"""`afterrun report`: the last weeks as tables and block-character charts, JSON or an HTML file."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import click

from afterrun.cli.context import AppContext
from afterrun.cli.render import folded, table, to_json
from afterrun.core.errors import InvalidInput
from afterrun.core.records import DONE_RULE
from afterrun.core.report import MODEL_NOTE, WeeklyReport, WeekRow, partial_text
from afterrun.core.time_text import counted

BLOCKS = "▁▂▃▄▅▆▇█"
BAR_WIDTH = 30


def sparkline(values: Sequence[float | None]) -> str:
    """One block character per value, scaled from the lowest to the highest; a gap for None."""
    known = [v for v in values if v is not None]
    if not known:
        return " " * len(values)
    low, high = min(known), max(known)
    span = high - low
    out = []
    for value in values:
        if value is None:
            out.append(" ")
        elif span == 0:
            out.append(BLOCKS[len(BLOCKS) // 2])
        else:
            out.append(BLOCKS[round((value - low) / span * (len(BLOCKS) - 1))])
    return "".join(out)


def bar(value: float, highest: float, width: int = BAR_WIDTH) -> str:
    """A horizontal bar in eighths of a character, so small differences still show."""
    if highest <= 0 or value <= 0:
        return ""
    eighths = round(value / highest * width * 8)
    full, rest = divmod(eighths, 8)
    return "█" * full + (" ▏▎▍▌▋▊▉"[rest] if rest else "")


def _number(value: float | None, signed: bool = False) -> str:
    if value is None:
        return "-"
    return f"{value:+.0f}" if signed else f"{value:.0f}"


def _share(week: WeekRow) -> str:
    share = week.cool_down_share
    if share is None:
        return "-"
    return f"{week.hard_cooled_down}/{week.hard_runs} {share:.0%}"


def _week_table(report: WeeklyReport) -> str:
    rows = [
        (
            week.label + ("*" if week.partial else ""),
            week.start.strftime("%d %b"),
            week.runs,
            week.hard_runs,
            _share(week),
            week.steps_done,
            week.steps_skipped,
            _number(week.load),
            _number(week.fatigue),
            _number(week.fitness),
            _number(week.shown_form, signed=True),
        )
        for week in report.weeks
    ]
    headers = (
        "Week",
        "From",
        "Runs",
        "Hard",
        "Cooled down",
        "Steps done",
        "Skipped",
        "Load",
        "Fatigue",
        "Fitness",
        "Form",
    )
    return table(headers, rows)


def _load_chart(report: WeeklyReport) -> list[str]:
    highest = max((week.load for week in report.weeks), default=0.0)
    lines = ["Weekly load (all sports; a model, not a measurement)"]
    for week in report.weeks:
        lines.append(f"  {week.label}  {bar(week.load, highest):<{BAR_WIDTH + 1}} {week.load:.0f}")
    return lines


def _curve_lines(report: WeeklyReport) -> list[str]:
    weeks = report.weeks
    lines = ["Fatigue, fitness and form at each week's end, oldest to newest"]
    series: tuple[tuple[str, Callable[[WeekRow], float | None], bool], ...] = (
        ("Fatigue", lambda w: w.fatigue, False),
        ("Fitness", lambda w: w.fitness, False),
        ("Form", lambda w: w.shown_form, True),
    )
    for name, pick, signed in series:
        values = [pick(week) for week in weeks]
        known = [v for v in values if v is not None]
        span = (
            f"{_number(known[0], signed)} -> {_number(known[-1], signed)}"
            if known
            else "no load yet"
        )
        lines.append(f"  {name:<8} {sparkline(values)}  {span}")
    return lines


def _area_table(
    report: WeeklyReport, title: str, cell: Callable[[WeekRow, str], str], areas: Sequence[str]
) -> list[str]:
    headers = ("Area", *(week.short_label for week in report.weeks))
    rows = [(area, *(cell(week, area) for week in report.weeks)) for area in areas]
    return [title, table(headers, rows)]


def _soreness_lines(report: WeeklyReport) -> list[str]:
    lines: list[str] = []
    rated = sorted({area for week in report.weeks for area in week.soreness})
    if rated:

        def peak(week: WeekRow, area: str) -> str:
            found = week.soreness.get(area)
            return "-" if found is None else f"{found.peak:g}"

        lines += ["", *_area_table(report, "Soreness from check-ins (highest, 0-10)", peak, rated)]
    elif report.checkins_supported:
        lines += [
            "",
            "No soreness check-ins in these weeks: 'afterrun checkin calves=3' a day after a run.",
        ]
    hurt = sorted({area for week in report.weeks for area in week.pains})
    if hurt:

        def count(week: WeekRow, area: str) -> str:
            return str(week.pains.get(area, "-"))

        lines += ["", *_area_table(report, "Pain reported during cool-downs (times)", count, hurt)]
    return lines


def warning_lines(report: WeeklyReport) -> list[str]:
    """The warning signs reported in these weeks, each on its rung of the ladder."""
    from afterrun.core.red_flags import BY_SLUG
    from afterrun.core.time_text import day_and_time

    if not report.warning_signs:
        return []
    zone = report.generated_at.tzinfo
    lines = ["", "Warning signs reported in these weeks ('afterrun why red-flags'):"]
    for at, slug in report.warning_signs:
        flag = BY_SLUG[slug]
        lines.append(f"  {flag.rung.label}: {flag.name} ({day_and_time(at, zone)})")
    return lines


def render_text(report: WeeklyReport) -> str:
    weeks = report.weeks
    first, last = weeks[0], weeks[-1]
    hard = report.hard_runs
    cooled = (
        f"{report.hard_cooled_down} of {hard} hard runs were followed by a cool-down "
        f"started within an hour of the run's end ({DONE_RULE})."
        if hard
        else "No hard runs in these weeks."
    )
    if report.hard_partial:
        cooled += f" {partial_text(report.hard_partial)}"
    lines = [
        f"Last {counted(len(weeks), 'week')}, {first.start:%d %b %Y} to {last.end:%d %b %Y} "
        "(ISO weeks, Monday to Sunday, local time; * in progress)",
        *warning_lines(report),
        "",
        _week_table(report),
        "",
        cooled,
        "",
        *_load_chart(report),
        "",
        *_curve_lines(report),
        *_soreness_lines(report),
        "",
        MODEL_NOTE,
    ]
    return "\n".join(lines)


def _quick_report(app: AppContext, now: datetime, weeks: int) -> WeeklyReport | None:
    """The report read from a SQLite file at the current schema without the ORM, else None."""
    path = app.sqlite_file()
    if path is None or not path.exists():
        return None
    from afterrun.quick_report import read_report

    return read_report(path, now, weeks)


@click.command()
@click.option(
    "--weeks",
    type=click.IntRange(1, 104),
    default=8,
    show_default=True,
    help="How many ISO weeks to show, the current one included (1-104).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write one self-contained HTML file with charts instead of printing.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def report(app: AppContext, /, weeks: int, out: Path | None, as_json: bool) -> None:
    """Your last weeks: runs, hard runs cooled down, steps, soreness and training load."""
    if out is not None and as_json:
        raise InvalidInput("--out writes an HTML file and --json prints JSON: give one of them.")
    if out is not None:
        from afterrun.cli.output_file import check_out_path

        check_out_path(out)
    now = datetime.now(UTC)
    weekly = _quick_report(app, now, weeks)
    if weekly is None:
        from afterrun.services.report import build_report

        weekly = build_report(app.store(), now, weeks, None)
    if out is not None:
        from afterrun.cli.output_file import write_file
        from afterrun.rendering.report import render_html

        write_file(out, render_html(weekly).encode())
        click.echo(f"Wrote the report for the last {counted(len(weekly.weeks), 'week')} to {out}.")
        return
    if as_json:
        click.echo(to_json(weekly.to_json()))
        return
    click.echo(folded(render_text(weekly)))
