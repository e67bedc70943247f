"""Each drawing shows what its steps say: where the legs, hands and props are, in the
drawing's own units (about a centimetre, y up, floor at 0), and how much of the picture
the figure fills once it is written as SVG."""

from __future__ import annotations

import math

import pytest
from defusedxml.ElementTree import fromstring

from afterrun.catalogue_files import load_catalogue
from afterrun.core.catalogue.models import CANVAS_WIDTH
from afterrun.rendering.illustration import illustration_svg, pose_for, props_for
from afterrun.rendering.illustration.figure import HEAD_R, LIMB_W, TORSO_W, Figure, Point
from afterrun.rendering.illustration.props import ROLLER_R, PlacedProp
from afterrun.rendering.illustration.scene import Scene, fit, place
from svg_figure import NS, figure_box

CATALOGUE = load_catalogue(None)
HALF = LIMB_W / 2


def _scene(slug: str, form: str | None = None) -> Scene:
    exercise = CATALOGUE.get(slug)
    scene = place(pose_for(exercise, form), props_for(exercise, form))
    fit(scene)
    return scene


def _prop(scene: Scene, kind: str) -> PlacedProp:
    return next(prop for prop in scene.props if prop.kind == kind)


def _xs(prop: PlacedProp) -> tuple[float, float]:
    """The x-range a prop covers, strokes aside."""
    xs = [x for shape in prop.shapes for x, _ in shape.points]
    return min(xs), max(xs)


def _joints(figure: Figure, limb: str) -> list[Point]:
    """A limb's joints from the body out: hip, knee, ankle (or shoulder, elbow, hand)."""
    links = figure.limbs[limb]
    return [links[0].points[0], links[0].points[-1], links[1].points[-1]]


def _foot(figure: Figure) -> tuple[Point, Point]:
    """The far foot's heel and toes."""
    heel, toes = figure.limbs["far_leg"][2].points
    return heel, toes


# --- the hamstring stretch -----------------------------------------------------------------


def test_the_body_lies_through_the_doorway_seen_side_on() -> None:
    scene = _scene("hamstring-wall-stretch")
    [figure] = scene.figures
    jamb = [s for s in _prop(scene, "doorway").shapes if s.kind == "rect" and s.to_top]
    # seen along its wall: the frame is as thick as a wall, not a door's width
    walls = sorted((min(x for x, _ in s.points), max(x for x, _ in s.points)) for s in jamb)
    near_face, far_face = min(a for a, _ in walls), min(b for _, b in walls)
    assert far_face - near_face < 20, walls
    hip, knee, ankle = _joints(figure, "near_leg")
    # the near leg straight up the wall beside the frame, the bottom close to it
    assert knee[1] - hip[1] > 35 and ankle[1] - hip[1] > 75
    assert abs(ankle[0] - hip[0]) < 5
    assert near_face - HALF - 1.5 <= max(hip[0], knee[0], ankle[0]) <= near_face - HALF + 0.5
    assert near_face - hip[0] < TORSO_W
    # the other leg lies flat on the floor, through the opening and out the other side
    far = [point for link in figure.limbs["far_leg"] for point in link.points]
    _, far_knee, far_ankle = _joints(figure, "far_leg")
    assert abs(far_knee[1] - hip[1]) < 1 and abs(far_ankle[1] - hip[1]) < 1
    assert max(x for x, _ in far) > far_face + 40
    assert min(x for x, _ in far) < near_face


def test_the_doorway_does_not_make_the_lying_figure_small() -> None:
    root = fromstring(illustration_svg(CATALOGUE.get("hamstring-wall-stretch")))
    _, _, width, height = (float(v) for v in root.attrib["viewBox"].split())
    assert height < 0.6 * width, "the picture is cropped to the figure, not the door's height"


def test_knee_bent_form_has_the_bottom_at_the_wall_and_the_leg_straight_up_it() -> None:
    scene = _scene("hamstring-wall-stretch", "other-leg-bent")
    [figure] = scene.figures
    wall = _xs(_prop(scene, "wall"))[0]
    hip, _, ankle = _joints(figure, "near_leg")
    assert math.dist(hip, ankle) > 84, "the leg is straight"
    rise = math.degrees(math.atan2(ankle[1] - hip[1], ankle[0] - hip[0]))
    assert rise >= 70, f"the leg goes up the wall, not out along the floor ({rise:.0f} degrees)"
    heel = max(x for link in figure.limbs["near_leg"] for x, _ in link.points) + HALF
    assert wall - 1.0 <= heel <= wall + 0.5, "the heel rests on the wall"
    assert wall - hip[0] <= 36, "the bottom is close to the wall"
    # the other knee bent, that foot flat on the floor between the bottom and the wall
    far_hip, far_knee, _ = _joints(figure, "far_leg")
    assert far_knee[1] - far_hip[1] > 30
    heel_point, toes = _foot(figure)
    assert abs(heel_point[1] - HALF) < 1 and abs(toes[1] - HALF) < 1
    assert hip[0] < toes[0] <= wall - HALF + 0.5


