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
