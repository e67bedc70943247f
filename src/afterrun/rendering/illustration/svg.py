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
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from afterrun.core.catalogue.models import CANVAS_WIDTH, Exercise, Part, Pose, PropKind, Variant
from afterrun.core.plan import WALK_NAME
from afterrun.rendering.illustration.figure import (
    DEFAULT_POSES,
    FAR_OPACITY,
    HEAD_R,
    LIMB_W,
    LIMBS,
    PALM_R,
    SIDES,
    TORSO_W,
    Figure,
    Link,
    Point,
    pose_for,
    props_for,
    resolve,
)
from afterrun.rendering.illustration.props import PlacedProp, Shape
from afterrun.rendering.illustration.scene import Scene, fit, place


def num(value: float) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


class _Writer:
    def __init__(self, scene: Scene, top: float, mirror: bool) -> None:
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
        return f"{num(x)},{num(y)}"

    def shape(self, shape: Shape) -> str:
        attrs = f" {shape.attrs}" if shape.attrs else ""
        if shape.kind == "circle":
            cx, cy = self.point(shape.points[0])
            r = shape.radius * self.scene.scale
            return f'<circle cx="{num(cx)}" cy="{num(cy)}" r="{num(r)}"{attrs}/>'
        if shape.kind == "rect":
            (ax, ay), (bx, by) = (self.point(p) for p in shape.points)
            if shape.to_top:
                ay, by = (0.0, by) if ay < by else (ay, 0.0)
            # round the corners, not the size, so the far edge stays where it was put
            left, right = round(min(ax, bx), 1), round(max(ax, bx), 1)
            upper, lower = round(min(ay, by), 1), round(max(ay, by), 1)
            width, height = right - left, lower - upper
            rx = f' rx="{num(shape.radius * self.scene.scale)}"' if shape.radius else ""
            return (
                f'<rect x="{num(left)}" y="{num(upper)}" width="{num(width)}" '
                f'height="{num(height)}"{rx}{attrs}/>'
            )
        points = [self.point(p) for p in shape.points]
        if shape.to_top:
            points = [(x, 0.0) if y < 0 else (x, y) for x, y in points]
        if shape.full_width:
            points = [(0.0, points[0][1]), (CANVAS_WIDTH, points[0][1])]
        text = " ".join(f"{num(x)},{num(y)}" for x, y in points)
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
    links: Sequence[Link],
    moved: Sequence[Link] | None,
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
                f'<g transform="translate({num(px)} {num(py)})"><g class="arx-anim {name}">'
                f'<g transform="translate({num(-px)} {num(-py)})">'
            )
            closing += "</g></g></g>"
        out.append(_polyline(writer, link.points))
    out.append(closing)
    return "".join(out)


def _palm(writer: _Writer, links: Sequence[Link]) -> str:
    """A hand flat on the wall the figure faces: an upright oval, wider than the arm."""
    hand = links[-1].points[-1]
    cx, cy = writer.point((hand[0], hand[1] + PALM_R / 2))
    rx, ry = num(PALM_R * 0.75 * writer.scene.scale), num(PALM_R * writer.scene.scale)
    return (
        f'<ellipse class="arx-palm" cx="{num(cx)}" cy="{num(cy)}" rx="{rx}" ry="{ry}"'
        ' fill="currentColor" stroke="none"/>'
    )


def _figure_svg(writer: _Writer, figures: list[Figure], seconds: float, palms: bool = False) -> str:
    """The figure; with `palms`, hands that hold still are drawn flat on a wall."""
    first = figures[0]
    last = figures[-1] if len(figures) > 1 else None
    width = num(LIMB_W * writer.scene.scale)
    torso_width = num(TORSO_W * writer.scene.scale)
    parts: list[str] = [
        '<g class="arx-fig" fill="none" stroke="currentColor" stroke-linecap="round" '
        f'stroke-linejoin="round" stroke-width="{width}">'
    ]
    ghost: list[str] = []
    for name in LIMBS:
        links = first.limbs[name]
        moved = last.limbs[name] if last is not None else None
        body = _limb(writer, links, moved, seconds)
        still = moved is None or all(
            abs(a.angle - b.angle) < 0.05 for a, b in zip(links, moved, strict=True)
        )
        if palms and name.endswith("arm") and still:
            body += _palm(writer, links)
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


def _torso(writer: _Writer, figure: Figure, width: str, moved_head: Figure | None) -> str:
    out = [_polyline(writer, (figure.pelvis, figure.neck), f' stroke-width="{width}"')]
    for start, end in figure.bars:
        out.append(_polyline(writer, (start, end)))
    cx, cy = writer.point(figure.head)
    radius = num(HEAD_R * writer.scene.scale)
    head = f'<circle cx="{num(cx)}" cy="{num(cy)}" r="{radius}" fill="currentColor" stroke="none"/>'
    if moved_head is not None:
        turn = moved_head.head_angle - figure.head_angle
        if abs(turn) >= 0.05:
            px, py = writer.point(figure.neck)
            name = writer.spin(turn, 1.0)
            head = (
                f'<g transform="translate({num(px)} {num(py)})"><g class="arx-anim {name}">'
                f'<g transform="translate({num(-px)} {num(-py)})">{head}</g></g></g>'
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
            f"to{{transform:rotate({num(turn)}deg)}}}}"
        )
        rules.append(f".{name}{{animation:{name} {num(seconds)}s ease-in-out infinite alternate}}")
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
    chosen = resolve(exercise, variant)
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
    scene = place(pose, props)
    _, bottom, top = fit(scene)
    writer = _Writer(scene, top, mirror=mirror)
    height = math.ceil((top - bottom) * 10) / 10

    behind = [prop for prop in scene.props if prop.behind]
    front = [prop for prop in scene.props if not prop.behind]
    floor = Shape(
        "line", [(0.0, 0.0), (CANVAS_WIDTH, 0.0)], 0.0, 'stroke-width="2"', full_width=True
    )

    def props_svg(props: list[PlacedProp]) -> str:
        return "".join(
            f'<g data-prop="{prop.kind}">{"".join(writer.shape(s) for s in prop.shapes)}</g>'
            for prop in props
        )

    # seen from behind, facing a wall: the hands are on it
    palms = pose.view == "front" and any(p.kind == "wall" and p.behind for p in scene.props)
    figure = _figure_svg(writer, scene.figures, seconds, palms)
    scenery = (
        '<g class="arx-prop" fill="none" stroke="currentColor" stroke-opacity=".6" '
        f'stroke-linecap="round">{props_svg(behind)}'
        f'<g data-prop="floor">{writer.shape(floor)}</g>{props_svg(front)}</g>'
    )
    dimensions = ""
    if size is not None:
        dimensions = f' width="{size}" height="{round(size * height / CANVAS_WIDTH)}"'
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {num(CANVAS_WIDTH)} '
        f'{num(height)}"{dimensions} role="img" aria-label={quoteattr(title)} '
        f'class="afterrun-illustration" style="max-width:100%;height:auto">'
        f"<title>{escape(title)}</title>{_style(writer)}{scenery}{figure}</svg>"
    )
