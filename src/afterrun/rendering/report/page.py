"""The weekly report as one self-contained HTML file: inline CSS and inline SVG charts.

Built with plain strings (every value passes through `html.escape`), so no template
engine is needed. Nothing is fetched: no scripts, fonts, images or links, and a
Content-Security-Policy says so to the browser. Colours come from CSS variables that
follow prefers-color-scheme (`report.css`, also served to the web app's report page),
and the numbers behind every chart are in a table below it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from html import escape
from importlib.resources import files

from afterrun.core.records import DONE_RULE
from afterrun.core.red_flags import BY_SLUG
from afterrun.core.report import COOL_DOWN_WITHIN, MODEL_NOTE, WeeklyReport, WeekRow
from afterrun.core.time_text import counted, day_and_time
from afterrun.rendering.report.charts import curve_chart, heatmap, load_chart


@dataclass(frozen=True)
class Shown:
    """The parts of the report shown: all to the runner, to a coach what the runner shares
    (load and runs; cool-down adherence; soreness and warning signs)."""

    load: bool = True
    adherence: bool = True
    soreness: bool = True


EVERYTHING = Shown()
NOT_SHARED = "Not shared with you"


def _not_shared(title: str) -> str:
    return f'<section class="not-shared"><h2>{escape(title)}</h2><p>{NOT_SHARED}.</p></section>'


@cache
def style_sheet() -> str:
    """The report's style sheet, read once from the package."""
    return "\n" + files("afterrun.rendering.report").joinpath("report.css").read_text("utf-8")


def _soreness_figures(report: WeeklyReport) -> list[str]:
    figures = []
    rated = sorted({area for week in report.weeks for area in week.soreness})
    if rated:

        def peak(week: WeekRow, area: str) -> float | None:
            found = week.soreness.get(area)
            return None if found is None else found.peak

        figures.append(
            _figure(
                "Soreness from check-ins",
                heatmap(
                    report,
                    "Soreness from check-ins",
                    rated,
                    peak,
                    10,
                    "heat",
                    ("rating, 0-10", (0, 2, 4, 6, 8, 10)),
                ),
                "The highest rating each week, 0 (none) to 10 (worst); an empty cell means no "
                "rating. Runners differ in when soreness is worst; many are sorest early "
                "(Vickers 2001).",
            )
        )
    elif report.checkins_supported:
        figures.append(
            _figure(
                "Soreness from check-ins",
                "<p>No check-ins in these weeks. Rate how sore each area is a day after a run "
                "with <code>afterrun checkin calves=3</code>.</p>",
                "",
            )
        )
    hurt = sorted({area for week in report.weeks for area in week.pains})
    if hurt:
        most = max(count for week in report.weeks for count in week.pains.values())

        def count(week: WeekRow, area: str) -> float | None:
            found = week.pains.get(area)
            return None if found is None else float(found)

        figures.append(
            _figure(
                "Pain reported during cool-downs",
                heatmap(
                    report,
                    "Pain reported during cool-downs",
                    hurt,
                    count,
                    most,
                    "pain",
                    ("times", tuple(range(1, most + 1)) if most <= 6 else (1, most)),
                ),
                "How often 'it hurts' was pressed, by body area. By afterrun's rule of thumb, "
                "pain in the same area on two days within two weeks is worth showing a doctor or "
                "physiotherapist.",
            )
        )
    return figures


def _warnings(report: WeeklyReport) -> str:
    """The warning signs reported in these weeks, each on its rung, before anything else."""
    if not report.warning_signs:
        return ""
    zone = report.generated_at.tzinfo
    # Each says what to do itself: this page is read in a browser (a coach's phone, a
    # saved file), where no command can be run.
    items = "".join(
        f'<li class="level-{BY_SLUG[slug].level}">'
        f"{escape(BY_SLUG[slug].rung.label)}: {escape(BY_SLUG[slug].name)} "
        f"({day_and_time(at, zone)}): {escape(BY_SLUG[slug].rung.action)}.</li>"
        for at, slug in report.warning_signs
    )
    return (
        '<section class="warnings"><h2>Warning signs reported in these weeks</h2>'
        f"<ul>{items}</ul></section>"
    )


def _figure(title: str, content: str, caption: str) -> str:
    note = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
    return f"<figure><h2>{escape(title)}</h2>{content}{note}</figure>"


