"""Typed models for exercises: what a data file must say, checked on load."""

from __future__ import annotations

import string
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from afterrun.core.body import AREAS, EQUIPMENT_NAMES
from afterrun.core.sources import SOURCES

Position = Literal["standing", "kneeling", "lying"]
Equipment = Literal["wall", "mat", "doorway", "chair", "bed", "foam-roller"]
Kind = Literal["hold", "reps"]
PropKind = Literal["wall", "doorway", "chair", "bed", "mat", "foam-roller", "step"]
View = Literal["side", "front"]

__all__ = ["AREAS", "EQUIPMENT_NAMES"]  # defined in core/body.py, used with the models

POSITION_ORDER: dict[str, int] = {"standing": 0, "kneeling": 1, "lying": 2}

_SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _check_range(value: tuple[int, int] | None, name: str) -> None:
    if value is not None and not 0 < value[0] <= value[1]:
        raise ValueError(
            f"{name} must be [low, high] with 0 < low <= high, not [{value[0]}, {value[1]}]"
        )


def _check_sources(keys: list[str]) -> list[str]:
    unknown = [key for key in keys if key not in SOURCES]
    if unknown:
        raise ValueError(f"unknown source {unknown[0]!r}; known: {', '.join(sorted(SOURCES))}")
    return keys


def _check_areas(areas: list[str]) -> list[str]:
    unknown = [area for area in areas if area not in AREAS]
    if unknown:
        raise ValueError(f"unknown body area {unknown[0]!r}; known: {', '.join(AREAS)}")
    return areas


class Dose(_Strict):
    """How much of an exercise: timed holds per side, or paced reps in sets."""

    hold_seconds: tuple[int, int] | None = None
    holds_per_side: tuple[int, int] | None = None
    reps_per_side: int | None = Field(default=None, gt=0, le=100)
    sets: tuple[int, int] | None = None
    seconds_per_rep: float = Field(default=2.0, gt=0.5, le=10.0)

    @model_validator(mode="after")
    def _consistent(self) -> Dose:
        _check_range(self.hold_seconds, "hold_seconds")
        _check_range(self.holds_per_side, "holds_per_side")
        _check_range(self.sets, "sets")
        if self.hold_seconds is not None and self.hold_seconds[1] > 300:
            raise ValueError("hold_seconds above 300 s is not a stretch hold")
        has_hold = self.hold_seconds is not None and self.holds_per_side is not None
        has_reps = self.reps_per_side is not None and self.sets is not None
        if has_hold == has_reps:
            raise ValueError(
                "give either hold_seconds and holds_per_side, or reps_per_side and sets"
            )
        return self

    @property
    def is_hold(self) -> bool:
        return self.hold_seconds is not None


# --- poses: what the illustrations are drawn from ---------------------------------------

#: The canvas a pose is drawn on, in units of about a centimetre: x runs 0 to 240 across,
#: heights run from the floor (0) up to 212.
CANVAS_WIDTH = 240.0
CANVAS_HEIGHT = 212.0

# Joint angles in degrees; the bounds are what a body (give or take) can do.
TorsoAngle = Annotated[float, Field(ge=-180, le=180)]
HeadAngle = Annotated[float, Field(ge=-60, le=60)]
ShoulderAngle = Annotated[float, Field(ge=-90, le=180)]
ElbowAngle = Annotated[float, Field(ge=0, le=160)]
HipAngle = Annotated[float, Field(ge=-90, le=160)]
KneeAngle = Annotated[float, Field(ge=0, le=170)]
AnkleAngle = Annotated[float, Field(ge=-90, le=60)]

#: The joints a second keyframe may move, in drawing order.
LIMB_JOINTS: tuple[str, ...] = (
    "head",
    "near_shoulder",
    "near_elbow",
    "far_shoulder",
    "far_elbow",
    "near_hip",
    "near_knee",
    "near_ankle",
    "far_hip",
    "far_knee",
    "far_ankle",
)


class Prop(_Strict):
    """Something drawn with the figure: the wall it leans on, the chair under a foot.

    `x` places it across the canvas (a wall's or doorway's near face, the centre of a
    chair, mat, roller or step, the edge of a bed); left out, it is placed next to the
    figure. `behind` draws a wall or chair beside the figure, further from the viewer
    (a wall you stand side-on to). `height` is the top of a chair seat, bed or step;
    `width` the length of a mat or bed, or the width of a wall seen behind.
    """

    kind: PropKind
    x: float | None = Field(default=None, ge=0, le=CANVAS_WIDTH)
    behind: bool = False
    height: float | None = Field(default=None, ge=5, le=120)
    width: float | None = Field(default=None, ge=10, le=CANVAS_WIDTH)


