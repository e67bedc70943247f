"""Every exercise is drawn from its pose: valid SVG, the right props, swings animated, sides mirrored."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, get_args
from xml.etree.ElementTree import Element

import pytest
from defusedxml.ElementTree import fromstring
from hypothesis import given, settings
from hypothesis import strategies as st

from afterrun.catalogue_files import load_catalogue
from afterrun.core.catalogue import Exercise, Part, Variant
from afterrun.core.catalogue.models import CANVAS_WIDTH, Keyframe, Pose, Prop, PropKind
from afterrun.core.errors import CatalogueError, NotFound
from afterrun.rendering.illustration import (
    DEFAULT_POSES,
    illustration_svg,
    pose_for,
    props_for,
    walk_svg,
)

CATALOGUE = load_catalogue(None)
NS = "{http://www.w3.org/2000/svg}"
TOLERANCE = 0.051  # coordinates are written to 0.1

#: Every exercise with each of its variants and its parts that have a pose of their own.
FORMS: list[tuple[Exercise, Variant | Part | None]] = [
    (exercise, form)
    for exercise in CATALOGUE.exercises
    for form in [None, *exercise.variants, *(p for p in exercise.parts if p.pose is not None)]
]


def _id(form: tuple[Exercise, Variant | Part | None]) -> str:
    exercise, chosen = form
    return f"{exercise.slug}/{chosen.slug}" if chosen else exercise.slug


def _svg(text: str) -> Element:
    root: Element = fromstring(text)
    assert root.tag == f"{NS}svg"
    return root


def _title(root: Element) -> str:
    title = root.find(f"{NS}title")
    assert title is not None and title.text
    return title.text


def _props(root: Element) -> set[str]:
    return {element.attrib["data-prop"] for element in root.iter() if "data-prop" in element.attrib}


def _view_box(root: Element) -> tuple[float, float, float, float]:
    x, y, width, height = (float(v) for v in root.attrib["viewBox"].split())
    return x, y, width, height


def _numbers(text: str) -> list[float]:
    return [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", text)]


def _coordinates(root: Element) -> list[tuple[str, list[float]]]:
    """Every positioned element in document order, as (what, numbers)."""
    found: list[tuple[str, list[float]]] = []
    undo = {
        id(child)
        for group in root.iter(f"{NS}g")
        if "arx-anim" in group.attrib.get("class", "")
        for child in group
    }
    for element in root.iter():
        tag = element.tag.removeprefix(NS)
        if tag == "polyline":
            found.append(("points", _numbers(element.attrib["points"])))
        elif tag == "circle":
            found.append(("circle", [float(element.attrib[k]) for k in ("cx", "cy", "r")]))
        elif tag == "rect":
            keys = ("x", "y", "width", "height")
            found.append(("rect", [float(element.attrib[k]) for k in keys]))
        elif tag == "g" and "transform" in element.attrib:
            # translate(x y) to a joint, or (inside the turning group) back from it
            what = "back" if id(element) in undo else "translate"
            found.append((what, _numbers(element.attrib["transform"])))
    return found


def _inside(root: Element) -> None:
    """Every coordinate drawn lies within the viewBox."""
    left, top, width, height = _view_box(root)
    right, bottom = left + width, top + height

    def check_x(x: float) -> None:
        assert left - TOLERANCE <= x <= right + TOLERANCE, (x, left, right)

    def check_y(y: float) -> None:
        assert top - TOLERANCE <= y <= bottom + TOLERANCE, (y, top, bottom)

    for what, numbers in _coordinates(root):
        if what == "points":
            for x, y in zip(numbers[::2], numbers[1::2], strict=True):
                check_x(x)
                check_y(y)
        elif what == "circle":
            cx, cy, r = numbers
            check_x(cx - r)
            check_x(cx + r)
            check_y(cy - r)
            check_y(cy + r)
        elif what == "rect":
            x, y, w, h = numbers
            assert w >= 0 and h >= 0
            check_x(x)
            check_x(x + w)
            check_y(y)
            check_y(y + h)
        elif what == "translate":
            check_x(numbers[0])
            check_y(numbers[1])
        else:
            check_x(-numbers[0])
            check_y(-numbers[1])


# --- the built-in catalogue --------------------------------------------------------------


@pytest.mark.parametrize("form", FORMS, ids=_id)
@pytest.mark.parametrize("side", [None, "left", "right"])
def test_every_exercise_variant_and_part_renders_accessible_svg(
    form: tuple[Exercise, Variant | Part | None], side: str | None
) -> None:
    exercise, chosen = form
    root = _svg(illustration_svg(exercise, chosen, side))
    assert root.attrib["role"] == "img"
    title = _title(root)
    expected = chosen.name if isinstance(chosen, Variant) else exercise.name
    assert expected in title
    if isinstance(chosen, Part):
        assert chosen.name in title
    if side:
        assert f"{side} side" in title
    assert root.attrib["aria-label"] == title
    _inside(root)


@pytest.mark.parametrize("form", FORMS, ids=_id)
def test_built_in_forms_have_their_own_or_an_inherited_pose(
    form: tuple[Exercise, Variant | Part | None],
) -> None:
    exercise, chosen = form
    assert exercise.pose is not None, "every built-in exercise has a pose"
    pose = pose_for(exercise, chosen)
    changes_posture = isinstance(chosen, Variant) and (
        chosen.position is not None or chosen.equipment is not None
    )
    if changes_posture or isinstance(chosen, Part):
        assert chosen is not None and chosen.pose is pose, "a new posture needs its own pose"
    # the data places every piece of equipment itself; nothing falls back to a default spot
    equipment = exercise.equipment
    if isinstance(chosen, Variant) and chosen.equipment is not None:
        equipment = chosen.equipment
    assert set(equipment) <= {prop.kind for prop in pose.props}


@pytest.mark.parametrize(
    ("slug", "form", "props"),
    [
        ("calf-stretch", None, {"wall"}),
        ("calf-stretch", "soleus", {"wall"}),
        ("calf-stretch", "short-holds", {"wall"}),
        ("hip-flexor-stretch", None, {"mat"}),
        ("hip-flexor-stretch", "standing-chair", {"chair"}),
        ("hamstring-wall-stretch", None, {"mat", "doorway"}),
        ("hamstring-wall-stretch", "other-leg-bent", {"mat", "wall"}),
        ("knee-to-chest", None, {"mat"}),
        ("knee-to-chest", "bed-edge", {"bed"}),
        ("knee-to-chest", "foam-roller-glutes", {"foam-roller"}),
        ("leg-swings", None, {"chair"}),
        ("leg-swings", "front-to-back", {"chair"}),
        ("leg-swings", "side-to-side", {"wall"}),
    ],
)
def test_the_props_its_equipment_implies_are_drawn(
    slug: str, form: str | None, props: set[str]
) -> None:
    exercise = CATALOGUE.get(slug)
    drawn = _props(_svg(illustration_svg(exercise, form, "left")))
    assert drawn - {"floor"} == props
    assert "floor" in drawn


def test_leg_swings_draw_one_of_their_supports() -> None:
    swings = CATALOGUE.get("leg-swings")
    for form in (None, *swings.parts):
        assert set(props_for(swings, form)) & set(swings.support)


def _animated(svg: str) -> bool:
    return "@keyframes" in svg and "arx-anim" in svg


@pytest.mark.parametrize("form", FORMS, ids=_id)
def test_leg_swings_are_animated_and_holds_are_still(
    form: tuple[Exercise, Variant | Part | None],
) -> None:
    exercise, chosen = form
    svg = illustration_svg(exercise, chosen, "right")
    assert _animated(svg) == (exercise.slug == "leg-swings")
    if _animated(svg):
        assert "prefers-reduced-motion:reduce" in svg
        assert 'class="arx-fig arx-ghost"' in svg, "reduced motion shows the other end still"
        assert "animation:arx-" in svg and " 1s ease-in-out infinite alternate" in svg


def test_both_parts_of_leg_swings_move_between_their_two_positions() -> None:
    swings = CATALOGUE.get("leg-swings")
    front_to_back, side_to_side = (pose_for(swings, part) for part in swings.parts)
    assert front_to_back.view == "side" and side_to_side.view == "front"
    for pose in (front_to_back, side_to_side):
        moved = pose.moved()
        assert moved is not None and moved.near_hip * pose.near_hip < 0, "it swings through"


def _rotations(svg: str) -> list[float]:
    return [float(v) for v in re.findall(r"rotate\((-?[\d.]+)deg\)", svg)]


@pytest.mark.parametrize("form", FORMS, ids=_id)
def test_left_and_right_mirror_each_other(form: tuple[Exercise, Variant | Part | None]) -> None:
    exercise, chosen = form
    left_svg = illustration_svg(exercise, chosen, "left")
    right_svg = illustration_svg(exercise, chosen, "right")
    left, right = _svg(left_svg), _svg(right_svg)
    assert _view_box(left) == _view_box(right)
    width = _view_box(left)[2]
    pairs = list(zip(_coordinates(left), _coordinates(right), strict=True))
    assert pairs
    for (what, a), (kind, b) in pairs:
        assert what == kind
        if what == "points":
            mirrored = [width - v if i % 2 == 0 else v for i, v in enumerate(a)]
            if b[:2] == pytest.approx(mirrored[-2:], abs=0.11) and len(b) > 2:
                pairs_back = list(zip(mirrored[::2], mirrored[1::2], strict=True))[::-1]
                mirrored = [v for pair in pairs_back for v in pair]  # the same line, drawn back
        elif what == "circle":
            mirrored = [width - a[0], a[1], a[2]]
        elif what == "rect":
            mirrored = [width - a[0] - a[2], *a[1:]]
        elif what == "translate":
            mirrored = [width - a[0], a[1]]
        else:
            mirrored = [-(width + a[0]), a[1]]
        assert b == pytest.approx(mirrored, abs=0.11)
    assert sorted(_rotations(right_svg)) == sorted(-v for v in _rotations(left_svg))


def test_no_side_draws_the_pose_as_written() -> None:
    calf = CATALOGUE.get("calf-stretch")
    assert illustration_svg(calf) == illustration_svg(calf, side="left").replace(", left side", "")


def test_variants_and_parts_by_object_or_slug_draw_the_same() -> None:
    calf = CATALOGUE.get("calf-stretch")
    assert illustration_svg(calf, "soleus") == illustration_svg(calf, calf.variant("soleus"))
    swings = CATALOGUE.get("leg-swings")
    assert illustration_svg(swings, "side-to-side") == illustration_svg(swings, swings.parts[1])


def test_a_variant_without_a_pose_inherits_the_exercise_pose() -> None:
    calf = CATALOGUE.get("calf-stretch")
    assert pose_for(calf, "short-holds") is calf.pose
    assert pose_for(calf, "soleus") is not calf.pose
    swings = CATALOGUE.get("leg-swings")
    assert pose_for(swings, "front-to-back") is swings.pose


def test_an_unknown_variant_or_bad_side_is_refused() -> None:
    calf = CATALOGUE.get("calf-stretch")
    with pytest.raises(NotFound) as caught:
        illustration_svg(calf, "lunge")
    assert str(caught.value) == (
        "Calf stretch at the wall has no variant 'lunge'. Known: soleus, short-holds."
    )
    with pytest.raises(NotFound) as caught:
        illustration_svg(CATALOGUE.get("leg-swings"), "cartwheel")
    assert str(caught.value) == (
        "Leg swings has no variant 'cartwheel'. Known: front-to-back, side-to-side."
    )
    with pytest.raises(ValueError, match="side must be 'left' or 'right'"):
        illustration_svg(calf, side="up")


def test_the_size_sets_the_width_and_keeps_the_aspect() -> None:
    calf = CATALOGUE.get("calf-stretch")
    root = _svg(illustration_svg(calf, size=390))
    _, _, width, height = _view_box(root)
    assert root.attrib["width"] == "390"
    assert int(root.attrib["height"]) == round(390 * height / width)
    free = _svg(illustration_svg(calf, size=None))
    assert "width" not in free.attrib and "height" not in free.attrib
    assert width == CANVAS_WIDTH


def test_near_limbs_are_solid_and_far_ones_faint() -> None:
    root = _svg(illustration_svg(CATALOGUE.get("calf-stretch"), side="left"))
    groups = {g.attrib["class"]: g for g in root.iter(f"{NS}g") if "class" in g.attrib}
    for name in ("arx-far-arm", "arx-far-leg"):
        assert float(groups[name].attrib["opacity"]) < 0.6
    for name in ("arx-near-arm", "arx-near-leg"):
        assert "opacity" not in groups[name].attrib
    figure = groups["arx-fig"]
    assert figure.attrib["stroke"] == "currentColor"
    assert figure.attrib["stroke-linecap"] == "round"
    assert figure.find(f"{NS}circle") is not None, "the head"


# --- the runner's own exercises ----------------------------------------------------------


def _user_file(position: str = "standing", extra: str = "", name: str = "Wall sit") -> str:
    return f"""
