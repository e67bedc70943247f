"""Where the figure is in an illustration's SVG: for tests of how much of it the figure fills."""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element

NS = "{http://www.w3.org/2000/svg}"


def view_box(root: Element) -> tuple[float, float]:
    """The drawing's width and height, in its own units."""
    _, _, width, height = (float(v) for v in root.attrib["viewBox"].split())
    return width, height


def figure_box(root: Element) -> tuple[float, float, float, float]:
    """The box (left, top, right, bottom) around the figure's strokes and head."""
    group = next(g for g in root.iter(f"{NS}g") if g.attrib.get("class") == "arx-fig")
    pad = float(group.attrib["stroke-width"]) / 2
    boxes: list[tuple[float, float, float, float]] = []
    for element in group.iter():
        tag = element.tag.removeprefix(NS)
        if tag == "polyline":
            numbers = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", element.attrib["points"])]
            for x, y in zip(numbers[::2], numbers[1::2], strict=True):
                boxes.append((x - pad, y - pad, x + pad, y + pad))
        elif tag == "circle":
            cx, cy, r = (float(element.attrib[k]) for k in ("cx", "cy", "r"))
            boxes.append((cx - r, cy - r, cx + r, cy + r))
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )
