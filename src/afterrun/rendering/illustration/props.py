"""Props (wall, doorway, chair, bed, mat, foam roller, step) as simple shapes beside the figure."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from afterrun.core.catalogue.models import CANVAS_HEIGHT, CANVAS_WIDTH, Prop, PropKind
from afterrun.rendering.illustration.figure import Point

# Props, in the same units.
WALL_BAND = 10.0
SKIRTING = 8.0
DOOR_W = 80.0
DOOR_H = 200.0
DOOR_POST = 5.0
#: A doorway seen side-on: the wall's thickness at the frame, its door stop, the
#: threshold and the hinges' heights.
JAMB = 14.0
STOP_W = 4.0
THRESHOLD = 2.0
HINGES = (22.0, 95.0)
HINGE_H = 10.0
DOOR_LEAF = 76.0
HANDLE = 100.0
CHAIR_SEAT = 46.0
CHAIR_W = 40.0
CHAIR_BACK = 42.0
#: How far in front of the pelvis a chair beside the figure has its back.
CHAIR_CLEAR = 18.0
BED_TOP = 50.0
BED_DEPTH = 16.0
ROLLER_R = 8.0
STEP_H = 18.0
STEP_W = 40.0
MAT_H = 2.5


@dataclass
class Shape:
    """A primitive in canvas units: a polyline, a rectangle or a circle."""

    kind: str
    points: list[Point]
    radius: float = 0.0
    attrs: str = ""
    to_top: bool = False
    full_width: bool = False


@dataclass
class PlacedProp:
    kind: PropKind
    shapes: list[Shape]
    behind: bool


def _rect(x0: float, y0: float, x1: float, y1: float, attrs: str, to_top: bool = False) -> Shape:
    return Shape(
        "rect", [(min(x0, x1), min(y0, y1)), (max(x0, x1), max(y0, y1))], 0.0, attrs, to_top
    )


def _line(*points: Point, attrs: str = "") -> Shape:
    return Shape("line", list(points), 0.0, attrs)


FILL = 'fill="currentColor" fill-opacity=".14" stroke="none"'
PANEL = 'fill="currentColor" fill-opacity=".06" stroke="none"'
WALL_FACE = 'fill="currentColor" fill-opacity=".1" stroke="none"'
SOLID = 'fill="currentColor" fill-opacity=".3" stroke="none"'
EDGE = 'fill="currentColor" fill-opacity=".14"'


Drawn = tuple[list[Shape], bool]


@dataclass(frozen=True)
class _Spot:
    """Where a prop goes: its own x if it gives one, else beside the figure."""

    prop: Prop
    x: float | None
    front: bool
    behind: bool
    pelvis: Point
    low: float
    high: float

    def away(self, at: float) -> float:
        """+1 when `at` is on the figure's facing side, -1 behind it."""
        return 1.0 if at >= self.pelvis[0] else -1.0


def _wall(spot: _Spot) -> Drawn:
    prop, x = spot.prop, spot.x
    if spot.behind:
        mid = CANVAS_WIDTH / 2 if x is None else x
        half = (prop.width or CANVAS_WIDTH) / 2
        return [
            _rect(mid - half, 0, mid + half, CANVAS_HEIGHT, WALL_FACE, True),
            _rect(mid - half, 0, mid + half, SKIRTING, FILL),
        ], True
    at = spot.high + 0.5 if x is None else x
    sign = spot.away(at)
    return [
        _rect(at, 0, at + sign * WALL_BAND, CANVAS_HEIGHT, FILL, True),
        Shape("line", [(at, 0), (at, CANVAS_HEIGHT)], 0.0, 'stroke-width="2.5"', True),
    ], False


def _doorway_side_on(spot: _Spot) -> Drawn:
    """A doorway seen along its wall, as a figure lying or standing in it is seen from the side.

    The wall is cut edge-on; through the opening shows the far jamb, with its door stop
    and hinges. Everything reaches the top, so the lintel is left out and the picture
    stays as low as the figure: a leg lying across the jamb lies through the doorway.
    """
    at = spot.high + 0.5 if spot.x is None else spot.x
    sign = spot.away(at)
    far = at + sign * JAMB
    stop = at + sign * (JAMB - STOP_W) / 2
    shapes = [
        _rect(at, 0, far, CANVAS_HEIGHT, PANEL, True),
        _rect(stop, 0, stop + sign * STOP_W, CANVAS_HEIGHT, FILL, True),
        Shape("line", [(at, 0), (at, CANVAS_HEIGHT)], 0.0, 'stroke-width="2.5"', True),
        Shape("line", [(far, 0), (far, CANVAS_HEIGHT)], 0.0, 'stroke-width="1.5"', True),
        _rect(at - sign * 2, 0, far + sign * 2, THRESHOLD, SOLID),
    ]
    # the door stands open along the floor's line, hinged at the far side of the frame
    leaf = far + sign * DOOR_LEAF
    shapes.insert(0, _rect(far, 0, leaf, CANVAS_HEIGHT, PANEL, True))
    shapes.insert(
        1, Shape("line", [(leaf, 0), (leaf, CANVAS_HEIGHT)], 0.0, 'stroke-width="1.5"', True)
    )
    shapes.append(Shape("circle", [(leaf - sign * 7, HANDLE)], 2.5, SOLID))
    shapes.append(
        _line((leaf - sign * 7, HANDLE), (leaf - sign * 15, HANDLE), attrs='stroke-width="2.5"')
    )
    for low in HINGES:
        shapes.append(_rect(far, low, far + sign * 3, low + HINGE_H, SOLID))
    return shapes, True


