"""Exercise illustrations drawn from the catalogue's pose data, as self-contained SVG.

Pure: a pose (joint angles, see `Pose`) goes through forward kinematics from the
pelvis outwards to a stick figure in canvas units (about a centimetre, y up, floor
at 0); the props it uses are drawn as simple shapes; the whole is fitted into the
240-wide canvas, cropped to its height and written with `currentColor` strokes so
the page's colour (and dark mode) carries through. A pose with `swing_to` animates
between its two keyframes with CSS inside the SVG: each moving joint is a nested
group rotating about the joint, so the limb keeps its length all the way. Under
`prefers-reduced-motion` the animation stops and the other keyframe is shown as a
faint dashed limb instead.

An exercise, variant or part without a pose gets a default figure for its position
(standing, kneeling, lying) with its equipment placed next to it.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from afterrun.core.catalogue.models import (
    CANVAS_HEIGHT,
    CANVAS_WIDTH,
    LIMB_JOINTS,
    Equipment,
    Exercise,
    Part,
    Pose,
    Position,
    Prop,
    PropKind,
    Variant,
)
from afterrun.core.errors import NotFound
from afterrun.core.plan import WALK_NAME

__all__ = [
    "DEFAULT_POSES",
    "SIDES",
    "illustration_svg",
    "pose_for",
    "props_for",
    "walk_svg",
]

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
TORSO_W = 11.0
FAR_OPACITY = 0.45

# Props, in the same units.
WALL_BAND = 10.0
SKIRTING = 8.0
DOOR_W = 80.0
DOOR_H = 200.0
DOOR_POST = 5.0
CHAIR_SEAT = 46.0
CHAIR_W = 40.0
CHAIR_BACK = 42.0
BED_TOP = 50.0
BED_DEPTH = 16.0
ROLLER_R = 8.0
STEP_H = 18.0
STEP_W = 40.0
MAT_H = 2.5

BELOW_FLOOR = 8.0
MARGIN = 6.0
MIN_HEIGHT = 120.0
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


def _resolve(exercise: Exercise, variant: Variant | Part | str | None) -> Variant | Part | None:
    return _find(exercise, variant) if isinstance(variant, str) else variant


def props_for(exercise: Exercise, variant: Variant | Part | str | None = None) -> list[PropKind]:
    """The props an illustration draws: its pose's, plus any equipment the pose left out.

    A pose-less figure also gets the first of the exercise's supports (a wall to hold).
    """
    chosen = _resolve(exercise, variant)
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
    chosen = _resolve(exercise, variant)
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
class _Link:
    """One segment of a limb: it turns about `pivot`, points in direction `angle`."""

    pivot: Point
    points: tuple[Point, ...]
    angle: float


@dataclass(frozen=True)
class _Figure:
    pelvis: Point
    neck: Point
    head: Point
    head_angle: float
    bars: tuple[tuple[Point, Point], ...]
    limbs: dict[str, tuple[_Link, ...]]

    def circles(self) -> Iterator[tuple[Point, float]]:
        """Every point of the figure with the half-width drawn around it."""
        yield self.pelvis, TORSO_W / 2
        yield self.neck, TORSO_W / 2
        yield self.head, HEAD_R
        for start, end in self.bars:
            yield start, LIMB_W / 2
            yield end, LIMB_W / 2
        for links in self.limbs.values():
            for link in links:
                for point in link.points:
                    yield point, LIMB_W / 2


LIMBS = ("far_arm", "far_leg", "near_leg", "near_arm")


def _solve(pose: Pose, pelvis: Point) -> _Figure:
    """Joint angles to points, in canvas units with y up, the figure facing +x."""
    trunk = 90.0 - pose.torso
    down = trunk + 180.0
    neck = _add(pelvis, trunk, TORSO)
    head_angle = trunk - pose.head
    head = _add(neck, head_angle, NECK + HEAD_R)
    limbs: dict[str, tuple[_Link, ...]] = {}
    bars: tuple[tuple[Point, Point], ...] = ()
    if pose.view == "side":
        shoulder = _add(neck, trunk, -SHOULDER_DROP)
        for side in ("near", "far"):
            upper = down + getattr(pose, f"{side}_shoulder")
            fore = upper + getattr(pose, f"{side}_elbow")
            elbow = _add(shoulder, upper, UPPER_ARM)
            hand = _add(elbow, fore, FOREARM)
            limbs[f"{side}_arm"] = (
                _Link(shoulder, (shoulder, elbow), upper),
                _Link(elbow, (elbow, hand), fore),
            )
            thigh = down + getattr(pose, f"{side}_hip")
            shin = thigh - getattr(pose, f"{side}_knee")
            foot = shin + 90.0 + getattr(pose, f"{side}_ankle")
            knee = _add(pelvis, thigh, THIGH)
            ankle = _add(knee, shin, SHIN)
            limbs[f"{side}_leg"] = (
                _Link(pelvis, (pelvis, knee), thigh),
                _Link(knee, (knee, ankle), shin),
                _Link(ankle, (_add(ankle, foot, -HEEL), _add(ankle, foot, FOOT)), foot),
            )
    else:
        for side, out in (("near", 1.0), ("far", -1.0)):
            shoulder = _add(neck, trunk + 90.0 * out, FRONT_SHOULDER)
            upper = down - out * getattr(pose, f"{side}_shoulder")
            fore = upper - out * getattr(pose, f"{side}_elbow")
            elbow = _add(shoulder, upper, UPPER_ARM)
            hand = _add(elbow, fore, FOREARM)
            limbs[f"{side}_arm"] = (
                _Link(shoulder, (shoulder, elbow), upper),
                _Link(elbow, (elbow, hand), fore),
            )
            hip = _add(pelvis, trunk + 90.0 * out, FRONT_HIP)
            thigh = down - out * getattr(pose, f"{side}_hip")
            bend = math.cos(math.radians(getattr(pose, f"{side}_knee")))
            knee = _add(hip, thigh, THIGH * (0.5 + 0.5 * bend))
            ankle = _add(knee, thigh, SHIN * (0.5 + 0.5 * bend))
            foot = thigh - out * 90.0
            limbs[f"{side}_leg"] = (
                _Link(hip, (hip, knee, ankle), thigh),
                _Link(ankle, (ankle, _add(ankle, foot, FRONT_FOOT)), foot),
            )
        bars = (
            (limbs["near_arm"][0].pivot, limbs["far_arm"][0].pivot),
            (limbs["near_leg"][0].pivot, limbs["far_leg"][0].pivot),
        )
    return _Figure(pelvis, neck, head, head_angle, bars, limbs)


def _between(pose: Pose, moved: Pose, share: float) -> Pose:
    values = {
        joint: getattr(pose, joint) + (getattr(moved, joint) - getattr(pose, joint)) * share
        for joint in LIMB_JOINTS
    }
    return pose.model_copy(update=values)


def _frames(pose: Pose) -> list[Pose]:
    """The pose and, for a movement, the positions along the way to the other end."""
    moved = pose.moved()
    if moved is None:
        return [pose]
    return [_between(pose, moved, step / SAMPLES) for step in range(SAMPLES + 1)]


# --- shapes -----------------------------------------------------------------------------


@dataclass
class _Shape:
    """A primitive in canvas units: a polyline, a rectangle or a circle."""

    kind: str
    points: list[Point]
    radius: float = 0.0
    attrs: str = ""
    to_top: bool = False
    full_width: bool = False


@dataclass
class _Prop:
    kind: PropKind
    shapes: list[_Shape]
    behind: bool


def _rect(x0: float, y0: float, x1: float, y1: float, attrs: str, to_top: bool = False) -> _Shape:
    return _Shape(
        "rect", [(min(x0, x1), min(y0, y1)), (max(x0, x1), max(y0, y1))], 0.0, attrs, to_top
    )


def _line(*points: Point, attrs: str = "") -> _Shape:
    return _Shape("line", list(points), 0.0, attrs)


FILL = 'fill="currentColor" fill-opacity=".14" stroke="none"'
PANEL = 'fill="currentColor" fill-opacity=".06" stroke="none"'
SOLID = 'fill="currentColor" fill-opacity=".3" stroke="none"'
EDGE = 'fill="currentColor" fill-opacity=".14"'


def _prop_shapes(
    prop: Prop, view: str, pelvis: Point, extent: tuple[float, float]
) -> tuple[list[_Shape], bool]:
    """A prop's shapes, placed where it says or next to the figure; and whether behind it."""
    kind, x = prop.kind, prop.x
    low, high = extent
    front = view == "front"
    behind = prop.behind or (front and kind in ("wall", "chair", "doorway"))

    def away(at: float) -> float:
        return 1.0 if at >= pelvis[0] else -1.0

    if kind == "wall":
        if behind:
            mid = CANVAS_WIDTH / 2 if x is None else x
            half = (prop.width or CANVAS_WIDTH) / 2
            return [
                _rect(mid - half, 0, mid + half, CANVAS_HEIGHT, PANEL, True),
                _rect(mid - half, 0, mid + half, SKIRTING, FILL),
            ], True
        at = high + 0.5 if x is None else x
        sign = away(at)
        return [
            _rect(at, 0, at + sign * WALL_BAND, CANVAS_HEIGHT, FILL, True),
            _Shape("line", [(at, 0), (at, CANVAS_HEIGHT)], 0.0, 'stroke-width="2.5"', True),
        ], False
    if kind == "doorway":
        width = prop.width or DOOR_W
        if front or x is None:
            mid = pelvis[0] if x is None else x
            near, far = mid - width / 2, mid + width / 2
        else:
            near, far = x, x + away(x) * width
        sign = 1.0 if far >= near else -1.0
        return [
            _rect(near, 0, far, DOOR_H, PANEL),
            _rect(near - sign * DOOR_POST, 0, near, DOOR_H + DOOR_POST, FILL),
            _rect(far, 0, far + sign * DOOR_POST, DOOR_H + DOOR_POST, FILL),
            _rect(
                near - sign * DOOR_POST, DOOR_H, far + sign * DOOR_POST, DOOR_H + DOOR_POST, FILL
            ),
            _line((near, 0), (near, DOOR_H), (far, DOOR_H), (far, 0), attrs='stroke-width="1.5"'),
        ], behind
    if kind == "chair":
        seat = prop.height or CHAIR_SEAT
        half = CHAIR_W / 2
        if front:
            mid = pelvis[0] if x is None else x
            return [
                _line((mid - half, 0), (mid - half, seat + CHAIR_BACK), attrs='stroke-width="3"'),
                _line((mid + half, 0), (mid + half, seat + CHAIR_BACK), attrs='stroke-width="3"'),
                _line((mid - half, seat), (mid + half, seat), attrs='stroke-width="4"'),
                _rect(mid - half, seat + CHAIR_BACK - 14, mid + half, seat + CHAIR_BACK, EDGE),
            ], True
        if behind:
            # beside the figure, its back under the figure's hand in front
            mid = pelvis[0] - 8 if x is None else x
            sign = 1.0
        else:
            mid = low - half - 4 if x is None else x
            sign = away(mid)
        back = mid + sign * half
        return [
            _line((mid - half + 3, 0), (mid - half + 3, seat), attrs='stroke-width="3"'),
            _line((mid + half - 3, 0), (mid + half - 3, seat), attrs='stroke-width="3"'),
            _line((back, seat), (back + sign * 3, seat + CHAIR_BACK), attrs='stroke-width="3.5"'),
            _line((mid - half, seat), (mid + half, seat), attrs='stroke-width="5"'),
        ], behind
    if kind == "bed":
        top = prop.height or BED_TOP
        if front:
            mid = pelvis[0] if x is None else x
            half = (prop.width or 100.0) / 2
            start, end = mid - half, mid + half
        else:
            start = high + 6 if x is None else x
            towards = -1.0 if start >= pelvis[0] else 1.0
            edge = 0.0 if towards < 0 else CANVAS_WIDTH
            end = start + towards * (prop.width or abs(edge - start))
        sign = 1.0 if end >= start else -1.0
        return [
            _line(
                (start + sign * 4, 0), (start + sign * 4, top - BED_DEPTH), attrs='stroke-width="4"'
            ),
            _line((end - sign * 4, 0), (end - sign * 4, top - BED_DEPTH), attrs='stroke-width="4"'),
            _line(
                (start, top - BED_DEPTH - 3), (end, top - BED_DEPTH - 3), attrs='stroke-width="4"'
            ),
            _Shape(
                "rect",
                [(min(start, end), top - BED_DEPTH), (max(start, end), top)],
                4.0,
                EDGE,
            ),
        ], behind
    if kind == "mat":
        mid = (low + high) / 2 if x is None else x
        width = prop.width or (high - low + 24 if x is None else 150.0)
        return [_rect(mid - width / 2, 0, mid + width / 2, MAT_H, SOLID)], behind
    if kind == "foam-roller":
        mid = pelvis[0] if x is None else x
        if front:
            return [
                _Shape("rect", [(mid - 40, 0), (mid + 40, 2 * ROLLER_R)], ROLLER_R, EDGE)
            ], behind
        return [
            _Shape("circle", [(mid, ROLLER_R)], ROLLER_R, EDGE),
            _Shape("circle", [(mid, ROLLER_R)], ROLLER_R * 0.35, 'fill="none" stroke-width="1.5"'),
        ], behind
    # step
    height = prop.height or STEP_H
    if front:
        mid = pelvis[0] if x is None else x
        return [_rect(mid - STEP_W, 0, mid + STEP_W, height, EDGE)], behind
    start = high - STEP_W / 2 if x is None else x
    return [_rect(start, 0, start + away(start) * (prop.width or STEP_W), height, EDGE)], behind


