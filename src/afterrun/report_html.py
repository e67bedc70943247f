"""The weekly report as one self-contained HTML file: inline CSS and inline SVG charts.

Built with plain strings (every value passes through `html.escape`), so no template
engine is needed. Nothing is fetched: no scripts, fonts, images or links, and a
Content-Security-Policy says so to the browser. Charts scale with their container
(SVG viewBox), colours come from CSS variables that follow prefers-color-scheme, and
every chart has a title, axis labels and a legend, with the numbers in a table below.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from html import escape

from afterrun.core.red_flags import BY_SLUG
from afterrun.core.report import COOL_DOWN_WITHIN, MODEL_NOTE, WeeklyReport, WeekRow

WIDTH = 480
LEFT, RIGHT, TOP, BOTTOM = 62, 14, 34, 46
MAX_X_LABELS = 9

CSS = """
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1b1f24; --muted: #57606a; --grid: #d8dee4; --card: #f4f6f8;
  --load: #2f6fb0; --fatigue: #c93c37; --fitness: #1f7a4d; --form: #6f4fb0;
  --heat: #d9480f; --pain: #a61e4d; --hot-text: #ffffff;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #111417; --fg: #e6e9ec; --muted: #9aa5b1; --grid: #2f363d; --card: #1a1f24;
    --load: #6cb0f0; --fatigue: #ff8078; --fitness: #57d68d; --form: #b99cff;
    --heat: #ff8a4c; --pain: #f06595; --hot-text: #111417;
  }
}
* { box-sizing: border-box; }
body {
  margin: 0; background: var(--bg); color: var(--fg);
  font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
    sans-serif;
}
main { max-width: 1100px; margin: 0 auto; padding: 16px; }
h1 { font-size: 1.5rem; margin: 0.2em 0; }
h2 { font-size: 1.05rem; margin: 0 0 0.4em; }
p { margin: 0.4em 0; }
.muted { color: var(--muted); font-size: 0.9rem; }
.cards {
  display: grid; gap: 10px; margin: 16px 0;
  grid-template-columns: repeat(auto-fit, minmax(150px, 1fr));
}
.card { background: var(--card); border-radius: 8px; padding: 10px 12px; }
.card b { display: block; font-size: 1.4rem; }
.charts {
  display: grid; gap: 16px;
  grid-template-columns: repeat(auto-fit, minmax(min(100%, 470px), 1fr));
}
figure { margin: 0; background: var(--card); border-radius: 8px; padding: 12px; }
figcaption { color: var(--muted); font-size: 0.85rem; margin-top: 4px; }
svg { display: block; width: 100%; height: auto; }
svg text { fill: var(--fg); font-size: 13px; font-family: inherit; }
svg .axis { fill: var(--muted); font-size: 12px; }
svg .grid { stroke: var(--grid); stroke-width: 1; }
svg .zero { stroke: var(--muted); stroke-width: 1.2; }
svg .bar { fill: var(--load); }
svg .hot { fill: var(--hot-text); }
svg path.line, svg line.line {
  fill: none; stroke-width: 2.5; stroke-linejoin: round; stroke-linecap: round;
}
.fatigue { stroke: var(--fatigue); fill: var(--fatigue); }
.fitness { stroke: var(--fitness); fill: var(--fitness); }
.form { stroke: var(--form); fill: var(--form); }
section.weeks { margin-top: 24px; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; font-size: 0.9rem; min-width: 100%; }
th, td { padding: 4px 8px; text-align: right; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
thead th { border-bottom: 2px solid var(--grid); }
tbody tr:nth-child(even) { background: var(--card); }
.warnings { margin: 14px 0; padding: 10px 14px; border: 2px solid var(--fatigue);
  border-left-width: 8px; border-radius: 8px; }
.warnings h2 { margin: 0 0 6px; font-size: 1.05rem; color: var(--fatigue); }
.warnings ul { margin: 0 0 6px; padding-left: 1.1em; }
.warnings li { font-weight: 600; }
.note { margin-top: 16px; padding: 10px 12px; border-left: 4px solid var(--form);
  background: var(--card); }
@media (max-width: 560px) {
  main { padding: 10px; }
  figure { padding: 8px; }
  svg text { font-size: 16px; }
  svg .axis { font-size: 15px; }
}
"""


def _num(value: float) -> str:
    return f"{value:.0f}" if abs(value) >= 10 or value == int(value) else f"{value:.1f}"


def nice_step(span: float, intervals: int = 4) -> float:
    """A round step (1, 2 or 5 times a power of ten) giving about `intervals` grid lines."""
    if span <= 0:
        return 1.0
    raw = span / intervals
    power = 10.0 ** math.floor(math.log10(raw))
    for factor in (1.0, 2.0, 2.5, 5.0):
        if raw <= factor * power:
            return factor * power
    return 10.0 * power


def _scale(low: float, high: float) -> tuple[float, float, list[float]]:
    """An axis from a round number at or below `low` to one at or above `high`, with ticks."""
    step = nice_step(high - low if high > low else max(abs(high), 1.0))
    bottom = math.floor(low / step) * step
    top = math.ceil(high / step) * step
    if top <= bottom:
        top = bottom + step
    ticks = [bottom + i * step for i in range(round((top - bottom) / step) + 1)]
    return bottom, top, ticks


def _svg(title: str, height: int, body: list[str]) -> str:
    slug = "".join(c if c.isalnum() else "-" for c in title.lower())
    return (
        f'<svg viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="t-{slug}">'
        f'<title id="t-{slug}">{escape(title)}</title>' + "".join(body) + "</svg>"
    )


def _x_labels(weeks: Sequence[WeekRow], x: Callable[[int], float], y: float) -> list[str]:
    every = max(1, math.ceil(len(weeks) / MAX_X_LABELS))
    out = []
    for i, week in enumerate(weeks):
        if (len(weeks) - 1 - i) % every == 0:
            out.append(
                f'<text class="axis" x="{x(i):.1f}" y="{y:.1f}" text-anchor="middle">'
                f"{week.short_label}</text>"
            )
    return out


def _y_axis(
    ticks: Sequence[float], y: Callable[[float], float], label: str, plot_bottom: float
) -> list[str]:
    out = []
    for tick in ticks:
        cls = "zero" if tick == 0 else "grid"
        out.append(
            f'<line class="{cls}" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick):.1f}" '
            f'y2="{y(tick):.1f}"/>'
            f'<text class="axis" x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">'
            f"{_num(tick)}</text>"
        )
    middle = (TOP + plot_bottom) / 2
    out.append(
        f'<text class="axis" transform="translate(14 {middle:.1f}) rotate(-90)" '
        f'text-anchor="middle">{escape(label)}</text>'
    )
    return out


def _x_title(height: int) -> str:
    return (
        f'<text class="axis" x="{(LEFT + WIDTH - RIGHT) / 2:.1f}" y="{height - 6}" '
        'text-anchor="middle">ISO week (Monday to Sunday)</text>'
    )


def load_chart(report: WeeklyReport) -> str:
    """Bars of each week's summed load."""
    weeks = report.weeks
    height = 260
    plot_bottom = height - BOTTOM
    _, top, ticks = _scale(0, max((w.load for w in weeks), default=0.0) or 1.0)
    band = (WIDTH - LEFT - RIGHT) / len(weeks)

    def x(i: int) -> float:
        return LEFT + band * (i + 0.5)

    def y(value: float) -> float:
        return plot_bottom - value / top * (plot_bottom - TOP)

    body = _y_axis(ticks, y, "Load (model units)", plot_bottom)
    width = band * 0.68
    for i, week in enumerate(weeks):
        if week.load <= 0:
            continue
        body.append(
            f'<rect class="bar" x="{x(i) - width / 2:.1f}" y="{y(week.load):.1f}" '
            f'width="{width:.1f}" height="{plot_bottom - y(week.load):.1f}" rx="2">'
            f"<title>{week.label}: load {week.load:.0f}</title></rect>"
        )
        if len(weeks) <= 12:
            body.append(
                f'<text class="axis" x="{x(i):.1f}" y="{y(week.load) - 5:.1f}" '
                f'text-anchor="middle">{week.load:.0f}</text>'
            )
    body += _x_labels(weeks, x, plot_bottom + 18)
    body.append(_x_title(height))
    body.append(_legend([("bar", "load per week, all sports")]))
    return _svg("Weekly training load", height, body)


def _legend(items: Sequence[tuple[str, str]]) -> str:
    out = []
    x = float(LEFT)
    for cls, label in items:
        if cls == "bar":
            swatch = f'<rect class="bar" x="{x:.1f}" y="8" width="14" height="12" rx="2"/>'
        else:
            swatch = f'<line class="line {cls}" x1="{x:.1f}" x2="{x + 16:.1f}" y1="14" y2="14"/>'
        out.append(swatch + f'<text x="{x + 21:.1f}" y="19">{escape(label)}</text>')
        x += 34 + 8.6 * len(label)  # room for the larger text on narrow screens
    return "".join(out)


def curve_chart(report: WeeklyReport) -> str:
    """Fatigue, fitness and form at each week's end, on one signed axis."""
    weeks = report.weeks
    height = 280
    plot_bottom = height - BOTTOM
    series: tuple[tuple[str, str, Callable[[WeekRow], float | None]], ...] = (
        ("fatigue", "fatigue", lambda w: w.fatigue),
        ("fitness", "fitness", lambda w: w.fitness),
        ("form", "form (fitness - fatigue)", lambda w: w.form),
    )
    values = [v for _, _, pick in series for w in weeks if (v := pick(w)) is not None]
    low, high, ticks = _scale(min([0.0, *values]), max([1.0, *values]))
    band = (WIDTH - LEFT - RIGHT) / len(weeks)

    def x(i: int) -> float:
        return LEFT + band * (i + 0.5)

    def y(value: float) -> float:
        return plot_bottom - (value - low) / (high - low) * (plot_bottom - TOP)

    body = _y_axis(ticks, y, "Model value", plot_bottom)
    for cls, name, pick in series:
        path: list[str] = []
        pen_down = False
        for i, week in enumerate(weeks):
            value = pick(week)
            if value is None:
                pen_down = False
                continue
            path.append(f"{'L' if pen_down else 'M'}{x(i):.1f} {y(value):.1f}")
            pen_down = True
            body.append(
                f'<circle class="{cls}" cx="{x(i):.1f}" cy="{y(value):.1f}" r="3">'
                f"<title>{week.label}: {escape(name)} {value:.0f}</title></circle>"
            )
        if path:
            body.insert(len(ticks) + 1, f'<path class="line {cls}" d="{" ".join(path)}"/>')
    if not values:
        body.append(
            f'<text class="axis" x="{WIDTH / 2}" y="{(TOP + plot_bottom) / 2}" '
            'text-anchor="middle">No load recorded yet</text>'
        )
    body += _x_labels(weeks, x, plot_bottom + 18)
    body.append(_x_title(height))
    body.append(_legend([("fatigue", "fatigue"), ("fitness", "fitness"), ("form", "form")]))
    return _svg("Fatigue, fitness and form", height, body)


def _shade(value: float, highest: float) -> tuple[float, bool]:
    """Fill opacity for a cell, and whether its number needs the light text colour."""
    share = min(1.0, value / highest) if highest else 0.0
    return 0.12 + 0.88 * share, share >= 0.55


def _scale_legend(title: str, steps: Sequence[float], highest: float, colour: str) -> str:
    """A row of shaded swatches with their values: the key to a heatmap's colours."""
    out = [
        f'<text class="axis" x="{WIDTH - RIGHT}" y="22" text-anchor="end">{escape(title)}</text>'
    ]
    size = 24
    for i, step in enumerate(steps):
        opacity, hot = _shade(step, highest)
        x = 14 + i * (size + 3)
        out.append(
            f'<rect x="{x}" y="6" width="{size}" height="{size}" rx="3" '
            f'fill="var(--{colour})" fill-opacity="{opacity:.2f}"/>'
            f'<text class="axis{" hot" if hot else ""}" x="{x + size / 2}" y="23" '
            f'text-anchor="middle">{_num(step)}</text>'
        )
    return "".join(out)


def heatmap(
    report: WeeklyReport,
    title: str,
    areas: Sequence[str],
    value: Callable[[WeekRow, str], float | None],
    highest: float,
    colour: str,
    key: tuple[str, Sequence[float]],
) -> str:
    """Areas down, weeks across; each cell shaded by its value out of `highest`."""
    weeks = report.weeks
    left, row_h, top = 112, 28, 42
    plot_bottom = top + row_h * len(areas)
    height = plot_bottom + BOTTOM
    band = (WIDTH - left - RIGHT) / len(weeks)
    body = [_scale_legend(key[0], key[1], highest, colour)]
    for r, area in enumerate(areas):
        cy = top + r * row_h
        body.append(
            f'<text x="{left - 8}" y="{cy + row_h / 2 + 5:.1f}" text-anchor="end">'
            f"{escape(area)}</text>"
        )
        for i, week in enumerate(weeks):
            cell = value(week, area)
            cx = left + i * band
            if cell is None:
                body.append(
                    f'<rect x="{cx + 1:.1f}" y="{cy + 1}" width="{band - 2:.1f}" '
                    f'height="{row_h - 2}" fill="none" class="grid" rx="3"/>'
                )
                continue
            opacity, hot = _shade(cell, highest)
            body.append(
                f'<rect x="{cx + 1:.1f}" y="{cy + 1}" width="{band - 2:.1f}" '
                f'height="{row_h - 2}" fill="var(--{colour})" fill-opacity="{opacity:.2f}" rx="3">'
                f"<title>{week.label}, {escape(area)}: {_num(cell)}</title></rect>"
            )
            if band >= 18:
                body.append(
                    f'<text class="{"hot" if hot else ""}" x="{cx + band / 2:.1f}" '
                    f'y="{cy + row_h / 2 + 5:.1f}" text-anchor="middle">{_num(cell)}</text>'
                )

    def x(i: int) -> float:
        return left + band * (i + 0.5)

    body += _x_labels(weeks, x, plot_bottom + 18)
    body.append(
        f'<text class="axis" x="{(left + WIDTH - RIGHT) / 2:.1f}" y="{height - 6}" '
        'text-anchor="middle">ISO week (Monday to Sunday)</text>'
    )
    return _svg(title, height, body)


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
    items = "".join(
        f'<li class="level-{BY_SLUG[slug].level}">'
        f"{escape(BY_SLUG[slug].rung.label)}: {escape(BY_SLUG[slug].name)} "
        f"({at.astimezone(zone):%d %b %H:%M})</li>"
        for at, slug in report.warning_signs
    )
    return (
        '<section class="warnings"><h2>Warning signs reported in these weeks</h2>'
        f'<ul>{items}</ul><p class="muted">What each means and whom to see: '
        "'afterrun why red-flags'.</p></section>"
    )


def _figure(title: str, content: str, caption: str) -> str:
    note = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
    return f"<figure><h2>{escape(title)}</h2>{content}{note}</figure>"


def _cards(report: WeeklyReport) -> str:
    weeks = report.weeks
    runs = sum(w.runs for w in weeks)
    hard = report.hard_runs
    minutes = int(COOL_DOWN_WITHIN.total_seconds() // 60)
    cooled, cooled_hint = "-", "no hard runs"
    if hard:
        cooled = f"{report.hard_cooled_down} of {hard}"
        cooled_hint = f"{report.hard_cooled_down / hard:.0%}, started within {minutes} min"
    done = sum(w.steps_done for w in weeks)
    skipped = sum(w.steps_skipped for w in weeks)
    form = next((w.form for w in reversed(weeks) if w.form is not None), None)
    cards = [
        ("Runs", str(runs), ""),
        ("Hard runs", str(hard), "rated hard or very hard"),
        ("Hard runs cooled down", cooled, cooled_hint),
        ("Cool-down steps", f"{done} done", f"{skipped} skipped"),
        ("Form now (model)", "-" if form is None else f"{form:+.0f}", "fitness minus fatigue"),
    ]
    return (
        '<section class="cards">'
        + "".join(
            f'<div class="card">{escape(label)}<b>{escape(value)}</b>'
            f'<span class="muted">{escape(hint)}</span></div>'
            for label, value, hint in cards
        )
        + "</section>"
    )


def _cell(value: float | None, signed: bool = False) -> str:
    if value is None:
        return "-"
    return f"{value:+.0f}" if signed else f"{value:.0f}"


def _table(report: WeeklyReport) -> str:
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
    rows = []
    for week in report.weeks:
        share = week.cool_down_share
        cells = (
            week.label + (" (so far)" if week.partial else ""),
            week.start.strftime("%d %b"),
            str(week.runs),
            str(week.hard_runs),
            "-" if share is None else f"{week.hard_cooled_down}/{week.hard_runs} ({share:.0%})",
            str(week.steps_done),
            str(week.steps_skipped),
            _cell(week.load),
            _cell(week.fatigue),
            _cell(week.fitness),
            _cell(week.form, signed=True),
            str(sum(week.pains.values())),
        )
        rows.append("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in cells) + "</tr>")
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
    return (
        '<section class="weeks"><h2>Week by week</h2>'
        '<div class="table-wrap" tabindex="0" role="region" aria-label="Week by week"><table>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div></section>"
    )


def _span(report: WeeklyReport) -> str:
    first, last = report.weeks[0], report.weeks[-1]
    return f"{first.start:%d %b %Y} to {last.end:%d %b %Y}"


def report_body(report: WeeklyReport) -> str:
    """Heading, cards, charts and table: the page's content, here and in the web app."""
    weeks = report.weeks
    span = _span(report)
    generated = report.generated_at.strftime("%d %b %Y %H:%M")  # in the runner's zone
    figures = [
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
        *_soreness_figures(report),
    ]
    return (
        f"<header><h1>Your last {len(weeks)} weeks</h1>"
        f'<p class="muted">{escape(span)}, ISO weeks (Monday to Sunday) in local time; '
        f"the current week is in progress. Made by afterrun on {escape(generated)}.</p>"
        "</header>"
        f"{_warnings(report)}"
        f"{_cards(report)}"
        f'<section class="charts">{"".join(figures)}</section>'
        f"{_table(report)}"
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
        f"<style>{CSS}</style></head><body><main>"
        f"{report_body(report)}"
        "</main></body></html>\n"
    )
