"""Plain-text output: aligned tables and JSON, without loading a rendering library."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any


def output_width() -> int:
    """The terminal's width ($COLUMNS first); 80 when the output is not a terminal."""
    import os
    import shutil
    import sys

    if os.environ.get("COLUMNS", "").isdigit() or sys.stdout.isatty():
        return max(40, shutil.get_terminal_size((80, 24)).columns)
    return 80


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A left-aligned table with a rule under the header."""
    cells = [[str(cell) for cell in row] for row in rows]
    widths = [len(header) for header in headers]
    for row in cells:
        for column, cell in enumerate(row):
            widths[column] = max(widths[column], len(cell))

    def line(values: Sequence[str]) -> str:
        return "  ".join(value.ljust(widths[i]) for i, value in enumerate(values)).rstrip()

    out = [line(headers), line(["-" * width for width in widths])]
    out.extend(line(row) for row in cells)
    return "\n".join(out)


def to_json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)
