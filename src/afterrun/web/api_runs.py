"""/api: runs, imports, advice, check-ins, the report and the profile."""

from __future__ import annotations

import re
import tempfile
from dataclasses import asdict, dataclass
from datetime import timedelta
from pathlib import Path as FilePath
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Path, Query, UploadFile

from afterrun.core.activity import Sport
from afterrun.core.advice import recovery_timeline
from afterrun.core.errors import InvalidInput
from afterrun.services.advice import advice_request, run_or_latest
from afterrun.services.imports import import_paths
from afterrun.services.report import build_report
from afterrun.services.runs import edit_activity, rate_stored, record_rpe, update_profile
from afterrun.services.soreness import (
    checkin_json,
    record_checkin,
    record_clearance,
    safety_now,
)
from afterrun.web.api_models import CheckinIn, ClearanceIn, ProfileIn, RatingIn, RunEditIn
from afterrun.web.errors import BAD_UPLOAD, COMMON_ERRORS, NOT_FOUND, TOO_LARGE
from afterrun.web.state import AppState, app_state
from afterrun.zones import zone_named

router = APIRouter(prefix="/api", tags=["runs"], responses=COMMON_ERRORS)
State = Annotated[AppState, Depends(app_state)]
_ID = Path(ge=1, le=2**31 - 1)
MAX_FILES_PER_UPLOAD = 1000
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class AdviceQuery:
    """What the runner may add for more precise advice: weights and the next hard session."""

    weight_before: float | None = None
    weight_after: float | None = None
    next_session_hours: float | None = None

    @property
    def key(self) -> tuple[float | None, ...]:
        return (self.weight_before, self.weight_after, self.next_session_hours)

    @property
    def empty(self) -> bool:
        return self.key == (None, None, None)


_KG = Query(ge=25, le=300, description="Body weight in kg")


def advice_query(
    weight_before: Annotated[float | None, _KG] = None,
    weight_after: Annotated[float | None, _KG] = None,
    next_session_hours: Annotated[
        float | None, Query(ge=0, le=336, description="Hours to your next hard session")
    ] = None,
) -> AdviceQuery:
    return AdviceQuery(weight_before, weight_after, next_session_hours)


Advice = Annotated[AdviceQuery, Depends(advice_query)]


def advice_json(
    state: AppState, run_id: int | None, query: AdviceQuery | None = None
) -> dict[str, Any]:
    """The run, how hard it was, and the recovery timeline with a source on each line."""
    store = state.store
    stored = run_or_latest(store, run_id)
    query = query or AdviceQuery()
    hours = query.next_session_hours
    rating, request = advice_request(
        store,
        stored,
        state.now(),
        weight_before=query.weight_before,
        weight_after=query.weight_after,
        next_session_in=None if hours is None else timedelta(hours=hours),
    )
    return {
        "run": stored.to_json(),
        "intensity": rating.intensity.value,
        "intensity_label": rating.intensity.label,
        "explanation": rating.explanation,
        "timeline": [line.to_json(request.run_end) for line in recovery_timeline(request)],
        **safety_now(store, state.now()).to_json(),
    }


@router.get("/today", summary="The latest run, its rating and its advice (null without runs)")
def today(state: State, query: Advice) -> dict[str, Any] | None:
    def compute() -> dict[str, Any] | None:
        if not state.store.list_activities(limit=1, sport=Sport.RUNNING):
            return None
        return advice_json(state, None, query)

    if not query.empty:
        return compute()  # not cached: one runner's numbers, asked for once
    return state.cached("today", compute)


@router.get("/runs", summary="Stored runs, newest first")
def runs(
    state: State,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 100,
    all_sports: bool = False,
) -> list[dict[str, Any]]:
    sport = None if all_sports else Sport.RUNNING
    return [stored.to_json() for stored in state.store.list_activities(limit=limit, sport=sport)]


@router.get("/runs/{run_id}", summary="One run in full", responses=NOT_FOUND)
def run(state: State, run_id: Annotated[int, _ID]) -> dict[str, Any]:
    return state.store.get_activity(run_id, with_streams=False).to_json()


@router.get(
    "/runs/{run_id}/advice",
    summary="What to do after this run, hour by hour",
    responses=NOT_FOUND,
)
def advice(state: State, run_id: Annotated[int, _ID], query: Advice) -> dict[str, Any]:
    return advice_json(state, run_id, query)


