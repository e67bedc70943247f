"""Signing in to a club: checking a password, slowing down guessing, and the sessions
that keep a browser signed in. Everything lives in the database, so several server
processes share the sessions and the count of failed tries.

Sessions end after 14 days without use or 90 days after signing in, whichever is first;
a session's last use is written at most once a minute.
"""

from __future__ import annotations

import logging
import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from afterrun.services.club import token_hash
from afterrun.services.passwords import verify_password
from afterrun.store.accounts import Account, Accounts
from afterrun.store.athletes import login_of
from afterrun.store.store import Store

log = logging.getLogger("afterrun.club")

SESSION_IDLE = timedelta(days=14)
SESSION_LIFE = timedelta(days=90)
TOUCH_EVERY = timedelta(minutes=1)
#: Failed tries are counted over this window...
ATTEMPT_WINDOW = timedelta(minutes=15)
#: ...and sign-in stops for a name after this many, or for an address after ATTEMPTS_BY_CLIENT.
ATTEMPTS_BY_LOGIN = 5
ATTEMPTS_BY_CLIENT = 20
WRONG = "That name and password do not match: try again, or ask your club admin for a new link."


@dataclass(frozen=True)
class SignInResult:
    """A session token for the cookie, or why not: `retry_after` seconds when slowed down."""

    account: Account | None
    token: str | None = None
    retry_after: int | None = None

    @property
    def message(self) -> str:
        if self.retry_after is not None:
            return too_many(self.retry_after)
        return WRONG


def too_many(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    unit = "minute" if minutes == 1 else "minutes"
    return f"Too many sign-in attempts: wait {minutes} {unit} and try again."


def _retry_after(accounts: Accounts, login: str, client: str, now: datetime) -> int | None:
    failures = accounts.failures_since(login, client, now - ATTEMPT_WINDOW)
    waits = []
    if failures.by_login >= ATTEMPTS_BY_LOGIN and failures.oldest_login is not None:
        waits.append(failures.oldest_login + ATTEMPT_WINDOW - now)
    if failures.by_client >= ATTEMPTS_BY_CLIENT and failures.oldest_client is not None:
        waits.append(failures.oldest_client + ATTEMPT_WINDOW - now)
    if not waits:
        return None
    return max(1, math.ceil(max(waits).total_seconds()))


def sign_in(store: Store, name: str, password: str, client: str, now: datetime) -> SignInResult:
    """Check a name and password. The answer is the same, and takes about as long, for a
    name that is not a member; tries are refused for a while after too many failures."""
    accounts = Accounts(store)
    login = login_of(name)
    wait = _retry_after(accounts, login, client, now)
    if wait is not None:
        log.warning("sign-in refused: too many failures for %r or from %s", login, client)
        return SignInResult(None, retry_after=wait)
    account = accounts.account(name)
    good = verify_password(account.password_hash if account else None, password)
    accounts.record_attempt(login, client, now, good, keep=timedelta(days=1))
    if not good or account is None:
        log.warning("sign-in failed for %r from %s", login, client)
        wait = _retry_after(accounts, login, client, now)
        if wait is not None:
            log.warning("sign-in locked for %r and %s for %d s", login, client, wait)
        return SignInResult(None)
    token = secrets.token_urlsafe(32)
    accounts.add_session(account.athlete_id, token_hash(token), now, now + SESSION_LIFE)
    log.info("%s signed in from %s", account.name, client)
    return SignInResult(account, token)


def new_session(store: Store, athlete_id: int, now: datetime) -> str:
    """A session for an athlete who has just set their password; returns its token."""
    token = secrets.token_urlsafe(32)
    Accounts(store).add_session(athlete_id, token_hash(token), now, now + SESSION_LIFE)
    return token


def session_account(store: Store, token: str, now: datetime) -> Account | None:
    """The account a session cookie signs in, or None if it is unknown or has expired."""
    accounts = Accounts(store)
    hashed = token_hash(token)
    found = accounts.session_account(hashed, now, SESSION_IDLE)
    if found is None:
        return None
    account, seen = found
    if now - seen >= TOUCH_EVERY:
        accounts.touch_session(hashed, now)
    return account


def sign_out(store: Store, token: str) -> None:
    Accounts(store).end_session(token_hash(token))
