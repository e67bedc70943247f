"""Who a request is for: in personal mode always the database's one athlete; in club mode
the account signed in, which the club's sign-in check puts in the request's scope."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import Depends, Request

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


def signed_in(request: Request) -> SignedIn:
    found = request.scope.get(SCOPE_KEY)
    return found if isinstance(found, SignedIn) else PERSONAL


Me = Annotated[SignedIn, Depends(signed_in)]
