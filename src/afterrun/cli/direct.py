"""Bare `afterrun`, `afterrun plan` and `afterrun go` run without Click.

These are typed after every run, by someone waiting for an answer, and Click's import is
about a third of their start-up. When `plan_args` reads the arguments, the command's own
body runs here, with the error mapping of the Click group (`cli/main.py`): the same
output, the same exit statuses. Anything else goes to Click.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from afterrun.cli import plan_args

if TYPE_CHECKING:
    from afterrun.cli.context import AppContext


def run(args: list[str]) -> int | None:
    """Run the command in `args` and give its exit status; None when Click should."""
    read = plan_args.read(args)
    if read is None:
        return None
    command, parameters = read
    from afterrun.cli.context import AppContext

    app = AppContext()
    try:
        return _run(app, command, parameters)
    except (KeyboardInterrupt, EOFError):
        print("\nAborted!", file=sys.stderr)  # as Click says it
        return 1
    except BrokenPipeError:
        return _pipe_closed()
    finally:
        app.close()


def _run(app: AppContext, command: str, parameters: dict[str, Any]) -> int:
    from afterrun.cli.exit_codes import exit_status_for
    from afterrun.cli.render import echo
    from afterrun.cli.wording import error_text
    from afterrun.core.errors import AfterrunError

    try:
        if command == "go":
            from afterrun.cli.playing import run_go

            return int(run_go(app, resume=None, **parameters))
        if command == "plan":
            from afterrun.cli.planning import plan_options_of, show_plan

            as_json = parameters.pop("as_json")
            show_steps = parameters.pop("show_steps")
            show_plan(app, plan_options_of(**parameters), as_json, show_steps)
        else:
            from afterrun.cli.commands.today import show_today

            show_today(app)
    except AfterrunError as error:
        echo(f"Error: {error_text(error)}", err=True)
        return int(exit_status_for(error))
    return 0


def _pipe_closed() -> int:
    """The reader went away (`afterrun plan | head -3`): stop quietly, as Click does."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return 1
