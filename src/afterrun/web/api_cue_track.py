"""/api/sessions/{id}/cues.wav: a session's cues as one audio track, which the phone
plays so that the cues go on with the screen locked."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse

from afterrun.core.plan import Plan
from afterrun.exporters.speech_engine import NoSpeechEngine, find_speech_engine
from afterrun.services.cue_track import eased_as_played, script_for
from afterrun.web.deps import RowId, State
from afterrun.web.errors import COMMON_ERRORS, NO_SPEECH, NOT_FOUND

router = APIRouter(prefix="/api", tags=["cool-down"], responses=COMMON_ERRORS)

WAV_MEDIA_TYPE = "audio/wav"


def cue_track_url(session_id: int) -> str | None:
    """Where the phone finds the session's track; None when this server cannot make one."""
    return f"/api/sessions/{session_id}/cues.wav" if find_speech_engine() else None


def _eased(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part]


@router.get(
    "/sessions/{session_id}/cues.wav",
    summary="The session's cues as one WAV track (spoken and beeped at their moments)",
    response_class=FileResponse,
    responses={200: {"content": {WAV_MEDIA_TYPE: {}}}, **NOT_FOUND, **NO_SPEECH},
)
def cue_track(
    state: State,
    session_id: RowId,
    eased: Annotated[
        str,
        Query(
            max_length=400,
            pattern=r"^(\d{1,4}(,\d{1,4})*)?$",
            description="Steps eased by 'carry on, gently', as 3,4",
        ),
    ] = "",
) -> FileResponse:
    stored = state.store.get_session(session_id)
    played = eased_as_played(Plan.from_json(stored.record.plan), _eased(eased))
    engine = find_speech_engine()
    if engine is None:
        raise NoSpeechEngine
    path = state.tracks.path_for(script_for(played), engine)
    return FileResponse(path, media_type=WAV_MEDIA_TYPE)
