"""Club requests as one account or another, before the club's sign-in exists in a test.

`SignedInAs` wraps the web app and puts the SignedIn of `as_(...)` in every request's
scope, where the club's sign-in check leaves it (`web.signed_in.SCOPE_KEY`). Tests that
use it can switch to real sign-in (a session cookie) without changing what they assert.
"""

from __future__ import annotations

from typing import Any

from afterrun.web.signed_in import SCOPE_KEY, SignedIn


class SignedInAs:
    """An ASGI wrapper: every request is made by `self.who` (None: nobody set)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.who: SignedIn | None = None

    def as_(self, athlete_id: int, name: str, role: str) -> None:
        self.who = SignedIn(athlete_id, name, role)  # type: ignore[arg-type]

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] in ("http", "websocket") and self.who is not None:
            scope = {**scope, SCOPE_KEY: self.who}
        await self.app(scope, receive, send)
