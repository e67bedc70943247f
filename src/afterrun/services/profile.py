"""Every rule a profile change must meet, checked once for the command line and the web."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from afterrun.core.activity import Sport
from afterrun.core.errors import InvalidInput
from afterrun.core.profile_limits import MIN_AGE
from afterrun.zones import zone_named


class ProfileRejected(InvalidInput):
    """A profile value breaks a rule; `field` names it and `rule` says which rule."""

    def __init__(self, field: str, rule: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.rule = rule


def check_heart_rates(hr_max: int | None, hr_rest: int | None) -> None:
    """A resting heart rate at or above the maximum would make every heart-rate load
    meaningless."""
    if hr_max is not None and hr_rest is not None and hr_rest >= hr_max:
        raise ProfileRejected(
            "hr_rest",
            "rest-not-below-max",
            f"Resting heart rate ({hr_rest}) must be below your maximum ({hr_max}): "
            "check both numbers.",
        )


def checked_changes(changes: Mapping[str, Any], this_year: int) -> dict[str, Any]:
    """The changes given (None values dropped), each rule checked, zone and sport parsed.

    Ranges are checked where the values come in (Click types, pydantic fields); these are
    the rules that depend on another value, on this year, or on the system's zone names.
    """
    checked = {key: value for key, value in changes.items() if value is not None}
    birth_year = checked.get("birth_year")
    if birth_year is not None and birth_year > this_year - MIN_AGE:
        raise ProfileRejected(
            "birth_year",
            "too-young",
            f"{birth_year} would make you under {MIN_AGE}; give the year you were born.",
        )
    check_heart_rates(checked.get("hr_max"), checked.get("hr_rest"))
    if "timezone" in checked:
        try:
            checked["timezone"] = zone_named(checked["timezone"]).key
        except InvalidInput as error:
            raise ProfileRejected("timezone", "unknown-zone", error.message) from error
    if "main_sport" in checked:
        checked["main_sport"] = Sport(checked["main_sport"])
    return checked


def checked_form(values: Mapping[str, Any], this_year: int) -> dict[str, Any]:
    """A form's values: those given are checked as `checked_changes` checks them, and a
    field sent empty (None) clears the stored value, as the form says it will."""
    changes = checked_changes(values, this_year)
    changes.update({key: None for key, value in values.items() if value is None})
    return changes