class Keyframe(_Strict):
    """The second position of a movement: only the joints that move are given."""

    head: HeadAngle | None = None
    near_shoulder: ShoulderAngle | None = None
    near_elbow: ElbowAngle | None = None
    far_shoulder: ShoulderAngle | None = None
    far_elbow: ElbowAngle | None = None
    near_hip: HipAngle | None = None
    near_knee: KneeAngle | None = None
    near_ankle: AnkleAngle | None = None
    far_hip: HipAngle | None = None
    far_knee: KneeAngle | None = None
    far_ankle: AnkleAngle | None = None

    @model_validator(mode="after")
    def _moves_something(self) -> Keyframe:
        if all(getattr(self, joint) is None for joint in LIMB_JOINTS):
            raise ValueError("swing_to must give at least one joint angle")
        return self


class Pose(_Strict):
    """A stick figure as joint angles in degrees, drawn from the pelvis outwards.

    Side view (the default): the figure faces right; `torso` 0 is upright, positive
    leans forward, -90 lies on the back (head left), 90 face down. Hips and shoulders
    flex forward (0: limb along the body, 90: at a right angle in front, negative:
    behind), knees bend back, elbows forward, ankles 0 at a right angle (positive: toes
    up, -90: foot in line with the shin). Front view: the figure is seen from behind,
    `near` limbs on the left; hip and shoulder angles then move the limb out to the side
    (negative: across the body) and the elbow bends the forearm up. The near limbs are
    the working side's; the far ones are drawn fainter. `x` is the pelvis across the
    canvas (left out: the figure is centred), `height` the pelvis above the floor (left
    out: the lowest point rests on the floor, or on the bed when there is one).
    """

    view: View = "side"
    x: float | None = Field(default=None, ge=0, le=CANVAS_WIDTH)
    height: float | None = Field(default=None, ge=0, le=CANVAS_HEIGHT)
    torso: TorsoAngle = 0
    head: HeadAngle = 0
    near_shoulder: ShoulderAngle = 0
    near_elbow: ElbowAngle = 0
    far_shoulder: ShoulderAngle = 0
    far_elbow: ElbowAngle = 0
    near_hip: HipAngle = 0
    near_knee: KneeAngle = 0
    near_ankle: AnkleAngle = 0
    far_hip: HipAngle = 0
    far_knee: KneeAngle = 0
    far_ankle: AnkleAngle = 0
    props: list[Prop] = Field(default_factory=list, max_length=8)
    swing_to: Keyframe | None = None

    @field_validator("props", mode="before")
    @classmethod
    def _kind_alone(cls, value: object) -> object:
        if isinstance(value, list):
            return [{"kind": item} if isinstance(item, str) else item for item in value]
        return value

    def moved(self) -> Pose | None:
        """The pose at the other end of the movement, or None when it holds still."""
        if self.swing_to is None:
            return None
        changes = {
            joint: value
            for joint in LIMB_JOINTS
            if (value := getattr(self.swing_to, joint)) is not None
        }
        return self.model_copy(update={**changes, "swing_to": None})


class Part(_Strict):
    """A movement done in sequence within one exercise (leg swings: two directions)."""

    slug: str = Field(pattern=_SLUG)
    name: str = Field(min_length=1)
    steps: list[int] = Field(min_length=1)
    pose: Pose | None = None


