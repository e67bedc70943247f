"""The built-in catalogue holds the original routine's facts; bad files are named precisely."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from afterrun.catalogue_files import built_in_text, load_catalogue
from afterrun.core.catalogue import Exercise, parse_catalogue
from afterrun.core.errors import CatalogueError

CATALOGUE = load_catalogue(None)
HOLDS = ("calf-stretch", "hip-flexor-stretch", "hamstring-wall-stretch", "knee-to-chest")


def test_the_five_exercises_of_the_routine_are_there() -> None:
    assert set(CATALOGUE.slugs) == {"leg-swings", *HOLDS}


@pytest.mark.parametrize("exercise", CATALOGUE.exercises, ids=lambda e: e.slug)
def test_every_entry_is_complete(exercise: Exercise) -> None:
    assert exercise.steps and exercise.tips and exercise.safety
    assert exercise.position in ("standing", "kneeling", "lying")
    assert exercise.areas and exercise.muscles
    assert exercise.safety_sources, "every safety line names its source"
    if not exercise.purpose_sources:
        # A purpose without a source only says what the exercise works and how it may feel;
        # anything the research found carries its source.
        assert not re.search(
            r"\d|stud(?:y|ies)|research|evidence|shown|proven|lactate|reduc|prevent",
            exercise.purpose,
            re.IGNORECASE,
        ), exercise.purpose
    assert "acsm-2021" not in exercise.purpose_sources, "ACSM says nothing about purposes"
    assert exercise.evidence, "every exercise says where the evidence disagrees"
    for variant in exercise.variants:
        assert variant.when


@pytest.mark.parametrize("slug", HOLDS)
def test_holds_are_20_to_30_seconds_2_to_3_times_per_side(slug: str) -> None:
    dose = CATALOGUE.get(slug).dose
    assert dose.hold_seconds == (20, 30)
    assert dose.holds_per_side == (2, 3)


def test_leg_swings_are_10_per_leg_in_2_to_3_sets_front_then_side() -> None:
    swings = CATALOGUE.get("leg-swings")
    assert swings.kind == "reps"
    assert swings.dose.reps_per_side == 10
    assert swings.dose.sets == (2, 3)
    assert [part.slug for part in swings.parts] == ["front-to-back", "side-to-side"]
    assert set(swings.support) == {"wall", "chair"}


@pytest.mark.parametrize(
    ("slug", "variant", "role"),
    [
        ("calf-stretch", "soleus", "addition"),
        ("calf-stretch", "short-holds", "alternative"),
        ("hip-flexor-stretch", "standing-chair", "alternative"),
        ("hamstring-wall-stretch", "other-leg-bent", "alternative"),
        ("knee-to-chest", "bed-edge", "alternative"),
        ("knee-to-chest", "foam-roller-glutes", "addition"),
    ],
)
def test_the_routine_variants_are_there(slug: str, variant: str, role: str) -> None:
    assert CATALOGUE.get(slug).variant(variant).role == role


def test_variants_carry_their_position_and_equipment() -> None:
    standing = CATALOGUE.get("hip-flexor-stretch").variant("standing-chair")
    assert standing.position == "standing"
    assert standing.equipment == ["chair"]
    assert CATALOGUE.get("knee-to-chest").variant("bed-edge").equipment == ["bed"]
    assert CATALOGUE.get("knee-to-chest").variant("foam-roller-glutes").equipment == ["foam-roller"]
    short = CATALOGUE.get("calf-stretch").variant("short-holds")
    assert short.dose is not None and short.dose.hold_seconds == (10, 20)


def test_positions_and_equipment_match_the_routine() -> None:
    assert CATALOGUE.get("calf-stretch").equipment == ["wall"]
    assert CATALOGUE.get("hip-flexor-stretch").position == "kneeling"
    assert CATALOGUE.get("hamstring-wall-stretch").equipment == ["mat", "doorway"]
    assert CATALOGUE.get("knee-to-chest").position == "lying"


def _bad(entry: str) -> str:
    base = """
