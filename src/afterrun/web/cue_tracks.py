"""The phone's audio tracks, made once per session and 'carry on, gently' choice, kept
as files so that the player can seek in them (range requests), and few: each is tens of
megabytes."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import threading
from pathlib import Path

from afterrun.core.audio_script import AudioScript

#: Tracks kept at once: the session playing, its eased form, and a few others.
KEEP = 4


class CueTracks:
    """A folder of WAV files named by what they hold; removed when the app stops."""

    def __init__(self) -> None:
        self._folder: Path | None = None
        self._lock = threading.Lock()

    def path_for(self, script: AudioScript, engine: str) -> Path:
        """The track's file, made now unless it is already there."""
        from afterrun.exporters.audio_track import render_track  # noqa: PLC0415 - numpy

        key = hashlib.sha256(repr((script, Path(engine).name)).encode()).hexdigest()[:32]
        with self._lock:
            folder = self._ensure_folder()
            path = folder / f"{key}.wav"
            if path.exists():
                path.touch()
                return path
            track = render_track(script, engine)
            temp = folder / f".{key}.tmp"
            temp.write_bytes(track.wav)
            temp.replace(path)
            self._prune(folder)
            return path

    def _ensure_folder(self) -> Path:
        if self._folder is None or not self._folder.is_dir():
            self._folder = Path(tempfile.mkdtemp(prefix="afterrun-cues-"))
        return self._folder

    @staticmethod
    def _prune(folder: Path) -> None:
        tracks = sorted(folder.glob("*.wav"), key=lambda found: found.stat().st_mtime)
        for old in tracks[:-KEEP]:
            old.unlink(missing_ok=True)

    def close(self) -> None:
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None
