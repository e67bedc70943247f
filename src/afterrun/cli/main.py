"""The `afterrun` command group and the mapping of errors to exit codes."""

from __future__ import annotations

import sys
from typing import Any

import click

from afterrun import __version__
from afterrun.cli.context import AppContext
from afterrun.cli.exit_codes import ExitStatus, exit_status_for
from afterrun.cli.options import plan_options
from afterrun.core.errors import AfterrunError


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


@click.group(cls=AfterrunGroup, context_settings={"help_option_names": ["-h", "--help"]})
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
      afterrun history                what you have done
    """
    ctx.obj = AppContext(db_flag=db)


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
    from afterrun.cli.planning import build_plan, echo_plan

    echo_plan(build_plan(app, **options), as_json, show_steps)


@cli.command()
@plan_options
@click.option(
    "--voice/--no-voice",
    default=False,
    help="Speak the cues with a local text-to-speech engine (espeak-ng, espeak, spd-say or say).",
)
@click.option("--speed", type=click.FloatRange(0.1, 100.0), default=1.0, hidden=True)
@click.pass_obj
def go(app: AppContext, /, voice: bool, speed: float, **options: Any) -> None:
    """Play the cool-down full-screen, hands-free. Keys: space, arrows, h (it hurts), q."""
    from afterrun.cli.go_cmd import run_go

    status = run_go(app, voice=voice, speed=speed, **options)
    if status != ExitStatus.OK:
        sys.exit(int(status))


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
