"""The club's sign-in check: in club mode every request needs a signed-in session, except
signing in, invitation links, the health check and the files every page loads.

It reads the `afterrun_session` cookie, finds its session in the database (so that every
worker process knows it) and puts the SignedIn it belongs to in the request's scope, where
`web.signed_in` finds it. Without one, a page is redirected to /signin (303) and an API
call answered 401 `{"error": "Sign in first: ..."}`. It runs inside `security.Guard`, so
its answers carry the same headers and writes are still checked for cross-site requests.
"""

from __future__ import annotations

import json
from datetime import datetime

from starlette.concurrency import run_in_threadpool

from afterrun.services.passwords import warm_up
from afterrun.services.signin import session_account
from afterrun.web.security import ASGIApp, Receive, Scope, Send, cookie_value, header_map, is_api
from afterrun.web.signed_in import SCOPE_KEY, SignedIn, role_of
from afterrun.web.state import AppState

SESSION_COOKIE = "afterrun_session"
SIGN_IN_PATH = "/signin"
#: Paths answered without a session: nothing in them belongs to anyone.
OPEN_PATHS = frozenset(
    {SIGN_IN_PATH, "/api/signin", "/api/health", "/manifest.webmanifest", "/sw.js", "/offline"}
)
OPEN_PREFIXES = ("/static/", "/invite/", "/api/invitations/")
SIGN_IN_FIRST = (
    "Sign in first: open /signin on this server with your name and the password you set "
    "from your invitation link."
)


def is_open(path: str) -> bool:
    return path in OPEN_PATHS or path.startswith(OPEN_PREFIXES)


class ClubGate:
    """The middleware described in the module docstring."""

    def __init__(self, app: ASGIApp, state: AppState) -> None:
        self.app = app
        self.state = state
        warm_up()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        token = cookie_value(header_map(scope), SESSION_COOKIE)
        if token:
            found = await run_in_threadpool(self._signed_in, token, self.state.now())
            if found is not None:
                scope[SCOPE_KEY] = found
                await self.app(scope, receive, send)
                return
        if is_open(scope["path"]):
            await self.app(scope, receive, send)
            return
        await _turn_away(scope, send)

    def _signed_in(self, token: str, now: datetime) -> SignedIn | None:
        account = session_account(self.state.store, token, now)
        if account is None:
            return None
        return SignedIn(account.athlete_id, account.name, role_of(account.role))


async def _turn_away(scope: Scope, send: Send) -> None:
    if is_api(scope["path"]) or scope["method"] not in ("GET", "HEAD"):
        body = json.dumps({"error": SIGN_IN_FIRST}).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
        await send({"type": "http.response.start", "status": 401, "headers": headers})
        await send({"type": "http.response.body", "body": body})
        return
    headers = [(b"location", SIGN_IN_PATH.encode()), (b"content-length", b"0")]
    await send({"type": "http.response.start", "status": 303, "headers": headers})
    await send({"type": "http.response.body", "body": b""})