def _cards(report: WeeklyReport, shown: Shown) -> str:
    weeks = report.weeks
    runs = sum(w.runs for w in weeks)
    hard = report.hard_runs
    minutes = int(COOL_DOWN_WITHIN.total_seconds() // 60)
    cooled, cooled_hint = "-", "no hard runs"
    if hard:
        cooled = f"{report.hard_cooled_down} of {hard}"
        cooled_hint = (
            f"{report.hard_cooled_down / hard:.0%}, started within {minutes} min, {DONE_RULE}"
        )
        if report.hard_partial:
            cooled_hint += f"; {report.hard_partial} partial"
    done = sum(w.steps_done for w in weeks)
    skipped = sum(w.steps_skipped for w in weeks)
    form = next((w.shown_form for w in reversed(weeks) if w.shown_form is not None), None)
    cards = [
        ("Runs", str(runs), "", shown.load),
        ("Hard runs", str(hard), "rated hard or very hard", shown.load),
        ("Hard runs cooled down", cooled, cooled_hint, shown.adherence),
        ("Cool-down steps", f"{done} done", f"{skipped} skipped", shown.adherence),
        (
            "Form now (model)",
            "-" if form is None else f"{form:+.0f}",
            "fitness minus fatigue",
            shown.load,
        ),
    ]
    return (
        '<section class="cards">'
        + "".join(
            f'<div class="card">{escape(label)}<b>{escape(value if seen else "-")}</b>'
            f'<span class="muted">{escape(hint if seen else NOT_SHARED)}</span></div>'
            for label, value, hint, seen in cards
        )
        + "</section>"
    )


def _cell(value: float | None, signed: bool = False) -> str:
    if value is None:
        return "-"
    return f"{value:+.0f}" if signed else f"{value:.0f}"


def _table(report: WeeklyReport, shown: Shown) -> str:
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
        "Pain reports",
    )
    load, adherence = shown.load, shown.adherence
    # Which part each column belongs to, in the order of `headers`.
    parts = [True, True, load, load, adherence, adherence, adherence, load, load, load, load]
    parts.append(shown.soreness)
    rows = []
    for week in report.weeks:
        share = week.cool_down_share
        cells = (
            week.label + (" (so far)" if week.partial else ""),
            week.start.strftime("%d %b"),
            str(week.runs),
            str(week.hard_runs),
            "-"
            if share is None
            else f"{week.hard_cooled_down}/{week.hard_runs} ({share:.0%})"
            + (f" +{week.hard_partial} partial" if week.hard_partial else ""),
            str(week.steps_done),
            str(week.steps_skipped),
            _cell(week.load),
            _cell(week.fatigue),
            _cell(week.fitness),
            _cell(week.shown_form, signed=True),
            str(sum(week.pains.values())),
        )
        rows.append(
            "<tr>"
            + "".join(
                f'<td data-label="{escape(h)}">{escape(c if seen else "not shared")}</td>'
                for h, c, seen in zip(headers, cells, parts, strict=True)
            )
            + "</tr>"
        )
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
    return (
        '<section class="weeks"><h2>Week by week</h2>'
        '<div class="table-wrap" tabindex="0" role="region" aria-label="Week by week"><table>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div></section>"
    )


def _span(report: WeeklyReport) -> str:
    first, last = report.weeks[0], report.weeks[-1]
    return f"{first.start:%d %b %Y} to {last.end:%d %b %Y}"


def _load_figures(report: WeeklyReport) -> list[str]:
    return [
        _figure(
            "Weekly training load",
            load_chart(report),
            "Each activity's load is TRIMP from heart rate, else session RPE x minutes put on "
            "the TRIMP scale by your own ratio (see 'afterrun advice').",
        ),
        _figure(
            "Fatigue, fitness and form",
            curve_chart(report),
            "Values at the end of each week. Fatigue follows the last 7 days, fitness the "
            "last 42; form is fitness minus fatigue.",
        ),
    ]


def report_body(report: WeeklyReport, shown: Shown = EVERYTHING, whose: str = "Your") -> str:
    """Heading, cards, charts and table: the page's content, here and in the web app; a
    part not `shown` says it is not shared. `whose` starts the heading ("Ana's")."""
    weeks = report.weeks
    span = _span(report)
    generated = report.generated_at.strftime("%d %b %Y %H:%M")  # in the runner's zone
    figures = [
        *(_load_figures(report) if shown.load else [_not_shared("Training load")]),
        *(_soreness_figures(report) if shown.soreness else [_not_shared("Soreness")]),
    ]
    warnings = _warnings(report) if shown.soreness else _not_shared("Warning signs")
    return (
        f"<header><h1>{escape(whose)} last {counted(len(weeks), 'week')}</h1>"
        f'<p class="muted">{escape(span)}, ISO weeks (Monday to Sunday) in local time; '
        f"the current week is in progress. Made by afterrun on {escape(generated)}.</p>"
        "</header>"
        f"{warnings}"
        f"{_cards(report, shown)}"
        f'<section class="charts">{"".join(figures)}</section>'
        f"{_table(report, shown)}"
        f'<p class="note">{escape(MODEL_NOTE)}</p>'
    )


def render_html(report: WeeklyReport) -> str:
    """The whole page; it references nothing outside itself."""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        '<meta name="color-scheme" content="light dark">'
        f"<title>afterrun report: {escape(_span(report))}</title>"
        f"<style>{style_sheet()}</style></head><body><main>"
        f"{report_body(report)}"
        "</main></body></html>\n"
    )
