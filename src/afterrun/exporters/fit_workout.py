"""A plan as a FIT workout file that a Garmin watch runs, step by step.

One workout step per hold, set of swings or walk, each with its duration (time in ms, or
reps), its name and its instruction (the side first) in the step's notes. Getting ready,
moving between exercises and switching sides are rest steps of their own, timed as the plan
times them, so the watch keeps the plan's pace and every hold keeps the plan's length. Holds
and swings use the FIT profile's own exercise names (the warm-up category) where one fits;
the others (the easy walk, the soleus stretch, foam rolling, a user's own exercises) carry
only their name as the step name, with no category. Garmin's encoder writes the file;
`garmin_fit_sdk` is imported only when a file is made.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from afterrun.core.plan import Plan, PlanStep

#: The watch's activity for the workout: stretching (FIT's "flexibility training").
SPORT = "training"
SUB_SPORT = "flexibility_training"

#: The FIT profile's warm-up exercises that match an exercise (or one of its forms) exactly.
#: Keyed by (exercise slug, variant or part slug); None stands for the exercise itself.
WARM_UP_NAMES: dict[tuple[str, str | None], str] = {
    ("leg-swings", "front-to-back"): "forward_and_backward_leg_swings",
    ("leg-swings", "side-to-side"): "side_to_side_leg_swings",
    ("calf-stretch", None): "stretch_calf",
    ("calf-stretch", "short-holds"): "stretch_calf",
    ("hip-flexor-stretch", None): "stretch_lunging_hip_flexor",
    ("hip-flexor-stretch", "standing-chair"): "stretch_hip_flexor_and_quad",
    ("hamstring-wall-stretch", None): "stretch_hamstring",
    ("hamstring-wall-stretch", "other-leg-bent"): "stretch_hamstring",
    ("knee-to-chest", None): "stretch_lying_knee_to_chest",
    ("knee-to-chest", "bed-edge"): "stretch_lying_knee_to_chest",
}

#: What a rest step is called on the watch.
REST_NAMES = {"get-ready": "Get ready", "transition": "Get ready", "switch": "Switch sides"}

#: A FIT string field holds at most 255 bytes, its terminating zero included.
MAX_TEXT_BYTES = 254

Duration = Literal["time", "reps"]


@dataclass(frozen=True)
class WorkoutStep:
    """One step as the watch shows it: what to do, for how long, and how to do it."""

    name: str
    duration_type: Duration
    #: Milliseconds for a time step, swings for a reps step.
    duration_value: int
    intensity: Literal["active", "rest"]
    notes: str
    #: The FIT profile's warm-up exercise name, when one fits.
    exercise_name: str | None = None


def workout_name(plan: Plan) -> str:
    """'Cool-down 12 min, hard run': what the watch lists."""
    request = plan.request
    return f"Cool-down {request.minutes} min, {request.intensity.label} run"


def workout_steps(plan: Plan) -> list[WorkoutStep]:
    """The plan's steps as watch steps: one for each of the plan's steps, in order."""
    return [_workout_step(step) for step in plan.steps]


def _workout_step(step: PlanStep) -> WorkoutStep:
    text = step.text
    if step.side is not None and step.side not in text.lower():
        text = f"{step.side.capitalize()} side. {text}"
    text = fit_text(text)
    if not step.is_work:
        return WorkoutStep(REST_NAMES[step.kind], "time", step.seconds * 1000, "rest", text)
    name = step.name
    if step.kind == "reps" and step.variant and step.variant.replace("-", " ") not in name:
        name = f"{name}, {step.variant.replace('-', ' ')}"
    exercise = WARM_UP_NAMES.get((step.exercise, step.variant))
    if step.kind == "reps" and step.reps is not None:
        return WorkoutStep(fit_text(name), "reps", step.reps, "active", text, exercise)
    return WorkoutStep(fit_text(name), "time", step.seconds * 1000, "active", text, exercise)


def fit_text(text: str) -> str:
    """The text cut at a word to fit a FIT string field (254 bytes of UTF-8), with '…'."""
    if len(text.encode()) <= MAX_TEXT_BYTES:
        return text
    room = MAX_TEXT_BYTES - len("…".encode())
    cut = text.encode()[:room].decode(errors="ignore")
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,.;:") + "…"


def fit_workout(plan: Plan, created: datetime) -> bytes:
    """The plan as a FIT workout file (file type workout), written by Garmin's encoder."""
    from garmin_fit_sdk import Encoder, Profile  # noqa: PLC0415 - only when a file is made

    numbers: dict[str, int] = Profile["mesg_num"]
    encoder = Encoder()
    steps = workout_steps(plan)
    for number, message in _messages(plan, steps, created, _warm_up_numbers(Profile)):
        encoder.on_mesg(numbers[number], message)
    data: bytes = encoder.close()
    return data


def _warm_up_numbers(profile: Any) -> dict[str, int]:
    names: dict[int, str] = profile["types"]["warm_up_exercise_name"]
    return {name: number for number, name in names.items()}


def _messages(
    plan: Plan, steps: list[WorkoutStep], created: datetime, warm_up: dict[str, int]
) -> Iterator[tuple[str, dict[str, Any]]]:
    yield (
        "FILE_ID",
        {"type": "workout", "manufacturer": "development", "product": 0, "time_created": created},
    )
    yield (
        "WORKOUT",
        {
            "wkt_name": fit_text(workout_name(plan)),
            "sport": SPORT,
            "sub_sport": SUB_SPORT,
            "num_valid_steps": len(steps),
        },
    )
    for index, step in enumerate(steps):
        message: dict[str, Any] = {
            "message_index": index,
            "wkt_step_name": step.name,
            "duration_type": step.duration_type,
            "duration_value": step.duration_value,
            "target_type": "open",
            "intensity": step.intensity,
            "notes": step.notes,
        }
        if step.exercise_name is not None:
            message["exercise_category"] = "warm_up"
            message["exercise_name"] = warm_up[step.exercise_name]
        yield "WORKOUT_STEP", message
