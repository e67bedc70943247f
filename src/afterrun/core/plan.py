"""A planned cool-down: the request, the ordered steps, and what was cut and why."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from afterrun.core.hints import Hint
from afterrun.core.intensity import Intensity
from afterrun.core.step_kinds import WORK_KINDS, StepKind

Side = Literal["right", "left"]


#: The easy walk or jog that comes first after a hard run (Van Hooren & Peake 2018: light
#: activity after exercise clears blood lactate faster). Its slug is reserved: no exercise
#: file may use it.
WALK_SLUG = "easy-walk"
WALK_NAME = "Easy walk or jog"
WALK_TEXT = (
    "Walk or jog very easily: around the block, along the hallway or on the spot; "
    "you should be able to talk."
)

#: Seconds the planner allows between things; they count toward the budget.
GET_READY_SECONDS = 10
SAME_POSITION_SECONDS = 10
POSITION_CHANGE_SECONDS = 15
PART_CHANGE_SECONDS = 8
SWITCH_SECONDS = 5

MIN_MINUTES = 1
MAX_MINUTES = 120
DEFAULT_MINUTES = 15

PLACES: dict[str, frozenset[str]] = {
    # At the track a fence or railing serves as the wall and a bench as the chair.
    "track": frozenset({"wall", "chair"}),
    "home": frozenset({"wall", "mat", "doorway", "chair", "bed"}),
    "gym": frozenset({"wall", "mat", "chair", "foam-roller"}),
}


def place_phrase(place: str | None) -> str:
    """'at home', 'at the gym', 'at the track'; 'with your equipment' when no place is set."""
    if place is None:
        return "with your equipment"
    return "at home" if place == "home" else f"at the {place}"


@dataclass(frozen=True)
class PlanRequest:
    """What the runner told us: time, how hard the run was, where they are, what to target."""

    minutes: int = DEFAULT_MINUTES
    intensity: Intensity = Intensity.MODERATE
    equipment: frozenset[str] = PLACES["home"]
    place: str | None = "home"
    focus: tuple[str, ...] = ()
    avoid: tuple[str, ...] = ()
    #: Areas to go easy on, with the reason shown in the plan.
    ease: tuple[tuple[str, str], ...] = ()
    #: Areas to leave out for now (rated 7+ or with a red flag), with the reason shown.
    rest: tuple[tuple[str, str], ...] = ()
    intensity_reason: str | None = None
    #: What the runner can do when the intensity was assumed (each edge words it).
    intensity_hint: Hint | None = None

    @property
    def budget_seconds(self) -> int:
        return self.minutes * 60


@dataclass(frozen=True)
class PlanStep:
    """One timed stretch of the session: a hold, a set of reps, or the gap between them."""

    exercise: str
    name: str
    kind: StepKind
    seconds: int
    text: str
    variant: str | None = None
    side: Side | None = None
    reps: int | None = None
    seconds_per_rep: float | None = None
    round: int | None = None
    rounds: int | None = None
    area: str | None = None
    tip: str | None = None
    #: Why the exercise is done this way today (eased for soreness, another version for the
    #: place), shown beside the tip, never instead of it.
    note: str | None = None
    #: The planned seconds before "carry on, gently" eased this step (None: not eased).
    eased_from: int | None = None

    @property
    def is_work(self) -> bool:
        return self.kind in WORK_KINDS

    def to_json(self, index: int) -> dict[str, Any]:
        data: dict[str, Any] = {
            "index": index,
            "exercise": self.exercise,
            "name": self.name,
            "variant": self.variant,
            "side": self.side,
            "kind": self.kind,
            "seconds": self.seconds,
        }
        if self.reps is not None:
            data["reps"] = self.reps
        if self.round is not None:
            data["round"] = self.round
            data["rounds"] = self.rounds
        data["text"] = self.text
        if self.eased_from is not None:
            data["eased_from"] = self.eased_from
        return data


@dataclass(frozen=True)
class Cut:
    """An exercise left out or shortened, and the reason the runner is shown."""

    exercise: str
    name: str
    action: Literal["dropped", "shortened", "eased"]
    reason: str
    variant: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "exercise": self.exercise,
            "variant": self.variant,
            "name": self.name,
            "action": self.action,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class PlannedExercise:
    """An exercise as it will be done: form, position and dose."""

    exercise: str
    variant: str | None
    name: str
    position: str
    kind: str
    hold_seconds: int | None = None
    holds_per_side: int | None = None
    reps_per_side: int | None = None
    sets: int | None = None

    @property
    def dose_text(self) -> str:
        if self.hold_seconds is not None:
            return f"{self.hold_seconds} s x {self.holds_per_side} per side"
        return f"{self.reps_per_side} per leg x {self.sets} sets"

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "exercise": self.exercise,
            "variant": self.variant,
            "name": self.name,
            "position": self.position,
            "kind": self.kind,
        }
        if self.hold_seconds is not None:
            data["hold_seconds"] = self.hold_seconds
            data["holds_per_side"] = self.holds_per_side
        else:
            data["reps_per_side"] = self.reps_per_side
            data["sets"] = self.sets
        return data


@dataclass(frozen=True)
class Plan:
    request: PlanRequest
    exercises: tuple[PlannedExercise, ...]
    steps: tuple[PlanStep, ...]
    dropped: tuple[Cut, ...]
    notes: tuple[str, ...] = field(default=())
    #: The citation keys (core/sources.py) behind each note, in the order of `notes`; a
    #: note of afterrun's own (the time it takes) has none.
    note_sources: tuple[tuple[str, ...], ...] = field(default=())
    #: What the runner can do about the plan (more minutes when nothing fits); each edge
    #: says it its own way.
    hints: tuple[Hint, ...] = field(default=())

    @property
    def total_seconds(self) -> int:
        return sum(step.seconds for step in self.steps)

    @property
    def walk_minutes(self) -> int:
        """Minutes of easy walking or jogging before the exercises (whole minutes, or 0)."""
        return sum(step.seconds for step in self.steps if step.kind == "walk") // 60

    def sources_of(self, index: int) -> tuple[str, ...]:
        """The citation keys behind note `index`."""
        return self.note_sources[index] if index < len(self.note_sources) else ()

    def to_json(self) -> dict[str, Any]:
        request = self.request
        return {
            "minutes": request.minutes,
            "budget_seconds": request.budget_seconds,
            "total_seconds": self.total_seconds,
            "intensity": request.intensity.value,
            "intensity_reason": request.intensity_reason,
            "intensity_hint": None
            if request.intensity_hint is None
            else request.intensity_hint.value,
            "walk_minutes": self.walk_minutes,
            "place": request.place,
            "equipment": sorted(request.equipment),
            "focus": list(request.focus),
            "avoid": list(request.avoid),
            "exercises": [exercise.to_json() for exercise in self.exercises],
            "steps": [step.to_json(index) for index, step in enumerate(self.steps)],
            "dropped": [cut.to_json() for cut in self.dropped],
            "notes": list(self.notes),
            "note_sources": [list(self.sources_of(i)) for i in range(len(self.notes))],
            "hints": [hint.value for hint in self.hints],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Plan:
        """The plan back from `to_json()`, as stored with a session, ready to play again.

        A step may also carry `area`, `tip` and `seconds_per_rep` (the engine stores them
        with a session); without them those stay unset. The request's `ease` and `rest` are
        not in the JSON: the steps already reflect them. Raises ValueError saying what is
        missing or wrong.
        """
        try:
            request = PlanRequest(
                minutes=int(data["minutes"]),
                intensity=Intensity(data["intensity"]),
                equipment=frozenset(str(item) for item in data["equipment"]),
                place=_optional_str(data.get("place")),
                focus=tuple(str(area) for area in data.get("focus", ())),
                avoid=tuple(str(area) for area in data.get("avoid", ())),
                intensity_reason=_optional_str(data.get("intensity_reason")),
                intensity_hint=_optional_hint(data.get("intensity_hint")),
            )
            exercises = tuple(_exercise_from_json(item) for item in data.get("exercises", ()))
            steps = tuple(
                _step_from_json(number, item) for number, item in enumerate(data["steps"])
            )
            dropped = tuple(_cut_from_json(item) for item in data.get("dropped", ()))
            notes = tuple(str(note) for note in data.get("notes", ()))
            note_sources = tuple(
                tuple(str(key) for key in keys) for keys in data.get("note_sources", ())
            )
            hints = tuple(Hint(str(hint)) for hint in data.get("hints", ()))
        except KeyError as exc:
            raise ValueError(f"the field {exc} is missing") from exc
        except (TypeError, AttributeError) as exc:
            raise ValueError(str(exc)) from exc
        return cls(request, exercises, steps, dropped, notes, note_sources, hints)


def _optional_hint(value: Any) -> Hint | None:
    return None if value is None else Hint(str(value))


def _optional_str(value: Any) -> str | None:
    return None if value is None else str(value)


def _optional_int(value: Any) -> int | None:
    return None if value is None else int(value)


def _choice(value: Any, allowed: tuple[str | None, ...], what: str) -> Any:
    if value not in allowed:
        raise ValueError(f"unknown {what} {value!r}")
    return value


def _step_from_json(number: int, data: Mapping[str, Any]) -> PlanStep:
    if data.get("index", number) != number:
        raise ValueError(f"step {number} is stored as step {data['index']}")
    seconds = int(data["seconds"])
    if seconds <= 0:
        raise ValueError(f"step {number} lasts {seconds} s")
    per_rep = data.get("seconds_per_rep")
    return PlanStep(
        exercise=str(data["exercise"]),
        name=str(data["name"]),
        kind=_choice(data["kind"], get_args(StepKind), "step kind"),
        seconds=seconds,
        text=str(data["text"]),
        variant=_optional_str(data.get("variant")),
        side=_choice(data.get("side"), (*get_args(Side), None), "side"),
        reps=_optional_int(data.get("reps")),
        seconds_per_rep=None if per_rep is None else float(per_rep),
        round=_optional_int(data.get("round")),
        rounds=_optional_int(data.get("rounds")),
        area=_optional_str(data.get("area")),
        tip=_optional_str(data.get("tip")),
        note=_optional_str(data.get("note")),
        eased_from=_optional_int(data.get("eased_from")),
    )


def _exercise_from_json(data: Mapping[str, Any]) -> PlannedExercise:
    return PlannedExercise(
        exercise=str(data["exercise"]),
        variant=_optional_str(data.get("variant")),
        name=str(data["name"]),
        position=str(data["position"]),
        kind=str(data["kind"]),
        hold_seconds=_optional_int(data.get("hold_seconds")),
        holds_per_side=_optional_int(data.get("holds_per_side")),
        reps_per_side=_optional_int(data.get("reps_per_side")),
        sets=_optional_int(data.get("sets")),
    )


def _cut_from_json(data: Mapping[str, Any]) -> Cut:
    return Cut(
        exercise=str(data["exercise"]),
        name=str(data["name"]),
        action=_choice(data["action"], ("dropped", "shortened", "eased"), "cut"),
        reason=str(data["reason"]),
        variant=_optional_str(data.get("variant")),
    )


def stored_plan(plan: Plan) -> dict[str, Any]:
    """The plan as a session stores it: `to_json()` plus what `Plan.from_json` needs to
    play it again exactly (each step's body area, tip, note and seconds per swing)."""
    data = plan.to_json()
    for step_json, step in zip(data["steps"], plan.steps, strict=True):
        extras = {
            "area": step.area,
            "tip": step.tip,
            "note": step.note,
            "seconds_per_rep": step.seconds_per_rep,
        }
        step_json.update({key: value for key, value in extras.items() if value is not None})
    return data
