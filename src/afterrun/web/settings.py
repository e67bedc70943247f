"""What one running web app is configured with; every value also has a CLI flag or env var."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

#: The biggest upload the server reads (a Strava export of several years fits).
DEFAULT_MAX_UPLOAD_BYTES = 512 * 1024 * 1024
#: The biggest JSON body: a cool-down's full event log is a few kilobytes.
MAX_JSON_BYTES = 1024 * 1024
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")


def _utc_now() -> datetime:
    return datetime.now(UTC)


def new_secret() -> str:
    """A pairing secret: 128 random bits, short enough to type if the QR code fails."""
    return secrets.token_urlsafe(16)


@dataclass(frozen=True)
class WebSettings:
    """`lan` listens beyond this machine and then requires `secret` on every request."""

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

    def __post_init__(self) -> None:
        if self.lan and not self.secret:
            raise ValueError("a LAN server needs a pairing secret")
