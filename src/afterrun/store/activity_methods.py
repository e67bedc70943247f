"""Store methods for activities and the profile; mixed into Store."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from afterrun.core.activity import Activity, Sport, richer_reason
from afterrun.core.load import Profile, RunLoad
from afterrun.store import activities
from afterrun.store.activities import StoredActivity

_T = TypeVar("_T")


@dataclass(frozen=True)
class Stored:
    """What storing one imported activity did: `created`, `same` (already there: `id`
    is the stored run) or `replaced` (`id` now holds this richer copy; `reason` says why)."""

    id: int
    outcome: Literal["created", "same", "replaced"]
    reason: str | None = None


class ActivityMethods:
    """Each method is one transaction; `_run` comes from Store."""

    def _run(self, action: str, work: Callable[[Session], _T]) -> _T:  # pragma: no cover
        raise NotImplementedError

    def add_activity(
        self, activity: Activity, content_hash: str, source: str, load: RunLoad, now: datetime
    ) -> tuple[int, bool]:
        """Store one activity; returns (id, True), or (existing id, False) if already there."""

        def work(db: Session) -> tuple[int, bool]:
            existing = activities.find_by_hash(db, content_hash)
            if existing is None:
                existing = activities.find_same_run(db, activity)
            if existing is not None:
                return existing, False
            return activities.insert_activity(db, activity, content_hash, source, load, now), True

        try:
            return self._run("write to", work)
        except IntegrityError:
            # Another writer stored the same content between our check and insert.
            existing = self._run("read", lambda db: activities.find_by_hash(db, content_hash))
            if existing is None:
                raise
            return existing, False

    def import_activity(
        self,
        activity: Activity,
        content_hash: str,
        source: str,
        now: datetime,
        load_for: Callable[[Activity], RunLoad],
    ) -> Stored:
        """Store an imported activity, or, when the same run is stored already, keep the
        richer copy: a new copy with more (heart rate, streams, records) takes the stored
        one's place and id, keeping the runner's name and RPE. One transaction."""

        def work(db: Session) -> Stored:
            existing = activities.find_by_hash(db, content_hash)
            if existing is not None:
                return Stored(existing, "same")
            same = activities.find_same_run(db, activity)
            if same is None:
                load = load_for(activity)
                new_id = activities.insert_activity(db, activity, content_hash, source, load, now)
                return Stored(new_id, "created")
            stored = activities.load_activity(db, same, with_streams=True).activity
            reason = richer_reason(activity, stored)
            if reason is None:
                return Stored(same, "same")
            kept = replace(
                activity,
                name=stored.name or activity.name,
                rpe=stored.rpe if stored.rpe is not None else activity.rpe,
            )
            load = load_for(kept)
            activities.replace_activity(db, same, kept, content_hash, source, load, now)
            return Stored(same, "replaced", reason)

        try:
            return self._run("write to", work)
        except IntegrityError:
            existing = self._run("read", lambda db: activities.find_by_hash(db, content_hash))
            if existing is None:
                raise
            return Stored(existing, "same")

    def id_for_content(self, content_hash: str) -> int | None:
        """The id of the activity stored with this content, if any."""
        return self._run("read", lambda db: activities.find_by_hash(db, content_hash))

    def fill_missing(self, activity_id: int, name: str | None, rpe: float | None) -> bool:
        """Give a stored run the name or RPE it lacks; True if anything changed."""
        return self._run("write to", lambda db: activities.fill_missing(db, activity_id, name, rpe))

    def list_activities(
        self, limit: int | None = None, sport: Sport | None = None
    ) -> list[StoredActivity]:
        """Newest first, without streams."""
        return self._run("read", lambda db: activities.load_activities(db, limit, sport))

    def get_activity(self, activity_id: int, with_streams: bool = True) -> StoredActivity:
        return self._run("read", lambda db: activities.load_activity(db, activity_id, with_streams))

    def set_rpe(self, activity_id: int, rpe: float, load: RunLoad) -> None:
        def work(db: Session) -> None:
            activities.set_rpe(db, activity_id, rpe)
            activities.set_load(db, activity_id, load)

        self._run("write to", work)

    def set_sport_and_name(
        self, activity_id: int, sport: Sport | None, name: str | None, load: RunLoad
    ) -> None:
        """The runner's correction of a sport or name, with the load worked out again."""

        def work(db: Session) -> None:
            activities.set_sport_and_name(db, activity_id, sport, name)
            activities.set_load(db, activity_id, load)

        self._run("write to", work)

    def set_load(self, activity_id: int, load: RunLoad) -> None:
        self._run("write to", lambda db: activities.set_load(db, activity_id, load))

    def activity_ids(self) -> list[int]:
        return self._run("read", activities.all_activity_ids)

    def get_profile(self) -> Profile:
        return self._run("read", activities.load_profile)

    def save_profile(self, profile: Profile, now: datetime) -> None:
        self._run("write to", lambda db: activities.save_profile(db, profile, now))