# --- placing and fitting ----------------------------------------------------------------


@dataclass
class _Scene:
    figures: list[_Figure]
    props: list[_Prop]
    scale: float = 1.0
    offset: Point = (0.0, 0.0)


def _bounds(circles: Sequence[tuple[Point, float]]) -> tuple[float, float, float, float]:
    return (
        min(p[0] - r for p, r in circles),
        min(p[1] - r for p, r in circles),
        max(p[0] + r for p, r in circles),
        max(p[1] + r for p, r in circles),
    )


def _shape_circles(shape: _Shape) -> Iterator[tuple[Point, float]]:
    if shape.full_width:
        return
    radius = shape.radius if shape.kind == "circle" else 1.5
    for x, y in shape.points:
        # a wall reaches up to whatever the top turns out to be: only its x counts
        yield (x, 0.0 if shape.to_top and y >= CANVAS_HEIGHT else y), radius


def _place(pose: Pose, kinds: Sequence[PropKind]) -> _Scene:
    frames = _frames(pose)
    origin = [_solve(frame, (0.0, 0.0)) for frame in frames]
    x0, y0, x1, _ = _bounds([c for figure in origin for c in figure.circles()])
    ground = 0.0
    props = list(pose.props)
    given = {prop.kind for prop in props}
    props += [Prop(kind=kind) for kind in kinds if kind not in given]
    for prop in props:
        if prop.kind == "bed":
            ground = prop.height or BED_TOP
    pelvis_x = (CANVAS_WIDTH - x0 - x1) / 2 if pose.x is None else pose.x
    pelvis_y = ground - y0 if pose.height is None else pose.height
    pelvis = (pelvis_x, pelvis_y)
    figures = [_solve(frame, pelvis) for frame in frames]
    extent = (pelvis_x + x0, pelvis_x + x1)
    placed = []
    for prop in props:
        shapes, behind = _prop_shapes(prop, pose.view, pelvis, extent)
        placed.append(_Prop(prop.kind, shapes, behind))
    return _Scene(figures, placed)


