"""Option and argument types shared by commands (the planning options of `plan` and `go`,
row ids), with their validation and messages."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

import click

from afterrun.cli import plan_args
from afterrun.cli.plan_args import EQUIPMENT_ALIASES
from afterrun.core.ids import MAX_ID
from afterrun.core.intensity import Intensity
from afterrun.core.plan import DEFAULT_MINUTES, PLACES

F = TypeVar("F", bound=Callable[..., Any])

#: A row id: a mistyped one is a usage error (exit 2).
ID = click.IntRange(1, MAX_ID)

_NEGATIVE = re.compile(r"-\d+(\.\d+)?")


class NumbersCommand(click.Command):
    """A command with number arguments: '-3' reaches the argument's own range check
    ("-3 is not in the range ...") instead of being read as an unknown option."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, list(args))
        except click.NoSuchOption as error:
            if not _NEGATIVE.fullmatch(error.option_name):
                raise
        ctx.ignore_unknown_options = True
        return super().parse_args(ctx, args)


class Minutes(click.ParamType[int, Any]):
    name = "minutes"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        try:
            return plan_args.minutes(value)
        except ValueError as error:
            self.fail(str(error), param, ctx)


class IntensityType(click.ParamType[Intensity, Any]):
    name = "intensity"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> Intensity:
        try:
            return plan_args.intensity(value)
        except ValueError as error:
            self.fail(str(error), param, ctx)


class CommaList(click.ParamType[tuple[str, ...], Any]):
    """A comma-separated list, each item checked against known names."""

    name = "list"

    def __init__(self, known: dict[str, str], what: str) -> None:
        self.known = known
        self.what = what

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> tuple[str, ...]:
        if isinstance(value, tuple):
            return value
        try:
            return plan_args.names(str(value), self.known, self.what)
        except ValueError as error:
            self.fail(str(error), param, ctx)


class AreaList(CommaList):
    def __init__(self) -> None:
        super().__init__({}, "body area")

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> tuple[str, ...]:
        if not self.known:
            self.known = plan_args.area_names()
        return super().convert(value, param, ctx)


def plan_options(command: F) -> F:
    """Add the planning options to a command."""
    options = [
        click.option(
            "--minutes",
            "-m",
            type=Minutes(),
            default=DEFAULT_MINUTES,
            show_default=True,
            help="Minutes you have (1-120). Many runners cool down for 5-15 min.",
        ),
        click.option(
            "--intensity",
            "-i",
            type=IntensityType(),
            default=None,
            help="How hard the run was: easy, moderate, hard or very-hard.",
        ),
        click.option(
            "--place",
            type=click.Choice(sorted(PLACES)),
            default=None,
            help="Where you are: sets the equipment (home: wall, mat, doorway, chair, bed; "
            "gym: wall, mat, chair, foam roller; track: a fence as wall, a bench as chair).",
        ),
        click.option(
            "--equipment",
            type=CommaList(EQUIPMENT_ALIASES, "equipment"),
            default=None,
            help="What you have, comma-separated: wall, mat, doorway, chair, bed, foam-roller. "
            "Adds to --place.",
        ),
        click.option(
            "--focus",
            type=AreaList(),
            default=None,
            help="Body areas to put first, comma-separated (e.g. calves,lower-back).",
        ),
        click.option(
            "--avoid",
            type=AreaList(),
            default=None,
            help="Body areas to leave out, comma-separated (e.g. hamstrings).",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command
