"""Body areas and equipment names: shared by the catalogue, the planning options, check-ins
and plans, and kept apart from the catalogue's models so that reading them is cheap."""

from __future__ import annotations

#: Body areas the catalogue, focus/avoid options and soreness check-ins share.
AREAS: tuple[str, ...] = (
    "calves",
    "hamstrings",
    "quads",
    "hip-flexors",
    "glutes",
    "groin",
    "hips",
    "lower-back",
)


def area_name(slug: str) -> str:
    """How a person reads an area: "hip flexors", never the slug "hip-flexors"."""
    return slug.replace("-", " ")


EQUIPMENT_NAMES: dict[str, str] = {
    "wall": "wall",
    "mat": "mat",
    "doorway": "doorway",
    "chair": "chair or stool",
    "bed": "bed",
    "foam-roller": "foam roller",
}
