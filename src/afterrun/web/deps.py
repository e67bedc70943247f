"""What route handlers and pages declare they need: the app's state, ids, advice options."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Path, Query

from afterrun.core.ids import MAX_ID
from afterrun.web.state import AppState, app_state

State = Annotated[AppState, Depends(app_state)]
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
