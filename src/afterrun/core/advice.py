"""The recovery timeline after a run: what to do when, each line with its source.

Every number comes from the evidence sheet (see `afterrun why TOPIC`); where the
original routine promised more (a meal within the hour, stretching against
soreness), this says what the research supports instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from afterrun.core.errors import InvalidInput
from afterrun.core.red_flags import by_level, ladder_lines
from afterrun.core.sources import cite
from afterrun.core.time_text import counted

Topic = Literal["cool-down", "fluids", "food", "soreness", "load", "red-flags"]

#: The "eat soon" window matters only when the next demanding session is closer than this
#: (Burke et al. 2011).
FAST_REFUEL_HOURS = 8
CARB_G_PER_KG_H = (1.0, 1.2)
#: Protein per meal, one figure everywhere (Jäger et al. 2017: about 0.25 g/kg per serving).
PROTEIN_G_PER_KG = (0.25, 0.3)
REFUEL_HOURS = 4
FLUID_L_PER_KG_LOST = 1.5
MAX_WEIGHT_CHANGE_KG = 10.0


@dataclass(frozen=True)
class AdviceLine:
    """One thing to do, when to do it, and where the advice comes from."""

    after: timedelta
    topic: Topic
    text: str
    sources: tuple[str, ...]

    def cited(self) -> str:
        return "; ".join(cite(key) for key in self.sources)

    def to_json(self, run_end: datetime) -> dict[str, Any]:
        return {
            "at": (run_end + self.after).isoformat(),
            "after_minutes": int(self.after.total_seconds() // 60),
            "topic": self.topic,
            "text": self.text,
            "sources": [cite(key) for key in self.sources],
        }


@dataclass(frozen=True)
class LoadState:
    fatigue: float
    fitness: float
    ratio: float | None
    days_of_history: int = 42
    #: How session-RPE loads were put on the TRIMP scale, when any were.
    scale: str | None = None

    @property
    def form(self) -> float:
        return self.fitness - self.fatigue


@dataclass(frozen=True)
class AdviceRequest:
    run_end: datetime
    intensity_label: str
    body_mass_kg: float | None = None
    weight_before_kg: float | None = None
    weight_after_kg: float | None = None
    next_session_in: timedelta | None = None
    load: LoadState | None = None
    #: Why no cool-down is offered (a recent warning sign that needs a clinician), if so.
    withheld_reason: str | None = None
    withheld_sources: tuple[str, ...] = ()
    #: Warning signs reported in recent check-ins (slugs): urine and sodium signs change
    #: what the fluids line may say.
    warning_signs: tuple[str, ...] = ()


def _check(request: AdviceRequest) -> None:
    for name, value in (
        ("weight_before", request.weight_before_kg),
        ("weight_after", request.weight_after_kg),
    ):
        if value is not None and not 25 <= value <= 300:
            raise InvalidInput.naming(
                f"{{{name}}} {value:g} is out of range: give your weight in kg (25-300)."
            )
    if (request.weight_before_kg is None) != (request.weight_after_kg is None):
        raise InvalidInput.naming("give both {weight_before} and {weight_after}, or neither.")
    if request.weight_before_kg is not None and request.weight_after_kg is not None:
        change = abs(request.weight_before_kg - request.weight_after_kg)
        if change > MAX_WEIGHT_CHANGE_KG:
            raise InvalidInput(
                f"a change of {change:g} kg in one run is not plausible: check both weights."
            )
    if request.next_session_in is not None and request.next_session_in < timedelta(0):
        raise InvalidInput.naming("{next_session_in} must not be negative.")


def _cool_down(request: AdviceRequest) -> AdviceLine:
    if request.withheld_reason:
        return AdviceLine(
            timedelta(0), "cool-down", request.withheld_reason, request.withheld_sources
        )
    return AdviceLine(
        timedelta(0),
        "cool-down",
        f"Cool-down, optional ({request.intensity_label} run), within about an hour: a few "
        "minutes of light activity, such as walking or easy jogging, clears blood lactate "
        "faster than standing still, which is why harder runs start with an easy walk. The "
        "stretches are for flexibility and because many runners find they feel good; their "
        "effect on next-day soreness and injury risk is too small to notice. A longer "
        "cool-down is for comfort and a gradual return, not a faster recovery.",
        ("van-hooren-2018", "herbert-2011", "jamtvedt-2010"),
    )


def _fluids(request: AdviceRequest) -> AdviceLine:
    if "low-sodium" in request.warning_signs:
        return AdviceLine(
            timedelta(0),
            "fluids",
            "Fluids: you reported signs of low blood sodium (see the warning above): drink no "
            "more water until a clinician has seen you.",
            ("hew-butler-2015",),
        )
    if "dark-urine" in request.warning_signs:
        return AdviceLine(
            timedelta(0),
            "fluids",
            "Fluids: you reported dark urine, which is a warning sign here (see above), not a "
            "hydration check: get medical care today and drink what you are told there.",
            ("cdc-niosh",),
        )
    before, after = request.weight_before_kg, request.weight_after_kg
    if before is not None and after is not None:
        lost = round(before - after, 2)
        if lost < 0:
            return AdviceLine(
                timedelta(0),
                "fluids",
                f"Fluids: you weighed {-lost:g} kg more after the run than before, so you drank "
                "more than you lost. Drink nothing extra for now, only to thirst, and eat "
                "something salty. Too much water can lower blood sodium (hyponatraemia): a "
                "headache, nausea or vomiting, or confusion, up to a day later, is an emergency.",
                ("sawka-2007", "hew-butler-2015"),
            )
        if lost == 0:
            return AdviceLine(
                timedelta(0),
                "fluids",
                "Fluids: your weight did not change, so you drank about what you lost. Drink to "
                "thirst from here; extra water brings no benefit and too much risks low blood "
                "sodium (hyponatraemia).",
                ("sawka-2007",),
            )
        litres = FLUID_L_PER_KG_LOST * lost
        share = lost / before * 100
        calm = ""
        if share < 5 and (
            request.next_session_in is None or request.next_session_in >= timedelta(hours=24)
        ):
            calm = (
                " With no session in the next 24 h and under 5% of your weight lost, normal "
                "meals and water get you there too."
            )
        return AdviceLine(
            timedelta(0),
            "fluids",
            f"Fluids: you lost {lost:g} kg ({share:.1f}% of your weight). Drink about "
            f"{litres:.1f} L in all (1.5 L per kg lost, which covers what you keep losing as "
            f"urine), spread over the next few hours, not at once, and stop there: drinking well "
            f"beyond that risks low blood sodium. Salty food or a sports drink with 400-1,100 mg "
            f"sodium per litre helps you keep it.{calm}",
            ("dge-2020", "sawka-2007"),
        )
    return AdviceLine(
        timedelta(0),
        "fluids",
        "Fluids: drink to thirst, with your normal meals for the salt, and never more than you "
        "lost. Thirst and dark urine together suggest you are short; pale straw-coloured urine "
        "is a good sign. These checks were tested on first-morning measures, so right after a "
        "run they are only a rough guide.",
        ("sawka-2007", "cheuvront-2005"),
    )


def _protein(mass: float | None) -> str:
    low, high = PROTEIN_G_PER_KG
    if mass is None:
        return f"{low:g}-{high:g} g of protein per kg of body weight"
    return f"{low * mass:.0f}-{high * mass:.0f} g of protein ({low:g}-{high:g} g per kg)"


def _food(request: AdviceRequest) -> AdviceLine:
    mass = request.body_mass_kg
    soon = request.next_session_in
    if soon is not None and soon < timedelta(hours=FAST_REFUEL_HOURS):
        hours = soon.total_seconds() / 3600
        low, high = CARB_G_PER_KG_H
        if mass is not None:
            amounts = (
                f"{low * mass:.0f}-{high * mass:.0f} g of carbohydrate per hour for the next "
                f"{REFUEL_HOURS} hours ({low:g}-{high:g} g per kg per hour), with "
                f"{_protein(mass)}"
            )
        else:
            amounts = (
                f"{low:g}-{high:g} g of carbohydrate per kg of body weight per hour for the next "
                f"{REFUEL_HOURS} hours, with {_protein(None)} (your weight in the profile "
                "turns these into grams)"
            )
        return AdviceLine(
            timedelta(minutes=15),
            "food",
            f"Food: your next hard session is in {hours:g} h, so refuelling soon matters: "
            f"{amounts}. Quickly digested carbohydrate (rice, bread, bananas, sports drink) "
            "works best.",
            ("burke-2011", "kerksick-2017", "wallis-2022", "jager-2017"),
        )
    when = (
        "With no next hard session given, afterrun assumes it is more than 8 h away. "
        if soon is None
        else f"Your next hard session is {soon.total_seconds() / 3600:g} h away. "
    )
    return AdviceLine(
        timedelta(hours=1),
        "food",
        f"Food: {when[0].lower()}{when[1:]}No rush: eat a normal meal when it suits you, "
        f"with {_protein(mass)}. "
        "Over the day, enough carbohydrate refills your glycogen; eating soon matters only "
        "when the next hard session is less than about 8 h away.",
        ("burke-2011", "sherman-1992", "jager-2017"),
    )


def _soreness() -> list[AdviceLine]:
    return [
        AdviceLine(
            timedelta(hours=24),
            "soreness",
            "Check in: rate how sore each area is, 0-10. Soreness usually starts within a day; "
            "runners differ in when it is worst, and many are sorest early and ease from there.",
            ("henschke-2011", "vickers-2001"),
        ),
        AdviceLine(
            timedelta(hours=48),
            "soreness",
            "Check in again. afterrun's rules of thumb: an area rated 7 or more, still getting "
            "worse after 3 days, or sore on two days within two weeks, can be a strain rather "
            "than soreness: see a doctor or physiotherapist in the next few days.",
            ("nhs-sprains",),
        ),
    ]


def _load(request: AdviceRequest) -> AdviceLine | None:
    state = request.load
    if state is None:
        return None
    # Form is written as the difference of the numbers shown beside it, and the words on
    # recent load come from the very ratio printed, so that the paragraph cannot disagree
    # with itself.
    fitness, fatigue = round(state.fitness), round(state.fatigue)
    form = fitness - fatigue
    text = (
        f"By the training-load model (a model, not a measurement): fitness {fitness}, "
        f"fatigue {fatigue}, form {form:+d}."
    )
    above = False
    if state.days_of_history < 28:
        text += (
            f" With {counted(state.days_of_history, 'day')} of history the model has little to "
            "compare with yet; import older runs for a fairer picture."
        )
    elif state.ratio is None:
        text += " There was no load in the 4 weeks before to compare recent load with."
    else:
        above = state.ratio > 1.3
        usual = "below" if state.ratio < 0.8 else "above" if above else "in line with"
        change = (state.ratio - 1) * 100
        text += (
            f" Recent load is {usual} your usual: your last 7 days' load is "
            f"{state.ratio:.2f}x your 4-week average ({change:+.0f}%), a description of "
            "change, not an injury forecast."
        )
    if above or form < -10:
        text += " The model would put an easy day before the next hard session."
    scale = f" {state.scale}" if state.scale else ""
    return AdviceLine(
        timedelta(hours=12),
        "load",
        text + scale,
        ("banister-1975", "morton-1990", "allen-coggan-2010", "impellizzeri-2021"),
    )


def red_flag_lines() -> list[AdviceLine]:
    """The referral ladder, one line per rung, each with the sources of its signs."""
    lines = ladder_lines()
    return [
        AdviceLine(
            timedelta(0),
            "red-flags",
            f"At any time: {text}",
            tuple(dict.fromkeys(key for flag in flags for key in flag.sources)),
        )
        for text, (_, flags) in zip(lines, by_level(), strict=True)
    ]


def recovery_timeline(request: AdviceRequest) -> list[AdviceLine]:
    """The lines of advice in time order after the run ends."""
    _check(request)
    lines = [_cool_down(request), _fluids(request), _food(request), *_soreness()]
    load_line = _load(request)
    if load_line is not None:
        lines.append(load_line)
    lines.sort(key=lambda line: line.after)
    return [*lines, *red_flag_lines()]
