"""Option and argument types shared by commands (the planning options of `plan` and `go`,
row ids), with their validation and messages."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

import click

from afterrun.core.ids import MAX_ID
from afterrun.core.intensity import Intensity
from afterrun.core.plan import DEFAULT_MINUTES, MAX_MINUTES, MIN_MINUTES, PLACES

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


EQUIPMENT_ALIASES = {
    "wall": "wall",
    "mat": "mat",
    "doorway": "doorway",
    "door": "doorway",
    "chair": "chair",
    "stool": "chair",
    "bench": "chair",
    "bed": "bed",
    "foam-roller": "foam-roller",
    "roller": "foam-roller",
}


class Minutes(click.ParamType[int, Any]):
    name = "minutes"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        try:
            minutes = int(str(value).strip())
        except ValueError:
            self.fail(f"{value!r} is not a whole number of minutes.", param, ctx)
        if not MIN_MINUTES <= minutes <= MAX_MINUTES:
            self.fail(
                f"{minutes} is out of range: give {MIN_MINUTES} to {MAX_MINUTES} minutes.",
                param,
                ctx,
            )
        return minutes


class IntensityType(click.ParamType[Intensity, Any]):
    name = "intensity"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> Intensity:
        if isinstance(value, Intensity):
            return value
        try:
            return Intensity.parse(str(value))
        except ValueError:
            choices = ", ".join(member.value for member in Intensity)
            self.fail(f"{value!r} is not an intensity. Choose from: {choices}.", param, ctx)


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
        items: list[str] = []
        for raw in str(value).split(","):
            key = raw.strip().lower().replace(" ", "-").replace("_", "-")
            if not key:
                continue
            if key not in self.known:
                choices = ", ".join(sorted(set(self.known.values())))
                shown = raw.strip()[:40] + ("…" if len(raw.strip()) > 40 else "")
                self.fail(f"unknown {self.what} {shown!r}. Choose from: {choices}.", param, ctx)
            items.append(self.known[key])
        if not items:
            choices = ", ".join(sorted(set(self.known.values())))
            self.fail(f"no {self.what} given. Choose from: {choices}.", param, ctx)
        return tuple(dict.fromkeys(items))


def area_names() -> dict[str, str]:
    """Every body area and the singular or short forms runners type for it."""
    from afterrun.core.body import AREAS

    known = {area: area for area in AREAS}
    known.update(
        {
            "calf": "calves",
            "hamstring": "hamstrings",
            "hip-flexor": "hip-flexors",
            "glute": "glutes",
            "back": "lower-back",
            "quad": "quads",
            "hip": "hips",
        }
    )
    return known


class AreaList(CommaList):
    def __init__(self) -> None:
        super().__init__({}, "body area")

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> tuple[str, ...]:
        if not self.known:
            self.known = area_names()
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
