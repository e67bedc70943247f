"""`afterrun checkin`: soreness per body area and red flags, which always come first."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import click

from afterrun.cli.context import AppContext
from afterrun.cli.exit_codes import ExitStatus
from afterrun.cli.options import ID
from afterrun.cli.render import table, to_json
from afterrun.cli.warnings_view import SEEN_HINT, flag_lines, ladder_footer
from afterrun.core.errors import InvalidInput
from afterrun.core.red_flags import RED_FLAGS, most_urgent
from afterrun.core.sources import cite

if TYPE_CHECKING:
    from afterrun.services.soreness import CheckinResult


def stdin_is_terminal() -> bool:
    """Asking only makes sense when someone can answer (tests replace this)."""
    return sys.stdin.isatty()


def _cited(sources: tuple[str, ...]) -> str:
    return "; ".join(cite(key) for key in sources)


ASK_AGAIN = "Give a whole number from 0 to 10 (Enter for 0)."
CANCELLED = "Check-in cancelled; nothing was stored."


class Rating(click.ParamType[int, Any]):
    """A whole number from 0 to 10; anything else asks again, saying what to give."""

    name = "rating"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            rating = value
        else:
            try:
                rating = int(str(value).strip())
            except ValueError:
                self.fail(ASK_AGAIN, param, ctx)
        if not 0 <= rating <= 10:
            self.fail(ASK_AGAIN, param, ctx)
        return rating


def _ask() -> tuple[dict[str, int], tuple[str, ...]]:
    """Each area 0-10 (Enter for 0), then each red-flag question (Enter for no), on stderr."""
    from afterrun.core.body import AREAS

    click.echo(
        "How sore is each area? 0 none, 10 the worst you can imagine; Enter for 0.", err=True
    )
    ratings = {
        area: click.prompt(f"  {area}", type=Rating(), default=0, err=True) for area in AREAS
    }
    click.echo("Any of these? Enter for no.", err=True)
    flags = tuple(
        flag.slug
        for flag in RED_FLAGS
        if click.confirm(f"  {flag.question}", default=False, err=True)
    )
    return ratings, flags


@click.command()
@click.argument("ratings", metavar="[AREA=RATING]...", nargs=-1)
@click.option(
    "--run",
    "run_id",
    metavar="ID",
    type=ID,
    default=None,
    help="The run this check-in follows. Default: your latest run, if it ended in the last "
    "14 days.",
)
@click.option(
    "--flag",
    "flags",
    multiple=True,
    type=click.Choice([flag.slug for flag in RED_FLAGS]),
    help="A warning sign you have; repeat for several.",
)
@click.option("--note", default=None, help="A few words to keep with the check-in.")
@click.option(
    "--seen",
    is_flag=True,
    help="A clinician has seen you about the warning signs you reported: the cool-down is "
    "offered again.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def checkin(
    app: AppContext,
    /,
    ratings: tuple[str, ...],
    run_id: int | None,
    flags: tuple[str, ...],
    note: str | None,
    seen: bool,
    as_json: bool,
) -> None:
    """Rate soreness 0-10 per body area, e.g. calves=4 hamstrings=2, and note warning signs.

    Areas: calves, hamstrings, quads, hip-flexors, glutes, groin, hips, lower-back. With no
    ratings it asks about each area and each warning sign. Warning signs come first in the
    answer; an area that hurt gets a gentler cool-down next time.
    """
    if seen:
        if ratings or flags or run_id is not None:
            raise InvalidInput("give --seen on its own (with --note if you like).")
        record_seen(app, note, as_json)
        return
    record_soreness(app, ratings, run_id, flags, note, as_json)


def record_soreness(
    app: AppContext,
    texts: tuple[str, ...],
    run_id: int | None,
    flags: tuple[str, ...],
    note: str | None,
    as_json: bool,
) -> None:
    """Ratings and warning signs, given or asked for, stored and answered."""
    from afterrun.cli.plan_args import area_names
    from afterrun.core.soreness import parse_ratings

    ratings = parse_ratings(texts, area_names())
    if not texts and not flags:
        if not stdin_is_terminal():
            raise InvalidInput(
                "give ratings such as 'afterrun checkin calves=4 hamstrings=2', "
                "or run it in a terminal to be asked."
            )
        try:
            ratings, flags = _ask()
        except (click.Abort, KeyboardInterrupt):
            # Ctrl-C or the end of input part way: a half check-in would mislead the rules.
            click.echo(f"\n{CANCELLED}", err=True)
            click.get_current_context().exit(int(ExitStatus.INTERRUPTED))
    from afterrun.services.soreness import checkin_json, checkin_result, save_checkin

    now = datetime.now(UTC)
    stored = save_checkin(app.store(), ratings, flags, run_id, note, now)
    result = checkin_result(app.store(), stored, now)
    if as_json:
        click.echo(to_json(checkin_json(result)))
    else:
        click.echo(describe_checkin(result))


def describe_checkin(result: CheckinResult) -> str:
    from afterrun.core.body import AREAS
    from afterrun.core.soreness import NORMAL_COURSE, NORMAL_COURSE_SOURCES, RULE_LABELS
    from afterrun.services.soreness import shows_normal_course

    stored = result.stored
    flags = most_urgent(stored.red_flags)
    lines = flag_lines(flags)
    if any(flag.stops_cool_down for flag in flags):
        lines.append("No cool-down is offered until a clinician has seen you. " + SEEN_HINT)
    if lines:
        lines.append("")
    if stored.run_id is None:
        lines.append(
            f"Check-in {stored.id} saved, not linked to a run (none in the last 14 days; "
            "--run ID links one)."
        )
    else:
        lines.append(
            f"Check-in {stored.id} saved, {stored.hours_after_run or 0:.0f} h after run "
            f"{stored.run_id}."
        )
    rows = [(area, f"{stored.ratings[area]}/10") for area in AREAS if area in stored.ratings]
    if rows:
        lines.append(table(("Area", "Soreness"), rows))
    if stored.note:
        lines.append(f"Note: {stored.note}")
    if result.suggestions:
        lines += ["", "See a clinician soon:"]
        lines.extend(
            f"  - {s.area} ({RULE_LABELS[s.rule]}): {s.text} ({_cited(s.sources)})"
            for s in result.suggestions
        )
    if result.plan.ease or result.plan.rest:
        lines += ["", "Your next cool-down:"]
        lines.extend(f"  - eases the {area}: {reason}" for area, reason in result.plan.ease)
        lines.extend(f"  - leaves out the {area}: {reason}" for area, reason in result.plan.rest)
    lines.append("")
    if shows_normal_course(result):
        lines += [f"{NORMAL_COURSE} ({_cited(NORMAL_COURSE_SOURCES)})", ""]
    lines += ladder_footer()
    return "\n".join(lines)


def record_seen(app: AppContext, note: str | None, as_json: bool) -> None:
    """`afterrun checkin --seen`: a clinician has seen the runner about their warning signs."""
    from afterrun.services.soreness import record_clearance

    state = record_clearance(app.store(), datetime.now(UTC), note)
    if as_json:
        click.echo(to_json(state.to_json()))
        return
    click.echo(
        "Noted: a clinician has seen you. The cool-down is offered again; follow what they "
        "advised, and stop if anything hurts."
    )
