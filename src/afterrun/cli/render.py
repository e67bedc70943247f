"""Plain-text output: aligned tables that fit the terminal, folded prose, and JSON, without
loading a rendering library."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Sequence
from typing import Any

#: The width when the output is not a terminal (a pipe, a file, a test).
DEFAULT_WIDTH = 80


def echo(text: str = "", *, err: bool = False) -> None:
    """Print a line as `click.echo` does, without loading Click for plain text: text with
    terminal colours goes through Click, which drops them where the output is no terminal."""
    if "\x1b[" in text:
        import click

        click.echo(text, err=err)
        return
    import sys

    stream = sys.stderr if err else sys.stdout
    stream.write(f"{text}\n")
    stream.flush()


def output_width() -> int:
    """The terminal's width ($COLUMNS first); 80 when the output is not a terminal."""
    import os
    import sys

    if os.environ.get("COLUMNS", "").isdigit() or sys.stdout.isatty():
        from afterrun.cli.start import terminal_columns

        return max(40, terminal_columns())
    return DEFAULT_WIDTH


def _longest_words(cells: list[list[str]]) -> list[int]:
    return [
        max((len(word) for row in cells for word in row[i].split()), default=1)
        for i in range(len(cells[0]))
    ]


def _fitted_widths(
    cells: list[list[str]], room: int, allowed: Sequence[int], break_words: bool
) -> list[int]:
    """Column widths summing to at most `room` if they can: the widest of the `allowed`
    columns is narrowed first, down to its longest word (or further, with `break_words`)."""
    columns = len(cells[0])
    widths = [max(len(row[i]) for row in cells) for i in range(columns)]
    floor = [1] * columns if break_words else _longest_words(cells)
    while sum(widths) > room:
        narrower = [i for i in allowed if widths[i] > floor[i]]
        if not narrower:
            break
        widths[max(narrower, key=lambda i: widths[i])] -= 1
    return widths


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    width: int | None = None,
    fold: Sequence[int] = (),
) -> str:
    """A left-aligned table with a rule under the header, at most `width` columns wide
    (the terminal's width by default). To fit, in this order: the columns in `fold` (by
    index) fold onto more lines, then the gaps close to one space, then any column folds,
    and last words are broken."""
    limit = output_width() if width is None else width
    cells = [list(headers), *([str(cell) for cell in row] for row in rows)]
    every = range(len(cells[0]))
    attempts = [(2, fold, False), (1, fold, False), (2, every, False), (1, every, False)]
    for gap, allowed, break_words in [*attempts, (1, every, True)]:
        room = limit - gap * (len(cells[0]) - 1)
        widths = _fitted_widths(cells, room, allowed, break_words)
        if sum(widths) <= room:
            break

    def lines(values: Sequence[str]) -> list[str]:
        folded = [
            textwrap.wrap(value, widths[i], break_on_hyphens=False) or [""]
            for i, value in enumerate(values)
        ]
        height = max(len(parts) for parts in folded)
        return [
            (" " * gap)
            .join(
                (parts[n] if n < len(parts) else "").ljust(widths[i])
                for i, parts in enumerate(folded)
            )
            .rstrip()
            for n in range(height)
        ]

    out = [*lines(cells[0]), (" " * gap).join("-" * w for w in widths)]
    for row in cells[1:]:
        out.extend(lines(row))
    return "\n".join(out)


def prose_width() -> int | None:
    """The width prose is folded to: the terminal's; None (one line per paragraph, whole
    sentences for grep and scripts) when the output is not a terminal and $COLUMNS is unset."""
    import os
    import sys

    if os.environ.get("COLUMNS", "").isdigit() or sys.stdout.isatty():
        return output_width()
    return None


def folded(text: str, width: int | None = None) -> str:
    """Each line longer than the width folded onto more lines, indented as it began (under
    the text after a '- ' bullet); shorter lines, tables among them, are left alone.
    Without a width, the prose width (nothing is folded when that is None)."""
    limit = prose_width() if width is None else width
    if limit is None:
        return text
    out = []
    for line in text.split("\n"):
        if len(line) <= limit:
            out.append(line)
            continue
        stripped = line.lstrip(" ")
        indent = " " * (len(line) - len(stripped))
        hanging = indent + ("  " if stripped.startswith("- ") else "")
        out.append(
            textwrap.fill(
                stripped,
                limit,
                initial_indent=indent,
                subsequent_indent=hanging,
                break_on_hyphens=False,
            )
        )
    return "\n".join(out)


def to_json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)