def _fit(scene: _Scene) -> tuple[float, float, float]:
    """Scale and shift the scene into the canvas when it does not fit; return its y-range."""
    circles = [c for figure in scene.figures for c in figure.circles()]
    for prop in scene.props:
        for shape in prop.shapes:
            circles.extend(_shape_circles(shape))
    circles.append(((CANVAS_WIDTH / 2, 0.0), 0.0))
    x0, y0, x1, y1 = _bounds(circles)
    room_x0, room_x1 = 0.0, CANVAS_WIDTH
    room_y0, room_y1 = -BELOW_FLOOR, CANVAS_HEIGHT
    scale = min(1.0, (room_x1 - room_x0) / (x1 - x0), (room_y1 - room_y0) / (y1 - y0))
    dx = dy = 0.0
    if x0 * scale < room_x0:
        dx = room_x0 - x0 * scale
    elif x1 * scale > room_x1:
        dx = room_x1 - x1 * scale
    if y0 * scale < room_y0:
        dy = room_y0 - y0 * scale
    elif y1 * scale > room_y1:
        dy = room_y1 - y1 * scale
    scene.scale, scene.offset = scale, (dx, dy)
    floor = dy
    bottom = max(room_y0, min(floor - BELOW_FLOOR, y0 * scale + dy - MARGIN))
    top = min(room_y1, max(y1 * scale + dy + MARGIN, bottom + MIN_HEIGHT))
    return floor, bottom, top