[[exercise]]
slug = "wall-sit"
name = "{name}"
kind = "hold"
areas = ["quads"]
muscles = ["quadriceps"]
purpose = "Quiet work for the thighs."
position = "{position}"
equipment = ["wall"]
steps = ["Slide down the wall.", "Hold."]
safety = "Stop if it hurts."

[exercise.dose]
hold_seconds = [20, 30]
holds_per_side = [1, 2]
{extra}"""


@pytest.mark.parametrize("position", ["standing", "kneeling", "lying"])
def test_a_user_exercise_without_a_pose_gets_the_default_figure(
    tmp_path: Path, position: str
) -> None:
    (tmp_path / "exercises.toml").write_text(_user_file(position))
    exercise = load_catalogue(tmp_path).get("wall-sit")
    assert exercise.pose is None
    assert pose_for(exercise) is DEFAULT_POSES[position]  # type: ignore[index]
    root = _svg(illustration_svg(exercise, side="right"))
    assert _title(root) == "Wall sit, right side"
    assert _props(root) == {"floor", "wall"}
    _inside(root)
    # a figure lying down is enlarged to fill the width: heights are in body units
    head = max(root.iter(f"{NS}circle"), key=lambda c: float(c.attrib["r"]))
    scale = float(head.attrib["r"]) / 11
    assert scale == 1 or position == "lying"
    floor = next(e for e in root.iter() if e.attrib.get("data-prop") == "floor")
    floor_y = _numbers(floor[0].attrib["points"])[1]
    head_height = (floor_y - float(head.attrib["cy"])) / scale
    expected = {"standing": (140, 160), "kneeling": (90, 115), "lying": (5, 20)}[position]
    assert expected[0] <= head_height <= expected[1]


def test_the_easy_walk_is_the_standing_figure_with_no_props() -> None:
    root = _svg(walk_svg())
    assert _title(root) == "Easy walk or jog"
    assert _props(root) == {"floor"}
    _inside(root)
    head = next(c for c in root.iter(f"{NS}circle") if c.attrib.get("r") == "11")
    floor = next(e for e in root.iter() if e.attrib.get("data-prop") == "floor")
    head_height = _numbers(floor[0].attrib["points"])[1] - float(head.attrib["cy"])
    assert 140 <= head_height <= 160, "standing"


def test_a_user_pose_is_drawn(tmp_path: Path) -> None:
    pose = """
