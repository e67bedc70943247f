"""Soreness per body area: check-ins (0-10) and pain reported in cool-downs, in one history.

afterrun cannot diagnose. It says what the usual course of soreness is (and that runners
differ), names the rule that made it suggest a physiotherapist or doctor, and eases or
leaves out the stretches for an area that hurts. Red flags (core.red_flags) always come
first and are never explained away.

The rules, all over the last 14 days:
- hurt on 2 or more days: a cool-down pain report, or a check-in rating of 4 or more, on
  two different calendar days (the runner's local date). Everything on one day is one
  occasion: a cool-down where it hurt and a check-in that evening are the same soreness;
- rated 7 or more in the latest check-in that rated the area;
- still rising after 72 h: the latest rating after a run, taken more than 72 h after it,
  is higher than the one before for the same run.
All three thresholds are afterrun's own cautious rules of thumb, not clinical cut-offs, and
every text that applies one says so; the sources back only what the text says about strains.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import Literal

from afterrun.core.body import AREAS
from afterrun.core.errors import InvalidInput
from afterrun.core.time_text import day_text

RATING_MAX = 10
#: A note is a few words to remember the day by, not a diary.
NOTE_MAX = 500
#: A check-in rating at or above this counts as "hurt", like a pain report in a cool-down.
HURT_RATING = 4
#: A rating at or above this suggests a professional and leaves the area's stretches out.
SEVERE_RATING = 7
WINDOW = timedelta(days=14)
RISING_AFTER_HOURS = 72.0
#: Distinct local days on which an area hurt that make pain "keep coming back".
HURT_DAYS = 2

EntryKind = Literal["check-in", "cool-down"]
Rule = Literal["hurt-twice", "severe", "rising"]

#: afterrun's own thresholds: cautious rules of thumb, not clinical cut-offs from a source.
RULE_LABELS: dict[Rule, str] = {
    "hurt-twice": "afterrun's rule of thumb: hurt on 2 or more days in 14 days",
    "severe": "afterrun's rule of thumb: rated 7 or more",
    "rising": "afterrun's rule of thumb: still rising after 72 h",
}

#: What the referral says, from the ladder's "see a clinician soon" rung.
SEE_SOON = "see a doctor or physiotherapist in the next few days"

NORMAL_COURSE = (
    "Soreness after a hard run usually starts within a day and can peak around two days "
    "later, but runners differ: in a study of 400 race runners most were sorest soon after "
    "the race and eased from there, and only 14% peaked at 36-48 h."
)
NORMAL_COURSE_SOURCES: tuple[str, ...] = ("henschke-2011", "lau-2013", "vickers-2001")


@dataclass(frozen=True)
class CheckIn:
    """How sore each area is at one moment (0-10), and any red flags, after a run or not."""

    at: datetime
    ratings: Mapping[str, int] = field(default_factory=dict)
    red_flags: tuple[str, ...] = ()
    run_id: int | None = None
    hours_after_run: float | None = None
    note: str | None = None


def check_checkin(checkin: CheckIn) -> None:
    """Refuse what the store must never hold: unknown areas or flags, ratings outside 0-10."""
    for area, rating in checkin.ratings.items():
        if area not in AREAS:
            raise InvalidInput(f"unknown body area {area!r}. Choose from: {', '.join(AREAS)}.")
        if isinstance(rating, bool) or not isinstance(rating, int):
            raise InvalidInput(f"the rating for {area} must be a whole number from 0 to 10.")
        if not 0 <= rating <= RATING_MAX:
            raise InvalidInput(f"the rating {rating} for {area} is out of range: give 0 to 10.")
    if checkin.red_flags:
        from afterrun.core.red_flags import BY_SLUG  # noqa: PLC0415

    for slug in checkin.red_flags:
        if slug not in BY_SLUG:
            raise InvalidInput(f"unknown red flag {slug!r}. Choose from: {', '.join(BY_SLUG)}.")
    if checkin.note is not None and len(checkin.note) > NOTE_MAX:
        raise InvalidInput(
            f"the note is {len(checkin.note)} characters long; keep it to {NOTE_MAX}."
        )


def parse_ratings(texts: Sequence[str], known: Mapping[str, str]) -> dict[str, int]:
    """'calves=4 hamstring=2' -> {'calves': 4, 'hamstrings': 2}; `known` maps aliases to areas."""
    ratings: dict[str, int] = {}
    given: dict[str, str] = {}
    for text in texts:
        name, equals, value = text.partition("=")
        if not equals:
            raise InvalidInput(f"{text!r} has no '=': give AREA=RATING, e.g. calves=4.")
        key = name.strip().lower().replace(" ", "-").replace("_", "-")
        if key not in known:
            raise InvalidInput(
                f"{text!r}: unknown body area {name.strip()!r}. Choose from: {', '.join(AREAS)}."
            )
        area = known[key]
        try:
            rating = int(value.strip())
        except ValueError:
            raise InvalidInput(
                f"{text!r}: the rating {value.strip()!r} is not a whole number from 0 to 10."
            ) from None
        if not 0 <= rating <= RATING_MAX:
            raise InvalidInput(f"{text!r}: the rating {rating} is out of range: give 0 to 10.")
        if area in given:
            raise InvalidInput(
                f"{text!r}: {area} is already rated ({given[area]!r}): give each area once."
            )
        given[area] = text
        ratings[area] = rating
    return ratings


@dataclass(frozen=True)
class AreaEntry:
    """One thing known about an area at one moment: a check-in rating or a cool-down pain."""

    area: str
    at: datetime
    kind: EntryKind
    #: The check-in id or the session id (occasions are counted by day: see _hurt_days).
    occasion: int
    rating: int | None = None
    run_id: int | None = None
    hours_after_run: float | None = None
    red_flags: tuple[str, ...] = ()

    @property
    def hurt(self) -> bool:
        """A pain report always counts; a check-in from HURT_RATING up."""
        return self.rating is None or self.rating >= HURT_RATING


def checkin_entries(checkin_id: int, checkin: CheckIn) -> list[AreaEntry]:
    return [
        AreaEntry(
            area,
            checkin.at,
            "check-in",
            checkin_id,
            rating,
            checkin.run_id,
            checkin.hours_after_run,
            checkin.red_flags,
        )
        for area, rating in checkin.ratings.items()
    ]


def pain_entry(session_id: int, area: str, at: datetime) -> AreaEntry:
    """'It hurts' pressed in a cool-down: that area hurt, at that time."""
    return AreaEntry(area, at, "cool-down", session_id)


def by_area(entries: Iterable[AreaEntry]) -> dict[str, list[AreaEntry]]:
    """One history per known area, oldest first (areas outside AREAS cannot be planned for)."""
    history: dict[str, list[AreaEntry]] = {}
    for entry in sorted(entries, key=lambda e: (e.at, e.kind, e.occasion)):
        if entry.area in AREAS:
            history.setdefault(entry.area, []).append(entry)
    return {area: history[area] for area in AREAS if area in history}


def area_history(
    checkins: Iterable[tuple[int, CheckIn]], pains: Iterable[tuple[int, str, datetime]]
) -> dict[str, list[AreaEntry]]:
    """Check-in ratings (id, check-in) and cool-down pain (session id, area, time), one
    history per area."""
    entries = [
        entry for checkin_id, checkin in checkins for entry in checkin_entries(checkin_id, checkin)
    ]
    entries.extend(pain_entry(session_id, area, at) for session_id, area, at in pains)
    return by_area(entries)


@dataclass(frozen=True)
class Suggestion:
    """See a physiotherapist or doctor about an area: which rule fired, why, and the source."""

    area: str
    rule: Rule
    text: str
    sources: tuple[str, ...]


def _recent(entries: Sequence[AreaEntry], now: datetime) -> list[AreaEntry]:
    return [entry for entry in entries if entry.at >= now - WINDOW]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def local_date(moment: datetime, tz: tzinfo) -> date:
    """The runner's calendar day of `moment` in their zone `tz`."""
    return moment.astimezone(tz).date()


