"""/api: your own data in and out: export it, or delete your club account with it.

Bringing data in is an upload of an `afterrun export` to /api/imports: its runs,
cool-downs, check-ins and profile are restored into the signed-in athlete's account.
"""

from __future__ import annotations

import shutil
from typing import Any

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from afterrun.core.errors import InvalidInput
from afterrun.services.export import export_document
from afterrun.store.account_removal import other_admins, remove_athlete
from afterrun.store.athletes import login_of
from afterrun.store.jobs import ImportJobs
from afterrun.web.deps import State
from afterrun.web.errors import COMMON_ERRORS, TOO_LARGE
from afterrun.web.signed_in import Me

router = APIRouter(prefix="/api", tags=["account"], responses=COMMON_ERRORS)
#: The club's sign-in cookie, cleared when its account is deleted.
SESSION_COOKIE = "afterrun_session"
PERSONAL_REFUSED = (
    "A personal afterrun has no account to delete: your data is the database file on "
    "this computer ('afterrun export' keeps a copy of it first)."
)
LAST_ADMIN = (
    "You are the club's only admin: make another member an admin first, "
    "so that someone can still manage the club."
)


class DeleteAccountIn(BaseModel):
    confirm: str = Field(max_length=200, description="Your name, typed to confirm")


@router.get("/export", summary="Everything of yours, as `afterrun export` writes it")
def export(state: State, me: Me) -> JSONResponse:
    now = state.now()
    document = export_document(state.store.for_athlete(me.athlete_id), now)
    name = f"afterrun-export-{now.date().isoformat()}.json"
    return JSONResponse(document, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.delete(
    "/account",
    summary="Delete your club account and everything stored for it; signs you out",
    responses=TOO_LARGE,
)
def delete_account(
    state: State, me: Me, body: DeleteAccountIn, response: Response
) -> dict[str, Any]:
    if not state.settings.club:
        raise InvalidInput(PERSONAL_REFUSED)
    if login_of(body.confirm) != login_of(me.name):
        raise InvalidInput(f"Type your name, {me.name}, to confirm: nothing was deleted.")
    engine = state.store.engine
    if me.role == "admin" and other_admins(engine, me.athlete_id) == 0:
        raise InvalidInput(LAST_ADMIN)
    uploads = ImportJobs(engine).ids_of(me.athlete_id)
    remove_athlete(engine, me.athlete_id)
    if state.queue is not None:
        for job_id in uploads:
            shutil.rmtree(state.queue.folder(job_id), ignore_errors=True)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax")
    return {"deleted": me.name}