# --- writing SVG ------------------------------------------------------------------------


def _num(value: float) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


class _Writer:
    def __init__(self, scene: _Scene, top: float, mirror: bool) -> None:
        self.scene = scene
        self.top = top
        self.mirror = mirror
        self.rotations: dict[str, tuple[float, float]] = {}

    def point(self, point: Point) -> Point:
        scale, (dx, dy) = self.scene.scale, self.scene.offset
        x, y = point[0] * scale + dx, point[1] * scale + dy
        if self.mirror:
            x = CANVAS_WIDTH - x
        return x, self.top - y

    def pair(self, point: Point) -> str:
        x, y = self.point(point)
        return f"{_num(x)},{_num(y)}"

    def shape(self, shape: _Shape) -> str:
        attrs = f" {shape.attrs}" if shape.attrs else ""
        if shape.kind == "circle":
            cx, cy = self.point(shape.points[0])
            r = shape.radius * self.scene.scale
            return f'<circle cx="{_num(cx)}" cy="{_num(cy)}" r="{_num(r)}"{attrs}/>'
        if shape.kind == "rect":
            (ax, ay), (bx, by) = (self.point(p) for p in shape.points)
            if shape.to_top:
                ay, by = (0.0, by) if ay < by else (ay, 0.0)
            # round the corners, not the size, so the far edge stays where it was put
            left, right = round(min(ax, bx), 1), round(max(ax, bx), 1)
            upper, lower = round(min(ay, by), 1), round(max(ay, by), 1)
            width, height = right - left, lower - upper
            rx = f' rx="{_num(shape.radius * self.scene.scale)}"' if shape.radius else ""
            return (
                f'<rect x="{_num(left)}" y="{_num(upper)}" width="{_num(width)}" '
                f'height="{_num(height)}"{rx}{attrs}/>'
            )
        points = [self.point(p) for p in shape.points]
        if shape.to_top:
            points = [(x, 0.0) if y < 0 else (x, y) for x, y in points]
        if shape.full_width:
            points = [(0.0, points[0][1]), (CANVAS_WIDTH, points[0][1])]
        text = " ".join(f"{_num(x)},{_num(y)}" for x, y in points)
        return f'<polyline points="{text}"{attrs}/>'

    def spin(self, degrees: float, seconds: float) -> str:
        turn = -degrees * self.scale_sign()
        name = f"arx-{'n' if turn < 0 else 'p'}{abs(turn) * 10:.0f}-{seconds * 1000:.0f}"
        self.rotations[name] = (turn, seconds)
        return name

    def scale_sign(self) -> float:
        return -1.0 if self.mirror else 1.0


