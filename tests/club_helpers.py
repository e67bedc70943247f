"""A club to test against: members with passwords, a web app in club mode over it, and
signing in as a member the way a phone does (`POST /api/signin`, a session cookie)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from afterrun.services import club
from afterrun.store import Store
from afterrun.web.club_gate import SESSION_COOKIE

#: Every member's password in the test clubs.
PASSWORD = "long enough password"  # noqa: S105 - the test clubs'
WRITE = {"X-Requested-By": "afterrun"}


def add_members(
    store: Store, *members: tuple[str, club.Role], admin: str = "Ana", now: datetime
) -> dict[str, int]:
    """Make the store's database a club whose admin is `admin`, with `members` as (name,
    role), each taking up their invitation link with PASSWORD; their ids by name."""
    links = [club.init_club(store, admin, "https://club.example", now)]
    for name, role in members:
        links.append(
            club.invite(store, name, role, "https://club.example", now, club.DEFAULT_LINK_LIFE)
        )
    ids = {}
    for link in links:
        token = link.url.rsplit("/", 1)[1]
        athlete_id = club.set_password(store, token, PASSWORD, now)
        assert athlete_id is not None
        ids[link.name] = athlete_id
    return ids


def make_club(
    url: str, *members: tuple[str, club.Role], admin: str = "Ana", now: datetime | None = None
) -> dict[str, int]:
    """`add_members` on the database at `url`."""
    with Store.open(url) as store:
        return add_members(store, *members, admin=admin, now=now or datetime.now(UTC))


def club_app(
    url: str, folder: Path, clock: Callable[[], datetime] | None = None, **options: Any
) -> Any:
    """The web app in club mode; `options` set other settings (`data_dir=...`)."""
    from afterrun.web.app import create_app
    from afterrun.web.settings import WebSettings

    config = folder / "config"
    config.mkdir(exist_ok=True)
    extra: dict[str, Any] = {} if clock is None else {"clock": clock}
    settings = WebSettings(
        db_url=url, config_dir=config, import_workers=1, club=True, **extra, **options
    )
    return create_app(settings)


def sign_in(client: Any, name: str, password: str = PASSWORD) -> Any:
    """Sign in on `client` (a TestClient or an httpx client): it keeps the session cookie,
    so its next requests are `name`'s."""
    return client.post("/api/signin", json={"name": name, "password": password}, headers=WRITE)


def session_cookie(client: Any, name: str) -> dict[str, str]:
    """`name` signed in, their session as a Cookie header to pass with each request; the
    client keeps no cookie of its own, so one client can speak for several members."""
    answer = sign_in(client, name)
    assert answer.status_code == 200, answer.text
    token = answer.cookies[SESSION_COOKIE]
    client.cookies.clear()
    return {"Cookie": f"{SESSION_COOKIE}={token}"}
