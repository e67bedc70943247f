"""The storage edge: one Store per database URL, migrated to head when opened."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import TypeVar

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from afterrun.core.records import SessionRecord
from afterrun.paths import normalise_db_url
from afterrun.store import (  # noqa: F401  (registers the tables)
    activity_tables,
    checkin_tables,
    sessions,
)
from afterrun.store.activity_methods import ActivityMethods
from afterrun.store.checkins import CheckinMethods
from afterrun.store.db import (
    HEAD_REVISION,
    WRITE_OPTION,
    mask_url,
    open_engine,
    storage_error,
)
from afterrun.store.sessions import StoredSession, session_to_json

__all__ = ["HEAD_REVISION", "Store", "StoredSession", "session_to_json"]

_T = TypeVar("_T")


class Store(ActivityMethods, CheckinMethods):
    """afterrun's database. Each method is one transaction."""

    def __init__(self, engine: Engine) -> None:
        """Wrap an engine that is already at HEAD_REVISION; use Store.open otherwise."""
        self._engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        writer = engine.execution_options(**{WRITE_OPTION: True})
        self._write_sessions = sessionmaker(writer, expire_on_commit=False)

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

    def _run(self, action: str, work: Callable[[Session], _T]) -> _T:
        sessions = self._write_sessions if action == "write to" else self._sessions
        try:
            with sessions.begin() as db:
                return work(db)
        except DBAPIError as exc:
            raise storage_error(action, self._engine.url, exc) from exc

    def start_session(self, record: SessionRecord) -> int:
        """Record a session as it starts, with the steps it has so far; returns its id."""
        return self._run("write to", lambda db: sessions.insert_session(db, record))

    def save_session(self, session_id: int, record: SessionRecord) -> None:
        """Replace the session's steps, pains, end time and status with the record's."""
        self._run("write to", lambda db: sessions.replace_session(db, session_id, record))

    def list_sessions(self, limit: int | None = None) -> list[StoredSession]:
        """Newest first; at most `limit` of them."""
        return self._run("read", lambda db: sessions.load_sessions(db, limit))

    def get_session(self, session_id: int) -> StoredSession:
        """The session, or NotFound saying how to list the ids."""
        return self._run("read", lambda db: sessions.load_session(db, session_id))
