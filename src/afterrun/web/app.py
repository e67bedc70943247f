"""`create_app(settings)`: the web app over one database, built by the caller."""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from afterrun import __version__
from afterrun.web import (
    api_account,
    api_cue_track,
    api_routines,
    api_runs,
    api_sessions,
    api_sharing,
    background_imports,
    club_pages,
    coach_pages,
    pages,
)
from afterrun.web.background_imports import working
from afterrun.web.club_gate import ClubGate
from afterrun.web.errors import install_error_handlers
from afterrun.web.following import start_following
from afterrun.web.security import Guard
from afterrun.web.settings import WebSettings
from afterrun.web.state import AppState
from afterrun.web.worker_pid import WORKER_HEADER_ENV, WorkerPid

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
            async with working(state):
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
    app.include_router(background_imports.router)
    app.include_router(api_account.router)
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


def log_sign_ins() -> None:
    """Sign-ins, failures and lockouts on stderr: where an admin looks for guessing."""
    logger = logging.getLogger("afterrun.club")
    if logger.handlers:
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)


def create_app_from_env() -> FastAPI:
    """The factory each of `afterrun serve --workers N`'s processes calls: the settings
    come from the environment the serve command set, so no app is built at import time."""
    settings = WebSettings.from_env(os.environ)
    if settings.club:
        log_sign_ins()  # each process logs its own sign-ins
    app = create_app(settings)
    if os.environ.get(WORKER_HEADER_ENV):
        app.add_middleware(WorkerPid)
    return app
