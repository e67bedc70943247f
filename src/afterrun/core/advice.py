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
from afterrun.core.sources import cite

Topic = Literal["cool-down", "fluids", "food", "soreness", "load", "red-flags"]

#: The "eat soon" window matters only when the next demanding session is closer than this.
FAST_REFUEL_HOURS = 8
CARB_G_PER_KG_H = (1.0, 1.2)
PROTEIN_G_PER_KG = 0.3
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


def _check(request: AdviceRequest) -> None:
    for name, value in (
        ("--weight-before", request.weight_before_kg),
        ("--weight-after", request.weight_after_kg),
    ):
        if value is not None and not 25 <= value <= 300:
            raise InvalidInput(
                f"{name} {value:g} is out of range: give your weight in kg (25-300)."
            )
    if (request.weight_before_kg is None) != (request.weight_after_kg is None):
        raise InvalidInput("give both --weight-before and --weight-after, or neither.")
    if request.weight_before_kg is not None and request.weight_after_kg is not None:
        change = abs(request.weight_before_kg - request.weight_after_kg)
        if change > MAX_WEIGHT_CHANGE_KG:
            raise InvalidInput(
                f"a change of {change:g} kg in one run is not plausible: check both weights."
            )
    if request.next_session_in is not None and request.next_session_in < timedelta(0):
        raise InvalidInput("--next-session-in must not be negative.")


def _cool_down(request: AdviceRequest) -> AdviceLine:
    return AdviceLine(
        timedelta(0),
        "cool-down",
        f"Cool-down, optional ({request.intensity_label} run): a few minutes of light activity, "
        "such as walking or easy jogging, clears blood lactate faster than standing still; the "
        "leg swings keep you moving gently. The stretches are for "
        "flexibility and because many runners find they feel good; they do not measurably "
        "change next-day soreness or injury risk. 'afterrun go' plays it.",
        ("van-hooren-2018", "herbert-2011", "lauersen-2014"),
    )


def _fluids(request: AdviceRequest) -> AdviceLine:
    before, after = request.weight_before_kg, request.weight_after_kg
    if before is not None and after is not None:
        lost = before - after
        if lost <= 0:
            change = (
                f"you weighed {-lost:g} kg more after the run"
                if lost < 0
                else "your weight did not change"
            )
            return AdviceLine(
                timedelta(0),
                "fluids",
                f"Fluids: {change}, so you drank enough during it. Drink to thirst from here; "
                "extra water brings no benefit and too much risks low blood sodium "
                "(hyponatraemia).",
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
        "Fluids: drink to thirst, with your normal meals for the salt. Pale straw-coloured urine "
        "is a good sign; two of these suggest you are short: thirst, dark urine, or more than "
        "1% of your weight lost. For a number, weigh yourself before and after next time "
        "(--weight-before, --weight-after).",
        ("sawka-2007", "cheuvront-2005"),
    )


def _food(request: AdviceRequest) -> AdviceLine:
    mass = request.body_mass_kg
    soon = request.next_session_in
    if soon is not None and soon < timedelta(hours=FAST_REFUEL_HOURS):
        hours = soon.total_seconds() / 3600
        low, high = CARB_G_PER_KG_H
        if mass is not None:
            amounts = (
                f"{low * mass:.0f}-{high * mass:.0f} g of carbohydrate per hour for the next "
                f"{REFUEL_HOURS} hours ({low:g}-{high:g} g per kg per hour), with about "
                f"{PROTEIN_G_PER_KG * mass:.0f} g of protein ({PROTEIN_G_PER_KG:g} g per kg)"
            )
        else:
            amounts = (
                f"{low:g}-{high:g} g of carbohydrate per kg of body weight per hour for the next "
                f"{REFUEL_HOURS} hours, with about {PROTEIN_G_PER_KG:g} g of protein per kg "
                "(set your weight with 'afterrun profile set --weight' for grams)"
            )
        return AdviceLine(
            timedelta(minutes=15),
            "food",
            f"Food: your next hard session is in {hours:g} h, so refuelling soon matters: "
            f"{amounts}. Quickly digested carbohydrate (rice, bread, bananas, sports drink) "
            "works best.",
            ("kerksick-2017", "wallis-2022"),
        )
    when = (
        "With no next hard session given, afterrun assumes it is more than 8 h away "
        "(--next-session-in 6h changes that). "
        if soon is None
        else f"Your next hard session is {soon.total_seconds() / 3600:g} h away. "
    )
    return AdviceLine(
        timedelta(hours=1),
        "food",
        f"Food: {when}No rush: eat a normal meal when it suits you, with 20-40 g of protein. "
        "Over the day, enough carbohydrate refills your glycogen; the 'within the hour' window "
        "matters only when the next hard session is less than about 8 h away.",
        ("kerksick-2017", "sherman-1992", "jager-2017"),
    )


def _soreness() -> list[AdviceLine]:
    course = (
        "Soreness usually starts within a day and often peaks around 48 h, but many runners "
        "are sorest straight away and ease off from there."
    )
    return [
        AdviceLine(
            timedelta(hours=24),
            "soreness",
            f"Check in: rate how sore each area is, 0-10 ('afterrun checkin calves=3'). {course}",
            ("henschke-2011", "vickers-2001"),
        ),
        AdviceLine(
            timedelta(hours=48),
            "soreness",
            "Check in again. If an area is 7 or more, keeps getting worse after 3 days, or hurt "
            "in two sessions within two weeks, see a physiotherapist or doctor.",
            ("nhs-sprains", "vickers-2001"),
        ),
    ]


def _load(request: AdviceRequest) -> AdviceLine | None:
    state = request.load
    if state is None:
        return None
    model = (
        f"By the training-load model (a model, not a measurement): fitness {state.fitness:.0f}, "
        f"fatigue {state.fatigue:.0f}, form {state.form:+.0f}."
    )
    if state.days_of_history < 28:
        hint = (
            f" With {state.days_of_history} day(s) of history the model has little to compare "
            "with yet; import older runs for a fairer picture."
        )
    elif state.form < -10:
        hint = (
            " Recent load is above your usual; the model would put an easy day before the "
            "next hard session."
        )
    else:
        hint = (
            " Recent load is in line with your usual; the model sees no reason to change your plan."
        )
    ratio = ""
    if state.ratio is not None:
        change = (state.ratio - 1) * 100
        ratio = (
            f" Your last 7 days' load is {state.ratio:.2f}x your 4-week average ({change:+.0f}%), "
            "a description of change, not an injury forecast."
        )
    scale = f" {state.scale}" if state.scale else ""
    return AdviceLine(
        timedelta(hours=12),
        "load",
        model + hint + ratio + scale,
        ("banister-1975", "impellizzeri-2020"),
    )


def red_flag_line() -> AdviceLine:
    return AdviceLine(
        timedelta(0),
        "red-flags",
        "At any time: chest pain, fainting or severe breathlessness: call emergency services. "
        "Dark or cola-coloured urine, or pain far beyond what the run explains: seek medical "
        "care now. Sharp pain in one spot, swelling, or not being able to bear weight: stop "
        "running and see a physiotherapist or doctor.",
        ("cdc-niosh", "nhs-sprains", "emergency"),
    )


def recovery_timeline(request: AdviceRequest) -> list[AdviceLine]:
    """The lines of advice in time order after the run ends."""
    _check(request)
    lines = [_cool_down(request), _fluids(request), _food(request), *_soreness()]
    load_line = _load(request)
    if load_line is not None:
        lines.append(load_line)
    lines.sort(key=lambda line: line.after)
    return [*lines, red_flag_line()]
