"""/api: the catalogue, plans and cool-down sessions."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response

from afterrun.core.catalogue.describe import exercise_json
from afterrun.core.errors import CoolDownWithheld, NotFound
from afterrun.core.intensity import Intensity
from afterrun.core.plan import DEFAULT_MINUTES, MAX_MINUTES, MIN_MINUTES, WALK_SLUG, Plan
from afterrun.core.records import SessionRecord
from afterrun.core.replay import PlayerEvent, replayed_record
from afterrun.core.timeline import compile_timeline
from afterrun.exporters.fit_workout import fit_workout
from afterrun.services import sessions as session_service
from afterrun.services.planning import PlanOptions, plan_for
from afterrun.services.soreness import safety_now
from afterrun.web.api_cue_track import cue_track_url
from afterrun.web.api_models import Place, Progress, SessionStart
from afterrun.web.deps import AthleteView, Mine, RowId
from afterrun.web.errors import COMMON_ERRORS, NOT_FOUND, TOO_LARGE, WITHHELD
from afterrun.web.illustrations import svg_for
from afterrun.web.timeline_json import timeline_json

router = APIRouter(prefix="/api", tags=["cool-down"], responses=COMMON_ERRORS)


def _exercise(state: AthleteView, slug: str) -> Any:
    try:
        return state.catalogue.get(slug)
    except KeyError:
        known = ", ".join(state.catalogue.slugs)
        raise NotFound(f"No exercise {slug[:60]!r}. Known: {known}.") from None


@router.get("/exercises", summary="Every exercise, with variants, doses and evidence")
def exercises(state: Mine) -> list[dict[str, Any]]:
    return [exercise_json(exercise) for exercise in state.catalogue.exercises]


@router.get("/exercises/{slug}", summary="One exercise in full", responses=NOT_FOUND)
def exercise(state: Mine, slug: str) -> dict[str, Any]:
    return exercise_json(_exercise(state, slug))


@router.get(
    "/exercises/{slug}/illustration.svg",
    summary="The exercise drawn from its pose data",
    response_class=Response,
    responses={200: {"content": {"image/svg+xml": {}}}, **NOT_FOUND},
)
def illustration(
    state: Mine,
    slug: str,
    variant: Annotated[str | None, Query(max_length=60)] = None,
    side: Annotated[str | None, Query(pattern="^(left|right)$")] = None,
    still: Annotated[bool, Query(description="Without motion (a paused player)")] = False,
) -> Response:
    found = None if slug == WALK_SLUG else _exercise(state, slug)
    return Response(svg_for(found, variant, side, still=still), media_type="image/svg+xml")


def _options(body: SessionStart) -> PlanOptions:
    return PlanOptions(
        minutes=body.minutes,
        intensity=body.intensity,
        place=body.place,
        equipment=tuple(body.equipment) if body.equipment is not None else None,
        focus=tuple(body.focus) if body.focus is not None else None,
        avoid=tuple(body.avoid) if body.avoid is not None else None,
    )


def _plan(state: AthleteView, body: SessionStart) -> Plan:
    """The athlete's plan; their coach's routine fills in what the body leaves out."""
    given = frozenset(body.model_fields_set)
    return plan_for(state.catalogue, state.store, _options(body), state.now(), given)


@router.get("/plan", summary="Plan a cool-down (nothing is stored)")
def plan(
    state: Mine,
    minutes: Annotated[
        int | None, Query(ge=MIN_MINUTES, le=MAX_MINUTES, description="Default 15")
    ] = None,
    intensity: Intensity | None = None,
    place: Place | None = None,
) -> dict[str, Any]:
    asked = {"minutes": minutes, "intensity": intensity, "place": place}
    body = SessionStart(**{key: value for key, value in asked.items() if value is not None})

    def compute() -> dict[str, Any]:
        # As `afterrun plan --json`: warning signs from recent check-ins, most urgent first,
        # and no plan while one of them needs a clinician.
        safety = safety_now(state.store, state.now())
        if safety.withheld:
            return {"plan": None, "timeline": None, **safety.to_json()}
        made = _plan(state, body)
        data = made.to_json()
        data.update(safety.to_json())
        data["timeline"] = timeline_json(compile_timeline(made))
        return data

    return state.cached(("plan", minutes, intensity, place), compute)


#: What a FIT file is served as (the type Garmin registered).
FIT_MEDIA_TYPE = "application/vnd.ant.fit"


@router.get(
    "/plan.fit",
    summary="The plan as a FIT workout for a Garmin watch (nothing is stored)",
    response_class=Response,
    responses={200: {"content": {FIT_MEDIA_TYPE: {}}}, **WITHHELD},
)
def plan_fit(
    state: Mine,
    minutes: Annotated[int, Query(ge=MIN_MINUTES, le=MAX_MINUTES)] = DEFAULT_MINUTES,
    # The cool-down form sends an empty intensity for "as my latest run says".
    intensity: Intensity | Literal[""] | None = None,
    place: Place | None = None,
) -> Response:
    now = state.now()
    safety = safety_now(state.store, now)
    if safety.withheld:
        raise CoolDownWithheld(safety.reason)
    asked = SessionStart(minutes=minutes, intensity=intensity or None, place=place)
    made = _plan(state, asked)
    if not made.steps:
        raise session_service.NothingFits(minutes)
    name = f"afterrun-cooldown-{minutes}min.fit"
    return Response(
        fit_workout(made, now),
        media_type=FIT_MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.post(
    "/sessions",
    status_code=201,
    summary="Plan a cool-down and start it",
    responses={**TOO_LARGE, **WITHHELD},
)
def start_session(state: Mine, body: SessionStart) -> dict[str, Any]:
    now = state.now()
    started = session_service.start_session(state.store, lambda: _plan(state, body), now)
    return {
        "id": started.id,
        "started_at": started.started_at.isoformat(),
        "plan": started.engine.plan.to_json(),
        "timeline": timeline_json(started.engine.timeline),
        "cues_audio": cue_track_url(started.id),
    }


@router.get("/sessions", summary="Past cool-downs, newest first")
def sessions(state: Mine, limit: Annotated[int, Query(ge=1, le=1000)] = 50) -> list[dict[str, Any]]:
    return [stored.to_json() for stored in state.store.list_sessions(limit)]


@router.get("/sessions/{session_id}", summary="One cool-down as played", responses=NOT_FOUND)
def session(state: Mine, session_id: RowId) -> dict[str, Any]:
    return state.store.get_session(session_id).to_json()


@router.put(
    "/sessions/{session_id}/progress",
    summary="Save a web player's progress",
    responses={**NOT_FOUND, **TOO_LARGE},
)
def save_progress(state: Mine, session_id: RowId, body: Progress) -> dict[str, Any]:
    """The player sends its whole event log each time, so repeats and late uploads are safe."""
    stored = state.store.get_session(session_id)
    if stored.record.status == "completed":
        return stored.to_json()
    made = Plan.from_json(stored.record.plan)
    events = tuple(PlayerEvent(e.at_ms, e.action, e.area) for e in body.events)
    record = replayed_record(made, events, body.until_ms, stored.record.started_at, state.now())
    if _same_outcome(record, stored.record):
        # A repeated upload: keep the record as it is, with its first end time.
        return stored.to_json()
    state.store.save_session(session_id, record)
    return state.store.get_session(session_id).to_json()


def _same_outcome(new: SessionRecord, old: SessionRecord) -> bool:
    return (new.status, new.steps, new.pains) == (old.status, old.steps, old.pains)
