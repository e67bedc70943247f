"""A club to test against: members with passwords, and a web app in club mode over it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from afterrun.services import club
from afterrun.store import Store

#: Every member's password in the test clubs.
PASSWORD = "long enough password"  # noqa: S105 - the test clubs'
WRITE = {"X-Requested-By": "afterrun"}


def make_club(
    url: str, *members: tuple[str, club.Role], now: datetime | None = None
) -> dict[str, int]:
    """A club whose admin is Ana, with `members` as (name, role), every one with PASSWORD;
    returns their ids by name."""
    now = now or datetime.now(UTC)
    ids = {}
    with Store.open(url) as store:
        links = [club.init_club(store, "Ana", "https://club.example", now)]
        for name, role in members:
            links.append(
                club.invite(store, name, role, "https://club.example", now, club.DEFAULT_LINK_LIFE)
            )
        for link in links:
            token = link.url.rsplit("/", 1)[1]
            athlete_id = club.set_password(store, token, PASSWORD, now)
            assert athlete_id is not None
            ids[link.name] = athlete_id
    return ids


def club_app(url: str, folder: Path, clock: Callable[[], datetime] | None = None) -> Any:
    from afterrun.web.app import create_app
    from afterrun.web.settings import WebSettings

    config = folder / "config"
    config.mkdir(exist_ok=True)
    extra: dict[str, Any] = {} if clock is None else {"clock": clock}
    settings = WebSettings(db_url=url, config_dir=config, import_workers=1, club=True, **extra)
    return create_app(settings)


def sign_in(client: Any, name: str, password: str = PASSWORD) -> Any:
    return client.post("/api/signin", json={"name": name, "password": password}, headers=WRITE)
