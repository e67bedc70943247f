"""Consent in the database: what each athlete lets each coach see. No row means nothing
is shared; a row whose three switches are all off is deleted, so that withdrawing leaves
nothing behind. Each function runs inside the transaction the Store opens for it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from afterrun.core.errors import InvalidInput, NotFound
from afterrun.store.athletes import StoredAthlete, stored_athlete
from afterrun.store.tables import AthleteRow, ShareRow


@dataclass(frozen=True)
class Share:
    """The three things an athlete may share with one coach; all off is nothing."""

    load_and_runs: bool = False
    adherence: bool = False
    soreness_and_flags: bool = False

    @property
    def anything(self) -> bool:
        return self.load_and_runs or self.adherence or self.soreness_and_flags


NOTHING = Share()


def _share(row: ShareRow) -> Share:
    return Share(row.load_and_runs, row.adherence, row.soreness_and_flags)


def load_coaches(db: Session) -> list[StoredAthlete]:
    """The club's coaches an athlete can share with (not the disabled), by name."""
    query = (
        select(AthleteRow)
        .where(AthleteRow.role == "coach", AthleteRow.disabled_at.is_(None))
        .order_by(AthleteRow.login)
    )
    return [stored_athlete(row) for row in db.scalars(query)]


def load_shares_of(db: Session, athlete: int) -> dict[int, Share]:
    """What `athlete` shares, by coach id (coaches given nothing are absent)."""
    rows = db.scalars(select(ShareRow).where(ShareRow.athlete_id == athlete))
    return {row.coach_id: _share(row) for row in rows}


def load_share(db: Session, athlete: int, coach: int) -> Share:
    row = db.get(ShareRow, (athlete, coach))
    return NOTHING if row is None else _share(row)


def save_share(db: Session, athlete: int, coach: int, share: Share, now: datetime) -> None:
    """Set what `athlete` shares with `coach`; all off deletes the row. NotFound unless
    `coach` is one of the club's coaches (never the athlete themselves)."""
    found = db.get(AthleteRow, coach)
    if found is None or found.role != "coach" or found.disabled_at is not None:
        raise NotFound(f"There is no coach {coach} in this club: choose one from the list.")
    if coach == athlete:
        raise InvalidInput("You are this coach: there is nothing to share with yourself.")
    row = db.get(ShareRow, (athlete, coach))
    if not share.anything:
        if row is not None:
            db.delete(row)
        return
    if row is None:
        row = ShareRow(athlete_id=athlete, coach_id=coach)
        db.add(row)
    row.load_and_runs = share.load_and_runs
    row.adherence = share.adherence
    row.soreness_and_flags = share.soreness_and_flags
    row.updated_at = now


def load_sharing_with(db: Session, coach: int) -> list[tuple[StoredAthlete, Share]]:
    """The athletes who share anything with `coach` (not the disabled), by name."""
    query = (
        select(AthleteRow, ShareRow)
        .join(ShareRow, ShareRow.athlete_id == AthleteRow.id)
        .where(
            ShareRow.coach_id == coach,
            AthleteRow.disabled_at.is_(None),
            or_(ShareRow.load_and_runs, ShareRow.adherence, ShareRow.soreness_and_flags),
        )
        .order_by(AthleteRow.login)
    )
    return [(stored_athlete(athlete), _share(share)) for athlete, share in db.execute(query)]


def delete_shares_of(db: Session, athlete: int) -> None:
    """Withdraw everything `athlete` shares, with every coach."""
    db.execute(delete(ShareRow).where(ShareRow.athlete_id == athlete))
