"""`afterrun exercises`: the catalogue, as a table, in full, or as JSON."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from afterrun.cli.context import AppContext
from afterrun.cli.render import prose_width, table, to_json
from afterrun.core.errors import NotFound

if TYPE_CHECKING:
    from afterrun.core.catalogue import Exercise


def _full_text(exercise: Exercise, width: int | None) -> str:
    from afterrun.core.catalogue.describe import dose_text, equipment_text
    from afterrun.core.catalogue.models import EQUIPMENT_NAMES
    from afterrun.core.sources import cite

    def cited(keys: Sequence[str]) -> str:
        return f" ({'; '.join(cite(key) for key in keys)})" if keys else ""

    lines = [
        exercise.name,
        "=" * len(exercise.name),
        exercise.purpose + cited(exercise.purpose_sources),
    ]
    lines += [
        "",
        f"Type: {'timed hold' if exercise.kind == 'hold' else 'dynamic reps'}, {exercise.position}",
        f"Areas: {', '.join(exercise.areas)} (muscles: {', '.join(exercise.muscles)})",
        f"Equipment: {equipment_text(exercise)}",
        f"Dose: {dose_text(exercise)}",
        "",
    ]
    lines += [f"{number}. {step}" for number, step in enumerate(exercise.steps, start=1)]
    if exercise.tips:
        lines += ["", "Tips:"] + [f"- {tip}" for tip in exercise.tips]
    lines += ["", f"Safety: {exercise.safety}{cited(exercise.safety_sources)}"]
    for variant in exercise.variants:
        role = (
            "an extra, after the main exercise when time allows"
            if variant.role == "addition"
            else "instead of the main exercise"
        )
        lines += ["", f"Variant: {variant.name}, {role}.", f"When {variant.when}."]
        if variant.position:
            lines.append(f"Position: {variant.position}")
        if variant.equipment is not None:
            names = [EQUIPMENT_NAMES[item] for item in variant.equipment]
            lines.append(f"Equipment: {', '.join(names) or 'none'}")
        if variant.dose is not None:
            lines.append(f"Dose: {dose_text(exercise, variant.dose)}{cited(variant.dose_sources)}.")
        if variant.steps:
            lines += [f"{number}. {step}" for number, step in enumerate(variant.steps, start=1)]
        else:
            lines.append("Steps as for the main exercise.")
    for note in exercise.evidence:
        lines += ["", note.claim, f"What the evidence says: {note.finding}{cited(note.sources)}"]
    return "\n".join(wrapped(line, width) for line in lines)


def wrapped(line: str, width: int | None) -> str:
    """A line folded to the width (None: not folded), continuation lines indented under
    its text."""
    import textwrap

    if width is None or len(line) <= width:
        return line
    head = line[: len(line) - len(line.lstrip("-0123456789. "))]
    return textwrap.fill(line, width, subsequent_indent=" " * len(head), break_on_hyphens=False)


@click.command()
@click.argument("slug", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.pass_obj
def exercises(app: AppContext, /, slug: str | None, as_json: bool) -> None:
    """List the exercises, or show one in full (steps, tips, variants, evidence)."""
    from afterrun.core.catalogue.describe import dose_text, equipment_text, exercise_json

    catalogue = app.catalogue()
    if slug is not None:
        try:
            exercise = catalogue.get(slug)
        except KeyError:
            raise NotFound(f"No exercise {slug!r}. Known: {', '.join(catalogue.slugs)}.") from None
        click.echo(
            to_json(exercise_json(exercise)) if as_json else _full_text(exercise, prose_width())
        )
        return
    if as_json:
        click.echo(to_json([exercise_json(exercise) for exercise in catalogue.exercises]))
        return
    rows = [
        (
            exercise.slug,
            exercise.name,
            exercise.position,
            equipment_text(exercise),
            dose_text(exercise),
            len(exercise.variants),
        )
        for exercise in catalogue.exercises
    ]
    headers = ("Slug", "Name", "Position", "Equipment", "Dose", "Variants")
    click.echo(table(headers, rows, fold=(4, 3, 1)))
    click.echo("\nShow one in full: afterrun exercises SLUG")