@router.put(
    "/runs/{run_id}/rating",
    summary="Rate how hard a run felt (CR-10)",
    responses={**NOT_FOUND, **TOO_LARGE},
)
def record_run_rpe(state: State, run_id: Annotated[int, _ID], body: RatingIn) -> dict[str, Any]:
    load = record_rpe(state.store, run_id, body.rpe, state.now())
    data = state.store.get_activity(run_id, with_streams=False).to_json()
    data["load_explanation"] = load.explanation
    return data


@router.patch(
    "/runs/{run_id}",
    summary="Correct an activity's sport or name; load and rating follow",
    responses={**NOT_FOUND, **TOO_LARGE},
)
def edit(state: State, run_id: Annotated[int, _ID], body: RunEditIn) -> dict[str, Any]:
    sport = None if body.sport is None else Sport(body.sport)
    stored = edit_activity(state.store, run_id, sport, body.name, state.now())
    data = stored.to_json()
    if stored.activity.sport is Sport.RUNNING:
        rating = rate_stored(state.store, stored)
        data["rating"] = {"intensity": rating.intensity.value, "explanation": rating.explanation}
    return data


def _safe_name(name: str | None, number: int) -> str:
    base = FilePath((name or "").replace("\\", "/")).name
    return f"{number:04d}-{_UNSAFE_NAME.sub('_', base)[-120:] or 'upload'}"


@router.post(
    "/imports",
    summary="Import uploaded activity files and zip exports",
    responses={**TOO_LARGE, **BAD_UPLOAD},
)
def import_files(
    state: State,
    files: Annotated[
        list[UploadFile],
        File(description="FIT, GPX, TCX, .gz, .zip", min_length=1),
    ],
) -> dict[str, Any]:
    """One bad file never stops the rest; the answer lists each file's outcome."""
    if len(files) > MAX_FILES_PER_UPLOAD:
        raise InvalidInput(
            f"{len(files)} files in one upload is more than {MAX_FILES_PER_UPLOAD}; "
            "zip them or upload in parts."
        )
    with tempfile.TemporaryDirectory(prefix="afterrun-upload-") as folder:
        paths = []
        names: dict[str, str] = {}
        for number, upload in enumerate(files, start=1):
            path = FilePath(folder) / _safe_name(upload.filename, number)
            with path.open("wb") as out:
                while chunk := upload.file.read(1024 * 1024):
                    out.write(chunk)
            paths.append(path)
            names[str(path)] = upload.filename or path.name
        summary = import_paths(
            state.store,
            paths,
            state.now(),
            workers=state.settings.import_workers,
            relabel=lambda label: _uploaded_name(label, names),
        )
        data: dict[str, Any] = summary.to_json()
    return data


def _uploaded_name(label: str, names: dict[str, str]) -> str:
    """The uploaded file's name (and the path inside it, for a zip), never the server's
    temporary path: it is shown in the answer and stored as the run's source."""
    for path, name in names.items():
        if label.startswith(path):
            return name + label[len(path) :]
    return label


@router.post(
    "/checkins",
    status_code=201,
    summary="Rate soreness per body area",
    responses={**NOT_FOUND, **TOO_LARGE},
)
def checkin(state: State, body: CheckinIn) -> dict[str, Any]:
    result = record_checkin(
        state.store,
        body.ratings,
        tuple(body.red_flags),
        body.run_id,
        body.note,
        state.now(),
    )
    return checkin_json(result)


@router.get("/safety", summary="Recent warning signs and whether they hold back the cool-down")
def safety(state: State) -> dict[str, Any]:
    return safety_now(state.store, state.now()).to_json()


@router.post(
    "/clearances",
    status_code=201,
    summary="A clinician has seen you about your warning signs",
    responses=TOO_LARGE,
)
def clearance(state: State, body: ClearanceIn) -> dict[str, Any]:
    return record_clearance(state.store, state.now(), body.note).to_json()


@router.get("/report", summary="The last weeks: runs, cool-downs, soreness and load")
def report(state: State, weeks: Annotated[int, Query(ge=1, le=104)] = 8) -> dict[str, Any]:
    data: dict[str, Any] = build_report(state.store, state.now(), weeks, None).to_json()
    return data


@router.get("/profile", summary="Heart-rate limits and body data")
def profile(state: State) -> dict[str, Any]:
    return asdict(state.store.get_profile())


@router.put("/profile", summary="Change any profile values; the others stay", responses=TOO_LARGE)
def set_profile(state: State, body: ProfileIn) -> dict[str, Any]:
    changes = body.model_dump(exclude_none=True)
    if "timezone" in changes:
        changes["timezone"] = zone_named(changes["timezone"]).key
    if "main_sport" in changes:
        changes["main_sport"] = Sport(changes["main_sport"])
    changed, _ = update_profile(state.store, changes, state.now())
    return asdict(changed)
