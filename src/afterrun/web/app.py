"""`create_app(settings)`: the web app over one database, built by the caller."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from afterrun import __version__
from afterrun.web import (
    api_cue_track,
    api_routines,
    api_runs,
    api_sessions,
    api_sharing,
    club_pages,
    coach_pages,
    pages,
)
from afterrun.web.club_gate import ClubGate
from afterrun.web.errors import install_error_handlers
from afterrun.web.following import start_following
from afterrun.web.security import Guard
from afterrun.web.settings import WebSettings
from afterrun.web.state import AppState

STATIC = Path(__file__).parent / "static"

DESCRIPTION = """\
afterrun's JSON API: the same core the `afterrun` command uses.

Requests that change data need the header `X-Requested-By: afterrun`. A server
started with `--lan` also needs the pairing secret, as `Authorization: Bearer SECRET`
or the cookie its pairing link sets. A club's server (`--club`) needs a signed-in
session: `POST /api/signin` sets its cookie. Errors answer `{"error": "one line saying what
to do"}`.
"""


def create_app(settings: WebSettings) -> FastAPI:
    state = AppState(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        following = start_following(state)
        try:
            yield
        finally:
            if following is not None:
                following.close()
            state.close()

    app = FastAPI(
        title="afterrun",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.afterrun = state
    app.state.templates = pages.templates()
    install_error_handlers(app)
    app.include_router(api_sessions.router)
    app.include_router(api_cue_track.router)
    app.include_router(api_runs.router)
    app.include_router(api_sharing.router)
    app.include_router(api_routines.router)
    app.include_router(pages.router)
    coach_pages.install(app)
    if settings.club:
        app.include_router(club_pages.router)
        app.add_middleware(ClubGate, state=state)  # inside Guard: added first
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(Guard, settings=settings, on_write=state.changed)

    @app.get("/api/health", tags=["server"], summary="The server is up")
    def health() -> dict[str, Any]:
        return {"ok": True, "version": __version__}

    return app
