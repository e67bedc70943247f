"""The kinds of step a plan holds, and which of them are the runner's work.

Apart from `plan.py` so that what reads played sessions (records, the report) does not
load the plan's models.
"""

from __future__ import annotations

from typing import Literal

StepKind = Literal["walk", "get-ready", "transition", "switch", "hold", "reps"]

#: The steps the runner does (the rest is getting into position): they count as done,
#: skipped or partial in summaries and reports, and "it hurts" ends them.
WORK_KINDS: tuple[StepKind, ...] = ("walk", "hold", "reps")