def _hurt_days(entries: Sequence[AreaEntry], tz: tzinfo) -> dict[date, list[EntryKind]]:
    """The local days on which the area hurt, oldest first, each with what said so (once)."""
    days: dict[date, list[EntryKind]] = {}
    for entry in sorted(entries, key=lambda e: e.at):
        if entry.hurt:
            kinds = days.setdefault(local_date(entry.at, tz), [])
            if entry.kind not in kinds:
                kinds.append(entry.kind)
    return days


def _and(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def _days_text(days: Mapping[date, Sequence[EntryKind]]) -> str:
    """'on 2 days in the last 14 days: a cool-down on 20 Nov and a check-in on 23 Nov'."""
    described = [
        f"{_and([f'a {kind}' for kind in kinds])} on {day_text(day)}" for day, kinds in days.items()
    ]
    return f"on {_plural(len(days), 'day')} in the last 14 days: {_and(described)}"


def _latest_rating(entries: Sequence[AreaEntry]) -> AreaEntry | None:
    rated = [entry for entry in entries if entry.kind == "check-in"]
    return rated[-1] if rated else None


def _rising(area: str, entries: Sequence[AreaEntry]) -> Suggestion | None:
    """The latest rating after some run, taken > 72 h after it, above the one before it."""
    by_run: dict[int, list[AreaEntry]] = {}
    for entry in entries:
        if entry.kind == "check-in" and entry.run_id is not None:
            by_run.setdefault(entry.run_id, []).append(entry)
    for run_id, ratings in sorted(by_run.items(), key=lambda item: item[1][-1].at, reverse=True):
        if len(ratings) < 2:
            continue
        before, latest = ratings[-2], ratings[-1]
        hours = latest.hours_after_run
        if hours is None or hours <= RISING_AFTER_HOURS:
            continue
        if (
            latest.rating is not None
            and before.rating is not None
            and latest.rating > before.rating
        ):
            return Suggestion(
                area,
                "rising",
                f"Soreness in the {area} rose from {before.rating} to {latest.rating}/10, "
                f"{hours:.0f} h after run {run_id}. Pain that keeps getting worse for days can be "
                f"a strain or another injury rather than soreness: {SEE_SOON}.",
                ("nhs-sprains",),
            )
    return None


def suggestions(
    history: Mapping[str, Sequence[AreaEntry]], now: datetime, tz: tzinfo
) -> list[Suggestion]:
    """Every rule that fires for any area, in area order; days are local dates in `tz`."""
    found: list[Suggestion] = []
    for area, entries in history.items():
        recent = _recent(entries, now)
        days = _hurt_days(recent, tz)
        if len(days) >= HURT_DAYS:
            found.append(
                Suggestion(
                    area,
                    "hurt-twice",
                    f"The {area} hurt {_days_text(days)}. Pain that keeps coming back can be a "
                    f"strain rather than soreness: {SEE_SOON}.",
                    ("nhs-sprains",),
                )
            )
        latest = _latest_rating(recent)
        if latest is not None and latest.rating is not None and latest.rating >= SEVERE_RATING:
            found.append(
                Suggestion(
                    area,
                    "severe",
                    f"You rated the {area} {latest.rating}/10. Pain that strong can be a strain "
                    f"rather than soreness: {SEE_SOON}. If it is far beyond what the run "
                    "explains, or comes with weakness or dark urine, get same-day care.",
                    ("nhs-sprains", "cdc-niosh"),
                )
            )
        rising = _rising(area, recent)
        if rising is not None:
            found.append(rising)
    return found


@dataclass(frozen=True)
class PlanSoreness:
    """What the planner should do about sore areas: (area, reason) pairs.

    `ease`: the gentler form at the shortest dose. `rest`: leave the area's exercises out.
    """

    ease: tuple[tuple[str, str], ...] = ()
    rest: tuple[tuple[str, str], ...] = ()


def _flag_names(slugs: Sequence[str]) -> str:
    return ", ".join(slug.replace("-", " ") for slug in slugs)


def _local_flags(slugs: Sequence[str]) -> list[str]:
    """The signs among `slugs` that concern one body area (a swelling, a sharp pain)."""
    if not slugs:
        return []
    from afterrun.core.red_flags import BY_SLUG  # noqa: PLC0415

    return [slug for slug in slugs if slug in BY_SLUG and BY_SLUG[slug].local]


def plan_soreness(
    history: Mapping[str, Sequence[AreaEntry]], now: datetime, tz: tzinfo
) -> PlanSoreness:
    """Rest an area rated 7+, or sore with a local warning sign (sharp pain, swelling, a
    possible clot or fracture) in its latest check-in; ease one that hurt.

    Days in the reasons are local dates in `tz`.
    """
    ease: list[tuple[str, str]] = []
    rest: list[tuple[str, str]] = []
    for area, entries in history.items():
        recent = _recent(entries, now)
        latest = _latest_rating(recent)
        if latest is not None and latest.rating is not None:
            if latest.rating >= SEVERE_RATING:
                rest.append(
                    (area, f"you rated the {area} {latest.rating}/10 in your latest check-in")
                )
                continue
            local = _local_flags(latest.red_flags)
            if local and latest.rating > 0:
                rest.append(
                    (
                        area,
                        f"your latest check-in rated the {area} {latest.rating}/10 and reported "
                        f"{_flag_names(local)}",
                    )
                )
                continue
        days = _hurt_days(recent, tz)
        if days:
            ease.append((area, f"{area} hurt {_days_text(days)}"))
    return PlanSoreness(tuple(ease), tuple(rest))
