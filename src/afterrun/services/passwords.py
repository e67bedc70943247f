"""Passwords: the rule a new one must meet, and Argon2id hashing (argon2-cffi).

Imported only by the club's commands and the club's sign-in, never at start-up.
"""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from afterrun.core.errors import InvalidInput

#: The shortest password accepted: length is what makes a password hard to guess.
MIN_PASSWORD = 10
#: The longest, so a huge body cannot keep the hasher busy.
MAX_PASSWORD = 1024
PASSWORD_RULE = f"at least {MIN_PASSWORD} characters; a few words you will remember do well"


@cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()


def checked_password(password: str) -> str:
    """The password, or InvalidInput saying what the rule is."""
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(
            f"A password needs at least {MIN_PASSWORD} characters (this one has "
            f"{len(password)}): a few words you will remember do well."
        )
    if len(password) > MAX_PASSWORD:
        raise InvalidInput(f"A password can be at most {MAX_PASSWORD} characters.")
    return password


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def warm_up() -> None:
    """Make the dummy hash now, so the first unknown name is not answered more slowly."""
    _dummy_hash()


@cache
def _dummy_hash() -> str:
    return _hasher().hash("not anybody's password, only here to take the same time")


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches. Without a hash (an unknown name, an account whose
    invitation was never taken up) a dummy hash is checked, so the answer takes as long."""
    if len(password) > MAX_PASSWORD:
        password = password[:MAX_PASSWORD]
    try:
        return _hasher().verify(password_hash or _dummy_hash(), password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False
