"""The report's charts as inline SVG: weekly load bars, fatigue/fitness/form curves and
heatmaps by body area. Each scales with its container (viewBox), takes its colours from the
page's CSS variables, and has a title, axis labels and a legend."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from html import escape

from afterrun.core.body import area_name
from afterrun.core.report import WeeklyReport, WeekRow

WIDTH = 480
LEFT, RIGHT, TOP, BOTTOM = 62, 14, 34, 46
MAX_X_LABELS = 9


def _num(value: float) -> str:
    if abs(value) >= 10 or value == int(value):
        return f"{value:.0f}"
    return f"{value:.2f}".rstrip("0").rstrip(".")


def nice_step(span: float, intervals: int = 4) -> float:
    """A round step giving about `intervals` grid lines: 1, 2 or 5 times a power of ten,
    or 25, 250... (2.5 and 0.25 are not steps a reader counts in)."""
    if span <= 0:
        return 1.0
    raw = span / intervals
    power = 10.0 ** math.floor(math.log10(raw))
    for factor in (1.0, 2.0, 2.5, 5.0):
        if factor == 2.5 and power < 10:
            continue
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


#: Room a week's label ("W52") needs, in chart units, with the larger text of a phone.
X_LABEL_ROOM = 46


def _x_labels(weeks: Sequence[WeekRow], x: Callable[[int], float], y: float) -> list[str]:
    band = x(1) - x(0) if len(weeks) > 1 else float(WIDTH)
    every = max(1, math.ceil(len(weeks) / MAX_X_LABELS), math.ceil(X_LABEL_ROOM / band))
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
        x += 34 + 10.5 * len(label)  # room for the larger text on narrow screens
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
    left, row_h, top = 128, 28, 42
    plot_bottom = top + row_h * len(areas)
    height = plot_bottom + BOTTOM
    band = (WIDTH - left - RIGHT) / len(weeks)
    body = [_scale_legend(key[0], key[1], highest, colour)]
    for r, area in enumerate(areas):
        cy = top + r * row_h
        body.append(
            f'<text x="{left - 8}" y="{cy + row_h / 2 + 5:.1f}" text-anchor="end">'
            f"{escape(area_name(area))}</text>"
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
                f"<title>{week.label}, {escape(area_name(area))}: {_num(cell)}</title></rect>"
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
