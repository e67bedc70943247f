"""`afterrun exercises`: the catalogue, as a table, in full, or as JSON."""

from __future__ import annotations

from typing import Any

import click

from afterrun.cli.context import AppContext
from afterrun.cli.render import table, to_json
from afterrun.core.catalogue import Exercise
from afterrun.core.catalogue.models import EQUIPMENT_NAMES
from afterrun.core.errors import NotFound
from afterrun.core.sources import cite


def _dose_text(exercise: Exercise) -> str:
    dose = exercise.dose
    if dose.hold_seconds and dose.holds_per_side:
        return (
            f"hold {dose.hold_seconds[0]}-{dose.hold_seconds[1]} s, "
            f"{dose.holds_per_side[0]}-{dose.holds_per_side[1]} times per side"
        )
    sets = dose.sets or (0, 0)
    parts = " then ".join(part.name for part in exercise.parts)
    text = f"{dose.reps_per_side} per leg, {sets[0]}-{sets[1]} sets"
    return f"{text}, {parts}" if parts else text


def _equipment_text(exercise: Exercise) -> str:
    needs = [EQUIPMENT_NAMES[item] for item in exercise.equipment]
    if exercise.support:
        needs.append(" or ".join(EQUIPMENT_NAMES[item] for item in exercise.support))
    return ", ".join(needs) or "none"


def exercise_json(exercise: Exercise) -> dict[str, Any]:
    data = exercise.model_dump(mode="json")
    data["dosage"] = _dose_text(exercise)
    return data


def _full_text(exercise: Exercise) -> str:
    lines = [exercise.name, "=" * len(exercise.name), exercise.purpose]
    if exercise.purpose_sources:
        lines.append(f"  ({'; '.join(cite(key) for key in exercise.purpose_sources)})")
    lines += [
        "",
        f"Type: {'timed hold' if exercise.kind == 'hold' else 'dynamic reps'}, {exercise.position}",
        f"Areas: {', '.join(exercise.areas)} (muscles: {', '.join(exercise.muscles)})",
        f"Equipment: {_equipment_text(exercise)}",
        f"Dose: {_dose_text(exercise)}",
        "",
    ]
    lines += [f"{number}. {step}" for number, step in enumerate(exercise.steps, start=1)]
    if exercise.tips:
        lines += ["", "Tips:"] + [f"  - {tip}" for tip in exercise.tips]
    lines += ["", f"Safety: {exercise.safety}"]
    if exercise.variants:
        lines += ["", "Variants:"]
        for variant in exercise.variants:
            kind = "extra" if variant.role == "addition" else "instead"
            lines.append(f"  - {variant.name} ({kind}): when {variant.when}.")
    for note in exercise.evidence:
        sources = "; ".join(cite(key) for key in note.sources)
        lines += ["", note.claim, f"What the evidence says: {note.finding} ({sources})"]
    return "\n".join(lines)


def show_exercises(app: AppContext, slug: str | None, as_json: bool) -> None:
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
            _equipment_text(exercise),
            _dose_text(exercise),
            len(exercise.variants),
        )
        for exercise in catalogue.exercises
    ]
    click.echo(table(("Slug", "Name", "Position", "Equipment", "Dose", "Variants"), rows))
    click.echo("\nShow one in full: afterrun exercises SLUG")
