"""What an afterrun JSON export holds besides its runs, put back into a store.

`afterrun import afterrun.json` stores the runs like any activity file; this module then
restores the rest of the export: the cool-down sessions with their steps and pain
reports, the check-ins (pointing at the same runs under their new ids), and the profile.

Rules, so that importing an export twice, or into a store that is already in use,
never loses or doubles anything:

* a session whose start time is already stored is left out, and so is a check-in whose
  time is already stored;
* the profile fills only what the store's profile leaves empty: what the runner set
  here wins over what the export says;
* an entry the store would refuse (an unknown area or warning sign, a rating out of
  range, a damaged date) is left out and counted, never stored half.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, cast, get_args

from afterrun.core.activity import Sport
from afterrun.core.errors import AfterrunError
from afterrun.core.load import Profile
from afterrun.core.records import PainReport, SessionRecord, SessionStatus, StepRecord, StepStatus
from afterrun.core.soreness import CheckIn, check_checkin

if TYPE_CHECKING:
    from afterrun.store import Store

_STEP_STATUSES = get_args(StepStatus)
_SESSION_STATUSES = get_args(SessionStatus)


_PROFILE_WORDS = {
    "hr_max": "maximum heart rate",
    "hr_rest": "resting heart rate",
    "weight_kg": "weight",
    "birth_year": "birth year",
    "timezone": "time zone",
    "main_sport": "main sport",
}


@dataclass(frozen=True)
class Restored:
    """What one export brought back besides its runs."""

    sessions: int = 0
    checkins: int = 0
    profile_fields: tuple[str, ...] = ()
    #: Entries already stored (same start or time) and left out.
    already_there: int = 0
    #: Entries the store would refuse, left out.
    refused: int = 0

    @property
    def anything(self) -> bool:
        """Whether the export held anything besides its runs (restored or already here)."""
        return bool(
            self.sessions
            or self.checkins
            or self.profile_fields
            or self.already_there
            or self.refused
        )

    def line(self) -> str:
        """'restored 3 cool-down sessions, 12 check-ins and the profile's weight'."""
        parts = [
            f"{self.sessions} cool-down session{'' if self.sessions == 1 else 's'}",
            f"{self.checkins} check-in{'' if self.checkins == 1 else 's'}",
        ]
        if self.profile_fields:
            words = [_PROFILE_WORDS.get(name, name) for name in self.profile_fields]
            parts.append("the profile's " + ", ".join(words))
        text = "restored " + ", ".join(parts[:-1]) + " and " + parts[-1]
        if self.already_there:
            text += f"; {self.already_there} already there"
        if self.refused:
            text += f"; left out {self.refused} damaged entr{'y' if self.refused == 1 else 'ies'}"
        return text

    def to_json(self) -> dict[str, Any]:
        return {
            "sessions": self.sessions,
            "checkins": self.checkins,
            "profile_fields": list(self.profile_fields),
            "already_there": self.already_there,
            "refused": self.refused,
        }


def _moment(value: object) -> datetime:
    """An ISO 8601 time as aware UTC; ValueError when it is none."""
    if not isinstance(value, str):
        raise ValueError("no date")
    moment = datetime.fromisoformat(value)
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def _step(item: Mapping[str, Any]) -> StepRecord:
    status = item.get("status")
    if status not in _STEP_STATUSES:
        raise ValueError("unknown step status")
    reps = item.get("reps")
    return StepRecord(
        index=int(item["index"]),
        exercise=str(item["exercise"]),
        variant=None if item.get("variant") is None else str(item["variant"]),
        side=None if item.get("side") is None else str(item["side"]),
        kind=str(item["kind"]),
        planned_seconds=int(item["planned_seconds"]),
        reps=None if reps is None else int(reps),
        actual_seconds=float(item["actual_seconds"]),
        status=cast(StepStatus, status),
    )


def _side(value: Any) -> str | None:
    """A pain's side as an export wrote it (none before pain reports had one)."""
    if value is None:
        return None
    if value not in ("left", "right"):
        raise ValueError(f"unknown side {value!r}")
    return str(value)


def _pain(item: Mapping[str, Any]) -> PainReport:
    return PainReport(
        step_index=int(item["step_index"]),
        exercise=str(item["exercise"]),
        area=str(item["area"]),
        offset_seconds=float(item["offset_seconds"]),
        at=_moment(item["at"]),
        side=_side(item.get("side")),
    )


def session_from_json(item: Mapping[str, Any]) -> SessionRecord:
    """A session as `export` wrote it; ValueError, KeyError or TypeError when damaged."""
    status = item.get("status")
    if status not in _SESSION_STATUSES:
        raise ValueError("unknown session status")
    plan = item.get("plan")
    ended = item.get("ended_at")
    return SessionRecord(
        started_at=_moment(item["started_at"]),
        ended_at=None if ended is None else _moment(ended),
        status=cast(SessionStatus, status),
        intensity=str(item["intensity"]),
        minutes=int(item["minutes"]),
        plan=dict(plan) if isinstance(plan, Mapping) else {},
        steps=tuple(_step(step) for step in item.get("steps") or ()),
        pains=tuple(_pain(pain) for pain in item.get("pains") or ()),
    )


