"""The `afterrun` program's entry point: `afterrun --help`, `plan`, `go` and bare
`afterrun` answered before Click loads (see `cli/direct.py`).

`--help` is typed to find one's way, and a pause before it reads as a slow program. Click
writes the group's help at the terminal's width, capped at 80 columns, so on any terminal
that wide (and in a pipe) the text is always the same: `help_text.GROUP_HELP` holds it,
and a test checks it against what Click writes. Anything else goes to the Click group.
"""

from __future__ import annotations

import os
import sys

#: Click folds help to the terminal's width up to this many columns (its `max_width`).
HELP_WIDTH = 80


def terminal_columns() -> int:
    """The columns Click would fold help to, found as `shutil.get_terminal_size` finds
    them ($COLUMNS, else the terminal, else 80), without importing shutil."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns > 0:
        return columns
    stdout = sys.__stdout__
    try:
        return (stdout and os.get_terminal_size(stdout.fileno()).columns) or HELP_WIDTH
    except (ValueError, OSError):
        return HELP_WIDTH


def main() -> None:
    """Run `afterrun` with the arguments it was given."""
    if sys.argv[1:] in (["--help"], ["-h"]) and terminal_columns() >= HELP_WIDTH:
        from afterrun.cli.help_text import GROUP_HELP

        sys.stdout.write(GROUP_HELP)
        sys.stdout.flush()
        return
    from afterrun.cli.direct import run

    status = run(sys.argv[1:])
    if status is not None:
        sys.exit(status)
    from afterrun.cli.main import main as click_main

    click_main()
