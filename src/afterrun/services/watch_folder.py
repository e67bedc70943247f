"""A Garmin watch mounted as a USB drive: where it is, and the workout afterrun leaves on it.

A watch shows up as a volume with a `GARMIN` folder at its top: its recorded activities in
`GARMIN/Activity`, and `GARMIN/NewFiles` for files it takes in when unplugged (it moves them
out once read). afterrun only reads `Activity` and only adds one file to `NewFiles`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path

from afterrun.core.errors import InvalidInput, NotFound

WATCH_FOLDER = "GARMIN"
ACTIVITIES = "Activity"
NEW_FILES = "NewFiles"


def mount_points(environ: Mapping[str, str] | None = None) -> list[Path]:
    """The folders under which removable drives are mounted (Linux, then macOS)."""
    env = os.environ if environ is None else environ
    user = env.get("USER") or env.get("LOGNAME") or ""
    parents = [Path("/Volumes"), Path("/mnt"), Path("/media")]
    if user:
        parents[:0] = [Path("/media") / user, Path("/run/media") / user]
    roots: list[Path] = []
    for parent in parents:
        try:
            roots.extend(sorted(p for p in parent.iterdir() if p.is_dir()))
        except OSError:
            continue
    return roots


def find_watch(roots: Iterable[Path]) -> Path | None:
    """The first `GARMIN` folder with an `Activity` folder at the top of one of `roots`."""
    for root in roots:
        folder = root / WATCH_FOLDER
        try:
            if (folder / ACTIVITIES).is_dir():
                return folder
        except OSError:
            continue
    return None


def watch_at(path: Path) -> Path:
    """The watch's `GARMIN` folder given the volume or the folder itself."""
    for folder in (path, path / WATCH_FOLDER):
        if folder.name.upper() == WATCH_FOLDER and (folder / ACTIVITIES).is_dir():
            return folder
    raise InvalidInput(
        f"{path} is not a Garmin watch: it has no GARMIN/Activity folder. Give the watch's "
        "drive (or its GARMIN folder)."
    )


def no_watch() -> NotFound:
    """The error when no mounted drive holds a watch: plug it in, or say where it is."""
    return NotFound(
        "No Garmin watch found: plug the watch in by USB and wait for its drive to appear, "
        "or give its path: afterrun sync /path/to/watch."
    )


def workout_name(run_start: datetime) -> str:
    """The file name of the cool-down sized for the run that started then (UTC)."""
    return f"afterrun-cooldown-{run_start.astimezone(UTC):%Y%m%d-%H%M%S}.fit"
