"""What a runner can do next, named by kind: the core says which, each edge says how
(an option in the terminal, a field or button on the phone)."""

from __future__ import annotations

from enum import StrEnum


class Hint(StrEnum):
    MORE_MINUTES = "more-minutes"
    MEASURED_HR_MAX = "measured-hr-max"
    HR_MAX_OR_BIRTH_YEAR = "hr-max-or-birth-year"
    RESTING_HR = "resting-hr"
    RATE_THE_RUN = "rate-the-run"
    #: No run is stored yet: add one by hand or import files.
    ADD_A_RUN = "add-a-run"
    #: Nothing says how hard today's run was: give it, or store the run first.
    GIVE_INTENSITY = "give-intensity"
