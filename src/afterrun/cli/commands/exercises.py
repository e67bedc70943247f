"""`afterrun exercises`: the catalogue, as a table, in full, or as JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from afterrun.cli.context import AppContext
from afterrun.cli.render import table, to_json
from afterrun.core.errors import NotFound

if TYPE_CHECKING:
    from afterrun.core.catalogue import Exercise


def _full_text(exercise: Exercise) -> str:
    from afterrun.core.catalogue.describe import dose_text, equipment_text
    from afterrun.core.sources import cite

    lines = [exercise.name, "=" * len(exercise.name), exercise.purpose]
    if exercise.purpose_sources:
        lines.append(f"  ({'; '.join(cite(key) for key in exercise.purpose_sources)})")
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
        lines += ["", "Tips:"] + [f"  - {tip}" for tip in exercise.tips]
    safety = f"Safety: {exercise.safety}"
    if exercise.safety_sources:
        safety += f" ({'; '.join(cite(key) for key in exercise.safety_sources)})"
    lines += ["", safety]
    if exercise.variants:
        lines += ["", "Variants:"]
        for variant in exercise.variants:
            kind = "extra" if variant.role == "addition" else "instead"
            line = f"  - {variant.name} ({kind}): when {variant.when}."
            if variant.dose_sources:
                line += f" ({'; '.join(cite(key) for key in variant.dose_sources)})"
            lines.append(line)
    for note in exercise.evidence:
        sources = "; ".join(cite(key) for key in note.sources)
        lines += ["", note.claim, f"What the evidence says: {note.finding} ({sources})"]
    return "\n".join(lines)


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
        click.echo(to_json(exercise_json(exercise)) if as_json else _full_text(exercise))
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
    click.echo(table(("Slug", "Name", "Position", "Equipment", "Dose", "Variants"), rows))
    click.echo("\nShow one in full: afterrun exercises SLUG")
