"""An exercise in words and as JSON, the same for the CLI and the web app."""

from __future__ import annotations

from typing import Any

from afterrun.core.catalogue.models import EQUIPMENT_NAMES, Dose, Exercise


def dose_text(exercise: Exercise, dose: Dose | None = None) -> str:
    """The exercise's dose in words, or `dose` (a variant's) in the exercise's terms."""
    dose = dose or exercise.dose
    if dose.hold_seconds and dose.holds_per_side:
        return (
            f"hold {dose.hold_seconds[0]}-{dose.hold_seconds[1]} s, "
            f"{dose.holds_per_side[0]}-{dose.holds_per_side[1]} times per side"
        )
    sets = dose.sets or (0, 0)
    parts = " then ".join(part.name for part in exercise.parts)
    text = f"{dose.reps_per_side} per leg, {sets[0]}-{sets[1]} sets"
    return f"{text}, {parts}" if parts else text


def equipment_text(exercise: Exercise) -> str:
    needs = [EQUIPMENT_NAMES[item] for item in exercise.equipment]
    if exercise.support:
        needs.append(" or ".join(EQUIPMENT_NAMES[item] for item in exercise.support))
    return ", ".join(needs) or "none"


def exercise_json(exercise: Exercise) -> dict[str, Any]:
    data = exercise.model_dump(mode="json")
    data["dosage"] = dose_text(exercise)
    return data
