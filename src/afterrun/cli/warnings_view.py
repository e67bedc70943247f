"""Warning signs in the terminal: banners in red, most urgent first, and the whole ladder.

Kept apart from the check-in view so that `plan` can show recent signs without importing
the store.
"""

from __future__ import annotations

import click

from afterrun.core.red_flags import RedFlag, ladder_lines, ladder_sources
from afterrun.core.sources import cite_all

#: How the terminal tells afterrun that a clinician has seen the runner.
SEEN_HINT = "Say so with 'afterrun checkin --seen'."


def flag_lines(flags: list[RedFlag], after: str = "") -> list[str]:
    """Each warning sign as its banner with its sources (and `after`), in red, most urgent
    first."""
    return [
        click.style(f"{flag.banner} ({cite_all(flag.sources)}){after}", fg="red", bold=True)
        for flag in flags
    ]


def ladder_footer() -> list[str]:
    """The whole referral ladder, shown under every check-in."""
    lines = [f"  {line}" for line in ladder_lines()]
    return ["Warning signs, at any time:", *lines, f"  ({cite_all(ladder_sources())})"]
