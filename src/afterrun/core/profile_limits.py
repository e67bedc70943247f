"""The bounds of every profile value, shared by the command line and the web app."""

from __future__ import annotations

from afterrun.core.activity import Sport

HR_MAX = (100, 240)
HR_REST = (25, 120)
WEIGHT_KG = (25.0, 300.0)
BIRTH_YEAR = (1900, 2030)
#: A birth year must make the runner at least this old this year.
MIN_AGE = 5
SEXES = ("m", "f")
#: Sports a runner may set; multisport is a file's, never a correction.
EDITABLE_SPORTS = tuple(sport.value for sport in Sport if sport is not Sport.MULTISPORT)
