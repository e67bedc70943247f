"""Signing in to a club's server: the sign-in page (`/signin`), the page an invitation or
reset link opens to set a password (`/invite/TOKEN`), and the API calls their forms make
(`/api/signin`, `/api/invitations/TOKEN`, `/api/signout`). Mounted only in club mode.

Every write here, as everywhere in the app, is sent by the page's script with
`X-Requested-By: afterrun` (checked with the Origin by `security.Guard`): a form on
another site cannot send it, so signing in, setting a password and signing out need no
form token of their own.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, ConfigDict, Field

from afterrun.services import club
from afterrun.services.passwords import MAX_PASSWORD, PASSWORD_RULE
from afterrun.services.signin import SESSION_LIFE, new_session, sign_in, sign_out
from afterrun.store.athletes import MAX_NAME
from afterrun.web.club_gate import SESSION_COOKIE
from afterrun.web.deps import State
from afterrun.web.errors import COMMON_ERRORS, TOO_LARGE
from afterrun.web.security import cookie_value, header_map
from afterrun.web.signed_in import SCOPE_KEY, Me
from afterrun.web.state import AppState

router = APIRouter(tags=["club"], responses=COMMON_ERRORS)
#: Any text: a mangled link is refused with the same clear page as an expired one.
Token = Annotated[str, Path(max_length=200)]


class SignInIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=MAX_NAME)
    password: str = Field(min_length=1, max_length=MAX_PASSWORD)


class PasswordIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    password: str = Field(min_length=1, max_length=MAX_PASSWORD)


def _page(
    request: Request, template: str, title: str, status: int = 200, **context: Any
) -> Response:
    view: Jinja2Templates = request.app.state.templates
    page = {"title": title, "nav": (), "path": request.url.path, **context}
    return HTMLResponse(view.get_template(template).render(page), status_code=status)


def _signed_in_answer(request: Request, state: AppState, token: str) -> Response:
    answer = JSONResponse({"ok": True, "next": "/"})
    answer.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(SESSION_LIFE.total_seconds()),
        path="/",
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
    return answer


def _client(request: Request) -> str:
    """The address the request came from; behind a proxy trusted with
    `--forwarded-allow-ips`, uvicorn has put the browser's own address here."""
    return request.client.host if request.client else "unknown"


@router.get("/signin", response_class=HTMLResponse, include_in_schema=False)
def signin_page(request: Request) -> Response:
    if SCOPE_KEY in request.scope:
        return RedirectResponse("/", status_code=303)
    return _page(request, "signin.html", "Sign in")


@router.post(
    "/api/signin",
    summary="Sign in with a name and password; sets the session cookie",
    responses={401: {"description": "Wrong name or password"}, 429: {"description": "Wait"}},
)
def signin(request: Request, state: State, body: SignInIn) -> Response:
    result = sign_in(state.store, body.name, body.password, _client(request), state.now())
    if result.token is None:
        headers = {} if result.retry_after is None else {"Retry-After": str(result.retry_after)}
        status = 401 if result.retry_after is None else 429
        return JSONResponse({"error": result.message}, status, headers=headers)
    return _signed_in_answer(request, state, result.token)


@router.get("/invite/{token}", response_class=HTMLResponse, include_in_schema=False)
def invitation_page(request: Request, state: State, token: Token) -> Response:
    found = club.open_link(state.store, token, state.now())
    if found is None:
        return _page(request, "link_gone.html", "Link expired", 410, message=club.LINK_GONE)
    name, purpose = found
    title = "New password" if purpose == "reset" else "Welcome"
    return _page(
        request, "invite.html", title, name=name, purpose=purpose, token=token, rule=PASSWORD_RULE
    )


@router.post(
    "/api/invitations/{token}",
    summary="Set your password from an invitation or reset link; signs you in",
    responses={**TOO_LARGE, 410: {"description": "The link has expired or been used"}},
)
def take_invitation(request: Request, state: State, token: Token, body: PasswordIn) -> Response:
    now = state.now()
    athlete_id = club.set_password(state.store, token, body.password, now)
    if athlete_id is None:
        return JSONResponse({"error": club.LINK_GONE}, 410)
    return _signed_in_answer(request, state, new_session(state.store, athlete_id, now))


@router.post("/api/signout", summary="Sign out this browser")
def signout(request: Request, state: State, me: Me) -> Response:
    token = cookie_value(header_map(request.scope), SESSION_COOKIE)
    if token:
        sign_out(state.store, token)
    answer = JSONResponse({"ok": True, "next": "/signin", "name": me.name})
    answer.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax")
    return answer
