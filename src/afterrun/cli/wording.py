"""How the terminal names what the core leaves to each edge: inputs as options, and hints
as the command that does it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from afterrun.core.errors import AfterrunError
from afterrun.core.hints import Hint

if TYPE_CHECKING:
    from afterrun.core.sport_guess import SportNote

#: The option each input the core names is given with.
OPTION_NAMES = {
    "minutes": "--minutes",
    "focus": "--focus",
    "avoid": "--avoid",
    "weight_before": "--weight-before",
    "weight_after": "--weight-after",
    "next_session_in": "--next-session-in",
    "weeks": "--weeks",
    "sport": "--sport",
    "name": "--name",
    "at": "--at",
    "time": "--time",
    "distance": "--distance",
}

#: Each hint as the terminal gives it.
HINTS = {
    Hint.MORE_MINUTES: "give more minutes with --minutes",
    Hint.MEASURED_HR_MAX: "set a measured one with 'afterrun profile set --hr-max'",
    Hint.HR_MAX_OR_BIRTH_YEAR: "set yours with 'afterrun profile set --hr-max' or '--birth-year'",
    Hint.RESTING_HR: "set yours with '--hr-rest'",
    Hint.RATE_THE_RUN: "rate the run with 'afterrun run rate ID RPE'",
    Hint.ADD_A_RUN: "add one with 'afterrun run add' or 'afterrun import PATH'",
    Hint.GIVE_INTENSITY: "give --intensity, or import today's run first",
}


def error_text(error: AfterrunError) -> str:
    """The error's message with every input named as its option, and its hint if any."""
    text = error.worded(OPTION_NAMES)
    return text if error.hint is None else f"{text} {hint_sentence(error.hint)}"


def with_hint(text: str, hint: Hint) -> str:
    """'HRmax 183 is an estimate' -> 'HRmax 183 is an estimate; set a measured one ...'."""
    return f"{text.removesuffix('.')}; {HINTS[hint]}."


def hint_sentence(hint: Hint) -> str:
    """The hint as a sentence of its own: 'Give more minutes with --minutes.'"""
    text = HINTS[hint]
    return f"{text[0].upper()}{text[1:]}."


def sport_text(note: SportNote, activity_id: int) -> str:
    """The note with the command that corrects or sets the sport."""
    return f"{note.text}; {note.fix} it with `afterrun run edit {activity_id} --sport ...`"
