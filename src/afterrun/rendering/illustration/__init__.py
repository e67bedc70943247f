"""Exercise illustrations drawn from the catalogue's pose data, as self-contained SVG:
the figure (`figure`), its props (`props`), both placed in the canvas (`scene`) and
written out (`svg`)."""

from afterrun.rendering.illustration.figure import DEFAULT_POSES, SIDES, pose_for, props_for
from afterrun.rendering.illustration.svg import illustration_svg, walk_svg

__all__ = ["DEFAULT_POSES", "SIDES", "illustration_svg", "pose_for", "props_for", "walk_svg"]