def _polyline(writer: _Writer, points: Sequence[Point], extra: str = "") -> str:
    text = " ".join(writer.pair(p) for p in points)
    return f'<polyline points="{text}"{extra}/>'


def _limb(
    writer: _Writer,
    links: Sequence[_Link],
    moved: Sequence[_Link] | None,
    seconds: float,
) -> str:
    """A limb as polylines, each moving link nested in a group turning about its joint."""
    turns = [0.0] * len(links)
    if moved is not None:
        parent = 0.0
        for index, (start, end) in enumerate(zip(links, moved, strict=True)):
            # angles are never normalised, so this is the turn the sampled frames took
            change = end.angle - start.angle
            turns[index] = change - parent
            parent = change
    if not any(abs(turn) >= 0.05 for turn in turns):
        joined: list[Point] = []
        pieces: list[str] = []
        for link in links:
            if joined and link.points[0] == joined[-1]:
                joined.extend(link.points[1:])
            else:
                if joined:
                    pieces.append(_polyline(writer, joined))
                joined = list(link.points)
        pieces.append(_polyline(writer, joined))
        return "".join(pieces)
    out: list[str] = []
    closing = ""
    for link, turn in zip(links, turns, strict=True):
        if abs(turn) >= 0.05:
            px, py = writer.point(link.pivot)
            name = writer.spin(turn, seconds)
            out.append(
                f'<g transform="translate({_num(px)} {_num(py)})"><g class="arx-anim {name}">'
                f'<g transform="translate({_num(-px)} {_num(-py)})">'
            )
            closing += "</g></g></g>"
        out.append(_polyline(writer, link.points))
    out.append(closing)
    return "".join(out)


