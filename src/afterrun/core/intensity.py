"""How hard a run was, on the four-step scale the planner sizes doses by."""

from __future__ import annotations

from enum import StrEnum


class Intensity(StrEnum):
    EASY = "easy"
    MODERATE = "moderate"
    HARD = "hard"
    VERY_HARD = "very-hard"

    @classmethod
    def parse(cls, text: str) -> Intensity:
        """Accept 'very hard', 'very-hard' and 'very_hard' alike."""
        key = text.strip().lower().replace(" ", "-").replace("_", "-")
        for member in cls:
            if member.value == key:
                return member
        raise ValueError(text)

    @property
    def label(self) -> str:
        return self.value.replace("-", " ")
