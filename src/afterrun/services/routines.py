"""Squad routines: a coach's club exercises (the custom-exercise format, validated as a
runner's own files are) and planning defaults. The plans of athletes who share anything
with the coach use them: the club exercises join their catalogue, and a default applies
where the runner gave no option of their own (theirs always win)."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from afterrun.core.errors import CatalogueError, InvalidInput
from afterrun.store import routines

if TYPE_CHECKING:
    from afterrun.core.catalogue import Catalogue, Exercise
    from afterrun.core.plan import Plan
    from afterrun.services.planning import PlanOptions
    from afterrun.store import Store


@dataclass(frozen=True)
class RoutineDefaults:
    """Planning defaults; None leaves the option to the runner (or afterrun)."""

    minutes: int | None = None
    place: str | None = None
    equipment: tuple[str, ...] | None = None
    focus: tuple[str, ...] | None = None
    avoid: tuple[str, ...] | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            f.name: list(value) if isinstance(value := getattr(self, f.name), tuple) else value
            for f in fields(self)
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RoutineDefaults:
        def listed(key: str) -> tuple[str, ...] | None:
            value = data.get(key)
            return None if value is None else tuple(str(item) for item in value)

        minutes = data.get("minutes")
        place = data.get("place")
        return cls(
            minutes=minutes if isinstance(minutes, int) else None,
            place=place if isinstance(place, str) else None,
            equipment=listed("equipment"),
            focus=listed("focus"),
            avoid=listed("avoid"),
        )


@dataclass(frozen=True)
class Routine:
    coach: str
    name: str
    exercises: tuple[dict[str, Any], ...]
    defaults: RoutineDefaults

    @property
    def source(self) -> str:
        return f"routine from coach {self.coach}"

    @property
    def note(self) -> str:
        return f"Routine from coach {self.coach}: {self.name}."

    def to_json(self) -> dict[str, Any]:
        return {
            "coach": self.coach,
            "name": self.name,
            "exercises": [str(table.get("slug", "")) for table in self.exercises],
            "defaults": self.defaults.to_json(),
        }


def _routine(stored: routines.StoredRoutine) -> Routine:
    defaults = RoutineDefaults.from_json(stored.defaults)
    return Routine(stored.coach, stored.name, tuple(stored.exercises), defaults)


def club_exercises(text: str, filename: str, catalogue: Catalogue) -> list[dict[str, Any]]:
    """The [[exercise]] tables of an uploaded file, validated as a runner's own exercise
    file is (the error names file, entry and field); none may take a slug of `catalogue`."""
    from afterrun.core.catalogue.parse import add_exercises, exercise_tables, parse_entries  # noqa: PLC0415

    try:
        tables = exercise_tables(text, filename)
        add_exercises(catalogue, parse_entries(tables, filename), filename)
    except CatalogueError as exc:
        raise InvalidInput(exc.message) from exc
    return [dict(table) for table in tables]


def routine_of(store: Store, coach_id: int) -> Routine | None:
    found = store.read_with(lambda db: routines.load_routine(db, coach_id))
    return None if found is None else _routine(found)


def save_routine(
    store: Store,
    coach_id: int,
    name: str,
    defaults: RoutineDefaults,
    exercises: list[dict[str, Any]] | None,
    now: datetime,
) -> Routine:
    """Save the coach's routine; `exercises` None keeps the club exercises saved before."""
    if defaults.focus and defaults.avoid and set(defaults.focus) & set(defaults.avoid):
        raise InvalidInput("focus and avoid both name one area: put it first or leave it out.")
    before = routine_of(store, coach_id)
    kept = list(before.exercises) if before is not None else []
    chosen = kept if exercises is None else exercises
    store.write_with(
        lambda db: routines.save_routine(db, coach_id, name, chosen, defaults.to_json(), now)
    )
    return routine_of(store, coach_id) or Routine("", name, tuple(chosen), defaults)


def routine_for(store: Store) -> Routine | None:
    """The routine this store's athlete's plans use: that of the coach they share with
    (the most recently saved, when several coaches have one)."""
    found = store.read_with(lambda db: routines.routines_for(db, store.athlete_id))
    return _routine(found[0]) if found else None


def with_routine(catalogue: Catalogue, routine: Routine) -> Catalogue:
    """The runner's catalogue and the club exercises; where a club exercise has the slug
    of one the runner has (their own file), the runner's is kept."""
    from afterrun.core.catalogue.parse import add_exercises, parse_entries  # noqa: PLC0415

    club: list[Exercise] = parse_entries(routine.exercises, routine.source)
    new = [exercise for exercise in club if exercise.slug not in catalogue.slugs]
    return add_exercises(catalogue, new, routine.source)


def routine_options(options: PlanOptions, given: frozenset[str], routine: Routine) -> PlanOptions:
    """The runner's options, with the routine's defaults where the runner gave none."""
    defaults = routine.defaults
    changes: dict[str, Any] = {}
    for name in ("minutes", "place", "equipment", "focus", "avoid"):
        value = getattr(defaults, name)
        if value is not None and name not in given:
            changes[name] = value
    # A place from the routine brings its own equipment: the runner's list still wins.
    return replace(options, **changes) if changes else options


def noted(plan: Plan, routine: Routine) -> Plan:
    """The plan, saying whose routine it follows."""
    return replace(plan, notes=(*plan.notes, routine.note), note_sources=(*plan.note_sources, ()))
