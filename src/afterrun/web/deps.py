"""What route handlers and pages declare they need: the app's state, ids, advice options."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, TypeVar

from fastapi import Depends, Path, Query

from afterrun.core.catalogue import Catalogue
from afterrun.core.ids import MAX_ID
from afterrun.store import Store
from afterrun.web.settings import WebSettings
from afterrun.web.signed_in import Me, SignedIn
from afterrun.web.state import AppState, app_state

_T = TypeVar("_T")

State = Annotated[AppState, Depends(app_state)]


@dataclass(frozen=True)
class AthleteView:
    """The app as the athlete a request is for sees it: a store that reads and writes only
    their rows, and cached answers kept apart by their id. In personal mode, the one
    athlete's; in a club, the signed-in member's."""

    app: AppState
    me: SignedIn
    store: Store

    @property
    def settings(self) -> WebSettings:
        return self.app.settings

    @property
    def catalogue(self) -> Catalogue:
        return self.app.catalogue

    def now(self) -> datetime:
        return self.app.now()

    def cached(self, key: Hashable, compute: Callable[[], _T]) -> _T:
        return self.app.cached(("athlete", self.me.athlete_id, key), compute)


def athlete_view(state: State, me: Me) -> AthleteView:
    return AthleteView(state, me, state.store.for_athlete(me.athlete_id))


#: What a route that reads or writes an athlete's data declares.
Mine = Annotated[AthleteView, Depends(athlete_view)]
#: A row id in a path: 1 to the largest id a row can have.
RowId = Annotated[int, Path(ge=1, le=MAX_ID)]


@dataclass(frozen=True)
class AdviceQuery:
    """What the runner may add for more precise advice: weights and the next hard session."""

    weight_before: float | None = None
    weight_after: float | None = None
    next_session_hours: float | None = None

    @property
    def key(self) -> tuple[float | None, ...]:
        return (self.weight_before, self.weight_after, self.next_session_hours)

    @property
    def empty(self) -> bool:
        return self.key == (None, None, None)


_KG = Query(ge=25, le=300, description="Body weight in kg")


def advice_query(
    weight_before: Annotated[float | None, _KG] = None,
    weight_after: Annotated[float | None, _KG] = None,
    next_session_hours: Annotated[
        float | None, Query(ge=0, le=336, description="Hours to your next hard session")
    ] = None,
) -> AdviceQuery:
    return AdviceQuery(weight_before, weight_after, next_session_hours)


Advice = Annotated[AdviceQuery, Depends(advice_query)]