# --- knee to chest -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("slug", "form"),
    [
        ("knee-to-chest", None),
        ("knee-to-chest", "bed-edge"),
        ("knee-to-chest", "foam-roller-glutes"),
        ("hamstring-wall-stretch", None),
        ("hamstring-wall-stretch", "other-leg-bent"),
    ],
)
@pytest.mark.parametrize("side", ["left", "right"])
def test_a_figure_lying_down_fills_the_width_of_its_picture(
    slug: str, form: str | None, side: str
) -> None:
    root = fromstring(illustration_svg(CATALOGUE.get(slug), form, side))
    _, _, width, _ = (float(v) for v in root.attrib["viewBox"].split())
    left, _, right, _ = figure_box(root)
    assert width == CANVAS_WIDTH
    # enlarged past its own size, the figure spans most of the width (a bed or wall the rest)
    head = max(root.iter(f"{NS}circle"), key=lambda circle: float(circle.attrib["r"]))
    assert float(head.attrib["r"]) > 1.15 * HEAD_R
    assert (right - left) / width >= 0.65, f"the figure spans {left:.0f} to {right:.0f}"


def test_knee_to_chest_fills_its_picture_so_the_knee_shows_on_a_phone() -> None:
    root = fromstring(illustration_svg(CATALOGUE.get("knee-to-chest"), side="right"))
    _, _, width, height = (float(v) for v in root.attrib["viewBox"].split())
    left, top, right, bottom = figure_box(root)
    assert (right - left) * (bottom - top) >= 0.45 * width * height
    # the picture is 300 px wide in the player: the knee and hands rise well clear of the mat
    assert (bottom - top) * 300 / width >= 60


def test_off_the_bed_the_free_leg_hangs_down_from_the_hip_over_the_edge() -> None:
    scene = _scene("knee-to-chest", "bed-edge")
    [figure] = scene.figures
    bed = _prop(scene, "bed")
    top = max(y for shape in bed.shapes for _, y in shape.points)
    start, end = _xs(bed)
    hip, knee, ankle = _joints(figure, "far_leg")
    edge = end if hip[0] > (start + end) / 2 else start
    toward = 1.0 if edge == end else -1.0
    assert abs(hip[0] - edge) < 8 and hip[1] > top, "the bottom is on the bed at its edge"
    assert hip[1] - knee[1] >= 15, "the thigh drops from the hip"
    assert knee[1] < top and ankle[1] < knee[1]
    assert (knee[0] - edge) * toward > 0 and (ankle[0] - edge) * toward > HALF
    heel, toes = _foot(figure)
    assert (heel[0] - edge) * toward > 0, "the foot is beyond the bed, not under it"
    assert min(heel[1], toes[1]) - HALF < 1.5, "the foot reaches the floor"


def test_on_the_roller_the_crossed_ankle_rests_on_the_other_knee() -> None:
    scene = _scene("knee-to-chest", "foam-roller-glutes")
    [figure] = scene.figures
    _, support_knee, _ = _joints(figure, "far_leg")
    _, crossed_knee, crossed_ankle = _joints(figure, "near_leg")
    # a figure 4: the ankle lies on top of the knee, the crossed knee stays bent
    assert abs(crossed_ankle[0] - support_knee[0]) < 4
    assert 0 < crossed_ankle[1] - support_knee[1] <= LIMB_W + 1
    assert math.dist(figure.pelvis, crossed_ankle) < 50
    assert crossed_knee[1] > support_knee[1]
    # and the seat is on the roller
    assert abs(figure.pelvis[1] - TORSO_W / 2 - 2 * ROLLER_R) < 1.5
    heel, toes = _foot(figure)
    assert abs(heel[1] - HALF) < 1 and abs(toes[1] - HALF) < 1, "the other foot is flat"


# --- leg swings ----------------------------------------------------------------------------


def test_the_chair_stands_beside_the_figure_clear_of_the_standing_leg() -> None:
    for form in (None, "front-to-back"):
        scene = _scene("leg-swings", form)
        start, end = _xs(_prop(scene, "chair"))
        back = max(
            (shape for shape in _prop(scene, "chair").shapes if shape.kind == "line"),
            key=lambda shape: max(y for _, y in shape.points),
        )
        top = max(back.points, key=lambda point: point[1])
        for figure in scene.figures:
            standing = [p for link in figure.limbs["far_leg"] for p in link.points]
            low, high = min(x for x, _ in standing) - HALF, max(x for x, _ in standing) + HALF
            assert high < start or low > end, (low, high, start, end)
            hand = _joints(figure, "far_arm")[2]
            assert math.dist(hand, top) < LIMB_W, "a hand rests on the chair's back"
        assert len(scene.figures) > 1, "the leg swings"


def test_side_to_side_faces_the_wall_with_both_hands_on_it() -> None:
    swings = CATALOGUE.get("leg-swings")
    scene = _scene("leg-swings", "side-to-side")
    wall = _prop(scene, "wall")
    assert wall.behind, "the wall is in front of the figure seen from behind"
    start, end = _xs(wall)
    for figure in scene.figures:
        head = figure.head
        for arm in ("near_arm", "far_arm"):
            _, elbow, hand = _joints(figure, arm)
            assert start < hand[0] < end
            assert abs(hand[1] - head[1]) < 15, "the hands are on the wall beside the head"
            assert elbow[1] < hand[1], "the elbows are out and down, pressing"
    svg = illustration_svg(swings, "side-to-side", "left")
    assert svg.count('class="arx-palm"') == 2, "both palms are drawn flat on the wall"
    assert "@keyframes" in svg, "the leg still swings"
