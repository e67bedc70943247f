"""The club's accounts in the database: who is a member, invitations, signed-in browsers
and sign-in attempts. Only SHA-256 hashes of link and cookie tokens are stored.

A database is a club's once it has an admin (`afterrun club init` makes its first athlete
one); a personal database's one athlete is never an admin.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TypeVar, overload

from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from afterrun.core.errors import InvalidInput, NotFound
from afterrun.store.athletes import StoredAthlete, checked_name, login_of, stored_athlete
from afterrun.store.db import WRITE_OPTION, storage_error
from afterrun.store.store import Store
from afterrun.store.tables import (
    PERSONAL_ATHLETE_ID,
    AthleteRow,
    InvitationRow,
    LoginAttemptRow,
    WebSessionRow,
)

_T = TypeVar("_T")


@dataclass(frozen=True)
class Member:
    """One line of `afterrun club members`."""

    name: str
    role: str
    status: str  # "active", "invited" or "invitation expired"
    created_at: datetime


@dataclass(frozen=True)
class Account:
    """What signing in needs to know of an athlete."""

    athlete_id: int
    name: str
    role: str
    password_hash: str | None


@dataclass(frozen=True)
class Failures:
    """Failed sign-ins in the window: by login and by client, and the oldest of each."""

    by_login: int
    by_client: int
    oldest_login: datetime | None
    oldest_client: datetime | None


class Accounts:
    """The club's tables, one transaction per method, over a Store's engine."""

    def __init__(self, store: Store) -> None:
        engine = store.engine
        self._url = engine.url
        self._readers = sessionmaker(engine, expire_on_commit=False)
        self._writers = sessionmaker(
            engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False
        )

    def _read(self, work: Callable[[Session], _T]) -> _T:
        try:
            with self._readers.begin() as db:
                return work(db)
        except DBAPIError as exc:
            raise storage_error("read", self._url, exc) from exc

    def _write(self, work: Callable[[Session], _T]) -> _T:
        try:
            with self._writers.begin() as db:
                return work(db)
        except DBAPIError as exc:
            raise storage_error("write to", self._url, exc) from exc

    # --- the club -----------------------------------------------------------------------

    def is_club(self) -> bool:
        return self._read(_has_admin)

    def make_club(self, admin_name: str, now: datetime) -> StoredAthlete:
        """The database's first athlete becomes the admin called `admin_name`, keeping
        everything it owns; InvalidInput when the database is a club already."""

        def work(db: Session) -> StoredAthlete:
            if _has_admin(db):
                raise InvalidInput("This database is a club already: see `afterrun club members`.")
            name = checked_name(admin_name)
            first = db.get(AthleteRow, PERSONAL_ATHLETE_ID)
            if first is None:
                first = AthleteRow(id=PERSONAL_ATHLETE_ID, created_at=now)
                db.add(first)
            first.name, first.login, first.role = name, login_of(name), "admin"
            db.flush()
            return stored_athlete(first)

        return self._write(work)

    def members(self, now: datetime) -> list[Member]:
        return self._read(lambda db: _members(db, now))

    def remove(self, name: str) -> StoredAthlete:
        """Delete the athlete and everything they own; never the last admin."""

        def work(db: Session) -> StoredAthlete:
            row = db.scalar(select(AthleteRow).where(AthleteRow.login == login_of(name)))
            if row is None:
                raise not_a_member(name)
            if row.role == "admin":
                admins = db.scalar(
                    select(func.count()).select_from(AthleteRow).where(AthleteRow.role == "admin")
                )
                if admins == 1:
                    raise InvalidInput(
                        f"{row.name} is the club's only admin: invite another admin "
                        "(`afterrun club invite NAME --role admin`) before removing them."
                    )
            gone = stored_athlete(row)
            db.delete(row)
            return gone

        return self._write(work)

    def account(self, name: str) -> Account | None:
        """The account that signs in with this name, unless it is disabled."""

        def work(db: Session) -> Account | None:
            row = db.scalar(
                select(AthleteRow).where(
                    AthleteRow.login == login_of(name), AthleteRow.disabled_at.is_(None)
                )
            )
            if row is None:
                return None
            return Account(row.id, row.name, row.role, row.password_hash)

        return self._read(work)

    # --- invitations and resets ---------------------------------------------------------

    def add_invitation(
        self, athlete_id: int, token_hash: str, purpose: str, now: datetime, expires_at: datetime
    ) -> None:
        """A new link; the athlete's earlier unused links stop working."""

        def work(db: Session) -> None:
            db.execute(
                update(InvitationRow)
                .where(InvitationRow.athlete_id == athlete_id, InvitationRow.used_at.is_(None))
                .values(expires_at=now)
            )
            db.add(
                InvitationRow(
                    athlete_id=athlete_id,
                    token_hash=token_hash,
                    purpose=purpose,
                    created_at=now,
                    expires_at=expires_at,
                )
            )

        self._write(work)

    def open_invitation(self, token_hash: str, now: datetime) -> tuple[str, str] | None:
        """(athlete's name, purpose) of a link that can still be used, else None."""

        def work(db: Session) -> tuple[str, str] | None:
            found = db.execute(
                select(AthleteRow.name, InvitationRow.purpose)
                .join(AthleteRow, AthleteRow.id == InvitationRow.athlete_id)
                .where(*_usable(token_hash, now))
            ).first()
            return None if found is None else (found[0], found[1])

        return self._read(work)

    def take_invitation(self, token_hash: str, password_hash: str, now: datetime) -> int | None:
        """Use the link once: set the password, sign out the athlete's browsers; returns
        the athlete's id, or None when the link is unknown, used or expired."""

        def work(db: Session) -> int | None:
            invitation = db.scalar(
                select(InvitationRow).where(*_usable(token_hash, now)).with_for_update()
            )
            if invitation is None:
                return None
            invitation.used_at = now
            athlete_id = invitation.athlete_id
            db.execute(
                update(AthleteRow)
                .where(AthleteRow.id == athlete_id)
                .values(password_hash=password_hash)
            )
            db.execute(delete(WebSessionRow).where(WebSessionRow.athlete_id == athlete_id))
            return athlete_id

        return self._write(work)

    # --- signed-in browsers -------------------------------------------------------------

    def add_session(
        self, athlete_id: int, token_hash: str, now: datetime, expires_at: datetime
    ) -> None:
        self._write(
            lambda db: db.add(
                WebSessionRow(
                    athlete_id=athlete_id,
                    token_hash=token_hash,
                    created_at=now,
                    last_seen_at=now,
                    expires_at=expires_at,
                )
            )
        )

    def session_account(
        self, token_hash: str, now: datetime, idle: timedelta
    ) -> tuple[Account, datetime] | None:
        """The account of a browser's session and when it was last seen, if the session
        has neither expired nor been idle longer than `idle`."""

        def work(db: Session) -> tuple[Account, datetime] | None:
            found = db.execute(
                select(AthleteRow, WebSessionRow.last_seen_at)
                .join(WebSessionRow, WebSessionRow.athlete_id == AthleteRow.id)
                .where(
                    WebSessionRow.token_hash == token_hash,
                    WebSessionRow.expires_at > now,
                    WebSessionRow.last_seen_at > now - idle,
                    AthleteRow.disabled_at.is_(None),
                )
            ).first()
            if found is None:
                return None
            row, seen = found
            return Account(row.id, row.name, row.role, None), seen

        return self._read(work)

    def touch_session(self, token_hash: str, now: datetime) -> None:
        self._write(
            lambda db: db.execute(
                update(WebSessionRow)
                .where(WebSessionRow.token_hash == token_hash)
                .values(last_seen_at=now)
            )
        )

    def end_session(self, token_hash: str) -> None:
        self._write(
            lambda db: db.execute(
                delete(WebSessionRow).where(WebSessionRow.token_hash == token_hash)
            )
        )

    # --- sign-in attempts ---------------------------------------------------------------

    def record_attempt(
        self, login: str, client: str, now: datetime, succeeded: bool, keep: timedelta
    ) -> None:
        """Note a try, and forget those older than `keep`."""

        def work(db: Session) -> None:
            db.execute(delete(LoginAttemptRow).where(LoginAttemptRow.at < now - keep))
            db.add(
                LoginAttemptRow(login=login[:80], client=client[:64], at=now, succeeded=succeeded)
            )

        self._write(work)

    def failures_since(self, login: str, client: str, since: datetime) -> Failures:
        def work(db: Session) -> Failures:
            failed = (LoginAttemptRow.at >= since, LoginAttemptRow.succeeded.is_(False))
            by_login = db.execute(
                select(func.count(), func.min(LoginAttemptRow.at)).where(
                    LoginAttemptRow.login == login[:80], *failed
                )
            ).one()
            by_client = db.execute(
                select(func.count(), func.min(LoginAttemptRow.at)).where(
                    LoginAttemptRow.client == client[:64], *failed
                )
            ).one()
            return Failures(by_login[0], by_client[0], _aware(by_login[1]), _aware(by_client[1]))

        return self._read(work)


