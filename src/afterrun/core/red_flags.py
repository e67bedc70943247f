"""Warning signs that are not ordinary soreness, and the one referral ladder they use.

afterrun cannot diagnose: these messages send the runner to someone who can. Every
surface (check-in, plan, go, advice, report, calendar, web pages) takes its wording and
its level from here, so a sign is never filed under a lower rung in one place than in
another.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from afterrun.core.sources import cite


class Level(StrEnum):
    """The referral ladder, most urgent first."""

    EMERGENCY = "emergency"
    SAME_DAY = "same-day"
    SOON = "soon"


@dataclass(frozen=True)
class Rung:
    level: Level
    #: What the banner starts with, in capitals so it stands out in a terminal.
    label: str
    #: What to do, as one instruction.
    action: str


LADDER: dict[Level, Rung] = {
    Level.EMERGENCY: Rung(
        Level.EMERGENCY, "EMERGENCY", "call emergency services now: 112, 999 or 911"
    ),
    Level.SAME_DAY: Rung(
        Level.SAME_DAY,
        "SAME-DAY CARE",
        "get medical care today: a same-day doctor's appointment, urgent care or A&E",
    ),
    Level.SOON: Rung(
        Level.SOON,
        "SEE A CLINICIAN SOON",
        "stop running and see a doctor or physiotherapist in the next few days",
    ),
}

LEVEL_ORDER: dict[Level, int] = {level: rank for rank, level in enumerate(Level)}

#: Levels that mean "no cool-down now": stretching is not what the runner needs.
STOP_LEVELS = frozenset({Level.EMERGENCY, Level.SAME_DAY})


@dataclass(frozen=True)
class RedFlag:
    slug: str
    #: A few words naming the sign, for lists ("dark urine").
    name: str
    question: str
    level: Level
    #: What it may mean and the first step, without the ladder's own instruction.
    advice: str
    sources: tuple[str, ...]
    #: A sign about the place that hurts (not the whole body): the next plan rests that area.
    local: bool = False

    @property
    def rung(self) -> Rung:
        return LADDER[self.level]

    @property
    def stops_cool_down(self) -> bool:
        return self.level in STOP_LEVELS

    def to_json(self) -> dict[str, Any]:
        """The sign with its rung of the ladder, for the CLI's and the web's JSON."""
        return {
            "slug": self.slug,
            "name": self.name,
            "level": self.level.value,
            "label": self.rung.label,
            "action": self.rung.action,
            "banner": self.banner,
            "advice": self.advice,
            "stops_cool_down": self.stops_cool_down,
            "sources": [cite(key) for key in self.sources],
        }

    @property
    def banner(self) -> str:
        """'EMERGENCY: chest pain: ... Call emergency services now (...).'"""
        action = self.rung.action
        if not self.advice.endswith(","):
            action = action[0].upper() + action[1:]
        return f"{self.rung.label}: {self.advice} {action}."


RED_FLAGS: tuple[RedFlag, ...] = (
    RedFlag(
        "chest-pain",
        "chest pain",
        "Chest pain, pressure or tightness?",
        Level.EMERGENCY,
        "chest pain, pressure or tightness during or after a run can be the heart.",
        ("thompson-2007",),
    ),
    RedFlag(
        "fainting",
        "collapse during the run",
        "Collapsed or fainted while still running?",
        Level.EMERGENCY,
        "collapsing while still running is a serious sign, unlike feeling faint after stopping.",
        ("asplund-2011",),
    ),
    RedFlag(
        "breathless",
        "severe breathlessness",
        "Severely out of breath at rest?",
        Level.EMERGENCY,
        "severe breathlessness at rest, or breathlessness with pain in one calf or the chest, "
        "needs help at once.",
        ("thompson-2007", "nice-2020"),
    ),
    RedFlag(
        "heat-stroke",
        "heat stroke",
        "Confused, hot skin, or collapsed after a run in the heat?",
        Level.EMERGENCY,
        "confusion, hot skin or collapse after a run, above all in the heat, can be heat "
        "stroke: cool the body at once (shade, cold water) while help comes.",
        ("roberts-2021", "cdc-niosh"),
    ),
    RedFlag(
        "low-sodium",
        "low blood sodium",
        "Headache, nausea, vomiting or confusion after drinking a lot (up to a day later)?",
        Level.EMERGENCY,
        "headache, nausea or vomiting, or confusion after drinking a lot, up to a day after "
        "the run, can be low blood sodium (hyponatraemia): drink no more water until you "
        "are seen.",
        ("hew-butler-2015", "sawka-2007"),
    ),
    RedFlag(
        "dark-urine",
        "dark urine",
        "Dark, tea- or cola-coloured urine?",
        Level.SAME_DAY,
        "dark, tea- or cola-coloured urine can mean muscle breakdown (rhabdomyolysis), even "
        "days after the run.",
        ("cdc-niosh",),
    ),
    RedFlag(
        "severe-pain",
        "pain far beyond the run",
        "Pain far worse than this run should cause, or weakness?",
        Level.SAME_DAY,
        "pain far beyond what the run explains, or weakness, can mean muscle breakdown "
        "(rhabdomyolysis).",
        ("cdc-niosh",),
    ),
    RedFlag(
        "calf-clot",
        "painful, swollen, warm calf",
        "Pain, swelling and warmth in one calf?",
        Level.SAME_DAY,
        "pain, swelling and warmth in one calf can be a blood clot (deep vein thrombosis); "
        "if you are also short of breath or have chest pain, call emergency services.",
        ("nice-2020",),
        local=True,
    ),
    RedFlag(
        "cannot-bear-weight",
        "possible fracture",
        "Unable to take four steps, a crack heard, or a limb misshapen, numb or cold?",
        Level.SAME_DAY,
        "not being able to take four steps, a crack heard, or a limb that looks misshapen or "
        "feels numb or cold can be a fracture: do not run or stretch on it.",
        ("stiell-1992", "nhs-sprains"),
        local=True,
    ),
    RedFlag(
        "faint-after",
        "faint after stopping",
        "Felt faint or dizzy after stopping?",
        Level.SOON,
        "feeling faint after you stop is usually blood pooling in the legs: lie down with "
        "your legs raised and it should pass within minutes. If it does not, or comes with "
        "chest pain, breathlessness or confusion, call emergency services. If it keeps "
        "happening,",
        ("asplund-2011",),
    ),
    RedFlag(
        "sharp-pain",
        "sharp pain in one spot",
        "Sharp pain in one spot?",
        Level.SOON,
        "sharp pain in one spot can be a strain or an overuse injury rather than soreness.",
        ("nhs-sprains",),
        local=True,
    ),
    RedFlag(
        "swelling",
        "swelling or bruising",
        "Swelling or bruising where it hurts?",
        Level.SOON,
        "swelling or bruising where it hurts points to a strain or sprain; if it is one calf "
        "and it is also warm and painful, that is a possible clot: get same-day care.",
        ("nhs-sprains", "nice-2020"),
        local=True,
    ),
)

BY_SLUG: dict[str, RedFlag] = {flag.slug: flag for flag in RED_FLAGS}
#: Most urgent rung first, then the order above: the sort key wherever flags are listed.
RANK: dict[str, tuple[int, int]] = {
    flag.slug: (list(Level).index(flag.level), index) for index, flag in enumerate(RED_FLAGS)
}


def most_urgent(slugs: Iterable[str]) -> list[RedFlag]:
    """The flags raised, most urgent first, each once, in the ladder's order."""
    unique = {slug for slug in slugs if slug in BY_SLUG}
    return [BY_SLUG[slug] for slug in sorted(unique, key=RANK.__getitem__)]


def by_level(flags: Sequence[RedFlag] = RED_FLAGS) -> list[tuple[Rung, list[RedFlag]]]:
    """The ladder with the flags on each rung, most urgent rung first, empty rungs left out."""
    return [
        (LADDER[level], [flag for flag in flags if flag.level == level])
        for level in Level
        if any(flag.level == level for flag in flags)
    ]


def ladder_lines() -> list[str]:
    """The whole ladder in three lines: every warning sign under its rung, and what to do."""
    return [
        f"{rung.label}: {'; '.join(flag.name for flag in flags)}. "
        f"{rung.action[0].upper()}{rung.action[1:]}."
        for rung, flags in by_level()
    ]


def ladder_sources() -> tuple[str, ...]:
    """Every source behind the ladder, once, in order of first use."""
    return tuple(dict.fromkeys(key for flag in RED_FLAGS for key in flag.sources))


def ladder_json() -> dict[str, Any]:
    return {"lines": ladder_lines(), "sources": [cite(key) for key in ladder_sources()]}


def ladder_text() -> str:
    """The ladder as one paragraph, for places with room for a single line of text."""
    return "Warning signs: " + " ".join(ladder_lines())
