"""Seed a club on PostgreSQL for `club_load.py`: athletes with years of history, coaches
who each see about 100 of them, written with SQLAlchemy core bulk inserts (a Store call
per row would take longer than the benchmark). The club is made as `afterrun club init`
makes it; every member gets the same password, hashed once with Argon2, so that seeding
stays fast and each member signs in as on a real server.

Each athlete gets `runs_per_week` runs (with a rating and a session-RPE load), one
cool-down a week (the steps of a real plan, done), two check-ins a week (soreness by
area), a profile, and every tenth one a red flag in the last week (they lead a roster;
the load leaves them out, since a red flag withholds the cool-down). Coach k shares the
athletes k*100 to k*100+99 with everything shared.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, insert

from afterrun.services import club
from afterrun.services.passwords import hash_password
from afterrun.store import Store
from afterrun.store.athletes import login_of
from afterrun.store.tables import (
    ActivityRow,
    AthleteRow,
    CheckinRow,
    ProfileRow,
    SessionRow,
    ShareRow,
    StepRow,
)

#: Everyone's password in the seeded club.
PASSWORD = "bench-password-1"  # noqa: S105 - a benchmark's own club
ATHLETES_PER_COACH = 100
BATCH = 5000
AREAS = ("calves", "quads", "hamstrings", "hips", "lower-back", "feet")


@dataclass(frozen=True)
class Club:
    athletes: list[tuple[int, str]]
    coaches: list[tuple[int, str]]
    #: Athletes with a red flag this week (left out of the load).
    flagged: set[int]
    rows: dict[str, int]


def _template(now: datetime) -> tuple[dict[str, Any], list[dict[str, Any]], int]:
    """A real 10-minute plan: its JSON, its steps as done, and its planned seconds."""
    from afterrun.catalogue_files import load_catalogue
    from afterrun.core.intensity import Intensity
    from afterrun.core.timeline import compile_timeline
    from afterrun.services.planning import PlanOptions, plan_for

    plan = plan_for(
        load_catalogue(Path("/nonexistent")),
        None,
        PlanOptions(minutes=10, intensity=Intensity.MODERATE),
        now,
    )
    steps = [
        {
            "step_index": index,
            "exercise": step.exercise,
            "variant": step.variant,
            "side": step.side,
            "kind": step.kind,
            "planned_seconds": step.seconds,
            "reps": step.reps,
            "actual_seconds": float(step.seconds),
            "status": "done",
        }
        for index, step in enumerate(compile_timeline(plan).steps)
    ]
    return plan.to_json(), steps, sum(step["planned_seconds"] for step in steps)


def _chunks(rows: Sequence[dict[str, Any]]) -> Iterator[Sequence[dict[str, Any]]]:
    for start in range(0, len(rows), BATCH):
        yield rows[start : start + BATCH]


def seed(store: Store, athletes: int, years: float, runs_per_week: int, now: datetime) -> Club:
    """Write the club; `store` is a migrated, empty database."""
    rng = random.Random(13)  # noqa: S311 - a reproducible club, not secrets
    club.init_club(store, "Club admin", "http://127.0.0.1", now)
    engine = store.engine
    password = hash_password(PASSWORD)
    coaches = max(1, round(athletes / ATHLETES_PER_COACH))
    people = [
        {
            "name": name,
            "login": login_of(name),
            "role": role,
            "password_hash": password,
            "created_at": now - timedelta(days=365 * years),
        }
        for name, role in [(f"Athlete {n:04d}", "athlete") for n in range(athletes)]
        + [(f"Coach {n:02d}", "coach") for n in range(coaches)]
    ]
    counts: dict[str, int] = {}
    with engine.begin() as db:
        ids = list(
            db.execute(
                insert(AthleteRow).returning(AthleteRow.id, sort_by_parameter_order=True), people
            ).scalars()
        )
        athlete_ids, coach_ids = ids[:athletes], ids[athletes:]
        db.execute(insert(ProfileRow), [_profile(a, rng, now) for a in athlete_ids])
        shares = [
            {
                "athlete_id": athlete,
                "coach_id": coach_ids[min(n // ATHLETES_PER_COACH, coaches - 1)],
                "load_and_runs": True,
                "adherence": True,
                "soreness_and_flags": True,
                "updated_at": now,
            }
            for n, athlete in enumerate(athlete_ids)
        ]
        db.execute(insert(ShareRow), shares)
        counts["shares"] = len(shares)
    flagged = set(athlete_ids[::10])
    plan, steps, planned = _template(now)
    weeks = int(52 * years)
    for athlete in athlete_ids:
        _history(engine, athlete, athlete in flagged, weeks, runs_per_week, now, rng, counts)
        _cooldowns(engine, athlete, weeks, now, (plan, steps, planned), counts)
    names = {row["login"]: row["name"] for row in people}
    return Club(
        [(i, names[login_of(f"Athlete {n:04d}")]) for n, i in enumerate(athlete_ids)],
        [(i, names[login_of(f"Coach {n:02d}")]) for n, i in enumerate(coach_ids)],
        flagged,
        counts,
    )


def _profile(athlete: int, rng: random.Random, now: datetime) -> dict[str, Any]:
    return {
        "id": athlete,
        "athlete_id": athlete,
        "hr_max": rng.randint(175, 200),
        "hr_rest": rng.randint(42, 62),
        "weight_kg": round(rng.uniform(50, 90), 1),
        "birth_year": rng.randint(1960, 2005),
        "updated_at": now,
    }


def _history(
    engine: Engine,
    athlete: int,
    flagged: bool,
    weeks: int,
    runs_per_week: int,
    now: datetime,
    rng: random.Random,
    counts: dict[str, int],
) -> None:
    runs, checkins = [], []
    for week in range(weeks):
        monday = now - timedelta(weeks=weeks - week)
        for n in range(runs_per_week):
            start = monday + timedelta(days=2 * n, hours=rng.uniform(6, 19))
            minutes = rng.uniform(25, 90)
            rpe = float(rng.randint(3, 8))
            runs.append(
                {
                    "athlete_id": athlete,
                    "content_hash": f"bench-{athlete}-{week}-{n}",
                    "source": "bench.fit",
                    "source_format": "fit",
                    "sport": "running",
                    "name": None,
                    "started_at": start,
                    "elapsed_seconds": minutes * 60,
                    "moving_seconds": minutes * 60,
                    "distance_m": minutes * 60 * rng.uniform(2.6, 4.2),
                    "avg_hr": rng.uniform(130, 165),
                    "max_hr": rng.uniform(165, 190),
                    "rpe": rpe,
                    "partial": False,
                    "corrected": False,
                    "includes_run": True,
                    "notes": [],
                    "load": rpe * minutes,
                    "load_method": "session-rpe",
                    "imported_at": start + timedelta(hours=2),
                    "sport_source": "file",
                }
            )
        for day in (1, 4):
            checkins.append(
                {
                    "athlete_id": athlete,
                    "at": monday + timedelta(days=day, hours=8),
                    "ratings": {area: rng.randint(0, 6) for area in rng.sample(AREAS, 3)},
                    "red_flags": [],
                }
            )
    if flagged:
        checkins.append(
            {
                "athlete_id": athlete,
                "at": now - timedelta(days=2),
                "ratings": {"calves": 7},
                "red_flags": ["swelling"],
            }
        )
    with engine.begin() as db:
        for chunk in _chunks(runs):
            db.execute(insert(ActivityRow), chunk)
        for chunk in _chunks(checkins):
            db.execute(insert(CheckinRow), chunk)
    counts["activities"] = counts.get("activities", 0) + len(runs)
    counts["checkins"] = counts.get("checkins", 0) + len(checkins)


def _cooldowns(
    engine: Engine,
    athlete: int,
    weeks: int,
    now: datetime,
    template: tuple[dict[str, Any], list[dict[str, Any]], int],
    counts: dict[str, int],
) -> None:
    plan, steps, planned = template
    sessions = [
        {
            "athlete_id": athlete,
            "started_at": (start := now - timedelta(weeks=weeks - week, hours=-9)),
            "ended_at": start + timedelta(seconds=planned),
            "status": "completed",
            "intensity": "moderate",
            "minutes": 10,
            "total_planned_seconds": planned,
            "plan": plan,
        }
        for week in range(weeks)
    ]
    with engine.begin() as db:
        ids = db.execute(
            insert(SessionRow).returning(SessionRow.id, sort_by_parameter_order=True), sessions
        ).scalars()
        children = [{**step, "session_id": session} for session in ids for step in steps]
        for chunk in _chunks(children):
            db.execute(insert(StepRow), chunk)
    counts["sessions"] = counts.get("sessions", 0) + len(sessions)
    counts["session_steps"] = counts.get("session_steps", 0) + len(children)


def utc_now() -> datetime:
    return datetime.now(UTC)
