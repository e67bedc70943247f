"""Request bodies of the JSON API, with the same bounds as the CLI's options."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from afterrun.core.catalogue.models import AREAS, Equipment
from afterrun.core.ids import MAX_ID
from afterrun.core.intensity import Intensity
from afterrun.core.plan import DEFAULT_MINUTES, MAX_MINUTES, MIN_MINUTES
from afterrun.core.profile_limits import BIRTH_YEAR, HR_MAX, HR_REST, WEIGHT_KG
from afterrun.core.red_flags import RED_FLAGS
from afterrun.core.replay import MAX_EVENTS, Action

Place = Literal["home", "gym", "track"]


def _known_area(value: str) -> str:
    if value not in AREAS:
        raise ValueError(f"unknown body area {value[:40]!r}; known: {', '.join(AREAS)}")
    return value


def _known_areas(values: list[str] | None) -> list[str] | None:
    for value in values or ():
        _known_area(value)
    return values


def _no_text_or_bool(kind: str, message: str) -> BeforeValidator:
    def check(value: object) -> object:
        if isinstance(value, bool | str):
            raise PydanticCustomError(kind, message)
        return value

    return BeforeValidator(check)


#: JSON numbers only: `true` or `"15"` is not a number of minutes (pydantic's lax mode
#: takes both); 15.0 still is. Bounds go before these in `Annotated`, or the OpenAPI
#: document loses them.
_WHOLE = _no_text_or_bool("int_type", "Input should be a whole number")
_NUMBER = _no_text_or_bool("float_type", "Input should be a number")
Whole = Annotated[int, _WHOLE]
Number = Annotated[float, _NUMBER]


#: A player may stay open (paused, forgotten) for days before it is saved; a week is the bound.
MAX_SESSION_MS = 7 * 24 * 3600 * 1000


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


#: A body area, documented as the enum it is checked against.
_AreaName = Annotated[str, Field(json_schema_extra={"enum": list(AREAS)})]


class SessionStart(_Body):
    """Plan and start a cool-down; anything left out is worked out as the CLI does."""

    minutes: Whole = Field(default=DEFAULT_MINUTES, ge=MIN_MINUTES, le=MAX_MINUTES)
    intensity: Intensity | None = None
    place: Place | None = None
    equipment: list[Equipment] | None = Field(default=None, max_length=20)
    focus: list[_AreaName] | None = Field(default=None, max_length=len(AREAS))
    avoid: list[_AreaName] | None = Field(default=None, max_length=len(AREAS))

    _areas = field_validator("focus", "avoid")(_known_areas)


class EventIn(_Body):
    at_ms: Whole = Field(ge=0, le=MAX_SESSION_MS)
    action: Action
    area: _AreaName | None = Field(default=None, max_length=40)

    @field_validator("area")
    @classmethod
    def _area(cls, value: str | None) -> str | None:
        return None if value is None else _known_area(value)


class Progress(_Body):
    """The player's whole event log and how far its clock has run, sent whole each time."""

    events: list[EventIn] = Field(default_factory=list, max_length=MAX_EVENTS)
    until_ms: Whole = Field(ge=0, le=MAX_SESSION_MS)


class RatingIn(_Body):
    rpe: Number = Field(ge=0, le=10, description="How hard it felt, CR-10 (0 rest, 10 maximal).")


#: The enums and bounds are documented for clients; the check-in service checks areas,
#: ratings and red flags itself, with the same messages the CLI prints.
_Rating = Annotated[int, Field(json_schema_extra={"minimum": 0, "maximum": 10}), _WHOLE]
_FlagName = Annotated[str, Field(json_schema_extra={"enum": [flag.slug for flag in RED_FLAGS]})]


class CheckinIn(_Body):
    ratings: dict[_AreaName, _Rating] = Field(default_factory=dict, max_length=len(AREAS))
    red_flags: list[_FlagName] = Field(default_factory=list, max_length=len(RED_FLAGS))
    run_id: Annotated[int, Field(ge=1, le=MAX_ID), _WHOLE] | None = None
    note: str | None = Field(default=None, max_length=500)


class ClearanceIn(_Body):
    note: str | None = Field(default=None, max_length=500)


#: Sports a runner may set; multisport is a file's, never a correction.
EditableSport = Literal[
    "running", "cycling", "swimming", "walking", "hiking", "cross-country-skiing", "other"
]


class RunEditIn(_Body):
    """Correct an activity's sport or name; at least one of them."""

    sport: EditableSport | None = None
    name: str | None = Field(default=None, min_length=1, max_length=200)


class ProfileIn(_Body):
    hr_max: Annotated[int, Field(ge=HR_MAX[0], le=HR_MAX[1]), _WHOLE] | None = None
    hr_rest: Annotated[int, Field(ge=HR_REST[0], le=HR_REST[1]), _WHOLE] | None = None
    sex: Literal["m", "f"] | None = None
    weight_kg: Annotated[float, Field(ge=WEIGHT_KG[0], le=WEIGHT_KG[1]), _NUMBER] | None = None
    birth_year: Annotated[int, Field(ge=BIRTH_YEAR[0], le=BIRTH_YEAR[1]), _WHOLE] | None = None
    timezone: str | None = Field(
        default=None, max_length=64, description="An IANA zone name, e.g. Europe/Berlin."
    )
    main_sport: EditableSport | None = None


class ShareIn(_Body):
    """What one coach may see; a switch left out is off."""

    load_and_runs: bool = False
    adherence: bool = False
    soreness_and_flags: bool = False


class RoutineIn(_Body):
    """A squad routine's name and planning defaults; a default left out is the runner's."""

    name: str = Field(min_length=1, max_length=80)
    minutes: Whole | None = Field(default=None, ge=MIN_MINUTES, le=MAX_MINUTES)
    place: Place | None = None
    equipment: list[Equipment] | None = Field(default=None, max_length=20)
    focus: list[_AreaName] | None = Field(default=None, max_length=len(AREAS))
    avoid: list[_AreaName] | None = Field(default=None, max_length=len(AREAS))

    _areas = field_validator("focus", "avoid")(_known_areas)
