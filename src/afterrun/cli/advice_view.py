"""`afterrun advice` and `afterrun why`: the recovery timeline and the evidence behind it."""

from __future__ import annotations

import textwrap
from datetime import UTC, datetime

import click

from afterrun.cli.context import AppContext
from afterrun.cli.planning import when_text
from afterrun.cli.render import to_json
from afterrun.core.advice import recovery_timeline
from afterrun.core.errors import InvalidInput
from afterrun.core.evidence import TOPICS
from afterrun.core.sources import SOURCES
from afterrun.core.time_text import weekday_and_time
from afterrun.core.units import parse_next_session


def _wrapped(label: str, text: str, width: int = 100) -> str:
    indent = " " * 11
    return textwrap.fill(
        text,
        width=width,
        initial_indent=f"{label:<10} ",
        subsequent_indent=indent,
        break_on_hyphens=False,
    )


def show_advice(
    app: AppContext,
    run_id: int | None,
    weight_before: float | None,
    weight_after: float | None,
    next_session_in: str | None,
    as_json: bool,
) -> None:
    from afterrun.services.advice import advice_request, run_or_latest

    now = datetime.now(UTC)
    gap = parse_next_session(next_session_in)
    store = app.store()
    stored = run_or_latest(store, run_id)
    rating, request = advice_request(
        store,
        stored,
        now,
        weight_before=weight_before,
        weight_after=weight_after,
        next_session_in=gap,
    )
    run_end = request.run_end
    lines = recovery_timeline(request)
    from afterrun.cli.planning import echo_flags, recent_safety

    state = recent_safety(app)
    if as_json:
        click.echo(
            to_json(
                {
                    "run": stored.id,
                    "run_end": run_end.isoformat(),
                    "intensity": rating.intensity.value,
                    "timeline": [line.to_json(run_end) for line in lines],
                    **state.to_json(),
                }
            )
        )
        return
    echo_flags(state)
    zone = app.zone()
    local_end = run_end.astimezone(zone)
    click.echo(
        f"After your {rating.intensity.label} run (run {stored.id}, "
        f"ended {when_text(run_end, zone)}):\n"
    )
    flags_started = False
    for line in lines:
        if line.topic == "red-flags":
            if not flags_started:
                click.echo("")
                flags_started = True
            click.echo(_wrapped("!", f"{line.text} ({line.cited()})"))
            continue
        at = (run_end + line.after).astimezone(zone)
        when = f"{at:%H:%M}" if at.date() == local_end.date() else weekday_and_time(at, zone)
        click.echo(_wrapped(when, f"{line.text} ({line.cited()})"))
    hints = []
    if next_session_in is None:
        hints.append("training hard again within 8 h? add --next-session-in 6h")
    if weight_before is None:
        hints.append("weighed before and after? add --weight-before 61.2 --weight-after 60")
    if hints:
        click.echo(f"\nMore precise: {'; '.join(hints)}.")
    click.echo(f"Why? 'afterrun why {'|'.join(TOPICS)}'.")


def show_why(topic: str | None, as_json: bool) -> None:
    if topic is None:
        click.echo(f"Topics: {', '.join(TOPICS)}. Show one with 'afterrun why TOPIC'.")
        return
    key = topic.lower().replace(" ", "-")
    if key not in TOPICS:
        raise InvalidInput(f"no topic {topic!r}. Choose from: {', '.join(TOPICS)}.")
    findings = TOPICS[key]
    if as_json:
        click.echo(
            to_json(
                [
                    {"text": f.text, "sources": [SOURCES[s].full for s in f.sources]}
                    for f in findings
                ]
            )
        )
        return
    click.echo(f"What the research says: {key}\n")
    for finding in findings:
        click.echo(f"- {finding.text}")
        for source in finding.sources:
            click.echo(f"    {SOURCES[source].full}")