def checkin_from_json(item: Mapping[str, Any], run_ids: Mapping[int, int]) -> CheckIn:
    """A check-in as `export` wrote it, its run under the id it has now (None if gone)."""
    ratings = item.get("ratings") or {}
    hours = item.get("hours_after_run")
    note = item.get("note")
    run = item.get("run_id")
    return CheckIn(
        at=_moment(item["at"]),
        ratings={str(area): rating for area, rating in dict(ratings).items()},
        red_flags=tuple(str(flag) for flag in item.get("red_flags") or ()),
        run_id=run_ids.get(run) if isinstance(run, int) else None,
        hours_after_run=None if hours is None else float(hours),
        note=None if note is None else str(note),
    )


_PROFILE_TYPES: dict[str, type] = {
    "hr_max": int,
    "hr_rest": int,
    "weight_kg": float,
    "birth_year": int,
    "sex": str,
    "timezone": str,
    "main_sport": str,
}


def _profile_value(name: str, value: object) -> object:
    """The export's value in the profile's own type; None when it has none or is damaged."""
    if value is None or isinstance(value, bool):
        return None
    if name == "sex":
        return value if value in ("m", "f") else None
    if name == "main_sport":
        try:
            return Sport(str(value))
        except ValueError:
            return None
    wanted = _PROFILE_TYPES.get(name)
    if wanted is float and isinstance(value, int | float):
        return float(value)
    return value if wanted is not None and isinstance(value, wanted) else None


def _filled_profile(current: Profile, exported: object) -> tuple[Profile, tuple[str, ...]]:
    if not isinstance(exported, Mapping):
        return current, ()
    changes: dict[str, object] = {}
    for field in dataclasses.fields(Profile):
        if getattr(current, field.name) is None:
            value = _profile_value(field.name, exported.get(field.name))
            if value is not None:
                changes[field.name] = value
    filled = dataclasses.replace(current, **changes)  # type: ignore[arg-type]
    if filled.hr_max is not None and filled.hr_rest is not None and filled.hr_rest >= filled.hr_max:
        # The two would contradict each other: keep what is stored here.
        for name in ("hr_max", "hr_rest"):
            changes.pop(name, None)
        filled = dataclasses.replace(current, **changes)  # type: ignore[arg-type]
    if isinstance(filled.timezone, str) and not _known_zone(filled.timezone):
        changes.pop("timezone", None)
        filled = dataclasses.replace(current, **changes)  # type: ignore[arg-type]
    return filled, tuple(changes)


def _known_zone(name: str) -> bool:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError  # noqa: PLC0415

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _run_ids(store: Store, runs: object) -> dict[int, int]:
    """Export run id -> stored run id, matched by start time."""
    if not isinstance(runs, list):
        return {}
    stored = {s.activity.start: s.id for s in store.list_activities()}
    mapping: dict[int, int] = {}
    for run in runs:
        if not isinstance(run, Mapping) or not isinstance(run.get("id"), int):
            continue
        try:
            start = _moment(run.get("start"))
        except ValueError:
            continue
        if start in stored:
            mapping[run["id"]] = stored[start]
    return mapping


def restore_export(store: Store, data: bytes, now: datetime) -> Restored:
    """Put back the sessions, check-ins and profile of an export whose runs are stored."""
    try:
        document = json.loads(data)
    except (ValueError, RecursionError):
        return Restored()  # the run import has said why the file could not be read
    if not isinstance(document, Mapping):
        return Restored()
    known_sessions = {s.record.started_at for s in store.list_sessions()}
    known_checkins = {c.at for c in store.list_checkins()}
    run_ids = _run_ids(store, document.get("runs"))
    sessions = checkins = already = refused = 0
    for item in document.get("sessions") or ():
        try:
            record = session_from_json(item)
        except (ValueError, KeyError, TypeError, AttributeError):
            refused += 1
            continue
        if record.started_at in known_sessions:
            already += 1
            continue
        store.start_session(record)
        known_sessions.add(record.started_at)
        sessions += 1
    for item in document.get("checkins") or ():
        try:
            checkin = checkin_from_json(item, run_ids)
            check_checkin(checkin)
        except (ValueError, KeyError, TypeError, AttributeError, AfterrunError):
            refused += 1
            continue
        if checkin.at in known_checkins:
            already += 1
            continue
        store.add_checkin(checkin)
        known_checkins.add(checkin.at)
        checkins += 1
    profile, fields = _filled_profile(store.get_profile(), document.get("profile"))
    if fields:
        store.save_profile(profile, now)
    return Restored(sessions, checkins, fields, already, refused)
