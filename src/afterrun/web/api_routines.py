"""/api/routines: the signed-in coach's squad routine: planning defaults and club exercises
(an uploaded file in the custom-exercise format). Anyone else gets 403."""

from __future__ import annotations

from pathlib import PurePath
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, HTTPException, Request, UploadFile

from afterrun.core.errors import InvalidInput
from afterrun.services.routines import (
    RoutineDefaults,
    club_exercises,
    routine_of,
    save_routine,
)
from afterrun.web.api_models import RoutineIn
from afterrun.web.deps import State
from afterrun.web.errors import BAD_UPLOAD, COMMON_ERRORS, TOO_LARGE
from afterrun.web.signed_in import SignedIn, signed_in

router = APIRouter(prefix="/api/routines", tags=["coach"], responses=COMMON_ERRORS)

#: What a routine is called until its coach names it.
UNNAMED = "Squad routine"


def api_coach(request: Request) -> SignedIn:
    me = signed_in(request)
    if me.role != "coach":
        raise HTTPException(403, "Only a coach has a squad routine: sign in as the club's coach.")
    return me


Coach = Annotated[SignedIn, Depends(api_coach)]


@router.get("", summary="Your squad routine (null until you save one)")
def routine(state: State, me: Coach) -> dict[str, Any]:
    found = routine_of(state.store, me.athlete_id)
    return {"routine": None if found is None else found.to_json()}


@router.put("", summary="Save your routine's name and planning defaults")
def put_routine(state: State, me: Coach, body: RoutineIn) -> dict[str, Any]:
    defaults = RoutineDefaults(
        minutes=body.minutes,
        place=body.place,
        equipment=None if body.equipment is None else tuple(body.equipment),
        focus=None if body.focus is None else tuple(body.focus),
        avoid=None if body.avoid is None else tuple(body.avoid),
    )
    saved = save_routine(state.store, me.athlete_id, body.name, defaults, None, state.now())
    return {"routine": saved.to_json()}


@router.put(
    "/exercises",
    summary="Replace your routine's club exercises with a file's ([[exercise]] tables)",
    responses={**BAD_UPLOAD, **TOO_LARGE},
)
async def put_exercises(
    state: State, me: Coach, file: Annotated[UploadFile, File()]
) -> dict[str, Any]:
    name = PurePath(file.filename or "exercises.toml").name[:80] or "exercises.toml"
    try:
        text = (await file.read()).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{name}: not UTF-8 text ({exc.reason}). Save it as UTF-8.") from exc
    tables = club_exercises(text, name, state.catalogue)
    before = routine_of(state.store, me.athlete_id)
    title = before.name if before else UNNAMED
    defaults = before.defaults if before else RoutineDefaults()
    saved = save_routine(state.store, me.athlete_id, title, defaults, tables, state.now())
    return {"routine": saved.to_json()}
