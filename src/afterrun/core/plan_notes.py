"""The notes under a plan: why it is sized as it is, how long it takes, what it leaves
out of the runner's focus, and what the evidence says the cool-down is for."""

from __future__ import annotations

from afterrun.core.plan import PlanRequest, PlanStep
from afterrun.core.sources import cite
from afterrun.core.time_text import duration

#: What the evidence says the walk and the holds are for: shown with every plan.
COOL_DOWN_SOURCES: tuple[str, ...] = ("van-hooren-2018",)
COOL_DOWN_NOTE = (
    "A few easy minutes after a hard run clear blood lactate faster; a longer cool-down or "
    "longer holds are for comfort and a gradual return, not faster recovery "
    f"({cite(COOL_DOWN_SOURCES[0])})."
)


def plan_notes(
    request: PlanRequest, steps: list[PlanStep], covered: set[str], time_was_short: bool
) -> list[tuple[str, tuple[str, ...]]]:
    """The plan's notes, each with the citation keys behind it."""
    notes: list[tuple[str, tuple[str, ...]]] = []
    if request.intensity_reason:
        notes.append((request.intensity_reason, ()))
    total = sum(step.seconds for step in steps)
    if not steps and not time_was_short:
        notes.append(("Nothing left to plan: every exercise was left out (reasons above).", ()))
    elif not steps:
        notes.append(
            (
                f"Nothing fits in {request.minutes} min: the shortest exercise needs more.",
                (),
            )
        )
    else:
        notes.append(
            (
                f"Takes {duration(total)} of your {request.minutes} min, "
                "switches and moves between exercises included.",
                (),
            )
        )
    focus_missing = [area for area in request.focus if area not in covered]
    if focus_missing and steps:
        notes.append((f"Nothing in this plan works the {', '.join(focus_missing)}.", ()))
    if steps:
        notes.append((COOL_DOWN_NOTE, COOL_DOWN_SOURCES))
    return notes