def _check_side_cue(value: str | None) -> str | None:
    """A side cue names the side as {side} and may name the other as {other}, nothing else."""
    if value is None:
        return None
    fields = {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
    if "side" not in fields or not fields <= {"side", "other"}:
        raise ValueError(
            "side_cue names the side as {side} (and may name {other}), e.g. '{side} leg back'"
        )
    return value


class Variant(_Strict):
    """Another way to do an exercise.

    An alternative replaces the main form (other equipment, gentler, deeper);
    an addition is done after it when time allows.
    """

    slug: str = Field(pattern=_SLUG)
    name: str = Field(min_length=1, max_length=80)
    role: Literal["alternative", "addition"]
    when: str = Field(min_length=1)
    gentler: bool = False
    position: Position | None = None
    equipment: list[Equipment] | None = None
    extra_areas: list[str] = Field(default_factory=list)
    steps: list[str] = Field(default_factory=list)
    side_cue: str | None = Field(default=None, min_length=1, max_length=80)
    dose: Dose | None = None
    dose_sources: list[str] = Field(default_factory=list)
    pose: Pose | None = None

    @field_validator("side_cue")
    @classmethod
    def _side_cue(cls, value: str | None) -> str | None:
        return _check_side_cue(value)

    @field_validator("extra_areas")
    @classmethod
    def _known_areas(cls, value: list[str]) -> list[str]:
        return _check_areas(value)

    @field_validator("dose_sources")
    @classmethod
    def _known_sources(cls, value: list[str]) -> list[str]:
        return _check_sources(value)


class EvidenceNote(_Strict):
    """Where the original routine claims more than the research shows."""

    claim: str = Field(min_length=1)
    finding: str = Field(min_length=1)
    sources: list[str] = Field(min_length=1)

    @field_validator("sources")
    @classmethod
    def _known_sources(cls, value: list[str]) -> list[str]:
        return _check_sources(value)


class Exercise(_Strict):
    """One catalogue entry, keyed by a slug that never changes."""

    slug: str = Field(pattern=_SLUG, max_length=60)
    name: str = Field(min_length=1, max_length=80)
    kind: Kind
    priority: int = Field(default=5, ge=1, le=10)
    areas: list[str] = Field(min_length=1)
    muscles: list[str] = Field(min_length=1)
    purpose: str = Field(min_length=1)
    purpose_sources: list[str] = Field(default_factory=list)
    position: Position
    equipment: list[Equipment] = Field(default_factory=list)
    support: list[Equipment] = Field(default_factory=list)
    sided: bool = True
    #: Which leg a side is, said in every step of that side: "{side} leg back" becomes
    #: "Right leg back." ({other} names the other side).
    side_cue: str | None = Field(default=None, min_length=1, max_length=80)
    steps: list[str] = Field(min_length=1)
    tips: list[str] = Field(default_factory=list)
    safety: str = Field(min_length=1)
    safety_sources: list[str] = Field(default_factory=list)
    dose: Dose
    parts: list[Part] = Field(default_factory=list)
    variants: list[Variant] = Field(default_factory=list)
    evidence: list[EvidenceNote] = Field(default_factory=list)
    pose: Pose | None = None

    @field_validator("areas")
    @classmethod
    def _known_areas(cls, value: list[str]) -> list[str]:
        return _check_areas(value)

    @field_validator("side_cue")
    @classmethod
    def _side_cue(cls, value: str | None) -> str | None:
        return _check_side_cue(value)

    @field_validator("purpose_sources", "safety_sources")
    @classmethod
    def _known_sources(cls, value: list[str]) -> list[str]:
        return _check_sources(value)

    @model_validator(mode="after")
    def _consistent(self) -> Exercise:
        if (self.kind == "hold") != self.dose.is_hold:
            raise ValueError(f"a {self.kind!r} exercise needs a matching dose")
        for part in self.parts:
            bad = [n for n in part.steps if not 1 <= n <= len(self.steps)]
            if bad:
                raise ValueError(f"part {part.slug!r} names step {bad[0]}, which does not exist")
        slugs = [v.slug for v in self.variants] + [p.slug for p in self.parts]
        if len(set(slugs)) != len(slugs):
            raise ValueError("variant and part slugs must be unique within an exercise")
        for variant in self.variants:
            if variant.dose is not None and variant.dose.is_hold != self.dose.is_hold:
                raise ValueError(f"variant {variant.slug!r} has a dose of another kind")
        return self

    def variant(self, slug: str) -> Variant:
        for variant in self.variants:
            if variant.slug == slug:
                return variant
        raise KeyError(slug)


class Catalogue(_Strict):
    """All exercises known to the planner, built-in and the user's own."""

    exercises: tuple[Exercise, ...]

    def get(self, slug: str) -> Exercise:
        for exercise in self.exercises:
            if exercise.slug == slug:
                return exercise
        raise KeyError(slug)

    @property
    def slugs(self) -> tuple[str, ...]:
        return tuple(exercise.slug for exercise in self.exercises)