def _figure_svg(writer: _Writer, figures: list[_Figure], seconds: float) -> str:
    first = figures[0]
    last = figures[-1] if len(figures) > 1 else None
    width = _num(LIMB_W * writer.scene.scale)
    torso_width = _num(TORSO_W * writer.scene.scale)
    parts: list[str] = [
        '<g class="arx-fig" fill="none" stroke="currentColor" stroke-linecap="round" '
        f'stroke-linejoin="round" stroke-width="{width}">'
    ]
    ghost: list[str] = []
    for name in LIMBS:
        links = first.limbs[name]
        moved = last.limbs[name] if last is not None else None
        body = _limb(writer, links, moved, seconds)
        far = name.startswith("far")
        group = f'<g class="arx-{name.replace("_", "-")}"'
        group += f' opacity="{FAR_OPACITY}">' if far else ">"
        if name == "near_leg":
            parts.append(_torso(writer, first, torso_width, moved_head=last))
        parts.append(f"{group}{body}</g>")
        if moved is not None and any(
            abs(a.angle - b.angle) >= 0.05 for a, b in zip(links, moved, strict=True)
        ):
            ghost.extend(_polyline(writer, link.points) for link in moved)
    parts.append("</g>")
    if ghost:
        parts.append(
            '<g class="arx-fig arx-ghost" fill="none" stroke="currentColor" stroke-linecap="round" '
            f'stroke-width="{width}" stroke-dasharray="2 9" opacity=".5">{"".join(ghost)}</g>'
        )
    return "".join(parts)


def _torso(writer: _Writer, figure: _Figure, width: str, moved_head: _Figure | None) -> str:
    out = [_polyline(writer, (figure.pelvis, figure.neck), f' stroke-width="{width}"')]
    for start, end in figure.bars:
        out.append(_polyline(writer, (start, end)))
    cx, cy = writer.point(figure.head)
    radius = _num(HEAD_R * writer.scene.scale)
    head = (
        f'<circle cx="{_num(cx)}" cy="{_num(cy)}" r="{radius}" fill="currentColor" stroke="none"/>'
    )
    if moved_head is not None:
        turn = moved_head.head_angle - figure.head_angle
        if abs(turn) >= 0.05:
            px, py = writer.point(figure.neck)
            name = writer.spin(turn, 1.0)
            head = (
                f'<g transform="translate({_num(px)} {_num(py)})"><g class="arx-anim {name}">'
                f'<g transform="translate({_num(-px)} {_num(-py)})">{head}</g></g></g>'
            )
    out.append(head)
    return "".join(out)


