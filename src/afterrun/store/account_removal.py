"""An athlete leaving a club with everything they stored: one row deleted, the rest
follows by the foreign keys (ON DELETE CASCADE), so nothing of theirs is left behind."""

from __future__ import annotations

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import sessionmaker

from afterrun.store.db import WRITE_OPTION, storage_error
from afterrun.store.tables import AthleteRow


def other_admins(engine: Engine, athlete_id: int) -> int:
    """How many admins the club has besides `athlete_id`."""
    with sessionmaker(engine).begin() as db:
        query = select(func.count()).where(AthleteRow.role == "admin", AthleteRow.id != athlete_id)
        return int(db.scalar(query) or 0)


def remove_athlete(engine: Engine, athlete_id: int) -> None:
    """The athlete and all their rows: runs, cool-downs, check-ins, profile, sign-in
    sessions, shares, routines and imports."""
    writer = engine.execution_options(**{WRITE_OPTION: True})
    try:
        with sessionmaker(writer).begin() as db:
            db.execute(delete(AthleteRow).where(AthleteRow.id == athlete_id))
    except DBAPIError as exc:
        raise storage_error("write to", engine.url, exc) from exc
