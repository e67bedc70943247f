"""Writing an output file safely: refused before any work when its folder is missing,
and never left half written."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from afterrun.core.errors import AfterrunError, InvalidInput


class OutputFailed(AfterrunError):
    """A file afterrun was asked to write could not be written (exit status 1)."""


def check_out_path(path: Path) -> None:
    """Refuse an output path whose folder is missing, before any work is done."""
    folder = path.parent if str(path.parent) else Path()
    if path.is_dir():
        raise InvalidInput(f"{path} is a folder: give a file name inside it.")
    if not folder.is_dir():
        raise InvalidInput(
            f"cannot write {path}: the folder {folder} does not exist. Create it or choose "
            "another path."
        )


def write_file(path: Path, content: bytes) -> None:
    """Write next to the target and rename, so a failure never leaves half a file."""
    check_out_path(path)
    temp_name: str | None = None
    try:
        with tempfile.NamedTemporaryFile(
            dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False
        ) as temp:
            temp_name = temp.name
            temp.write(content)
        os.replace(temp_name, path)
        temp_name = None
    except OSError as error:
        reason = error.strerror or str(error)
        raise OutputFailed(
            f"cannot write {path}: {reason}. Choose a path you can write to."
        ) from None
    finally:
        if temp_name is not None:
            Path(temp_name).unlink(missing_ok=True)
