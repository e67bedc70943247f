"""Illustrations as served: the rendering package's SVG, coloured for light and dark screens.

Shown through <img>, an SVG cannot inherit the page's colour, so it carries its own
`color` for each colour scheme; the figure is drawn in `currentColor`.
"""

from __future__ import annotations

from afterrun.core.catalogue import Exercise
from afterrun.rendering.illustration import illustration_svg, walk_svg

SCHEME_STYLE = (
    "<style>svg{color:#1b1f24}@media (prefers-color-scheme: dark){svg{color:#e6e9ec}}</style>"
)
#: What `prefers-reduced-motion` shows (rendering/illustration/svg.py), asked for by the
#: player while paused: the figure stands still with its other position dashed.
STILL_STYLE = "<style>.arx-anim{animation:none!important}.arx-ghost{display:inline}</style>"


def svg_for(
    exercise: Exercise | None, variant: str | None, side: str | None, *, still: bool = False
) -> str:
    """The picture of an exercise, a variant or a part (leg swings' directions); None is
    the easy walk or jog before the exercises (a standing figure)."""
    svg = walk_svg() if exercise is None else illustration_svg(exercise, variant, side)
    end = svg.index(">", svg.index("<svg")) + 1
    styles = f"{SCHEME_STYLE}{STILL_STYLE}" if still else SCHEME_STYLE
    return f"{svg[:end]}{styles}{svg[end:]}"
