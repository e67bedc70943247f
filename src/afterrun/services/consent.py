"""Consent: an athlete chooses, coach by coach, what each coach sees; every change counts
from the next request. A coach sees the athletes who share anything with them; an admin
is not a coach and sees none of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from afterrun.store import shares
from afterrun.store.shares import NOTHING, Share

if TYPE_CHECKING:
    from afterrun.store import Store
    from afterrun.store.athletes import StoredAthlete

#: The three switches, in the order every screen shows them, with their labels.
SWITCHES: tuple[tuple[str, str], ...] = (
    ("load_and_runs", "Load and runs"),
    ("adherence", "Cool-down adherence"),
    ("soreness_and_flags", "Soreness and warning signs"),
)


def sees_text(coach: str, share: Share) -> str:
    """'Coach Dana sees: load and runs, cool-down adherence' or '... sees nothing'."""
    seen = [label.lower() for key, label in SWITCHES if getattr(share, key)]
    if not seen:
        return f"Coach {coach} sees nothing of yours."
    return f"Coach {coach} sees: {', '.join(seen)}."


@dataclass(frozen=True)
class CoachShare:
    """One of the club's coaches and what this athlete shares with them."""

    coach_id: int
    name: str
    share: Share

    def to_json(self) -> dict[str, Any]:
        return {
            "coach_id": self.coach_id,
            "name": self.name,
            **{key: getattr(self.share, key) for key, _ in SWITCHES},
            "sees": sees_text(self.name, self.share),
        }


def shares_of(store: Store, athlete_id: int) -> list[CoachShare]:
    """Every coach of the club (but the athlete), with what the athlete shares with each."""

    def read(db: Any) -> list[CoachShare]:
        given = shares.load_shares_of(db, athlete_id)
        return [
            CoachShare(coach.id, coach.name, given.get(coach.id, NOTHING))
            for coach in shares.load_coaches(db)
            if coach.id != athlete_id
        ]

    return store.read_with(read)


def set_share(
    store: Store, athlete_id: int, coach_id: int, share: Share, now: datetime
) -> CoachShare:
    """Share exactly `share` with the coach (all off withdraws everything); NotFound for
    an id that is not a coach's."""
    store.write_with(lambda db: shares.save_share(db, athlete_id, coach_id, share, now))
    found = next(item for item in shares_of(store, athlete_id) if item.coach_id == coach_id)
    return found


def sharing_with(store: Store, coach_id: int) -> list[tuple[StoredAthlete, Share]]:
    """The athletes who share anything with this coach, and what, by name."""
    return store.read_with(lambda db: shares.load_sharing_with(db, coach_id))


def share_with(store: Store, athlete_id: int, coach_id: int) -> Share:
    """What the athlete shares with the coach now (nothing when no row)."""
    return store.read_with(lambda db: shares.load_share(db, athlete_id, coach_id))
