"""The `afterrun` command group: the commands it loads lazily and the errors it maps.

Each command lives in its own module under `cli/commands/`, its Click declaration and its
body together. The group imports a command's module only when that command runs, or when
`--help` lists it; command modules import their heavy libraries inside their bodies.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

from afterrun import __version__
from afterrun.cli.context import AppContext
from afterrun.cli.exit_codes import ExitStatus, exit_status_for
from afterrun.cli.wording import error_text
from afterrun.core.errors import AfterrunError

#: Command name -> ("module:attribute" of its Click command under afterrun.cli.commands, the
#: first paragraph of its help). `afterrun --help` lists the commands from this table
#: without importing them; a test checks each text against the command's own help.
COMMANDS = {
    "advice": (
        "advice:advice",
        "What to do after a run, hour by hour: cool-down, fluids, food, check-ins, with sources.",
    ),
    "checkin": (
        "checkin:checkin",
        "Rate soreness 0-10 per body area, e.g. calves=4 hamstrings=2, and note warning signs.",
    ),
    "exercises": (
        "exercises:exercises",
        "List the exercises, or show one in full (steps, tips, variants, evidence).",
    ),
    "export": (
        "export:export",
        "Export everything you entered and recorded: runs, cool-downs, profile, check-ins.",
    ),
    "go": (
        "go:go",
        "Play the cool-down full-screen, hands-free. Keys: space, arrows, h (it hurts), q.",
    ),
    "history": (
        "history:history",
        "List your past cool-downs: when, how long, steps done and skipped, pain reported.",
    ),
    "import": (
        "import_:import_",
        "Import .fit, .gpx and .tcx files (also .gz), folders and .zip exports (Strava, Garmin).",
    ),
    "plan": (
        "plan:plan",
        "Plan a cool-down that fits your minutes, run and place, and show what was cut.",
    ),
    "profile": (
        "profile:profile",
        "Your heart-rate limits and body data, used for training load and advice.",
    ),
    "remind": (
        "remind:remind",
        "Write the refuelling and soreness check-in reminders for a run to a calendar file.",
    ),
    "report": (
        "report:report",
        "Your last weeks: runs, hard runs cooled down, steps, soreness and training load.",
    ),
    "run": (
        "run:run",
        "Add a run by hand, rate how hard one felt, or correct its sport or name.",
    ),
    "runs": (
        "runs:runs",
        "List your runs: date, distance, time, pace, heart rate, RPE and load.",
    ),
    "serve": (
        "serve:serve",
        "Serve the web app: the cool-down player, runs, check-ins and report, for your phone.",
    ),
    "sync": (
        "sync:sync",
        "Sync a plugged-in Garmin watch: import its new runs, put the latest one's cool-down "
        "on it.",
    ),
    "watch": (
        "watch:watch",
        "Follow folders and import each new activity file once it is completely written.",
    ),
    "why": (
        "why:why",
        "The evidence behind the advice: cool-down, stretching, soreness, fluids, food or load.",
    ),
}


def not_utf8(text: str) -> bool:
    """True when the text holds undecodable bytes (kept as surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def load_command(name: str) -> click.Command:
    """The Click command called `name`, importing its module now."""
    module_name, attribute = COMMANDS[name][0].split(":")
    module = importlib.import_module(f"afterrun.cli.commands.{module_name}")
    command: click.Command = getattr(module, attribute)
    return command


class AfterrunGroup(click.Group):
    """Loads each command on first use and turns core errors into one-line messages with
    the right exit code."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *super().list_commands(ctx)})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS:
            return load_command(cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list as Click writes it, from `COMMANDS`: nothing is imported."""
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = [
            (name, click.Command(name, help=COMMANDS[name][1]).get_short_help_str(limit))
            for name in names
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Refuse bytes that are not UTF-8 (Python keeps them as lone surrogates, which no
        file or database can store) before any command starts."""
        for arg in args:
            if not_utf8(arg):
                shown = arg.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
                click.echo(
                    f"Error: '{shown}' is not UTF-8 text: type it again (check that your "
                    "terminal uses UTF-8).",
                    err=True,
                )
                ctx.exit(int(ExitStatus.USAGE))
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except AfterrunError as error:
            click.echo(f"Error: {error_text(error)}", err=True)
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
        from afterrun.cli.commands.today import show_today

        show_today(ctx.obj)


def main() -> None:
    cli(prog_name="afterrun")
