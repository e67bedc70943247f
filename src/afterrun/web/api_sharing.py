"""/api/sharing: what the signed-in athlete shares with each of the club's coaches."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from afterrun.services.consent import set_share, shares_of
from afterrun.store.shares import Share
from afterrun.web.api_models import ShareIn
from afterrun.web.deps import RowId, State
from afterrun.web.errors import COMMON_ERRORS, NOT_FOUND
from afterrun.web.signed_in import Me

router = APIRouter(prefix="/api/sharing", tags=["consent"], responses=COMMON_ERRORS)


@router.get("", summary="The club's coaches and what you share with each")
def sharing(state: State, me: Me) -> dict[str, Any]:
    coaches = shares_of(state.store, me.athlete_id)
    return {"coaches": [coach.to_json() for coach in coaches]}


@router.put(
    "/{coach_id}",
    summary="Set what one coach sees (all off withdraws everything, at once)",
    responses=NOT_FOUND,
)
def share(state: State, me: Me, coach_id: RowId, body: ShareIn) -> dict[str, Any]:
    given = Share(body.load_and_runs, body.adherence, body.soreness_and_flags)
    return set_share(state.store, me.athlete_id, coach_id, given, state.now()).to_json()
