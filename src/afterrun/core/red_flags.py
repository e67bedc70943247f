"""Signs that are not ordinary soreness. Shown prominently, stored, never explained away.

afterrun cannot diagnose: these messages send the runner to someone who can.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Urgency = Literal["emergency", "now", "soon"]


@dataclass(frozen=True)
class RedFlag:
    slug: str
    question: str
    urgency: Urgency
    advice: str
    sources: tuple[str, ...]

    @property
    def banner(self) -> str:
        prefix = {"emergency": "EMERGENCY", "now": "SEEK CARE NOW", "soon": "SEE SOMEONE"}
        return f"{prefix[self.urgency]}: {self.advice}"


RED_FLAGS: tuple[RedFlag, ...] = (
    RedFlag(
        "chest-pain",
        "Chest pain, pressure or tightness?",
        "emergency",
        "chest pain, fainting or severe breathlessness: call emergency services now.",
        ("emergency",),
    ),
    RedFlag(
        "fainting",
        "Fainted or nearly fainted?",
        "emergency",
        "chest pain, fainting or severe breathlessness: call emergency services now.",
        ("emergency",),
    ),
    RedFlag(
        "breathless",
        "Severely out of breath at rest?",
        "emergency",
        "chest pain, fainting or severe breathlessness: call emergency services now.",
        ("emergency",),
    ),
    RedFlag(
        "dark-urine",
        "Dark, tea- or cola-coloured urine?",
        "now",
        "dark or cola-coloured urine can mean muscle breakdown (rhabdomyolysis): "
        "seek medical care now, even if it appears days after the run.",
        ("cdc-niosh",),
    ),
    RedFlag(
        "severe-pain",
        "Pain far worse than this run should cause, or weakness?",
        "now",
        "pain far beyond what the run explains, or weakness: seek medical care now.",
        ("cdc-niosh",),
    ),
    RedFlag(
        "sharp-pain",
        "Sharp pain in one spot?",
        "soon",
        "sharp, localised pain: stop running and see a physiotherapist or doctor.",
        ("nhs-sprains",),
    ),
    RedFlag(
        "swelling",
        "Swelling or bruising?",
        "soon",
        "swelling or bruising: stop running and see a physiotherapist or doctor.",
        ("nhs-sprains",),
    ),
    RedFlag(
        "cannot-bear-weight",
        "Unable to put weight on a leg?",
        "soon",
        "unable to bear weight: stop running and see a physiotherapist or doctor.",
        ("nhs-sprains",),
    ),
)

BY_SLUG: dict[str, RedFlag] = {flag.slug: flag for flag in RED_FLAGS}
URGENCY_ORDER: dict[str, int] = {"emergency": 0, "now": 1, "soon": 2}


def most_urgent(slugs: list[str]) -> list[RedFlag]:
    """The flags raised, most urgent first, one message per distinct advice."""
    flags = sorted((BY_SLUG[slug] for slug in slugs), key=lambda f: URGENCY_ORDER[f.urgency])
    seen: set[str] = set()
    unique = []
    for flag in flags:
        if flag.advice not in seen:
            seen.add(flag.advice)
            unique.append(flag)
    return unique
