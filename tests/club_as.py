"""Test only: a club app whose requests say who they are, until sign-in exists.

`as_athlete(app)` wraps an app so that a request with the header `X-Test-As:
ID,NAME,ROLE` is that athlete's (put in the scope where the club's sign-in check puts
it); `app_from_env` is the same around `create_app_from_env`, for a real server process
(`uvicorn --app-dir tests club_as:app_from_env --factory`). Never used outside tests.
"""

from __future__ import annotations

from typing import Any

from afterrun.web.signed_in import SCOPE_KEY, SignedIn

HEADER = b"x-test-as"


def as_header(athlete_id: int, name: str, role: str = "athlete") -> dict[str, str]:
    return {"X-Test-As": f"{athlete_id},{name},{role}"}


def as_athlete(app: Any) -> Any:
    async def wrapped(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            for key, value in scope["headers"]:
                if key == HEADER:
                    athlete, name, role = value.decode().split(",")
                    scope[SCOPE_KEY] = SignedIn(int(athlete), name, role)  # type: ignore[arg-type]
        await app(scope, receive, send)

    return wrapped


def app_from_env() -> Any:
    from afterrun.web.app import create_app_from_env

    return as_athlete(create_app_from_env())
