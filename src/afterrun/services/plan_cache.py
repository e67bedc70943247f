"""Plans already made, kept as JSON: the same request and the same exercise files give
the same plan, so a repeated `afterrun plan` or `go` neither imports nor validates the
catalogue again.

The key is the whole planner request (run intensity, soreness, options) and a stamp of
every file the plan depends on: the exercise files (size and modification time) and
the planner's own modules, so that an edited exercise file or a new afterrun is never
answered from an old plan. The catalogue and the request stay the one source of truth;
a missing, unreadable or foreign entry is simply made again.
"""

from __future__ import annotations

import json
import os
import zlib
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from afterrun import __version__
from afterrun.core.plan import Plan, PlanRequest

#: Entries kept; the oldest beyond this are removed when a new one is written.
MAX_ENTRIES = 200
#: The modules a plan is made by: a change to any of them makes every entry stale.
_PLANNER_MODULES = (
    "core/planner.py",
    "core/plan_steps.py",
    "core/plan_notes.py",
    "core/plan.py",
    "core/catalogue/models.py",
)


def stamp(files: Iterable[Path]) -> str:
    """What the plans depend on besides the request: afterrun's version and planner, and
    the size and modification time of every exercise file."""
    package = Path(__file__).resolve().parents[1]
    parts = [__version__]
    for path in [*(package / name for name in _PLANNER_MODULES), *files]:
        try:
            info = path.stat()
        except OSError:
            parts.append(f"{path}:missing")
            continue
        parts.append(f"{path}:{info.st_size}:{info.st_mtime_ns}")
    return "\n".join(parts)


def request_key(request: PlanRequest) -> str:
    return json.dumps(
        {
            "minutes": request.minutes,
            "intensity": request.intensity.value,
            "equipment": sorted(request.equipment),
            "place": request.place,
            "focus": list(request.focus),
            "avoid": list(request.avoid),
            "ease": [list(pair) for pair in request.ease],
            "rest": [list(pair) for pair in request.rest],
            "intensity_reason": request.intensity_reason,
            "intensity_hint": request.intensity_hint,
        },
        sort_keys=True,
    )


class PlanCache:
    def __init__(self, folder: Path, files_stamp: str) -> None:
        self.folder = folder
        self.files_stamp = files_stamp

    def plan(self, request: PlanRequest, make: Callable[[], Plan]) -> Plan:
        """The cached plan for `request`, else `make()`, kept for next time."""
        key = f"{self.files_stamp}\n{request_key(request)}"
        # A short name is enough: the entry holds its whole key and is used only on a match.
        path = self.folder / f"{zlib.crc32(key.encode()):08x}.json"
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
            if entry["key"] != key:
                raise ValueError("another request's plan")
            cached = Plan.from_json(entry["plan"])
        except (OSError, ValueError, TypeError, AttributeError, KeyError):
            made = make()
            self._keep(path, key, made)
            return made
        # The JSON leaves out what the steps already reflect (ease, rest): the request
        # it was made for is the key, so it is exactly this one.
        return replace(cached, request=request)

    def _keep(self, path: Path, key: str, plan: Plan) -> None:
        """Write beside the entry and rename, so a reader never sees half of one; a
        cache that cannot be written is no error."""
        import tempfile  # noqa: PLC0415 - only when writing

        from afterrun.core.engine import stored_plan  # noqa: PLC0415

        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(
                "w", dir=self.folder, suffix=".tmp", delete=False, encoding="utf-8"
            ) as temp:
                json.dump({"key": key, "plan": stored_plan(plan)}, temp)
            os.replace(temp.name, path)
            self._prune()
        except OSError:
            return

    def _prune(self) -> None:
        entries = sorted(self.folder.glob("*.json"), key=lambda p: p.stat().st_mtime_ns)
        for old in entries[:-MAX_ENTRIES]:
            old.unlink(missing_ok=True)
