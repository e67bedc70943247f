"""Read the built-in catalogue and the runner's own exercise files.

The runner's files live in the config directory: `exercises.toml` and any
`*.toml` in `exercises/`. They add exercises; a bad one stops with an error
naming the file, the entry and the field, so nothing is silently ignored.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from afterrun.core.errors import CatalogueError

if TYPE_CHECKING:
    from afterrun.core.catalogue import Catalogue

BUILT_IN = "exercises.toml"


def built_in_text() -> str:
    from importlib.resources import files  # noqa: PLC0415 - only when the catalogue is read

    return (files("afterrun") / "data" / BUILT_IN).read_text(encoding="utf-8")


def user_files(config_dir: Path) -> list[Path]:
    """The runner's exercise files, in a stable order."""
    found: list[Path] = []
    single = config_dir / "exercises.toml"
    if single.is_file():
        found.append(single)
    folder = config_dir / "exercises"
    if folder.is_dir():
        found.extend(sorted(folder.glob("*.toml")))
    return found


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise CatalogueError(f"{path}: not UTF-8 text ({exc.reason}). Save it as UTF-8.") from exc
    except OSError as exc:
        raise CatalogueError(f"{path}: cannot read it ({exc.strerror}).") from exc


def load_catalogue(config_dir: Path | None) -> Catalogue:
    """Built-in exercises plus the runner's own from `config_dir` (None: built-in only)."""
    from afterrun.core.catalogue import parse_catalogue  # noqa: PLC0415 - pydantic, when needed

    documents = [(f"built-in {BUILT_IN}", built_in_text())]
    if config_dir is not None:
        documents.extend((str(path), _read(path)) for path in user_files(config_dir))
    return parse_catalogue(documents)


def catalogue_files(config_dir: Path | None) -> list[Path]:
    """Every file a catalogue is read from, the built-in one first."""
    built_in = Path(__file__).parent / "data" / BUILT_IN  # the file built_in_text() reads
    return [built_in, *([] if config_dir is None else user_files(config_dir))]
