"""Who a request is for: in personal mode always the database's one athlete; in club mode
the account signed in, which the club's sign-in check puts in the request's scope."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import Depends, HTTPException, Request

from afterrun.store.tables import PERSONAL_ATHLETE_ID

Role = Literal["athlete", "coach", "admin"]
#: Where the club's sign-in check leaves the SignedIn of a request.
SCOPE_KEY = "afterrun.signed_in"


@dataclass(frozen=True)
class SignedIn:
    athlete_id: int
    name: str
    role: Role


PERSONAL = SignedIn(PERSONAL_ATHLETE_ID, "me", "athlete")
NOT_SIGNED_IN = "Sign in first: open /signin on this server."


def role_of(stored: str) -> Role:
    """A stored role as a Role; anything unknown counts as the least: an athlete."""
    if stored == "admin":
        return "admin"
    return "coach" if stored == "coach" else "athlete"


def signed_in(request: Request) -> SignedIn:
    """The SignedIn of the request: a personal server's one athlete, whatever the request
    carries; in club mode the sign-in check's, or 401 when it left none (a route reached
    without it is refused, never answered as the personal athlete)."""
    if not request.app.state.afterrun.settings.club:
        return PERSONAL
    found = request.scope.get(SCOPE_KEY)
    if isinstance(found, SignedIn):
        return found
    raise HTTPException(status_code=401, detail=NOT_SIGNED_IN)


Me = Annotated[SignedIn, Depends(signed_in)]
