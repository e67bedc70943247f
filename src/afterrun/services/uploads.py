"""Uploaded files on disk: saved under safe names, shown under the names they came with."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
#: What a folder of saved uploads keeps beside them: saved name -> the name it came with.
NAMES_FILE = "names.json"
_CHUNK = 1024 * 1024


def safe_name(name: str | None, number: int) -> str:
    """A name that cannot leave the folder or clash: "0003-morning_run.fit"."""
    base = Path((name or "").replace("\\", "/")).name
    return f"{number:04d}-{_UNSAFE_NAME.sub('_', base)[-120:] or 'upload'}"


def save_uploads(folder: Path, files: Iterable[tuple[str | None, BinaryIO]]) -> dict[str, str]:
    """Write each (name, content) into `folder`; returns saved path -> uploaded name."""
    names: dict[str, str] = {}
    for number, (name, content) in enumerate(files, start=1):
        path = folder / safe_name(name, number)
        with path.open("wb") as out:
            while chunk := content.read(_CHUNK):
                out.write(chunk)
        names[str(path)] = name or path.name
    return names


def keep_names(folder: Path, names: dict[str, str]) -> None:
    """Note the uploaded names beside the files, for whichever process imports them."""
    saved = {Path(path).name: name for path, name in names.items()}
    (folder / NAMES_FILE).write_text(json.dumps(saved), encoding="utf-8")


def kept_names(folder: Path) -> dict[str, str]:
    """Saved path -> uploaded name, as `keep_names` noted them."""
    saved = json.loads((folder / NAMES_FILE).read_text(encoding="utf-8"))
    return {str(folder / path): name for path, name in saved.items()}


def uploaded_name(label: str, names: dict[str, str]) -> str:
    """The uploaded file's name (and the path inside it, for a zip), never the server's
    own path: it is shown in the answer and stored as the run's source."""
    for path, name in names.items():
        if label.startswith(path):
            return name + label[len(path) :]
    return label
