"""Turn catalogue file text into validated models, naming file, entry and field on error."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from typing import Any

from pydantic import ValidationError

from afterrun.core.catalogue.models import Catalogue, Exercise
from afterrun.core.errors import CatalogueError
from afterrun.core.plan import WALK_SLUG


def _entry_label(index: int, raw: object) -> str:
    slug = raw.get("slug") if isinstance(raw, dict) else None
    if isinstance(slug, str) and len(slug) > 60:
        slug = slug[:60] + "…"
    return f"exercise {slug!r} (entry {index + 1})" if slug else f"entry {index + 1}"


def _field_path(loc: tuple[int | str, ...]) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        else:
            parts.append(("." if parts else "") + item)
    return "".join(parts) or "(entry)"


def exercise_tables(text: str, source: str) -> list[Any]:
    """The `[[exercise]]` tables of one TOML document, not yet validated."""
    try:
        document: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(
            f"{source}: not valid TOML: {exc}. Fix the file or remove it."
        ) from exc
    unknown = sorted(set(document) - {"exercise"})
    if unknown:
        raise CatalogueError(
            f"{source}: unknown top-level key {unknown[0]!r}; exercises go in [[exercise]] tables."
        )
    raw_entries = document.get("exercise", [])
    if not isinstance(raw_entries, list):
        raise CatalogueError(f"{source}: 'exercise' must be an array of tables: [[exercise]].")
    return raw_entries


def parse_entries(raw_entries: Iterable[Any], source: str) -> list[Exercise]:
    """Validate exercise tables (from a file, or kept as JSON), naming source, entry and
    field of the first that is wrong."""
    exercises: list[Exercise] = []
    for index, raw in enumerate(raw_entries):
        try:
            exercises.append(Exercise.model_validate(raw))
        except ValidationError as exc:
            error = exc.errors()[0]
            raise CatalogueError(
                f"{source}: {_entry_label(index, raw)}, field '{_field_path(error['loc'])}': "
                f"{error['msg']}."
            ) from exc
    return exercises


def parse_exercises(text: str, source: str) -> list[Exercise]:
    """Parse one TOML document of `[[exercise]]` tables.

    `source` is the file name used in error messages.
    """
    return parse_entries(exercise_tables(text, source), source)


def add_exercises(catalogue: Catalogue, exercises: Iterable[Exercise], source: str) -> Catalogue:
    """The catalogue with more exercises; one may not take a slug already there."""
    seen = {WALK_SLUG, *catalogue.slugs}
    added = list(catalogue.exercises)
    for exercise in exercises:
        if exercise.slug in seen:
            raise CatalogueError(
                f"{source}: exercise {exercise.slug!r}, field 'slug': already defined in "
                "the catalogue. Choose another slug."
            )
        seen.add(exercise.slug)
        added.append(exercise)
    return Catalogue(exercises=tuple(added))


def parse_catalogue(documents: Iterable[tuple[str, str]]) -> Catalogue:
    """Merge catalogue documents, given as (source name, text), in order.

    A later document may not redefine a slug: a user's file adds exercises,
    it does not silently replace the built-in ones. The easy walk's slug is taken too.
    """
    seen: dict[str, str] = {WALK_SLUG: "afterrun itself (the easy walk before the exercises)"}
    exercises: list[Exercise] = []
    for source, text in documents:
        for exercise in parse_exercises(text, source):
            if exercise.slug in seen:
                raise CatalogueError(
                    f"{source}: exercise {exercise.slug!r}, field 'slug': already defined in "
                    f"{seen[exercise.slug]}. Choose another slug."
                )
            seen[exercise.slug] = source
            exercises.append(exercise)
    return Catalogue(exercises=tuple(exercises))
