"""The `afterrun` command group and the mapping of errors to exit codes."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from afterrun import __version__
from afterrun.cli.context import AppContext
from afterrun.cli.exit_codes import ExitStatus, exit_status_for
from afterrun.cli.options import plan_options
from afterrun.core.activity import Sport
from afterrun.core.errors import AfterrunError, InvalidInput
from afterrun.core.red_flags import RED_FLAGS

#: The largest id a database row can have (PostgreSQL's integer), so that a mistyped id is
#: a usage error, not an overflow deep in the driver.
MAX_ID = 2**31 - 1
ID = click.IntRange(1, MAX_ID)


class AfterrunGroup(click.Group):
    """Turns core errors into one-line messages with the right exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except AfterrunError as error:
            click.echo(f"Error: {error.message}", err=True)
            ctx.exit(int(exit_status_for(error)))
        finally:
            app = ctx.find_object(AppContext)
            if app is not None:
                app.close()


@click.group(
    cls=AfterrunGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--db",
    metavar="URL",
    default=None,
    help="Database: a SQLite file path or a postgresql:// URL. Default: $AFTERRUN_DB, "
    "else afterrun.db in your user data folder.",
)
@click.version_option(__version__, prog_name="afterrun")
@click.pass_context
def cli(ctx: click.Context, db: str | None) -> None:
    """afterrun: a cool-down after your run, sized to how hard it was, timed and spoken.

    \b
    Start here:
      afterrun go                     play a 15-minute cool-down, hands-free
      afterrun plan -m 10 -i hard     see what a 10-minute plan after a hard run holds
      afterrun import ~/exports       bring in your runs (FIT, GPX, TCX, zips)
      afterrun history                what you have done

    With no command: your latest run, how hard it was, and the cool-down for it.
    """
    ctx.obj = AppContext(db_flag=db)
    if ctx.invoked_subcommand is None:
        from afterrun.cli.today_view import show_today

        show_today(ctx.obj)


