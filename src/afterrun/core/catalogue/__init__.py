"""The exercise catalogue: typed models and the parser that validates data files."""

from afterrun.core.catalogue.models import (
    AREAS,
    Catalogue,
    Dose,
    Equipment,
    Exercise,
    Part,
    Position,
    Variant,
)
from afterrun.core.catalogue.parse import parse_catalogue

__all__ = [
    "AREAS",
    "Catalogue",
    "Dose",
    "Equipment",
    "Exercise",
    "Part",
    "Position",
    "Variant",
    "parse_catalogue",
]