[exercise.pose]
torso = -5
near_hip = 90
near_knee = 90
near_ankle = 0
far_hip = 90
far_knee = 90
props = ["wall"]
"""
    (tmp_path / "exercises.toml").write_text(_user_file(extra=pose))
    exercise = load_catalogue(tmp_path).get("wall-sit")
    assert exercise.pose is not None and exercise.pose.near_knee == 90
    root = _svg(illustration_svg(exercise))
    assert _props(root) == {"floor", "wall"}
    _inside(root)


def test_names_are_escaped(tmp_path: Path) -> None:
    (tmp_path / "exercises.toml").write_text(_user_file(name='Sit <& \\"lean\\">'))
    exercise = load_catalogue(tmp_path).get("wall-sit")
    svg = illustration_svg(exercise)
    assert _title(_svg(svg)) == 'Sit <& "lean">'
    assert "<&" not in svg


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        (
            "[exercise.pose]\nnear_knee = 200\n",
            "pose.near_knee",
            "Input should be less than or equal to 170",
        ),
        (
            '[exercise.pose]\nview = "top"\n',
            "pose.view",
            "Input should be 'side' or 'front'",
        ),
        (
            '[exercise.pose]\nprops = ["sofa"]\n',
            "pose.props[0].kind",
            "Input should be 'wall', 'doorway', 'chair', 'bed', 'mat', 'foam-roller' or 'step'",
        ),
        (
            '[exercise.pose]\nprops = [{ kind = "chair", x = 300 }]\n',
            "pose.props[0].x",
            "Input should be less than or equal to 240",
        ),
        (
            "[exercise.pose]\nswing_to = {}\n",
            "pose.swing_to",
            "Value error, swing_to must give at least one joint angle",
        ),
        (
            "[exercise.pose]\nelbow = 10\n",
            "pose.elbow",
            "Extra inputs are not permitted",
        ),
        (
            '[[exercise.variants]]\nslug = "deep"\nname = "Deeper"\nrole = "alternative"\n'
            'when = "you want more"\n[exercise.variants.pose]\ntorso = "lots"\n',
            "variants[0].pose.torso",
            "Input should be a valid number, unable to parse string as a number",
        ),
    ],
)
def test_a_bad_pose_names_file_entry_and_field(
    tmp_path: Path, extra: str, field: str, message: str
) -> None:
    path = tmp_path / "exercises.toml"
    path.write_text(_user_file(extra=extra))
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(tmp_path)
    assert (
        str(caught.value) == f"{path}: exercise 'wall-sit' (entry 1), field '{field}': {message}."
    )


def test_the_readme_example_is_drawn_with_its_wall(tmp_path: Path) -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text()
    example = readme.split("```toml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "exercises.toml").write_text(example)
    exercise = load_catalogue(tmp_path).get("quad-stretch")
    assert exercise.pose is not None
    root = _svg(illustration_svg(exercise, side="left"))
    assert _props(root) == {"floor", "wall"}
    _inside(root)


# --- any valid pose ---------------------------------------------------------------------


def _number(low: float, high: float) -> st.SearchStrategy[float]:
    return st.floats(low, high, allow_nan=False)


JOINT_BOUNDS: dict[str, tuple[float, float]] = {
    "head": (-60, 60),
    "near_shoulder": (-90, 180),
    "far_shoulder": (-90, 180),
    "near_elbow": (0, 160),
    "far_elbow": (0, 160),
    "near_hip": (-90, 160),
    "far_hip": (-90, 160),
    "near_knee": (0, 170),
    "far_knee": (0, 170),
    "near_ankle": (-90, 60),
    "far_ankle": (-90, 60),
}

props = st.builds(
    Prop,
    kind=st.sampled_from(get_args(PropKind)),
    x=st.none() | _number(0, 240),
    behind=st.booleans(),
    height=st.none() | _number(5, 120),
    width=st.none() | _number(10, 240),
)


@st.composite
def keyframes(draw: st.DrawFn) -> Keyframe:
    moving = draw(st.sets(st.sampled_from(sorted(JOINT_BOUNDS)), min_size=1))
    return Keyframe(**{joint: draw(_number(*JOINT_BOUNDS[joint])) for joint in moving})


@st.composite
def poses(draw: st.DrawFn) -> Pose:
    values: dict[str, Any] = {joint: draw(_number(*b)) for joint, b in JOINT_BOUNDS.items()}
    return Pose(
        view=draw(st.sampled_from(["side", "front"])),
        x=draw(st.none() | _number(0, 240)),
        height=draw(st.none() | _number(0, 212)),
        torso=draw(_number(-180, 180)),
        props=draw(st.lists(props, max_size=4)),
        swing_to=draw(st.none() | keyframes()),
        **values,
    )


@settings(max_examples=300, deadline=None)
@given(
    pose=poses(),
    position=st.sampled_from(["standing", "kneeling", "lying"]),
    side=st.sampled_from([None, "left", "right"]),
)
def test_any_valid_pose_renders_well_formed_svg_inside_its_view_box(
    pose: Pose, position: str, side: str | None
) -> None:
    base = CATALOGUE.get("calf-stretch")
    exercise = base.model_copy(update={"pose": pose, "position": position, "variants": []})
    svg = illustration_svg(exercise, side=side)
    root = _svg(svg)
    assert _title(root)
    _inside(root)
    turn = _largest_turn(pose)
    if turn < 0.01:
        assert not _animated(svg)
    elif turn > 0.1:
        assert _animated(svg)


def _largest_turn(pose: Pose) -> float:
    """How far the joints the view shows turn between the two keyframes (0: held still)."""
    moved = pose.moved()
    if moved is None:
        return 0.0
    return max(
        abs(getattr(moved, joint) - getattr(pose, joint))
        for joint in JOINT_BOUNDS
        if not (pose.view == "front" and joint.endswith(("knee", "ankle")))
    )
