"""Test only: a club app whose requests say who they are, until sign-in exists.

`as_athlete(app)` wraps an app so that a request with the header `X-Test-As:
ID,NAME,ROLE` is that athlete's (put in the scope where the club's sign-in check puts
it); a browser may say it with the cookie `test_as=ID.NAME.ROLE` instead (downloads carry
cookies, not a page's extra headers). `app_from_env` is the same around `create_app_from_env`, for a real server process
(`uvicorn --app-dir tests club_as:app_from_env --factory`). Never used outside tests.
"""

from __future__ import annotations

from typing import Any

from afterrun.web.signed_in import SCOPE_KEY, SignedIn

HEADER = b"x-test-as"
COOKIE = "test_as"


def as_header(athlete_id: int, name: str, role: str = "athlete") -> dict[str, str]:
    return {"X-Test-As": f"{athlete_id},{name},{role}"}


def as_cookie(athlete_id: int, name: str, url: str, role: str = "athlete") -> dict[str, str]:
    """The cookie for Playwright's `context.add_cookies`."""
    return {"name": COOKIE, "value": f"{athlete_id}.{name}.{role}", "url": url}


def _who(headers: list[tuple[bytes, bytes]]) -> SignedIn | None:
    for key, value in headers:
        if key == HEADER:
            athlete, name, role = value.decode().split(",")
            return SignedIn(int(athlete), name, role)  # type: ignore[arg-type]
        if key == b"cookie":
            for part in value.decode().split(";"):
                cookie, _, said = part.strip().partition("=")
                if cookie == COOKIE:
                    athlete, name, role = said.split(".")
                    return SignedIn(int(athlete), name, role)  # type: ignore[arg-type]
    return None


def as_athlete(app: Any) -> Any:
    async def wrapped(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and (who := _who(scope["headers"])) is not None:
            scope[SCOPE_KEY] = who
        await app(scope, receive, send)

    return wrapped


def app_from_env() -> Any:
    from afterrun.web.app import create_app_from_env

    return as_athlete(create_app_from_env())