def _doorway(spot: _Spot) -> Drawn:
    """A doorway: side-on beside a figure seen from the side, face-on from behind."""
    if not spot.front:
        return _doorway_side_on(spot)
    width = spot.prop.width or DOOR_W
    mid = spot.pelvis[0] if spot.x is None else spot.x
    near, far = mid - width / 2, mid + width / 2
    return [
        _rect(near, 0, far, DOOR_H, PANEL),
        _rect(near - DOOR_POST, 0, near, DOOR_H + DOOR_POST, FILL),
        _rect(far, 0, far + DOOR_POST, DOOR_H + DOOR_POST, FILL),
        _rect(near - DOOR_POST, DOOR_H, far + DOOR_POST, DOOR_H + DOOR_POST, FILL),
        _line((near, 0), (near, DOOR_H), (far, DOOR_H), (far, 0), attrs='stroke-width="1.5"'),
    ], spot.behind


def _chair(spot: _Spot) -> Drawn:
    x = spot.x
    seat = spot.prop.height or CHAIR_SEAT
    half = CHAIR_W / 2
    if spot.front:
        mid = spot.pelvis[0] if x is None else x
        return [
            _line((mid - half, 0), (mid - half, seat + CHAIR_BACK), attrs='stroke-width="3"'),
            _line((mid + half, 0), (mid + half, seat + CHAIR_BACK), attrs='stroke-width="3"'),
            _line((mid - half, seat), (mid + half, seat), attrs='stroke-width="4"'),
            _rect(mid - half, seat + CHAIR_BACK - 14, mid + half, seat + CHAIR_BACK, EDGE),
        ], True
    if spot.behind:
        # beside the figure, a little in front so that it stands clear of the standing
        # leg, its back towards the figure for the hand to rest on
        mid = spot.pelvis[0] + CHAIR_CLEAR + half if x is None else x
        sign = -spot.away(mid)
    else:
        mid = spot.low - half - 4 if x is None else x
        sign = spot.away(mid)
    back = mid + sign * half
    return [
        _line((mid - half + 3, 0), (mid - half + 3, seat), attrs='stroke-width="3"'),
        _line((mid + half - 3, 0), (mid + half - 3, seat), attrs='stroke-width="3"'),
        _line((back, seat), (back + sign * 3, seat + CHAIR_BACK), attrs='stroke-width="3.5"'),
        _line((mid - half, seat), (mid + half, seat), attrs='stroke-width="5"'),
    ], spot.behind


def _bed(spot: _Spot) -> Drawn:
    prop, x = spot.prop, spot.x
    top = prop.height or BED_TOP
    if spot.front:
        mid = spot.pelvis[0] if x is None else x
        half = (prop.width or 100.0) / 2
        start, end = mid - half, mid + half
    else:
        start = spot.high + 6 if x is None else x
        towards = -1.0 if start >= spot.pelvis[0] else 1.0
        edge = 0.0 if towards < 0 else CANVAS_WIDTH
        end = start + towards * (prop.width or abs(edge - start))
    sign = 1.0 if end >= start else -1.0
    return [
        _line((start + sign * 4, 0), (start + sign * 4, top - BED_DEPTH), attrs='stroke-width="4"'),
        _line((end - sign * 4, 0), (end - sign * 4, top - BED_DEPTH), attrs='stroke-width="4"'),
        _line((start, top - BED_DEPTH - 3), (end, top - BED_DEPTH - 3), attrs='stroke-width="4"'),
        Shape("rect", [(min(start, end), top - BED_DEPTH), (max(start, end), top)], 4.0, EDGE),
    ], spot.behind


def _mat(spot: _Spot) -> Drawn:
    x = spot.x
    mid = (spot.low + spot.high) / 2 if x is None else x
    width = spot.prop.width or (spot.high - spot.low + 24 if x is None else 150.0)
    return [_rect(mid - width / 2, 0, mid + width / 2, MAT_H, SOLID)], spot.behind


def _foam_roller(spot: _Spot) -> Drawn:
    mid = spot.pelvis[0] if spot.x is None else spot.x
    if spot.front:
        return [
            Shape("rect", [(mid - 40, 0), (mid + 40, 2 * ROLLER_R)], ROLLER_R, EDGE)
        ], spot.behind
    return [
        Shape("circle", [(mid, ROLLER_R)], ROLLER_R, EDGE),
        Shape("circle", [(mid, ROLLER_R)], ROLLER_R * 0.35, 'fill="none" stroke-width="1.5"'),
    ], spot.behind


def _step(spot: _Spot) -> Drawn:
    x = spot.x
    height = spot.prop.height or STEP_H
    if spot.front:
        mid = spot.pelvis[0] if x is None else x
        return [_rect(mid - STEP_W, 0, mid + STEP_W, height, EDGE)], spot.behind
    start = spot.high - STEP_W / 2 if x is None else x
    width = spot.prop.width or STEP_W
    return [_rect(start, 0, start + spot.away(start) * width, height, EDGE)], spot.behind


_DRAW: dict[str, Callable[[_Spot], Drawn]] = {
    "wall": _wall,
    "doorway": _doorway,
    "chair": _chair,
    "bed": _bed,
    "mat": _mat,
    "foam-roller": _foam_roller,
    "step": _step,
}


def prop_shapes(prop: Prop, view: str, pelvis: Point, extent: tuple[float, float]) -> Drawn:
    """A prop's shapes, placed where it says or next to the figure; and whether behind it."""
    front = view == "front"
    behind = prop.behind or (front and prop.kind in ("wall", "chair", "doorway"))
    spot = _Spot(prop, prop.x, front, behind, pelvis, extent[0], extent[1])
    return _DRAW.get(prop.kind, _step)(spot)
