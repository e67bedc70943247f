"""The coach's pages: the squad's week (/coach), as CSV, and one athlete's report as far
as they share it. Only an account whose role is coach gets them (403 otherwise), and a
coach reads an athlete only through what `shares` allows."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, Response

from afterrun.core.errors import NotFound
from afterrun.core.ids import MAX_ID
from afterrun.core.plan import PLACES
from afterrun.core.red_flags import BY_SLUG
from afterrun.core.roster import SORT_KEYS, RosterRow
from afterrun.rendering.report import report_body
from afterrun.rendering.roster import COLUMNS, cells, roster_csv
from afterrun.services.coach_view import athlete_for_coach
from afterrun.services.roster import roster
from afterrun.services.routines import routine_of
from afterrun.web.deps import State
from afterrun.web.pages import not_found_page, page_html
from afterrun.web.signed_in import SignedIn, signed_in

router = APIRouter(include_in_schema=False)

_SORTS = "|".join(f"-?{key}" for key in SORT_KEYS)


class NotACoach(Exception):
    """A page only a coach may open, asked for by another account."""


def coach(request: Request) -> SignedIn:
    me = signed_in(request)
    if me.role != "coach":
        raise NotACoach
    return me


Coach = Annotated[SignedIn, Depends(coach)]


def forbidden_page(request: Request) -> HTMLResponse:
    body = page_html(
        request,
        "403.html",
        "Coaches only",
        message="This page is for the club's coaches. Your own runs and report are on Today.",
    )
    return HTMLResponse(body, status_code=403)


def _flagged(rows: list[RosterRow]) -> list[dict[str, Any]]:
    """Each red flag of the week, with the referral ladder's rung, for the banner."""
    found = []
    for row in rows:
        for slug in row.flags or ():
            flag = BY_SLUG[slug]
            found.append(
                {
                    "id": row.athlete_id,
                    "name": row.name,
                    "flag": flag.name,
                    "level": flag.level.value,
                    "label": flag.rung.label,
                    "action": flag.rung.action,
                }
            )
    return found


@router.get("/coach", response_class=HTMLResponse)
def coach_page(
    request: Request,
    state: State,
    me: Coach,
    sort: Annotated[str | None, Query(pattern=f"^({_SORTS})$")] = None,
) -> HTMLResponse:
    now = state.now()
    rows = roster(state.store, me.athlete_id, now, sort)
    routine = routine_of(state.store, me.athlete_id)
    body = page_html(
        request,
        "coach.html",
        "Squad",
        columns=COLUMNS,
        rows=[{"id": row.athlete_id, "cells": cells(row, now)} for row in rows],
        flagged=_flagged(rows),
        sort=sort or "",
        routine=None if routine is None else routine.to_json(),
        places=sorted(PLACES),
    )
    return HTMLResponse(body)


@router.get("/coach/roster.csv")
def roster_file(state: State, me: Coach) -> Response:
    now = state.now()
    rows = roster(state.store, me.athlete_id, now)
    name = f"afterrun-roster-{now.date().isoformat()}.csv"
    return Response(
        roster_csv(rows, now),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/coach/athletes/{athlete_id}", response_class=HTMLResponse)
def athlete_page(request: Request, state: State, me: Coach, athlete_id: str) -> HTMLResponse:
    """The athlete's own report, limited to what they share; 404 for an athlete who
    shares nothing with this coach, as for one who does not exist."""
    number = int(athlete_id) if athlete_id.isdigit() and len(athlete_id) <= 10 else 0
    missing = "There is no such athlete on your roster."
    if not 1 <= number <= MAX_ID:
        return not_found_page(request, missing)
    try:
        view = athlete_for_coach(state.store, me.athlete_id, number, state.now())
    except NotFound:
        return not_found_page(request, missing)
    body = page_html(
        request,
        "coach_athlete.html",
        view.name,
        body=report_body(view.report, view.shown, whose=f"{view.name}'s"),
    )
    return HTMLResponse(body)


def install(app: FastAPI) -> None:
    """The coach's pages, and the 403 page for anyone else who opens them."""

    @app.exception_handler(NotACoach)
    async def not_a_coach(request: Request, _exc: NotACoach) -> Response:
        return forbidden_page(request)

    app.include_router(router)