def _style(writer: _Writer) -> str:
    rules = [
        ".arx-fig{color:var(--afterrun-figure,currentColor)}",
        ".arx-prop{color:var(--afterrun-prop,currentColor)}",
        ".arx-ghost{display:none}",
    ]
    for name, (turn, seconds) in sorted(writer.rotations.items()):
        rules.append(
            f"@keyframes {name}{{from{{transform:rotate(0deg)}}"
            f"to{{transform:rotate({_num(turn)}deg)}}}}"
        )
        rules.append(f".{name}{{animation:{name} {_num(seconds)}s ease-in-out infinite alternate}}")
    if writer.rotations:
        rules.append(
            "@media (prefers-reduced-motion:reduce){.arx-anim{animation:none}"
            ".arx-ghost{display:inline}}"
        )
    return f"<style>{''.join(rules)}</style>"


def _title(exercise: Exercise, chosen: Variant | Part | None, side: str | None) -> str:
    if isinstance(chosen, Variant):
        name = chosen.name
    elif isinstance(chosen, Part):
        name = f"{exercise.name}, {chosen.name}"
    else:
        name = exercise.name
    return f"{name}, {side} side" if side else name


def illustration_svg(
    exercise: Exercise,
    variant: Variant | Part | str | None = None,
    side: str | None = None,
    *,
    size: int | None = 320,
) -> str:
    """The exercise (or one variant or part, by object or slug) as a self-contained SVG.

    `side` is "left" (the pose as written: the near limbs are the working side's) or
    "right" (mirrored); None draws the pose as written. `size` is the width in CSS
    pixels (the height follows; the image shrinks to a narrower container); None leaves
    the size to the page.
    """
    if side is not None and side not in SIDES:
        raise ValueError(f"side must be 'left' or 'right', not {side!r}")
    chosen = _resolve(exercise, variant)
    pose = pose_for(exercise, chosen)
    title = _title(exercise, chosen, side)
    seconds = exercise.dose.seconds_per_rep / 2
    return _svg(pose, props_for(exercise, chosen), title, seconds, side == "right", size)


def walk_svg(*, size: int | None = 320) -> str:
    """The easy walk or jog before the exercises: the default standing figure, no props."""
    return _svg(DEFAULT_POSES["standing"], [], WALK_NAME, 1.0, False, size)


def _svg(
    pose: Pose,
    props: list[PropKind],
    title: str,
    seconds: float,
    mirror: bool,
    size: int | None,
) -> str:
    scene = _place(pose, props)
    _, bottom, top = _fit(scene)
    writer = _Writer(scene, top, mirror=mirror)
    height = math.ceil((top - bottom) * 10) / 10

    behind = [prop for prop in scene.props if prop.behind]
    front = [prop for prop in scene.props if not prop.behind]
    floor = _Shape(
        "line", [(0.0, 0.0), (CANVAS_WIDTH, 0.0)], 0.0, 'stroke-width="2"', full_width=True
    )

    def props_svg(props: list[_Prop]) -> str:
        return "".join(
            f'<g data-prop="{prop.kind}">{"".join(writer.shape(s) for s in prop.shapes)}</g>'
            for prop in props
        )

    figure = _figure_svg(writer, scene.figures, seconds)
    scenery = (
        '<g class="arx-prop" fill="none" stroke="currentColor" stroke-opacity=".6" '
        f'stroke-linecap="round">{props_svg(behind)}'
        f'<g data-prop="floor">{writer.shape(floor)}</g>{props_svg(front)}</g>'
    )
    dimensions = ""
    if size is not None:
        dimensions = f' width="{size}" height="{round(size * height / CANVAS_WIDTH)}"'
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_num(CANVAS_WIDTH)} '
        f'{_num(height)}"{dimensions} role="img" aria-label={quoteattr(title)} '
        f'class="afterrun-illustration" style="max-width:100%;height:auto">'
        f"<title>{escape(title)}</title>{_style(writer)}{scenery}{figure}</svg>"
    )
