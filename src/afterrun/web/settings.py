"""What one running web app is configured with; every value also has a CLI flag or env var."""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

#: The biggest upload the server reads (a Strava export of several years fits).
DEFAULT_MAX_UPLOAD_BYTES = 512 * 1024 * 1024
#: The biggest JSON body: a cool-down's full event log is a few kilobytes.
MAX_JSON_BYTES = 1024 * 1024
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")
#: Where `afterrun serve --workers N` hands its settings to each worker process.
SETTINGS_ENV = "AFTERRUN_SERVE_SETTINGS"


def _utc_now() -> datetime:
    return datetime.now(UTC)


def new_secret() -> str:
    """A pairing secret: 128 random bits, short enough to type if the QR code fails."""
    return secrets.token_urlsafe(16)


@dataclass(frozen=True)
class WebSettings:
    """`lan` listens beyond this machine and then requires `secret` on every request;
    `club` serves a club's members, each signed in, on whatever address a proxy uses."""

    db_url: str
    config_dir: Path
    lan: bool = False
    secret: str | None = None
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES
    clock: Callable[[], datetime] = field(default=_utc_now)
    import_workers: int | None = None
    #: Folders whose new activity files are imported in the background (`serve --watch`),
    #: each once it has stayed unchanged for `watch_settle` seconds.
    watch_folders: tuple[Path, ...] = ()
    watch_settle: float = 2.0
    #: How often an open Today page asks whether a run has been stored since it was made.
    today_check_seconds: float = 5.0
    #: A club's server: every request needs a signed-in account (see web/club_gate.py).
    club: bool = False
    #: Where uploads wait for a background import (a club on PostgreSQL).
    data_dir: Path | None = None
    #: After how long without a word from its process a background import is queued again.
    stalled_job_seconds: float = 30.0

    def __post_init__(self) -> None:
        if self.lan and not self.secret:
            raise ValueError("a LAN server needs a pairing secret")

    @property
    def background_imports(self) -> bool:
        """Uploads go through the job queue: a club on PostgreSQL (elsewhere they are
        imported while the upload waits, as always)."""
        return self.club and self.db_url.startswith("postgresql")

    def to_env(self) -> str:
        """These settings as one environment value, for worker processes (the clock stays)."""
        return json.dumps(
            {
                "db_url": self.db_url,
                "config_dir": str(self.config_dir),
                "lan": self.lan,
                "secret": self.secret,
                "max_upload_bytes": self.max_upload_bytes,
                "import_workers": self.import_workers,
                "club": self.club,
                "data_dir": None if self.data_dir is None else str(self.data_dir),
                "stalled_job_seconds": self.stalled_job_seconds,
                "watch_folders": [str(folder) for folder in self.watch_folders],
                "watch_settle": self.watch_settle,
                "today_check_seconds": self.today_check_seconds,
            }
        )

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> WebSettings:
        """The settings `afterrun serve` put in SETTINGS_ENV; ValueError when missing."""
        raw = environ.get(SETTINGS_ENV)
        if not raw:
            raise ValueError(f"{SETTINGS_ENV} is not set: start the server with 'afterrun serve'")
        data = json.loads(raw)
        return cls(
            db_url=data["db_url"],
            config_dir=Path(data["config_dir"]),
            lan=bool(data["lan"]),
            secret=data["secret"],
            max_upload_bytes=int(data["max_upload_bytes"]),
            import_workers=data["import_workers"],
            club=bool(data["club"]),
            data_dir=None if data["data_dir"] is None else Path(data["data_dir"]),
            stalled_job_seconds=float(data["stalled_job_seconds"]),
            watch_folders=tuple(Path(folder) for folder in data["watch_folders"]),
            watch_settle=float(data["watch_settle"]),
            today_check_seconds=float(data["today_check_seconds"]),
        )
