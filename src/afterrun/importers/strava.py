"""Strava bulk exports: what `activities.csv` adds to the activity files beside it.

A Strava export holds `activities.csv` at its root and the original uploads under
`activities/` (`123.fit.gz`, `456.gpx`, `789.tcx.gz` ...). The files lack what the
runner typed into Strava: the activity's name, its type and the perceived
exertion. `read_activities_csv` maps each row's `Filename` to a `SourceMeta`;
`apply_meta` puts it on the parsed `Activity`.

Decisions:

* The header is read leniently: names are compared case-insensitively with runs of
  blanks squashed, and a name that appears twice (Strava writes "Elapsed Time",
  "Distance" ... twice, once formatted and once raw) means its first column.
* Nothing in a row can fail the import: an empty or malformed perceived exertion,
  or one outside Strava's 1-10 scale, is None. Strava's 1-10 is used as the 0-10
  session-RPE scale the load model expects (the two agree above 0).
* Sport from the CSV's "Activity Type" (the runner's choice on Strava) wins over
  the file's for these types, compared on letters only, case-insensitively:
  Run, Virtual Run, Trail Run → running; Ride, Virtual Ride, Mountain Bike Ride,
  Gravel Ride → cycling; Swim → swimming; Walk → walking; Hike → hiking;
  Nordic Ski, Cross Country Ski(ing) → cross-country skiing. Every other type
  (Workout, E-Bike Ride, Roller Ski, a localised name ...) keeps the parsed sport.
  A multisport file stays multisport: Strava gives one type to the whole file.
  When the sport changes, the parsed sub-sport (which belonged to the old sport)
  is dropped and a note says what happened.
"""

from __future__ import annotations

import csv
import io
import math
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from afterrun.core.activity import Activity, Sport

__all__ = [
    "STRAVA_SPORTS",
    "SourceMeta",
    "apply_meta",
    "meta_key",
    "read_activities_csv",
    "rpe_from_text",
    "strava_sport",
]

#: Strava activity types (letters only, lower case) that name one of our sports.
STRAVA_SPORTS: Mapping[str, Sport] = {
    "run": Sport.RUNNING,
    "virtualrun": Sport.RUNNING,
    "trailrun": Sport.RUNNING,
    "ride": Sport.CYCLING,
    "virtualride": Sport.CYCLING,
    "mountainbikeride": Sport.CYCLING,
    "gravelride": Sport.CYCLING,
    "swim": Sport.SWIMMING,
    "walk": Sport.WALKING,
    "hike": Sport.HIKING,
    "nordicski": Sport.CROSS_COUNTRY_SKIING,
    "crosscountryski": Sport.CROSS_COUNTRY_SKIING,
    "crosscountryskiing": Sport.CROSS_COUNTRY_SKIING,
}

_RPE_MIN = 1.0
_RPE_MAX = 10.0


@dataclass(frozen=True)
class SourceMeta:
    """What an export's index says about one activity file, beyond the file itself."""

    name: str | None = None
    sport_type: str | None = None
    rpe: float | None = None
    external_id: str | None = None


def strava_sport(type_text: str | None) -> Sport | None:
    """Our sport for a Strava activity type, or None when the type names none of ours."""
    if not type_text:
        return None
    return STRAVA_SPORTS.get(re.sub(r"[^a-z]", "", type_text.lower()))


def rpe_from_text(text: str | None) -> float | None:
    """Strava's perceived exertion (1-10) from a CSV cell; anything else is None."""
    if text is None:
        return None
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        return None
    if not math.isfinite(value) or not _RPE_MIN <= value <= _RPE_MAX:
        return None
    return value


def meta_key(prefix: str, name: str) -> str:
    """The lookup key for a file at `name` below `prefix`: posix, normalised, lower case.

    The CSV and the archive or folder may disagree on case and separators; a key
    both sides compute the same way makes the match independent of them.
    """
    joined = posixpath.join(prefix, name.replace("\\", "/").lstrip("/"))
    return posixpath.normpath(joined).lower()


def _column(header: list[str]) -> dict[str, int]:
    """Column index by squashed, case-folded name; the first of duplicate names wins."""
    index: dict[str, int] = {}
    for position, title in enumerate(header):
        index.setdefault(" ".join(title.split()).casefold(), position)
    return index


def _cell(row: list[str], position: int | None) -> str | None:
    if position is None or position >= len(row):
        return None
    text = row[position].strip()
    return text or None


def read_activities_csv(data: bytes, prefix: str = "") -> tuple[dict[str, SourceMeta], str | None]:
    """Map `meta_key(prefix, Filename)` → SourceMeta for every row of a Strava activities.csv.

    Returns the rows read and, when the file could not be read to its end (or has
    no Filename column), a one-line reason; what was read before still counts.
    """
    text = data.decode("utf-8-sig", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""))
    metas: dict[str, SourceMeta] = {}
    try:
        header = next(reader, None)
        if header is None:
            return metas, "activities.csv is empty; names and perceived exertion not used"
        columns = _column(header)
        filename = columns.get("filename")
        if filename is None:
            return metas, (
                "activities.csv has no Filename column; names and perceived exertion not used"
            )
        for row in reader:
            file_cell = _cell(row, filename)
            if file_cell is None:
                continue  # a manual entry: no file to attach it to
            metas[meta_key(prefix, file_cell)] = SourceMeta(
                name=_cell(row, columns.get("activity name")),
                sport_type=_cell(row, columns.get("activity type")),
                rpe=rpe_from_text(_cell(row, columns.get("perceived exertion"))),
                external_id=_cell(row, columns.get("activity id")),
            )
    except csv.Error as exc:
        return metas, (
            f"activities.csv line {reader.line_num} could not be read ({exc}); "
            "rows after it have no name or perceived exertion"
        )
    return metas, None


def apply_meta(activity: Activity, meta: SourceMeta | None) -> Activity:
    """The activity with what the export's index says: its name, sport and RPE.

    The CSV's name wins (the runner typed it); its RPE fills in only when the file
    has none; its sport wins as the module docstring describes.
    """
    if meta is None:
        return activity
    name = meta.name or activity.name
    rpe = activity.rpe if activity.rpe is not None else meta.rpe
    sport = activity.sport
    sub_sport = activity.sub_sport
    notes = activity.notes
    source = activity.sport_source
    mapped = strava_sport(meta.sport_type)
    if (
        mapped is not None
        and mapped is not activity.sport
        and activity.sport is not Sport.MULTISPORT
    ):
        sport = mapped
        sub_sport = None
        source = "file"
        notes = (
            *notes,
            f"sport is {mapped} as in activities.csv ({meta.sport_type}); "
            f"the file said {activity.sport}",
        )
    return replace(
        activity,
        name=name,
        rpe=rpe,
        sport=sport,
        sub_sport=sub_sport,
        notes=notes,
        sport_source=source,
    )
