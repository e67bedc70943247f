"""The figure and its props placed on the floor and fitted into the canvas."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from afterrun.core.catalogue.models import CANVAS_HEIGHT, CANVAS_WIDTH, Pose, Prop, PropKind
from afterrun.rendering.illustration.figure import Figure, Point, sampled_poses, solve
from afterrun.rendering.illustration.props import BED_TOP, PlacedProp, Shape, prop_shapes

BELOW_FLOOR = 8.0
MARGIN = 6.0
#: The lowest picture cropped, so that a flat scene is not one thin strip.
MIN_HEIGHT = 80.0
#: How much a small scene (a figure lying down) may be enlarged to fill the width.
MAX_SCALE = 1.6
#: The room left at each side when a scene is enlarged to the width.
SIDE_ROOM = 4.0


@dataclass
class Scene:
    figures: list[Figure]
    props: list[PlacedProp]
    scale: float = 1.0
    offset: Point = (0.0, 0.0)


def _bounds(circles: Sequence[tuple[Point, float]]) -> tuple[float, float, float, float]:
    return (
        min(p[0] - r for p, r in circles),
        min(p[1] - r for p, r in circles),
        max(p[0] + r for p, r in circles),
        max(p[1] + r for p, r in circles),
    )


def _shape_circles(shape: Shape) -> Iterator[tuple[Point, float]]:
    if shape.full_width:
        return
    radius = shape.radius if shape.kind == "circle" else 1.5
    for x, y in shape.points:
        # a wall reaches up to whatever the top turns out to be: only its x counts
        yield (x, 0.0 if shape.to_top and y >= CANVAS_HEIGHT else y), radius


def place(pose: Pose, kinds: Sequence[PropKind]) -> Scene:
    frames = sampled_poses(pose)
    origin = [solve(frame, (0.0, 0.0)) for frame in frames]
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
    figures = [solve(frame, pelvis) for frame in frames]
    extent = (pelvis_x + x0, pelvis_x + x1)
    placed = []
    for prop in props:
        shapes, behind = prop_shapes(prop, pose.view, pelvis, extent)
        placed.append(PlacedProp(prop.kind, shapes, behind))
    return Scene(figures, placed)


def fit(scene: Scene) -> tuple[float, float, float]:
    """Scale and shift the scene into the canvas; return its floor and y-range.

    A scene too big is shrunk; a flat one that leaves the width part empty (a figure
    lying down) is enlarged to fill it, as far as the canvas height allows, so that a knee
    drawn to the chest moves visibly on a phone. The height is then cropped to what
    is drawn.
    """
    circles = [c for figure in scene.figures for c in figure.circles()]
    for prop in scene.props:
        for shape in prop.shapes:
            circles.extend(_shape_circles(shape))
    circles.append(((CANVAS_WIDTH / 2, 0.0), 0.0))
    x0, y0, x1, y1 = _bounds(circles)
    room_x0, room_x1 = 0.0, CANVAS_WIDTH
    room_y0, room_y1 = -BELOW_FLOOR, CANVAS_HEIGHT
    scale = min(1.0, (room_x1 - room_x0) / (x1 - x0), (room_y1 - room_y0) / (y1 - y0))
    if scale == 1.0 and x1 - x0 > y1 - y0:
        wide = (room_x1 - room_x0 - 2 * SIDE_ROOM) / (x1 - x0)
        high = min((room_y1 - room_y0) / (y1 - y0), (room_y1 - MARGIN) / max(y1, MARGIN))
        scale = max(1.0, min(MAX_SCALE, wide, high))
    dx = dy = 0.0
    if scale > 1.0:
        dx = (room_x0 + room_x1 - (x0 + x1) * scale) / 2
    elif x0 * scale < room_x0:
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
