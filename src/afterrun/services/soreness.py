"""Soreness: record a check-in, merge it with cool-down pain, and what follows for the plan."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from afterrun.core.activity import Activity
from afterrun.core.body import area_name
from afterrun.core.errors import InvalidInput
from afterrun.core.red_flags import RedFlag, ladder_json, most_urgent
from afterrun.core.safety import SHOW_DAYS, Safety, safety
from afterrun.core.soreness import (
    NORMAL_COURSE,
    NORMAL_COURSE_SOURCES,
    NOTE_MAX,
    RULE_LABELS,
    WINDOW,
    AreaEntry,
    CheckIn,
    PlanSoreness,
    Suggestion,
    area_history,
    check_checkin,
    plan_soreness,
    suggestions,
)
from afterrun.core.sources import cite
from afterrun.services.runs import latest_run
from afterrun.store.checkins import StoredCheckin
from afterrun.zones import runner_zone

if TYPE_CHECKING:
    from afterrun.store import Store


@dataclass(frozen=True)
class CheckinResult:
    """The stored check-in and what the whole soreness history now says."""

    stored: StoredCheckin
    suggestions: list[Suggestion]
    plan: PlanSoreness


def _hours_after(activity: Activity, now: datetime) -> float:
    """Hours since the run ended (never negative: a run typed in with a later start)."""
    return round(max(0.0, (now - activity.end).total_seconds() / 3600), 2)


def save_checkin(
    store: Store,
    ratings: Mapping[str, int],
    red_flags: tuple[str, ...],
    run_id: int | None,
    note: str | None,
    now: datetime,
) -> StoredCheckin:
    """Store a check-in after `run_id`, else after the latest run if it ended in the last
    14 days: soreness weeks after a run is not that run's, and would skew the rising rule."""
    check_checkin(CheckIn(now, dict(ratings), red_flags, note=note))
    hours = None
    if run_id is not None:
        hours = _hours_after(store.get_activity(run_id, with_streams=False).activity, now)
    else:
        latest = latest_run(store)
        if latest is not None:
            latest_hours = _hours_after(latest.stored.activity, now)
            if latest_hours <= WINDOW.total_seconds() / 3600:
                run_id, hours = latest.stored.id, latest_hours
    checkin = CheckIn(now, dict(ratings), tuple(dict.fromkeys(red_flags)), run_id, hours, note)
    return StoredCheckin.of(store.add_checkin(checkin), checkin)


def checkin_result(
    store: Store, stored: StoredCheckin, now: datetime, tz: tzinfo | None = None
) -> CheckinResult:
    """What the soreness history, this check-in included, now says: suggestions and what
    the next cool-down eases or leaves out. Occasions are counted by local day in `tz`
    (None: the runner's zone from the profile)."""
    entries = history(store, now)
    zone = tz if tz is not None else runner_zone(store.get_profile())
    return CheckinResult(stored, suggestions(entries, now, zone), plan_soreness(entries, now, zone))


def history(store: Store, now: datetime) -> dict[str, list[AreaEntry]]:
    """Check-in ratings and cool-down pain of the last 14 days, one history per area."""
    since = now - WINDOW
    return area_history(
        ((stored.id, stored.checkin) for stored in store.list_checkins(since)),
        ((session_id, pain.area, pain.at) for session_id, pain in store.list_pain_reports(since)),
    )


def soreness_for_plan(store: Store, now: datetime, tz: tzinfo | None = None) -> PlanSoreness:
    """Areas the next cool-down should ease, and areas it should leave out, with reasons."""
    zone = tz if tz is not None else runner_zone(store.get_profile())
    return plan_soreness(history(store, now), now, zone)


def ease_for_plan(
    store: Store, now: datetime, tz: tzinfo | None = None
) -> tuple[tuple[str, str], ...]:
    """(area, reason) for areas that hurt in the last 14 days and are not left out."""
    return soreness_for_plan(store, now, tz).ease


def safety_now(store: Store, now: datetime, tz: tzinfo | None = None) -> Safety:
    """The warning signs of the last days and whether they hold the cool-down back."""
    since = now - timedelta(days=SHOW_DAYS)
    reports = [(stored.at, stored.red_flags) for stored in store.list_checkins(since)]
    zone = tz if tz is not None else runner_zone(store.get_profile())
    return safety(reports, store.latest_clearance(), now, zone)


def recent_red_flags(store: Store, now: datetime) -> list[RedFlag]:
    """Signs reported in check-ins of the last days (up to `now`), most urgent first, each
    once: a warning is shown again wherever the runner plans next, not forgotten."""
    return safety_now(store, now).flags


def record_clearance(store: Store, now: datetime, note: str | None = None) -> Safety:
    """The runner has been seen by a clinician: earlier stop signs no longer hold back the
    cool-down (they are still listed for the days they are shown)."""
    if note is not None and len(note) > NOTE_MAX:
        raise InvalidInput(f"the note is {len(note)} characters long; keep it to {NOTE_MAX}.")
    store.add_clearance(now, note)
    return safety_now(store, now)


def checkin_json(result: CheckinResult) -> dict[str, Any]:
    stored = result.stored
    data = stored.to_json()
    data["red_flags"] = [flag.to_json() for flag in most_urgent(stored.red_flags)]
    data["see_a_professional"] = [
        {
            "area": s.area,
            "area_name": area_name(s.area),
            "rule": s.rule,
            "rule_text": RULE_LABELS[s.rule],
            "text": s.text,
            "sources": [cite(key) for key in s.sources],
        }
        for s in result.suggestions
    ]
    data["next_cool_down"] = {
        "eased": [_area_json(area, reason) for area, reason in result.plan.ease],
        "left_out": [_area_json(area, reason) for area, reason in result.plan.rest],
    }
    data["normal_course"] = (
        {"text": NORMAL_COURSE, "sources": [cite(key) for key in NORMAL_COURSE_SOURCES]}
        if shows_normal_course(result)
        else None
    )
    data["reminder"] = ladder_json()
    return data


def _area_json(area: str, reason: str) -> dict[str, str]:
    return {"area": area, "area_name": area_name(area), "reason": reason}


def shows_normal_course(result: CheckinResult) -> bool:
    """Only when something is sore, nothing is flagged and nothing referred: a warning sign or
    a referral is never explained away as the usual course of soreness."""
    stored = result.stored
    if stored.red_flags or result.suggestions:
        return False
    return any(rating > 0 for rating in stored.ratings.values())
