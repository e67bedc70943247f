"""Core errors as HTTP answers: the same one-line message the CLI prints."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from fastapi.routing import iter_route_contexts
from pydantic import BaseModel
from starlette.exceptions import HTTPException
from starlette.routing import Match, Mount

from afterrun.core.errors import (
    AfterrunError,
    CatalogueError,
    CoolDownWithheld,
    ImportFailed,
    InvalidInput,
    NotFound,
    StorageError,
)
from afterrun.exporters.speech_engine import SpeechUnavailable
from afterrun.web.pages import not_found_page

_BY_ERROR: tuple[tuple[type[AfterrunError], int], ...] = (
    (InvalidInput, 422),
    (NotFound, 404),
    (ImportFailed, 422),
    (CatalogueError, 500),
    (StorageError, 503),
    (CoolDownWithheld, 409),
    (SpeechUnavailable, 503),
)


class ErrorOut(BaseModel):
    """Every error the API answers: one line saying what went wrong and what to do."""

    error: str


def _described(description: str) -> dict[str, Any]:
    return {"model": ErrorOut, "description": description}


#: Answers any route may give, documented in the OpenAPI document.
COMMON_ERRORS: dict[int | str, dict[str, Any]] = {
    401: _described("A --lan server was asked without the pairing secret"),
    403: _described("Refused: another site, a missing X-Requested-By header or a foreign Host"),
    422: _described("A value is out of range or malformed; the message names it"),
    500: _described("An exercise file in the config folder is malformed; the message names it"),
    503: _described("The database cannot be reached"),
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: _described("No such run, session or exercise")}
WITHHELD: dict[int | str, dict[str, Any]] = {
    409: _described("A recent warning sign needs a clinician: no cool-down until then")
}
NO_SPEECH: dict[int | str, dict[str, Any]] = {
    503: _described("This server cannot speak the track: no speech engine (install espeak-ng)")
}
TOO_LARGE: dict[int | str, dict[str, Any]] = {413: _described("The request body is too large")}
BAD_UPLOAD: dict[int | str, dict[str, Any]] = {
    400: _described("The upload is not valid multipart/form-data")
}


def status_for(error: AfterrunError) -> int:
    for kind, status in _BY_ERROR:
        if isinstance(error, kind):
            return status
    return 400


def _field(location: tuple[object, ...]) -> str:
    parts = [str(part) for part in location if part not in ("body", "query", "path")]
    return ".".join(parts) or "body"


def validation_message(exc: RequestValidationError) -> str:
    """'minutes: must be at most 120 (got 1000000000)': the field, then what to send."""
    first = exc.errors()[0] if exc.errors() else {}
    if first.get("type") == "json_invalid":
        reason = str(first.get("ctx", {}).get("error", "JSON decode error"))
        position = first.get("loc", ("body", 0))[-1]
        return f"body: not valid JSON ({reason} at character {position})"
    where = _field(tuple(first.get("loc", ())))
    message = _wording(first)
    given = first.get("input")
    if isinstance(given, bytes):
        return f"{where}: send a JSON object with Content-Type: application/json"
    if first.get("type") == "missing":
        return f"{where}: {message}"
    return f"{where}: {message} (got {_shown(given)})"


def _bound(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _wording(error: Mapping[str, Any]) -> str:
    """What to send instead, in words a person uses (pydantic's own say "Input should")."""
    kind = str(error.get("type", ""))
    ctx: Mapping[str, Any] = error.get("ctx") or {}
    if kind in ("greater_than_equal", "greater_than"):
        bound = ctx.get("ge", ctx.get("gt"))
        return (
            f"must be at least {_bound(bound)}"
            if kind == "greater_than_equal"
            else (f"must be more than {_bound(bound)}")
        )
    if kind in ("less_than_equal", "less_than"):
        bound = ctx.get("le", ctx.get("lt"))
        return (
            f"must be at most {_bound(bound)}"
            if kind == "less_than_equal"
            else (f"must be less than {_bound(bound)}")
        )
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return "give a whole number"
    if kind in ("float_type", "float_parsing"):
        return "give a number"
    if kind in ("literal_error", "enum"):
        return f"choose {ctx.get('expected', 'one of the listed values')}"
    if kind in ("dict_type", "model_attributes_type", "model_type"):
        return "send a JSON object"
    if kind == "list_type":
        return "send a list"
    if kind == "missing":
        return "missing: send it"
    if kind == "extra_forbidden":
        return "not something this takes: leave it out"
    if kind == "string_too_long":
        return f"too long: keep it to {ctx.get('max_length')} characters"
    if kind == "value_error":
        return str(ctx.get("error", error.get("msg", "invalid value")))
    return str(error.get("msg", "invalid value"))


def _shown(value: object) -> str:
    """The value as JSON, on one line and at most 60 characters."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 60 else f"{text[:57]}..."


def _is_api(path: str) -> bool:
    return path == "/api" or path.startswith("/api/") or path == "/openapi.json"


def allowed_methods(request: Request) -> str:
    """Every method some route takes at this path (Starlette names only the first route's)."""
    methods: set[str] = set()
    # The scope as the app received it: a mounted app (static files) has changed its own.
    scope = {"type": "http", "path": request.url.path, "root_path": "", "method": request.method}
    for route in iter_route_contexts(request.app.routes):
        match, _ = route.matches(scope)
        if match is Match.NONE:
            continue
        if isinstance(route.original_route, Mount):
            methods.update(("GET", "HEAD"))  # static files
        else:
            methods.update(route.methods or ())
    return ", ".join(sorted(methods))


def _unreadable_body(exc: HTTPException) -> bool:
    """FastAPI answers 400 for a JSON body that is not UTF-8 text; it is as invalid as bad JSON."""
    return exc.status_code == 400 and isinstance(exc.__cause__, UnicodeDecodeError)


def http_message(request: Request, exc: HTTPException) -> str:
    path = request.url.path
    if exc.status_code == 404 and _is_api(path):
        return f"Nothing at {path[:120]}; the API is described at /openapi.json."
    if exc.status_code == 404:
        return f"No page at {path[:120]}; afterrun starts at /."
    if exc.status_code == 405:
        allowed = allowed_methods(request) or "another method"
        return f"{request.method} is not allowed on {path[:120]}; use {allowed}."
    if _unreadable_body(exc):
        return "body: not valid JSON (not UTF-8 text)"
    return str(exc.detail)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AfterrunError)
    async def afterrun_error(_request: Request, exc: AfterrunError) -> Response:
        body = {"error": exc.message}
        if exc.hint is not None:
            body["hint"] = exc.hint.value
        return JSONResponse(body, status_code=status_for(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_request: Request, exc: RequestValidationError) -> Response:
        return JSONResponse({"error": validation_message(exc)}, status_code=422)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        message = http_message(request, exc)
        status = 422 if _unreadable_body(exc) else exc.status_code
        headers = dict(exc.headers or {})
        if status == 405:
            headers["Allow"] = allowed_methods(request)
        if _is_api(request.url.path):
            return JSONResponse({"error": message}, status, headers=headers)
        if status == 404 and not request.url.path.startswith("/static/"):
            return not_found_page(request, _missing_page(request.url.path))
        return PlainTextResponse(message, status, headers=headers)


def _missing_page(path: str) -> str:
    shown = path if len(path) <= 60 else f"{path[:57]}..."
    return f"afterrun has no page at {shown}. Check the address, or start again from Today."
