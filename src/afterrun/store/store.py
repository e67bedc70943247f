"""Store: afterrun's database, one transaction per method.

Each method says whether it reads or writes (`_read`, `_write`): a write takes
SQLite's write lock when its transaction begins (see `db.WRITE_OPTION`), and a
driver's error becomes a StorageError saying what could not be done and what to try.
The queries live in one module per aggregate: `sessions`, `activities`, `checkins`
and `profile`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from types import TracebackType
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from afterrun.paths import normalise_db_url
from afterrun.store import activities, athletes, checkins, profile, sessions
from afterrun.store.activities import Stored
from afterrun.store.db import WRITE_OPTION, mask_url, open_engine, storage_error
from afterrun.store.tables import PERSONAL_ATHLETE_ID

if TYPE_CHECKING:
    from afterrun.core.activity import Activity, ActivityLoad, Sport
    from afterrun.core.load import Profile
    from afterrun.core.rating import RunLoad
    from afterrun.core.records import PainReport, SessionRecord
    from afterrun.core.soreness import CheckIn
    from afterrun.store.activity_rows import StoredActivity
    from afterrun.store.athletes import StoredAthlete
    from afterrun.store.checkins import StoredCheckin
    from afterrun.store.sessions import StoredSession

_T = TypeVar("_T")


class Store:
    """afterrun's database. Each method is one transaction."""

    def __init__(self, engine: Engine, athlete_id: int = PERSONAL_ATHLETE_ID) -> None:
        """Wrap an engine that is already at HEAD_REVISION; use Store.open otherwise.

        Every method reads and writes only `athlete_id`'s rows: in personal mode the one
        athlete a database starts with, in a club whoever signed in (`for_athlete`).
        """
        self._engine = engine
        self._athlete = athlete_id
        self._readers = sessionmaker(engine, expire_on_commit=False)
        writer = engine.execution_options(**{WRITE_OPTION: True})
        self._writers = sessionmaker(writer, expire_on_commit=False)
        self._owns_engine = True

    def for_athlete(self, athlete_id: int) -> Store:
        """The same database seen as another athlete's; closing it leaves the engine open."""
        view = Store.__new__(Store)
        view._engine = self._engine
        view._athlete = athlete_id
        view._readers = self._readers
        view._writers = self._writers
        view._owns_engine = False
        return view

    @property
    def athlete_id(self) -> int:
        return self._athlete

    @classmethod
    def open(cls, url: str) -> Store:
        """Connect and migrate to head; a plain path means a SQLite file."""
        return cls(open_engine(normalise_db_url(url)))

    @property
    def engine(self) -> Engine:
        return self._engine

    @property
    def url(self) -> str:
        """The database URL with its password masked, fit for messages."""
        return mask_url(self._engine.url)

    def close(self) -> None:
        if self._owns_engine:
            self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # --- transactions -------------------------------------------------------------------

    def _read(self, work: Callable[[Session], _T]) -> _T:
        try:
            with self._readers.begin() as db:
                return work(db)
        except DBAPIError as exc:
            raise storage_error("read", self._engine.url, exc) from exc

    def _write(self, work: Callable[[Session], _T]) -> _T:
        try:
            with self._writers.begin() as db:
                return work(db)
        except DBAPIError as exc:
            raise storage_error("write to", self._engine.url, exc) from exc

    def _write_new(
        self, work: Callable[[Session], _T], content_hash: str, already: Callable[[int], _T]
    ) -> _T:
        """A write that stores new content; when another writer stored the same content
        between our check and our insert, `already(its id)` is the answer."""
        try:
            with self._writers.begin() as db:
                return work(db)
        except IntegrityError as exc:
            existing = self._read(
                lambda db: activities.find_by_hash(db, self._athlete, content_hash)
            )
            if existing is None:
                raise storage_error("write to", self._engine.url, exc) from exc
            return already(existing)
        except DBAPIError as exc:
            raise storage_error("write to", self._engine.url, exc) from exc

    # --- sessions -----------------------------------------------------------------------

    def start_session(self, record: SessionRecord) -> int:
        """Record a session as it starts, with the steps it has so far; returns its id."""
        return self._write(lambda db: sessions.insert_session(db, self._athlete, record))

    def save_session(self, session_id: int, record: SessionRecord) -> None:
        """Replace the session's steps, pains, end time and status with the record's."""
        self._write(lambda db: sessions.replace_session(db, self._athlete, session_id, record))

    def list_sessions(
        self, limit: int | None = None, since: datetime | None = None
    ) -> list[StoredSession]:
        """Newest first; at most `limit` of them, only those started at or after `since`."""
        return self._read(lambda db: sessions.load_sessions(db, self._athlete, limit, since))

    def get_session(self, session_id: int) -> StoredSession:
        """The session, or NotFound saying how to list the ids."""
        return self._read(lambda db: sessions.load_session(db, self._athlete, session_id))

    def list_pain_reports(self, since: datetime | None = None) -> list[tuple[int, PainReport]]:
        """Pain reported in cool-downs, as (session id, report), newest first."""
        return self._read(lambda db: sessions.load_pains(db, self._athlete, since))

    # --- activities ---------------------------------------------------------------------

    def add_activity(
        self, activity: Activity, content_hash: str, source: str, load: RunLoad, now: datetime
    ) -> tuple[int, bool]:
        """Store one activity; returns (id, True), or (existing id, False) if already there."""
        return self._write_new(
            lambda db: activities.add_activity(
                db, self._athlete, activity, content_hash, source, load, now
            ),
            content_hash,
            lambda existing: (existing, False),
        )

    def import_activity(
        self,
        activity: Activity,
        content_hash: str,
        source: str,
        now: datetime,
        load_for: Callable[[Activity], RunLoad],
    ) -> Stored:
        """Store an imported activity, or, when the same run is stored already, keep the
        richer copy in its place and id (`activities.import_activity`)."""

        def work(db: Session) -> Stored:
            return activities.import_activity(
                db, self._athlete, activity, content_hash, source, now, load_for
            )

        return self._write_new(
            work,
            content_hash,
            lambda existing: Stored(existing, "same"),
        )

    def id_for_content(self, content_hash: str) -> int | None:
        """The id of the activity stored with this content, if any."""
        return self._read(lambda db: activities.find_by_hash(db, self._athlete, content_hash))

    def fill_missing(self, activity_id: int, name: str | None, rpe: float | None) -> bool:
        """Give a stored run the name or RPE it lacks; True if anything changed."""
        return self._write(
            lambda db: activities.fill_missing(db, self._athlete, activity_id, name, rpe)
        )

    def list_activities(
        self, limit: int | None = None, sport: Sport | None = None
    ) -> list[StoredActivity]:
        """Newest first, without streams."""
        return self._read(lambda db: activities.load_activities(db, self._athlete, limit, sport))

    def list_activity_loads(self) -> list[ActivityLoad]:
        """Every activity's timing and load, newest first, read in one light query."""
        return self._read(lambda db: activities.load_history(db, self._athlete))

    def get_activity(self, activity_id: int, with_streams: bool = True) -> StoredActivity:
        return self._read(
            lambda db: activities.load_activity(db, self._athlete, activity_id, with_streams)
        )

    def set_rpe(self, activity_id: int, rpe: float, load: RunLoad) -> None:
        self._write(
            lambda db: activities.set_rpe_and_load(db, self._athlete, activity_id, rpe, load)
        )

    def set_sport_and_name(
        self, activity_id: int, sport: Sport | None, name: str | None, load: RunLoad
    ) -> None:
        """The runner's correction of a sport or name, with the load worked out again."""
        self._write(
            lambda db: activities.correct(db, self._athlete, activity_id, sport, name, load)
        )

    def set_load(self, activity_id: int, load: RunLoad) -> None:
        self._write(lambda db: activities.set_load(db, self._athlete, activity_id, load))

    def activity_ids(self) -> list[int]:
        return self._read(lambda db: activities.all_activity_ids(db, self._athlete))

    def activities_version(self) -> str:
        """A short text that changes whenever an activity is added, replaced or removed."""
        return self._read(activities.activities_version)

    # --- check-ins ----------------------------------------------------------------------

    def add_checkin(self, checkin: CheckIn) -> int:
        """Store a check-in; returns its id. NotFound if it names a run that is not stored."""
        return self._write(lambda db: checkins.insert_checkin(db, self._athlete, checkin))

    def list_checkins(self, since: datetime | None = None) -> list[StoredCheckin]:
        """Newest first; only those at or after `since` when given."""
        return self._read(lambda db: checkins.load_checkins(db, self._athlete, since))

    def add_clearance(self, at: datetime, note: str | None = None) -> int:
        """The runner has been seen by a clinician at `at`; returns the clearance's id."""
        return self._write(lambda db: checkins.insert_clearance(db, self._athlete, at, note))

    def latest_clearance(self) -> datetime | None:
        """When the runner last said a clinician had seen them, if ever."""
        return self._read(lambda db: checkins.load_latest_clearance(db, self._athlete))

    # --- profile ------------------------------------------------------------------------

    def get_profile(self) -> Profile:
        return self._read(lambda db: profile.load_profile(db, self._athlete))

    def save_profile(self, runner: Profile, now: datetime) -> None:
        self._write(lambda db: profile.save_profile(db, self._athlete, runner, now))

    # --- athletes (the database's, not the one this store is scoped to) ----------------

    def add_athlete(self, name: str, now: datetime, role: str = "athlete") -> int:
        """A new athlete with no data and no password; returns its id."""
        return self._write(lambda db: athletes.insert_athlete(db, name, role, now))

    def find_athlete(self, name: str) -> StoredAthlete | None:
        """The athlete of that name, whatever its case, if there is one."""
        return self._read(lambda db: athletes.find_athlete(db, name))

    def list_athletes(self) -> list[StoredAthlete]:
        return self._read(athletes.load_athletes)
