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
from afterrun.cli.exit_codes import exit_status_for
from afterrun.cli.wording import error_text
from afterrun.core.errors import AfterrunError

#: Command name -> "module:attribute" of its Click command, under afterrun.cli.commands.
COMMANDS = {
    "advice": "advice:advice",
    "checkin": "checkin:checkin",
    "exercises": "exercises:exercises",
    "export": "export:export",
    "go": "go:go",
    "history": "history:history",
    "import": "import_:import_",
    "plan": "plan:plan",
    "profile": "profile:profile",
    "remind": "remind:remind",
    "report": "report:report",
    "run": "run:run",
    "runs": "runs:runs",
    "serve": "serve:serve",
    "why": "why:why",
}


def load_command(name: str) -> click.Command:
    """The Click command called `name`, importing its module now."""
    module_name, attribute = COMMANDS[name].split(":")
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