def not_a_member(name: str) -> NotFound:
    return NotFound(f"No athlete called {name} in this club: see `afterrun club members`.")


def _has_admin(db: Session) -> bool:
    return db.scalar(select(AthleteRow.id).where(AthleteRow.role == "admin").limit(1)) is not None


def _usable(token_hash: str, now: datetime) -> tuple[ColumnElement[bool], ...]:
    return (
        InvitationRow.token_hash == token_hash,
        InvitationRow.used_at.is_(None),
        InvitationRow.expires_at > now,
    )


def _members(db: Session, now: datetime) -> list[Member]:
    latest = (
        select(InvitationRow.athlete_id, func.max(InvitationRow.expires_at).label("until"))
        .where(InvitationRow.used_at.is_(None))
        .group_by(InvitationRow.athlete_id)
        .subquery()
    )
    rows = db.execute(
        select(AthleteRow, latest.c.until)
        .outerjoin(latest, latest.c.athlete_id == AthleteRow.id)
        .order_by(AthleteRow.id)
    ).all()
    members = []
    for row, until in rows:
        if row.password_hash is not None:
            status = "active"
        elif until is not None and _aware(until) > now:
            status = "invited"
        else:
            status = "invitation expired"
        members.append(Member(row.name, row.role, status, row.created_at))
    return members


@overload
def _aware(moment: datetime) -> datetime: ...
@overload
def _aware(moment: None) -> None: ...
def _aware(moment: datetime | None) -> datetime | None:
    """A time read from an aggregate may come back naive (SQLite): it is UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)