@cli.command()
@click.argument("slug", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.pass_obj
def exercises(app: AppContext, /, slug: str | None, as_json: bool) -> None:
    """List the exercises, or show one in full (steps, tips, variants, evidence)."""
    from afterrun.cli.exercises_view import show_exercises

    show_exercises(app, slug, as_json)


@cli.command()
@plan_options
@click.option("--steps", "show_steps", is_flag=True, help="Also list every timed step.")
@click.option("--json", "as_json", is_flag=True, help="Print the plan as JSON.")
@click.pass_obj
def plan(app: AppContext, /, as_json: bool, show_steps: bool, **options: Any) -> None:
    """Plan a cool-down that fits your minutes, run and place, and show what was cut."""
    from afterrun.cli.planning import build_plan, echo_plan, recent_safety

    state = recent_safety(app)
    plan = None if state.withheld else build_plan(app, **options)
    echo_plan(plan, as_json, show_steps, state)


class _SessionToResume(click.ParamType[int, Any]):
    """`--resume` alone means the latest session (0); `--resume 12` means session 12."""

    name = "session"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        text = str(value).strip()
        if text == "latest":
            return 0
        if not text.isdigit() or not 1 <= int(text) <= MAX_ID:
            self.fail(
                f"{value!r} is not a session id; give the number 'afterrun history' shows, "
                "or nothing for the latest session.",
                param,
                ctx,
            )
        return int(text)


_PLANNING_OPTIONS = ("minutes", "intensity", "place", "equipment", "focus", "avoid")


@cli.command()
@plan_options
@click.option(
    "--voice/--no-voice",
    default=False,
    help="Speak the cues with a local text-to-speech engine (espeak-ng, espeak, spd-say or say).",
)
@click.option(
    "--resume",
    metavar="[SESSION]",
    type=_SessionToResume(),
    is_flag=False,
    flag_value="latest",
    default=None,
    help="Continue an unfinished cool-down from the step it reached, in the same session: "
    "the latest session, or the id given.",
)
@click.option("--speed", type=click.FloatRange(0.1, 100.0), default=1.0, hidden=True)
@click.pass_context
def go(
    ctx: click.Context, /, voice: bool, resume: int | None, speed: float, **options: Any
) -> None:
    """Play the cool-down full-screen, hands-free. Keys: space, arrows, h (it hurts), q."""
    from click.core import ParameterSource

    from afterrun.cli.go_cmd import run_go

    if resume is not None:
        given = [
            f"--{name}"
            for name in _PLANNING_OPTIONS
            if ctx.get_parameter_source(name) not in (None, ParameterSource.DEFAULT)
        ]
        if given:
            raise click.UsageError(
                "--resume plays the session's stored plan; it cannot be combined with "
                f"{', '.join(given)}.",
                ctx,
            )
    status = run_go(ctx.obj, voice=voice, speed=speed, resume=resume, **options)
    if status != ExitStatus.OK:
        sys.exit(int(status))


@cli.command()
@click.option(
    "--lan",
    is_flag=True,
    help="Listen on the local network so your phone can connect; prints a pairing link "
    "and QR code, and refuses every request without it.",
)
@click.option("--port", type=click.IntRange(1, 65535), default=8765, show_default=True)
@click.option(
    "--host", default=None, help="Address to listen on (default 127.0.0.1; with --lan, all)."
)
@click.pass_obj
def serve(app: AppContext, /, lan: bool, port: int, host: str | None) -> None:
    """Serve the web app: the cool-down player, runs, check-ins and report, for your phone."""
    from afterrun.cli.serve_cmd import run_serve

    run_serve(app, host, port, lan)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option(
    "--limit", type=click.IntRange(1, 10_000), default=None, help="Show only the newest N."
)
@click.pass_obj
def history(app: AppContext, /, as_json: bool, limit: int | None) -> None:
    """List your past cool-downs: when, how long, steps done and skipped, pain reported."""
    from afterrun.cli.history_view import show_history

    show_history(app, as_json, limit)


def main() -> None:
    cli(prog_name="afterrun")


@cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_obj
def import_(app: AppContext, /, paths: tuple[Path, ...], as_json: bool) -> None:
    """Import .fit, .gpx and .tcx files (also .gz), folders and .zip exports (Strava, Garmin).

    Exits 1 if any file failed; every good file is kept either way.
    """
    from afterrun.cli.runs_view import run_import

    status = run_import(app, paths, as_json)
    if status != ExitStatus.OK:
        sys.exit(int(status))


@cli.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option("--limit", type=click.IntRange(1, 100_000), default=None, help="Only the newest N.")
@click.option("--all", "all_sports", is_flag=True, help="Every sport, not only runs.")
@click.pass_context
def runs(ctx: click.Context, as_json: bool, limit: int | None, all_sports: bool) -> None:
    """List your runs: date, distance, time, pace, heart rate, RPE and load."""
    if ctx.invoked_subcommand is None:
        from afterrun.cli.runs_view import list_runs

        list_runs(ctx.find_object(AppContext) or AppContext(), as_json, limit, all_sports)


@runs.command("show")
@click.argument("activity_id", metavar="ID", type=ID)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def runs_show(app: AppContext, /, activity_id: int, as_json: bool) -> None:
    """Show one run in full, with its load and how hard it was."""
    from afterrun.cli.runs_view import show_run

    show_run(app, activity_id, as_json)


@cli.group()
def run() -> None:
    """Add a run by hand, rate how hard one felt, or correct its sport or name."""


@run.command("add")
@click.option("--distance", required=True, help="Distance, e.g. 10km, 800m or 6.2mi.")
@click.option("--time", "time_", required=True, help="Time, e.g. 52:30 or 1:02:03.")
@click.option(
    "--rpe", type=click.FloatRange(0, 10), default=None, help="How hard it felt, 0-10 (CR-10)."
)
@click.option("--at", default=None, help='When it started, e.g. "2026-11-23 07:30" (default now).')
@click.pass_obj
def run_add(
    app: AppContext, /, distance: str, time_: str, rpe: float | None, at: str | None
) -> None:
    """Add a run you did not record with a watch."""
    from afterrun.cli.runs_view import add_run

    add_run(app, distance, time_, rpe, at)


@run.command("rate")
@click.argument("activity_id", metavar="ID", type=ID)
@click.argument("rpe", type=click.FloatRange(0, 10))
@click.pass_obj
def run_rate(app: AppContext, /, activity_id: int, rpe: float) -> None:
    """Rate how hard a run felt on the CR-10 scale (0 rest, 10 maximal), ideally ~30 min after."""
    from afterrun.cli.runs_view import rate_run

    rate_run(app, activity_id, rpe)


_SPORTS = [sport.value for sport in Sport if sport is not Sport.MULTISPORT]


@run.command("edit")
@click.argument("activity_id", metavar="ID", type=ID)
@click.option("--sport", type=click.Choice(_SPORTS), default=None, help="The right sport.")
@click.option("--name", default=None, help="A new name, e.g. 'Long run'.")
@click.pass_obj
def run_edit(app: AppContext, /, activity_id: int, sport: str | None, name: str | None) -> None:
    """Correct an activity's sport or name; load, rating and plans follow at once.

    A sport set here is kept when the same run is imported again.
    """
    from afterrun.cli.runs_view import edit_run

    if sport is None and name is None:
        raise click.UsageError("give --sport or --name (or both).")
    edit_run(app, activity_id, None if sport is None else Sport(sport), name)


@cli.group()
def profile() -> None:
    """Your heart-rate limits and body data, used for training load and advice."""


@profile.command("set")
@click.option("--hr-max", type=click.IntRange(100, 240), default=None, help="Measured max HR.")
@click.option("--hr-rest", type=click.IntRange(25, 120), default=None, help="Resting HR.")
@click.option("--sex", type=click.Choice(["m", "f"]), default=None, help="For TRIMP constants.")
@click.option("--weight", type=click.FloatRange(25, 300), default=None, help="Body mass in kg.")
@click.option("--birth-year", type=click.IntRange(1900, 2030), default=None, help="Year born.")
@click.option(
    "--timezone",
    default=None,
    help="Your time zone, e.g. Europe/Berlin (default: this computer's). Days count in it.",
)
@click.option(
    "--main-sport",
    type=click.Choice(_SPORTS),
    default=None,
    help="What you mostly do; settles a sport guess the data leaves open (default running).",
)
@click.pass_obj
def profile_set(
    app: AppContext,
    /,
    hr_max: int | None,
    hr_rest: int | None,
    sex: str | None,
    weight: float | None,
    birth_year: int | None,
    timezone: str | None,
    main_sport: str | None,
) -> None:
    """Set any of your profile values; the others stay as they were."""
    from afterrun.cli.runs_view import set_profile

    this_year = datetime.now(UTC).year
    if birth_year is not None and birth_year > this_year - 5:
        raise click.BadParameter(
            f"{birth_year} would make you under 5; give the year you were born.",
            param_hint="'--birth-year'",
        )
    if hr_max is not None and hr_rest is not None and hr_rest >= hr_max:
        raise click.BadParameter("must be below --hr-max.", param_hint="'--hr-rest'")
    zone = None
    if timezone is not None:
        from afterrun.zones import zone_named

        try:
            zone = zone_named(timezone).key
        except InvalidInput as error:
            raise click.BadParameter(error.message, param_hint="'--timezone'") from error
    set_profile(
        app,
        hr_max=hr_max,
        hr_rest=hr_rest,
        sex=sex,
        weight_kg=weight,
        birth_year=birth_year,
        timezone=zone,
        main_sport=None if main_sport is None else Sport(main_sport),
    )


@profile.command("show")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def profile_show(app: AppContext, /, as_json: bool) -> None:
    """Show your profile, saying which values are estimates."""
    from afterrun.cli.runs_view import show_profile

    show_profile(app, as_json)


@cli.command()
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
    from afterrun.cli.advice_view import show_advice

    show_advice(app, run_id, weight_before, weight_after, next_session_in, as_json)


@cli.command()
@click.argument("topic", metavar="[TOPIC]", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def why(topic: str | None, as_json: bool) -> None:
    """The evidence behind the advice: cool-down, stretching, soreness, fluids, food or load."""
    from afterrun.cli.advice_view import show_why

    show_why(topic, as_json)


@cli.command()
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
    from afterrun.cli.report_view import show_report

    show_report(app, weeks, out, as_json)


@cli.command()
@click.argument("run_id", metavar="[RUN]", required=False, type=ID)
@click.option(
    "--ics",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The calendar file to write (.ics).",
)
@click.option(
    "--next-session-in", default=None, help="Time to your next hard session, e.g. 6h or 2d."
)
@click.pass_obj
def remind(app: AppContext, /, run_id: int | None, ics: Path, next_session_in: str | None) -> None:
    """Write the refuelling and soreness check-in reminders for a run to a calendar file."""
    from afterrun.cli.export_view import show_remind

    show_remind(app, run_id, ics, next_session_in)


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "csv"]),
    default="json",
    show_default=True,
    help="json: one document; csv: a zip of CSV files, one per table (needs --out).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The file to write. Default for json: print to the screen.",
)
@click.pass_obj
def export(app: AppContext, /, fmt: str, out: Path | None) -> None:
    """Export everything you entered and recorded: runs, cool-downs, profile, check-ins."""
    from afterrun.cli.export_view import run_export

    run_export(app, fmt, out)


@cli.command()
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
    from afterrun.cli.checkin_view import record_checkin, record_seen

    if seen:
        if ratings or flags or run_id is not None:
            raise InvalidInput("give --seen on its own (with --note if you like).")
        record_seen(app, note, as_json)
        return
    record_checkin(app, ratings, run_id, flags, note, as_json)
