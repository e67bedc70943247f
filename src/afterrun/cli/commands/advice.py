"""`afterrun advice`: the recovery timeline after a run, hour by hour, with its sources."""

from __future__ import annotations

import textwrap
from datetime import UTC, datetime

import click

from afterrun.cli.context import AppContext
from afterrun.cli.options import ID, NumbersCommand
from afterrun.cli.planning import when_text
from afterrun.cli.render import to_json
from afterrun.core.time_text import after_text, weekday_and_time


def _wrapped(label: str, text: str, label_width: int = 10) -> str:
    """The line under its time label, folded to the terminal's width (100 in a pipe)."""
    from afterrun.cli.render import prose_width

    indent = " " * (label_width + 1)
    return textwrap.fill(
        text,
        width=prose_width() or 100,
        initial_indent=f"{label:<{label_width}} ",
        subsequent_indent=indent,
        break_on_hyphens=False,
    )


@click.command(cls=NumbersCommand)
@click.argument("run_id", metavar="[RUN]", required=False, type=ID)
@click.option("--weight-before", type=float, default=None, help="Your weight before, in kg.")
@click.option("--weight-after", type=float, default=None, help="Your weight after, in kg.")
@click.option(
    "--next-session-in", default=None, help="Time to your next hard session, e.g. 6h or 2d."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def advice(
    app: AppContext,
    /,
    run_id: int | None,
    weight_before: float | None,
    weight_after: float | None,
    next_session_in: str | None,
    as_json: bool,
) -> None:
    """What to do after a run, hour by hour: cool-down, fluids, food, check-ins, with sources."""
    from afterrun.cli.planning import echo_flags
    from afterrun.core.evidence import TOPICS
    from afterrun.core.units import parse_next_session
    from afterrun.services.advice import advice_for

    answer = advice_for(
        app.store(),
        run_id,
        datetime.now(UTC),
        weight_before=weight_before,
        weight_after=weight_after,
        next_session_in=parse_next_session(next_session_in),
    )
    stored, rating, lines, state = answer.stored, answer.rating, answer.lines, answer.safety
    run_end = answer.request.run_end
    if as_json:
        click.echo(
            to_json(
                {
                    "run": stored.id,
                    "run_end": run_end.isoformat(),
                    "intensity": rating.intensity.value,
                    "stale": answer.stale,
                    "age": answer.age,
                    "timeline": answer.timeline_json(),
                    **state.to_json(),
                }
            )
        )
        return
    echo_flags(state)
    zone = app.zone()
    local_end = run_end.astimezone(zone)
    ended = when_text(run_end, zone)
    if answer.stale:
        # No clock times for an old run: they would read as this week's.
        from afterrun.cli.render import folded

        click.echo(
            folded(
                f"After your {rating.intensity.label} run (run {stored.id}, ended {ended}, "
                f"{answer.age}). This is the advice as it applied after that run, with the "
                "training-load model as it stood then: it is not a plan for today. Import "
                "today's run for today's advice.\n"
            )
        )
    else:
        click.echo(f"After your {rating.intensity.label} run (run {stored.id}, ended {ended}):\n")
    width = 12 if answer.stale else 10
    flags_started = False
    for line in lines:
        if line.topic == "red-flags":
            if not flags_started:
                click.echo("")
                flags_started = True
            click.echo(_wrapped("!", f"{line.text} ({line.cited()})", width))
            continue
        at = (run_end + line.after).astimezone(zone)
        if answer.stale:
            when = after_text(line.after)
        elif at.date() == local_end.date():
            when = f"{at:%H:%M}"
        else:
            when = weekday_and_time(at, zone)
        click.echo(_wrapped(when, f"{line.text} ({line.cited()})", width))
    hints = []
    if next_session_in is None:
        hints.append("training hard again within 8 h? add --next-session-in 6h")
    if weight_before is None:
        hints.append("weighed before and after? add --weight-before 61.2 --weight-after 60")
    if hints:
        from afterrun.cli.render import folded

        click.echo("\n" + folded(f"More precise: {'; '.join(hints)}."))
    click.echo(f"Why? 'afterrun why {'|'.join(TOPICS)}'.")
