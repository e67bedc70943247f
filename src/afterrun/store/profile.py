"""An athlete's profile in the database: one row each, read and replaced whole; its id is
the athlete's."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from afterrun.core.activity import Sport
from afterrun.core.load import Profile
from afterrun.store.tables import ProfileRow


def _sport(value: str) -> Sport:
    try:
        return Sport(value)
    except ValueError:
        return Sport.OTHER


def load_profile(db: Session, athlete: int) -> Profile:
    row = db.get(ProfileRow, athlete)
    if row is None:
        return Profile()
    sex = row.sex if row.sex in ("m", "f") else None
    return Profile(
        hr_max=row.hr_max,
        hr_rest=row.hr_rest,
        sex=sex,  # type: ignore[arg-type]
        weight_kg=row.weight_kg,
        birth_year=row.birth_year,
        timezone=row.timezone,
        main_sport=None if row.main_sport is None else _sport(row.main_sport),
    )


def save_profile(db: Session, athlete: int, profile: Profile, now: datetime) -> None:
    row = db.get(ProfileRow, athlete)
    if row is None:
        row = ProfileRow(id=athlete, athlete_id=athlete, updated_at=now)
        db.add(row)
    row.hr_max = profile.hr_max
    row.hr_rest = profile.hr_rest
    row.sex = profile.sex
    row.weight_kg = profile.weight_kg
    row.birth_year = profile.birth_year
    row.timezone = profile.timezone
    row.main_sport = None if profile.main_sport is None else profile.main_sport.value
    row.updated_at = now
