"""The club's accounts, as both the `afterrun club` commands and the web app use them:
making a database a club, invitation and reset links, members, removing one, and
setting a password from a link.

A link carries a random token (`secrets.token_urlsafe(32)`); only its SHA-256 is stored,
so a copy of the database cannot be used to take over an account.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from afterrun.core.errors import InvalidInput
from afterrun.services.passwords import checked_password, hash_password
from afterrun.store.accounts import Accounts, Member, not_a_member
from afterrun.store.athletes import StoredAthlete
from afterrun.store.store import Store

Role = Literal["athlete", "coach", "admin"]
ROLES: tuple[Role, ...] = ("athlete", "coach", "admin")
#: How long a link works unless `--expires-in` says otherwise.
DEFAULT_LINK_LIFE = timedelta(days=7)
#: Where the links point when no --url is given.
DEFAULT_BASE_URL = "http://127.0.0.1:8765"
INVITE_PATH = "/invite/"
LINK_GONE = (
    "This invitation link has expired / has been used. Ask your club admin for a new one: "
    "afterrun club invite NAME"
)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Link:
    """A one-time link: to set the password of a new account, or a new one (reset)."""

    name: str
    role: str
    purpose: str
    url: str
    expires_at: datetime

    def to_json(self) -> dict[str, str]:
        return {
            "name": self.name,
            "role": self.role,
            "purpose": self.purpose,
            "url": self.url,
            "expires_at": self.expires_at.isoformat(),
        }


def _new_link(
    accounts: Accounts,
    athlete: StoredAthlete,
    purpose: str,
    base_url: str,
    now: datetime,
    life: timedelta,
) -> Link:
    token = secrets.token_urlsafe(32)
    expires = now + life
    accounts.add_invitation(athlete.id, token_hash(token), purpose, now, expires)
    url = base_url.rstrip("/") + INVITE_PATH + token
    return Link(athlete.name, athlete.role, purpose, url, expires)


def _club(store: Store) -> Accounts:
    accounts = Accounts(store)
    if not accounts.is_club():
        raise InvalidInput(
            "This database is not a club: make it one with "
            "`afterrun club init --db URL --admin NAME`."
        )
    return accounts


def init_club(
    store: Store, admin: str, base_url: str, now: datetime, life: timedelta = DEFAULT_LINK_LIFE
) -> Link:
    """Make the database a club: its first athlete, with all it holds, becomes the admin;
    returns the admin's link to set a password."""
    accounts = Accounts(store)
    athlete = accounts.make_club(admin, now)
    return _new_link(accounts, athlete, "invite", base_url, now, life)


def invite(
    store: Store, name: str, role: Role, base_url: str, now: datetime, life: timedelta
) -> Link:
    """A new member without a password, and the link to set one."""
    accounts = _club(store)
    athlete_id = store.add_athlete(name, now, role)
    athlete = next(one for one in store.list_athletes() if one.id == athlete_id)
    return _new_link(accounts, athlete, "invite", base_url, now, life)


def reset_link(store: Store, name: str, base_url: str, now: datetime, life: timedelta) -> Link:
    """A new one-time link for a member who forgot their password (or never set one)."""
    accounts = _club(store)
    athlete = store.find_athlete(name)
    if athlete is None:
        raise not_a_member(name)
    purpose = "reset" if athlete.has_password else "invite"
    return _new_link(accounts, athlete, purpose, base_url, now, life)


def members(store: Store, now: datetime) -> list[Member]:
    return _club(store).members(now)


def remove(store: Store, name: str) -> StoredAthlete:
    return _club(store).remove(name)


def open_link(store: Store, token: str, now: datetime) -> tuple[str, str] | None:
    """(name, purpose) of a link that still works, else None."""
    return Accounts(store).open_invitation(token_hash(token), now)


def set_password(store: Store, token: str, password: str, now: datetime) -> int | None:
    """Take up a link: the password is set and the link used up; the account's signed-in
    browsers are signed out. None when the link no longer works."""
    accounts = Accounts(store)
    hashed = token_hash(token)
    if accounts.open_invitation(hashed, now) is None:
        return None
    return accounts.take_invitation(hashed, hash_password(checked_password(password)), now)


def scoped_store(database: Store, athlete: str | None) -> Store:
    """The store a command works on: the named member's in a club; the whole database in
    a personal one (where --athlete may name its one athlete)."""
    if athlete is not None:
        found = database.find_athlete(athlete)
        if found is None and not Accounts(database).is_club():
            raise InvalidInput(
                f"--athlete names a club member, and this database is not a club's: leave "
                f"out --athlete {athlete}."
            )
        if found is None:
            raise not_a_member(athlete)
        return database.for_athlete(found.id)
    if Accounts(database).is_club():
        raise InvalidInput("This database is a club's: pass --athlete NAME.")
    return database
