"""Athletes in the database: a personal database has one; a club, one per account."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from afterrun.core.errors import InvalidInput
from afterrun.store.tables import AthleteRow

#: The longest name an athlete can have (the column's width).
MAX_NAME = 80


@dataclass(frozen=True)
class StoredAthlete:
    id: int
    name: str
    role: str
    created_at: datetime
    has_password: bool
    disabled: bool


def login_of(name: str) -> str:
    """The key a name is found by: "Ana" and " ana " are one athlete."""
    return " ".join(name.split()).casefold()


def checked_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise InvalidInput("A name cannot be empty: give the athlete's name.")
    if len(cleaned) > MAX_NAME:
        raise InvalidInput(f"A name can be at most {MAX_NAME} characters (got {len(cleaned)}).")
    return cleaned


def stored_athlete(row: AthleteRow) -> StoredAthlete:
    return StoredAthlete(
        row.id,
        row.name,
        row.role,
        row.created_at,
        row.password_hash is not None,
        row.disabled_at is not None,
    )


def insert_athlete(db: Session, name: str, role: str, now: datetime) -> int:
    """A new athlete; InvalidInput if the name is taken (whatever its case)."""
    cleaned = checked_name(name)
    taken = db.scalar(select(AthleteRow.name).where(AthleteRow.login == login_of(cleaned)))
    if taken is not None:
        raise InvalidInput(f"There is already an athlete called {taken}: choose another name.")
    row = AthleteRow(name=cleaned, login=login_of(cleaned), role=role, created_at=now)
    db.add(row)
    db.flush()
    return row.id


def find_athlete(db: Session, name: str) -> StoredAthlete | None:
    row = db.scalar(select(AthleteRow).where(AthleteRow.login == login_of(name)))
    return None if row is None else stored_athlete(row)


def load_athletes(db: Session) -> list[StoredAthlete]:
    return [stored_athlete(row) for row in db.scalars(select(AthleteRow).order_by(AthleteRow.id))]
