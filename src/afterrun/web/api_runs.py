"""/api: runs, imports, advice, check-ins, the report and the profile."""

from __future__ import annotations

import tempfile
from dataclasses import asdict
from pathlib import Path as FilePath
from typing import Annotated, Any

from fastapi import APIRouter, File, Query, Response, UploadFile

from afterrun.core.activity import Sport
from afterrun.core.errors import InvalidInput
from afterrun.services.imports import import_paths
from afterrun.services.profile import checked_form
from afterrun.services.report import build_report
from afterrun.services.runs import edit_activity, rate_stored, record_rpe, update_profile
from afterrun.services.soreness import (
    checkin_json,
    checkin_result,
    record_clearance,
    safety_now,
    save_checkin,
)
from afterrun.services.uploads import save_uploads, uploaded_name
from afterrun.web.answers import advice_json, runs_json, today_json
from afterrun.web.api_models import CheckinIn, ClearanceIn, ProfileIn, RatingIn, RunEditIn
from afterrun.web.background_imports import queue_upload
from afterrun.web.deps import Advice, Mine, RowId
from afterrun.web.errors import BAD_UPLOAD, COMMON_ERRORS, NOT_FOUND, TOO_LARGE

router = APIRouter(prefix="/api", tags=["runs"], responses=COMMON_ERRORS)
MAX_FILES_PER_UPLOAD = 1000


@router.get("/today", summary="The latest run, its rating and its advice (null without runs)")
def today(state: Mine, query: Advice) -> dict[str, Any] | None:
    return today_json(state, query)


@router.get(
    "/today/version",
    summary="A short text that changes whenever a run is added or replaced: the Today page "
    "polls it to show a new run without a reload",
)
def today_version(state: Mine) -> dict[str, str]:
    return {"version": state.store.activities_version()}


@router.get("/runs", summary="Stored runs, newest first")
def runs(
    state: Mine,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 100,
    all_sports: bool = False,
) -> list[dict[str, Any]]:
    return runs_json(state, limit, all_sports)


@router.get("/runs/{run_id}", summary="One run in full", responses=NOT_FOUND)
def run(state: Mine, run_id: RowId) -> dict[str, Any]:
    return state.store.get_activity(run_id, with_streams=False).to_json()


@router.get(
    "/runs/{run_id}/advice",
    summary="What to do after this run, hour by hour",
    responses=NOT_FOUND,
)
def advice(state: Mine, run_id: RowId, query: Advice) -> dict[str, Any]:
    return advice_json(state, run_id, query)


@router.put(
    "/runs/{run_id}/rating",
    summary="Rate how hard a run felt (CR-10)",
    responses={**NOT_FOUND, **TOO_LARGE},
)
def record_run_rpe(state: Mine, run_id: RowId, body: RatingIn) -> dict[str, Any]:
    load = record_rpe(state.store, run_id, body.rpe, state.now())
    data = state.store.get_activity(run_id, with_streams=False).to_json()
    data["load_explanation"] = load.explanation
    return data


@router.patch(
    "/runs/{run_id}",
    summary="Correct an activity's sport or name; load and rating follow",
    responses={**NOT_FOUND, **TOO_LARGE},
)
def edit(state: Mine, run_id: RowId, body: RunEditIn) -> dict[str, Any]:
    sport = None if body.sport is None else Sport(body.sport)
    stored = edit_activity(state.store, run_id, sport, body.name, state.now())
    data = stored.to_json()
    if stored.activity.sport is Sport.RUNNING:
        rating = rate_stored(state.store, stored)
        data["rating"] = {"intensity": rating.intensity.value, "explanation": rating.explanation}
    return data


@router.post(
    "/imports",
    summary="Import uploaded activity files and zip exports",
    responses={
        202: {
            "description": "A club on PostgreSQL imports in the background: the answer "
            'is {"job": ...}, followed at /api/imports/{job_id}'
        },
        **TOO_LARGE,
        **BAD_UPLOAD,
    },
)
def import_files(
    state: Mine,
    response: Response,
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
    uploads = [(upload.filename, upload.file) for upload in files]
    if state.app.queue is not None:
        response.status_code = 202
        return {"job": queue_upload(state.app, state.me, uploads)}
    with tempfile.TemporaryDirectory(prefix="afterrun-upload-") as folder:
        names = save_uploads(FilePath(folder), uploads)
        summary = import_paths(
            state.store,
            [FilePath(path) for path in names],
            state.now(),
            workers=state.settings.import_workers,
            relabel=lambda label: uploaded_name(label, names),
        )
        data: dict[str, Any] = summary.to_json()
    return data


@router.post(
    "/checkins",
    status_code=201,
    summary="Rate soreness per body area",
    responses={**NOT_FOUND, **TOO_LARGE},
)
def checkin(state: Mine, body: CheckinIn) -> dict[str, Any]:
    now = state.now()
    stored = save_checkin(
        state.store, body.ratings, tuple(body.red_flags), body.run_id, body.note, now
    )
    return checkin_json(checkin_result(state.store, stored, now))


@router.get("/safety", summary="Recent warning signs and whether they hold back the cool-down")
def safety(state: Mine) -> dict[str, Any]:
    return safety_now(state.store, state.now()).to_json()


@router.post(
    "/clearances",
    status_code=201,
    summary="A clinician has seen you about your warning signs",
    responses=TOO_LARGE,
)
def clearance(state: Mine, body: ClearanceIn) -> dict[str, Any]:
    return record_clearance(state.store, state.now(), body.note).to_json()


@router.get("/report", summary="The last weeks: runs, cool-downs, soreness and load")
def report(state: Mine, weeks: Annotated[int, Query(ge=1, le=104)] = 8) -> dict[str, Any]:
    data: dict[str, Any] = build_report(state.store, state.now(), weeks, None).to_json()
    return data


@router.get("/profile", summary="Heart-rate limits and body data")
def profile(state: Mine) -> dict[str, Any]:
    return asdict(state.store.get_profile())


@router.put(
    "/profile",
    summary="Change the profile values sent (null clears one); the others stay",
    responses=TOO_LARGE,
)
def set_profile(state: Mine, body: ProfileIn) -> dict[str, Any]:
    changes = checked_form(body.model_dump(exclude_unset=True), state.now().year)
    changed, _ = update_profile(state.store, changes, state.now())
    return asdict(changed)
