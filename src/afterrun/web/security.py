"""Who may talk to the server, and what every answer carries.

One plain ASGI middleware, so the checks cost microseconds and cover every
route, static files and errors included:

* Host: on loopback (the default) only requests addressed to this machine are
  answered, which stops DNS-rebinding pages from reaching the server. A club's server
  answers whatever name its proxy uses: there every request needs a signed-in
  account (`club_gate`), which a rebinding page does not have.
* Pairing: with `--lan`, every request needs the pairing secret, from the cookie
  that opening the pairing link sets, or as `Authorization: Bearer SECRET`.
  Anything else is answered 401, pages included.
* Cross-site requests: a request that changes something (POST, PUT, PATCH,
  DELETE) must carry `X-Requested-By: afterrun` and, when the browser sends one,
  an Origin equal to the server's own. A page on another site cannot set that
  header without a CORS preflight, which this server never grants.
* Body size: JSON bodies up to 1 MiB, uploads up to the configured limit, checked
  against Content-Length and again while reading (413).
* Headers: a strict Content-Security-Policy (everything from 'self'), nosniff,
  no referrer (the pairing link must not leak), no framing, and no caching of
  answers that carry data.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs

from afterrun.web.settings import LOOPBACK_HOSTS, MAX_JSON_BYTES, WebSettings

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

PAIR_COOKIE = "afterrun_pair"
PAIR_PATH = "/pair"
CSRF_HEADER = "x-requested-by"
CSRF_VALUE = "afterrun"
UPLOAD_PATHS = ("/api/imports",)
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
PAIR_COOKIE_SECONDS = 180 * 24 * 3600

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; worker-src 'self'; manifest-src 'self'; font-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
#: Illustrations are shown as images: their own inline style is allowed, scripts never.
IMAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'"

SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
)

NOT_PAIRED = (
    "This afterrun server needs pairing: open the pairing link (or scan the QR code) "
    "shown in the terminal where 'afterrun serve --lan' runs."
)
WRONG_HOST = (
    "This afterrun server answers only on this machine (http://127.0.0.1); "
    "start it with 'afterrun serve --lan' to use it from your phone."
)
INTERNAL_ERROR = (
    "Something went wrong inside afterrun; the terminal where 'afterrun serve' runs "
    "shows the details."
)
CROSS_SITE = (
    "Refused a request that changes your data without the X-Requested-By: afterrun header "
    "or from another site."
)


def header_map(scope: Scope) -> dict[str, str]:
    return {key.decode("latin-1"): value.decode("latin-1") for key, value in scope["headers"]}


def _host_name(host: str) -> str:
    if host.startswith("["):
        return host[: host.find("]") + 1]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def cookie_value(headers: dict[str, str], name: str) -> str | None:
    raw = headers.get("cookie")
    if not raw:
        return None
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(raw)
    except Exception:
        return None
    morsel = jar.get(name)
    return morsel.value if morsel else None


def _same(given: str | None, secret: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), secret.encode())


def is_api(path: str) -> bool:
    return path == "/api" or path.startswith("/api/") or path == "/openapi.json"


async def _refuse(scope: Scope, send: Send, status: int, message: str) -> None:
    if is_api(scope["path"]):
        body = json.dumps({"error": message}).encode()
        kind = b"application/json"
    else:
        body = message.encode()
        kind = b"text/plain; charset=utf-8"
    headers = [(b"content-type", kind), (b"content-length", str(len(body)).encode())]
    if status == 401:
        headers.append((b"www-authenticate", b'Bearer realm="afterrun"'))
    await send(
        {"type": "http.response.start", "status": status, "headers": headers + _extra(scope)}
    )
    await send({"type": "http.response.body", "body": body})


def _extra(scope: Scope) -> list[tuple[bytes, bytes]]:
    path: str = scope["path"]
    csp = IMAGE_CSP if path.endswith(".svg") else CSP
    headers = [*SECURITY_HEADERS, (b"content-security-policy", csp.encode())]
    if not path.startswith("/static/"):
        headers.append((b"cache-control", b"no-store"))
    return headers


class BodyTooLarge(Exception):
    """Raised inside `receive` when a body passes its limit while being read."""


class Guard:
    """The middleware described in the module docstring."""

    def __init__(
        self, app: ASGIApp, settings: WebSettings, on_write: Callable[[], None] | None = None
    ) -> None:
        self.app = app
        self.settings = settings
        self.on_write = on_write

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = header_map(scope)
        path: str = scope["path"]
        host = headers.get("host", "")
        local_only = not (self.settings.lan or self.settings.club)
        if local_only and _host_name(host) not in LOOPBACK_HOSTS:
            await _refuse(scope, send, 403, WRONG_HOST)
            return
        if self.settings.lan and self.settings.secret:
            secret = self.settings.secret
            if path == PAIR_PATH:
                key = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("key", [None])
                if _same(key[0], secret):
                    await _paired(scope, send, secret)
                    return
            bearer = headers.get("authorization", "").removeprefix("Bearer ").strip() or None
            if not (_same(cookie_value(headers, PAIR_COOKIE), secret) or _same(bearer, secret)):
                await _refuse(scope, send, 401, NOT_PAIRED)
                return
        if scope["method"] in UNSAFE_METHODS and not _same_site(headers, host):
            await _refuse(scope, send, 403, CROSS_SITE)
            return
        limit = self.settings.max_upload_bytes if path in UPLOAD_PATHS else MAX_JSON_BYTES
        declared = headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _refuse(scope, send, 413, _too_large(limit))
            return
        try:
            await self._guarded(scope, receive, send, limit)
        finally:
            if scope["method"] in UNSAFE_METHODS and self.on_write is not None:
                self.on_write()

    async def _guarded(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        received = 0
        too_large = False
        started = False
        dropping = False

        async def counted_receive() -> Message:
            nonlocal received, too_large
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    too_large = True
                    raise BodyTooLarge
            return message

        async def send_with_headers(message: Message) -> None:
            nonlocal started, dropping
            if dropping:
                return
            if message["type"] == "http.response.start":
                started = True
                if too_large:
                    # The app turned the interrupted read into an answer of its own
                    # (FastAPI answers 400): the runner needs to hear why.
                    dropping = True
                    await _refuse(scope, send, 413, _too_large(limit))
                    return
                present = {key.lower() for key, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in _extra(scope) if k not in present]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        try:
            await self.app(scope, counted_receive, send_with_headers)
        except BodyTooLarge:
            if not started:
                await _refuse(scope, send, 413, _too_large(limit))
        except Exception:
            if too_large:  # the app let the interrupted read out wrapped in another error
                if not started:
                    await _refuse(scope, send, 413, _too_large(limit))
                return
            # Starlette's own 500 page is sent outside this middleware, without the
            # security headers and not as {"error": ...}: answer here, then let the
            # server log the exception.
            if not started:
                await _refuse(scope, send, 500, INTERNAL_ERROR)
            raise


def _too_large(limit: int) -> str:
    if limit >= 1024 * 1024 and limit % (1024 * 1024) == 0:
        size = f"{limit // (1024 * 1024)} MiB"
    elif limit >= 1024 and limit % 1024 == 0:
        size = f"{limit // 1024} KiB"
    else:
        size = f"{limit} bytes"
    return f"The request is larger than the {size} this server accepts."


def _same_site(headers: dict[str, str], host: str) -> bool:
    if headers.get(CSRF_HEADER) != CSRF_VALUE:
        return False
    if headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return False
    origin = headers.get("origin")
    if origin is None or origin == "null":
        return origin is None
    return origin.split("://", 1)[-1] == host


async def _paired(scope: Scope, send: Send, secret: str) -> None:
    cookie = (
        f"{PAIR_COOKIE}={secret}; Path=/; Max-Age={PAIR_COOKIE_SECONDS}; HttpOnly; SameSite=Lax"
    )
    headers = [
        (b"location", b"/"),
        (b"set-cookie", cookie.encode()),
        (b"content-length", b"0"),
        *_extra(scope),
    ]
    await send({"type": "http.response.start", "status": 303, "headers": headers})
    await send({"type": "http.response.body", "body": b""})
