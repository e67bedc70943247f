"""The figure: which pose an exercise is drawn in, and that pose's joints as points.

Forward kinematics from the pelvis outwards gives a stick figure in canvas units (about a
centimetre, y up, floor at 0). A pose with `swing_to` is sampled along the way to its other
keyframe. An exercise, variant or part without a pose gets a default figure for its position
(standing, kneeling, lying).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

from afterrun.core.catalogue.models import (
    LIMB_JOINTS,
    Equipment,
    Exercise,
    Part,
    Pose,
    Position,
    PropKind,
    Variant,
)
from afterrun.core.errors import NotFound

Point = tuple[float, float]

SIDES: tuple[str, ...] = ("left", "right")

# Body segments, in canvas units (about a centimetre).
TORSO = 50.0
NECK = 3.0
HEAD_R = 11.0
SHOULDER_DROP = 5.0
UPPER_ARM = 28.0
FOREARM = 26.0
THIGH = 43.0
SHIN = 42.0
FOOT = 15.0
HEEL = 4.0
FRONT_FOOT = 8.0
FRONT_HIP = 8.0
FRONT_SHOULDER = 15.0
LIMB_W = 7.0
PALM_R = 7.0
TORSO_W = 11.0
FAR_OPACITY = 0.45
SAMPLES = 8

DEFAULT_POSES: dict[Position, Pose] = {
    "standing": Pose(
        near_shoulder=8,
        near_elbow=12,
        far_shoulder=-6,
        far_elbow=12,
        near_hip=6,
        near_knee=4,
        near_ankle=-2,
        far_hip=-6,
        far_knee=4,
        far_ankle=10,
    ),
    "kneeling": Pose(
        near_shoulder=6,
        near_elbow=15,
        far_shoulder=-6,
        far_elbow=15,
        near_hip=-2,
        near_knee=88,
        near_ankle=-90,
        far_hip=4,
        far_knee=94,
        far_ankle=-90,
    ),
    "lying": Pose(
        torso=-90,
        near_shoulder=12,
        far_shoulder=6,
        near_ankle=-20,
        far_ankle=-20,
        far_hip=3,
    ),
}


# --- choosing the pose ------------------------------------------------------------------


def _find(exercise: Exercise, slug: str) -> Variant | Part:
    for variant in exercise.variants:
        if variant.slug == slug:
            return variant
    for part in exercise.parts:
        if part.slug == slug:
            return part
    known = [v.slug for v in exercise.variants] + [p.slug for p in exercise.parts]
    # a plan step names a part (leg swings' two directions) as its variant, so both count
    raise NotFound(
        f"{exercise.name} has no variant {slug[:60]!r}. Known: {', '.join(known) or 'none'}."
    )


def resolve(exercise: Exercise, variant: Variant | Part | str | None) -> Variant | Part | None:
    return _find(exercise, variant) if isinstance(variant, str) else variant


def props_for(exercise: Exercise, variant: Variant | Part | str | None = None) -> list[PropKind]:
    """The props an illustration draws: its pose's, plus any equipment the pose left out.

    A pose-less figure also gets the first of the exercise's supports (a wall to hold).
    """
    chosen = resolve(exercise, variant)
    pose = pose_for(exercise, chosen)
    kinds: list[PropKind] = [prop.kind for prop in pose.props]
    equipment: list[Equipment] = list(exercise.equipment)
    if isinstance(chosen, Variant) and chosen.equipment is not None:
        equipment = list(chosen.equipment)
    if _own_pose(exercise, chosen) is None and exercise.support:
        equipment.append(exercise.support[0])
    for item in equipment:
        if item not in kinds:
            kinds.append(item)
    return kinds


def _own_pose(exercise: Exercise, chosen: Variant | Part | None) -> Pose | None:
    if chosen is not None and chosen.pose is not None:
        return chosen.pose
    if isinstance(chosen, Variant) and chosen.position not in (None, exercise.position):
        return None
    return exercise.pose


def pose_for(exercise: Exercise, variant: Variant | Part | str | None = None) -> Pose:
    """The pose drawn for an exercise, one of its variants or one of its parts.

    A variant or part with its own pose uses it; one without uses the exercise's pose,
    unless a variant changes the position, which gets the default figure for it.
    Without any pose the default figure for the position is drawn.
    """
    chosen = resolve(exercise, variant)
    own = _own_pose(exercise, chosen)
    if own is not None:
        return own
    position: Position = exercise.position
    if isinstance(chosen, Variant) and chosen.position is not None:
        position = chosen.position
    return DEFAULT_POSES[position]


# --- forward kinematics -----------------------------------------------------------------


def _dir(degrees: float) -> Point:
    radians = math.radians(degrees)
    return math.cos(radians), math.sin(radians)


def _add(point: Point, degrees: float, length: float) -> Point:
    dx, dy = _dir(degrees)
    return point[0] + dx * length, point[1] + dy * length


@dataclass(frozen=True)
class Link:
    """One segment of a limb: it turns about `pivot`, points in direction `angle`."""

    pivot: Point
    points: tuple[Point, ...]
    angle: float


@dataclass(frozen=True)
class Figure:
    pelvis: Point
    neck: Point
    head: Point
    head_angle: float
    bars: tuple[tuple[Point, Point], ...]
    limbs: dict[str, tuple[Link, ...]]
    front: bool = False

    def circles(self) -> Iterator[tuple[Point, float]]:
        """Every point of the figure with the half-width drawn around it."""
        yield self.pelvis, TORSO_W / 2
        yield self.neck, TORSO_W / 2
        yield self.head, HEAD_R
        for start, end in self.bars:
            yield start, LIMB_W / 2
            yield end, LIMB_W / 2
        for name, links in self.limbs.items():
            for link in links:
                for point in link.points:
                    yield point, LIMB_W / 2
            if self.front and name.endswith("arm"):
                # room for a hand drawn flat on the wall the figure faces
                hand = links[-1].points[-1]
                yield (hand[0], hand[1] + PALM_R / 2), PALM_R


LIMBS = ("far_arm", "far_leg", "near_leg", "near_arm")


def solve(pose: Pose, pelvis: Point) -> Figure:
    """Joint angles to points, in canvas units with y up, the figure facing +x."""
    trunk = 90.0 - pose.torso
    down = trunk + 180.0
    neck = _add(pelvis, trunk, TORSO)
    head_angle = trunk - pose.head
    head = _add(neck, head_angle, NECK + HEAD_R)
    limbs: dict[str, tuple[Link, ...]] = {}
    bars: tuple[tuple[Point, Point], ...] = ()
    if pose.view == "side":
        shoulder = _add(neck, trunk, -SHOULDER_DROP)
        for side in ("near", "far"):
            upper = down + getattr(pose, f"{side}_shoulder")
            fore = upper + getattr(pose, f"{side}_elbow")
            elbow = _add(shoulder, upper, UPPER_ARM)
            hand = _add(elbow, fore, FOREARM)
            limbs[f"{side}_arm"] = (
                Link(shoulder, (shoulder, elbow), upper),
                Link(elbow, (elbow, hand), fore),
            )
            thigh = down + getattr(pose, f"{side}_hip")
            shin = thigh - getattr(pose, f"{side}_knee")
            foot = shin + 90.0 + getattr(pose, f"{side}_ankle")
            knee = _add(pelvis, thigh, THIGH)
            ankle = _add(knee, shin, SHIN)
            limbs[f"{side}_leg"] = (
                Link(pelvis, (pelvis, knee), thigh),
                Link(knee, (knee, ankle), shin),
                Link(ankle, (_add(ankle, foot, -HEEL), _add(ankle, foot, FOOT)), foot),
            )
    else:
        for side, out in (("near", 1.0), ("far", -1.0)):
            shoulder = _add(neck, trunk + 90.0 * out, FRONT_SHOULDER)
            upper = down - out * getattr(pose, f"{side}_shoulder")
            fore = upper - out * getattr(pose, f"{side}_elbow")
            elbow = _add(shoulder, upper, UPPER_ARM)
            hand = _add(elbow, fore, FOREARM)
            limbs[f"{side}_arm"] = (
                Link(shoulder, (shoulder, elbow), upper),
                Link(elbow, (elbow, hand), fore),
            )
            hip = _add(pelvis, trunk + 90.0 * out, FRONT_HIP)
            thigh = down - out * getattr(pose, f"{side}_hip")
            bend = math.cos(math.radians(getattr(pose, f"{side}_knee")))
            knee = _add(hip, thigh, THIGH * (0.5 + 0.5 * bend))
            ankle = _add(knee, thigh, SHIN * (0.5 + 0.5 * bend))
            foot = thigh - out * 90.0
            limbs[f"{side}_leg"] = (
                Link(hip, (hip, knee, ankle), thigh),
                Link(ankle, (ankle, _add(ankle, foot, FRONT_FOOT)), foot),
            )
        bars = (
            (limbs["near_arm"][0].pivot, limbs["far_arm"][0].pivot),
            (limbs["near_leg"][0].pivot, limbs["far_leg"][0].pivot),
        )
    return Figure(pelvis, neck, head, head_angle, bars, limbs, pose.view == "front")


def _between(pose: Pose, moved: Pose, share: float) -> Pose:
    values = {
        joint: getattr(pose, joint) + (getattr(moved, joint) - getattr(pose, joint)) * share
        for joint in LIMB_JOINTS
    }
    return pose.model_copy(update=values)


def sampled_poses(pose: Pose) -> list[Pose]:
    """The pose and, for a movement, the positions along the way to the other end."""
    moved = pose.moved()
    if moved is None:
        return [pose]
    return [_between(pose, moved, step / SAMPLES) for step in range(SAMPLES + 1)]