[[exercise]]
slug = "wall-sit"
name = "Wall sit"
kind = "hold"
areas = ["quads"]
muscles = ["quadriceps"]
purpose = "Quiet work for the thighs."
position = "standing"
equipment = ["wall"]
steps = ["Slide down the wall.", "Hold."]
safety = "Stop if it hurts."
"""
    return base + entry


def test_a_user_file_adds_exercises(tmp_path: Path) -> None:
    (tmp_path / "exercises.toml").write_text(
        _bad("[exercise.dose]\nhold_seconds = [20, 30]\nholds_per_side = [1, 2]\n")
    )
    catalogue = load_catalogue(tmp_path)
    assert catalogue.slugs[-1] == "wall-sit"
    assert len(catalogue.exercises) == 6


def test_a_bad_field_names_file_entry_and_field(tmp_path: Path) -> None:
    path = tmp_path / "exercises.toml"
    path.write_text(_bad("[exercise.dose]\nhold_seconds = [-5, 30]\nholds_per_side = [1, 2]\n"))
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(tmp_path)
    assert str(caught.value) == (
        f"{path}: exercise 'wall-sit' (entry 1), field 'dose': Value error, "
        "hold_seconds must be [low, high] with 0 < low <= high, not [-5, 30]."
    )


def test_an_unknown_position_is_named(tmp_path: Path) -> None:
    path = tmp_path / "exercises.toml"
    text = _bad("[exercise.dose]\nhold_seconds = [20, 30]\nholds_per_side = [1, 2]\n")
    path.write_text(text.replace('position = "standing"', 'position = "sitting"'))
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(tmp_path)
    assert str(caught.value) == (
        f"{path}: exercise 'wall-sit' (entry 1), field 'position': "
        "Input should be 'standing', 'kneeling' or 'lying'."
    )


def test_broken_toml_is_named(tmp_path: Path) -> None:
    path = tmp_path / "exercises.toml"
    path.write_text("[[exercise]\nslug = 1")
    with pytest.raises(CatalogueError, match=r"exercises.toml: not valid TOML: .*Fix the file"):
        load_catalogue(tmp_path)


def test_a_user_file_cannot_replace_a_built_in_slug() -> None:
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue([("built-in", built_in_text()), ("mine.toml", built_in_text())])
    assert str(caught.value) == (
        "mine.toml: exercise 'leg-swings', field 'slug': already defined in built-in. "
        "Choose another slug."
    )


def test_a_user_file_cannot_take_the_easy_walk_s_slug() -> None:
    mine = built_in_text().replace('slug = "leg-swings"', 'slug = "easy-walk"', 1)
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue([("mine.toml", mine)])
    assert str(caught.value) == (
        "mine.toml: exercise 'easy-walk', field 'slug': already defined in afterrun itself "
        "(the easy walk before the exercises). Choose another slug."
    )


def test_the_readme_example_exercise_file_is_valid(tmp_path: Path) -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text()
    example = readme.split("```toml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "exercises.toml").write_text(example)
    assert load_catalogue(tmp_path).get("quad-stretch").support == ["wall", "chair"]


def test_every_variant_s_when_reads_after_the_word_when() -> None:
    """Shown as 'When {when}.': 'When to reach the soleus' does not read."""
    for exercise in CATALOGUE.exercises:
        for variant in exercise.variants:
            assert not variant.when.startswith(("to ", "when ", "When ")), variant.slug
            assert variant.when[0].islower() and not variant.when.endswith("."), variant.slug


def test_every_sided_exercise_and_variant_says_which_leg_a_side_is() -> None:
    for exercise in CATALOGUE.exercises:
        if exercise.sided:
            assert exercise.side_cue, exercise.slug
        for variant in exercise.variants:
            if variant.steps:
                assert variant.side_cue, f"{exercise.slug}/{variant.slug}"


def test_a_side_cue_without_the_side_is_named(tmp_path: Path) -> None:
    text = built_in_text().replace('side_cue = "{side} leg up the wall"', 'side_cue = "leg up"')
    with pytest.raises(CatalogueError, match=r"side_cue names the side as \{side\}"):
        parse_catalogue([("exercises.toml", text)])
