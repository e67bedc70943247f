"""Soreness check-ins: the rules, the store (SQLite and PostgreSQL), the command line, and how
pain in cool-downs changes the next plan."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import text

from afterrun.catalogue_files import load_catalogue
from afterrun.cli.main import load_command
from afterrun.cli.warnings_view import ladder_footer
from afterrun.core.activity import Activity, Sport
from afterrun.core.engine import SessionEngine
from afterrun.core.errors import InvalidInput, NotFound
from afterrun.core.intensity import Intensity
from afterrun.core.plan import PlanRequest
from afterrun.core.planner import plan_cooldown
from afterrun.core.rating import RunLoad
from afterrun.core.records import SessionRecord
from afterrun.core.red_flags import BY_SLUG, RED_FLAGS, RedFlag
from afterrun.core.soreness import (
    NORMAL_COURSE,
    RULE_LABELS,
    AreaEntry,
    CheckIn,
    by_area,
    check_checkin,
    checkin_entries,
    pain_entry,
    parse_ratings,
    plan_soreness,
    suggestions,
)
from afterrun.core.sources import cite
from afterrun.store import HEAD_REVISION, Store
from afterrun.store.db import alembic_config, create_store_engine
from afterrun.store.sessions import session_to_json
from conftest import Cli
from test_migrations import MAKER

CATALOGUE = load_catalogue(None)
NOW = datetime(2026, 11, 23, 18, 0, tzinfo=UTC)
ALIASES = {
    "calves": "calves",
    "calf": "calves",
    "hamstrings": "hamstrings",
    "hamstring": "hamstrings",
    "lower-back": "lower-back",
}
AREA_LIST = "calves, hamstrings, quads, hip-flexors, glutes, groin, hips, lower-back"


# --- parsing and checking ----------------------------------------------------------------


def test_ratings_parse_with_aliases_and_spaces() -> None:
    assert parse_ratings(["calf=4", " Hamstring = 2", "lower_back=0"], ALIASES) == {
        "calves": 4,
        "hamstrings": 2,
        "lower-back": 0,
    }
    assert parse_ratings([], ALIASES) == {}


@pytest.mark.parametrize(
    ("texts", "message"),
    [
        (["calves"], "'calves' has no '=': give AREA=RATING, e.g. calves=4."),
        (["calves=x"], "'calves=x': the rating 'x' is not a whole number from 0 to 10."),
        (["calves=4.5"], "'calves=4.5': the rating '4.5' is not a whole number from 0 to 10."),
        (["calves=11"], "'calves=11': the rating 11 is out of range: give 0 to 10."),
        (["calves=-1"], "'calves=-1': the rating -1 is out of range: give 0 to 10."),
        (["elbow=3"], f"'elbow=3': unknown body area 'elbow'. Choose from: {AREA_LIST}."),
        (
            ["calves=4", "calf=5"],
            "'calf=5': calves is already rated ('calves=4'): give each area once.",
        ),
    ],
)
def test_bad_ratings_are_refused_naming_the_value(texts: list[str], message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_ratings(texts, ALIASES)
    assert caught.value.message == message


@pytest.mark.parametrize(
    ("checkin", "message"),
    [
        (CheckIn(NOW, {"elbows": 1}), f"unknown body area 'elbows'. Choose from: {AREA_LIST}."),
        (CheckIn(NOW, {"calves": 12}), "the rating 12 for calves is out of range: give 0 to 10."),
        (
            CheckIn(NOW, {"calves": True}),
            "the rating for calves must be a whole number from 0 to 10.",
        ),
        (
            CheckIn(NOW, {}, ("itchy",)),
            "unknown red flag 'itchy'. Choose from: chest-pain, fainting, breathless, "
            "heat-stroke, low-sodium, dark-urine, severe-pain, calf-clot, cannot-bear-weight, "
            "faint-after, sharp-pain, swelling.",
        ),
    ],
)
def test_a_checkin_the_store_must_not_hold_is_refused(checkin: CheckIn, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_checkin(checkin)
    assert caught.value.message == message


# --- the rules ---------------------------------------------------------------------------


def rating(
    checkin_id: int,
    area: str,
    value: int,
    ago: timedelta,
    run_id: int | None = None,
    hours: float | None = None,
    flags: tuple[str, ...] = (),
) -> AreaEntry:
    return AreaEntry(area, NOW - ago, "check-in", checkin_id, value, run_id, hours, flags)


def pain(session_id: int, area: str, ago: timedelta) -> AreaEntry:
    return pain_entry(session_id, area, NOW - ago)


def rules(*entries: AreaEntry) -> list[tuple[str, str]]:
    return [(s.area, s.rule) for s in suggestions(by_area(entries), NOW, UTC)]


DAY = timedelta(days=1)
HOUR = timedelta(hours=1)


def test_pain_in_two_cool_downs_within_14_days_suggests_a_professional() -> None:
    history = by_area([pain(1, "hamstrings", 3 * DAY), pain(2, "hamstrings", DAY)])
    found = suggestions(history, NOW, UTC)
    assert len(found) == 1
    assert found[0].area == "hamstrings"
    assert found[0].rule == "hurt-twice"
    assert found[0].text == (
        "The hamstrings hurt on 2 days in the last 14 days: a cool-down on 20 Nov and a "
        "cool-down on 22 Nov. Pain that keeps coming back can be a strain rather than soreness: "
        "see a doctor or physiotherapist in the next few days."
    )
    assert found[0].sources == ("nhs-sprains",)
    assert (
        RULE_LABELS["hurt-twice"] == "afterrun's rule of thumb: hurt on 2 or more days in 14 days"
    )


def test_hurt_twice_counts_cool_downs_and_checkins_of_4_or_more() -> None:
    assert rules(pain(1, "calves", DAY), rating(1, "calves", 4, 2 * DAY)) == [
        ("calves", "hurt-twice")
    ]
    found = suggestions(
        by_area([pain(1, "calves", DAY), rating(1, "calves", 4, 2 * DAY)]), NOW, UTC
    )
    assert found[0].text.startswith(
        "The calves hurt on 2 days in the last 14 days: a check-in on 21 Nov and a cool-down "
        "on 22 Nov. "
    )
    assert rules(rating(1, "calves", 4, DAY), rating(2, "calves", 5, 2 * DAY)) == [
        ("calves", "hurt-twice")
    ]


def test_hurt_twice_needs_two_different_days() -> None:
    # A cool-down where the calves hurt and a check-in just after it: one day, one occasion.
    assert rules(pain(1, "calves", HOUR), rating(1, "calves", 4, 0 * HOUR)) == []
    # Two check-ins seconds apart are one occasion too.
    assert (
        rules(rating(1, "calves", 5, timedelta(seconds=30)), rating(2, "calves", 4, 0 * DAY)) == []
    )
    # Three hurts on two days: the count and the breakdown agree, by day.
    found = suggestions(
        by_area(
            [
                pain(1, "calves", 3 * DAY),
                pain(2, "calves", 2 * HOUR),
                rating(1, "calves", 4, HOUR),
                rating(2, "calves", 6, timedelta(minutes=5)),
            ]
        ),
        NOW,
        UTC,
    )
    assert [s.text.split(". ")[0] for s in found] == [
        "The calves hurt on 2 days in the last 14 days: a cool-down on 20 Nov and a cool-down "
        "and a check-in on 23 Nov"
    ]


def test_days_are_the_runners_local_dates() -> None:
    late = rating(1, "calves", 4, timedelta(hours=18, minutes=30))  # 23:30 UTC on 22 Nov
    early = rating(2, "calves", 4, timedelta(hours=17, minutes=30))  # 00:30 UTC on 23 Nov
    assert rules(late, early) == [("calves", "hurt-twice")]
    new_york = timezone(timedelta(hours=-5))  # both are the evening of 22 Nov there
    assert suggestions(by_area([late, early]), NOW, new_york) == []
    ease = plan_soreness(by_area([late, early]), NOW, new_york).ease
    assert ease == (("calves", "calves hurt on 1 day in the last 14 days: a check-in on 22 Nov"),)


def test_hurt_twice_edges() -> None:
    # A rating of 3 is not "hurt".
    assert rules(pain(1, "calves", DAY), rating(1, "calves", 3, 2 * DAY)) == []
    # Two pain reports in one cool-down are one occasion.
    assert rules(pain(1, "calves", DAY), pain(1, "calves", DAY - HOUR)) == []
    # Two areas hurting once each are not one area hurting twice.
    assert rules(pain(1, "calves", DAY), pain(2, "hamstrings", DAY)) == []
    # Exactly 14 days ago still counts; a second more does not.
    assert rules(pain(1, "calves", 14 * DAY), pain(2, "calves", DAY)) == [("calves", "hurt-twice")]
    assert rules(pain(1, "calves", 14 * DAY + timedelta(seconds=1)), pain(2, "calves", DAY)) == []
    # Areas the planner does not know (a pain report with no area) are left out.
    assert rules(pain(1, "unspecified", DAY), pain(2, "unspecified", 2 * DAY)) == []


def test_a_rating_of_7_or_more_in_the_latest_checkin_suggests_a_professional() -> None:
    found = suggestions(by_area([rating(1, "quads", 7, HOUR)]), NOW, UTC)
    assert [(s.area, s.rule) for s in found] == [("quads", "severe")]
    assert found[0].text == (
        "You rated the quads 7/10. Pain that strong can be a strain rather than soreness: "
        "see a doctor or physiotherapist in the next few days. If it is far beyond what the run "
        "explains, or comes with weakness or dark urine, get same-day care."
    )
    assert rules(rating(1, "quads", 6, HOUR)) == []
    # A later, lower rating is the one that counts (but both were "hurt").
    assert rules(rating(1, "quads", 8, 2 * DAY), rating(2, "quads", 2, DAY)) == []
    assert rules(rating(1, "quads", 9, 15 * DAY)) == []


def test_soreness_still_rising_after_72_hours_suggests_a_professional() -> None:
    first = rating(1, "calves", 2, 2 * DAY, run_id=5, hours=24)
    later = rating(2, "calves", 3, HOUR, run_id=5, hours=72.5)
    found = suggestions(by_area([first, later]), NOW, UTC)
    assert [(s.area, s.rule) for s in found] == [("calves", "rising")]
    assert found[0].text == (
        "Soreness in the calves rose from 2 to 3/10, 72 h after run 5. Pain that keeps getting "
        "worse for days can be a strain or another injury rather than soreness: see a doctor or "
        "physiotherapist in the next few days."
    )
    assert found[0].sources == ("nhs-sprains",)
    assert RULE_LABELS["rising"] == "afterrun's rule of thumb: still rising after 72 h"


def test_rising_edges() -> None:
    first = rating(1, "calves", 2, 2 * DAY, run_id=5, hours=24)
    # At exactly 72 h it has not yet fired.
    assert rules(first, rating(2, "calves", 3, HOUR, run_id=5, hours=72)) == []
    # The same rating is not rising.
    assert rules(first, rating(2, "calves", 2, HOUR, run_id=5, hours=80)) == []
    # A lower rating is easing.
    assert rules(first, rating(2, "calves", 1, HOUR, run_id=5, hours=80)) == []
    # Ratings after different runs are not compared.
    assert rules(first, rating(2, "calves", 3, HOUR, run_id=6, hours=80)) == []
    # A single rating has nothing to rise from.
    assert rules(rating(2, "calves", 3, HOUR, run_id=5, hours=80)) == []
    # Only the latest rating counts: it rose, then eased.
    assert (
        rules(
            first,
            rating(2, "calves", 3, 12 * HOUR, run_id=5, hours=75),
            rating(3, "calves", 2, HOUR, run_id=5, hours=86),
        )
        == []
    )


def test_the_plan_eases_what_hurt_and_leaves_out_what_is_severe_or_flagged() -> None:
    history = by_area(
        [
            pain(1, "hamstrings", 3 * DAY),
            pain(2, "hamstrings", DAY),
            rating(1, "calves", 8, HOUR),
            rating(2, "glutes", 2, HOUR, flags=("swelling", "sharp-pain")),
            rating(2, "quads", 0, HOUR, flags=("swelling", "sharp-pain")),
            rating(3, "hips", 4, 2 * DAY),
            rating(4, "groin", 3, DAY),
            pain(3, "lower-back", 15 * DAY),
        ]
    )
    result = plan_soreness(history, NOW, UTC)
    assert result.ease == (
        (
            "hamstrings",
            "hamstrings hurt on 2 days in the last 14 days: a cool-down on 20 Nov and a "
            "cool-down on 22 Nov",
        ),
        ("hips", "hips hurt on 1 day in the last 14 days: a check-in on 21 Nov"),
    )
    assert result.rest == (
        ("calves", "you rated the calves 8/10 in your latest check-in"),
        (
            "glutes",
            "your latest check-in rated the glutes 2/10 and reported swelling, sharp pain",
        ),
    )


def test_checkins_and_pain_reports_merge_into_one_history_per_area() -> None:
    checkin = CheckIn(NOW - DAY, {"hamstrings": 5, "calves": 1}, ("swelling",), 3, 20.0)
    entries = [*checkin_entries(7, checkin), pain(2, "hamstrings", 2 * DAY)]
    history = by_area(entries)
    assert list(history) == ["calves", "hamstrings"]
    assert [(e.kind, e.occasion, e.rating) for e in history["hamstrings"]] == [
        ("cool-down", 2, None),
        ("check-in", 7, 5),
    ]
    assert history["hamstrings"][1].red_flags == ("swelling",)
    assert all(e.hurt for e in history["hamstrings"])
    assert not history["calves"][0].hurt


# --- the planner -------------------------------------------------------------------------


def test_resting_an_area_leaves_its_exercises_out_with_the_reason() -> None:
    reason = "you rated the calves 8/10 in your latest check-in"
    plan = plan_cooldown(CATALOGUE, PlanRequest(rest=(("calves", reason),)))
    assert "calf-stretch" not in {e.exercise for e in plan.exercises}
    cuts = {cut.exercise: (cut.action, cut.reason) for cut in plan.dropped}
    assert cuts["calf-stretch"] == ("dropped", reason)


def test_rest_wins_over_ease_for_the_same_exercise() -> None:
    request = PlanRequest(
        intensity=Intensity.HARD,
        ease=(("hamstrings", "hurt"),),
        rest=(("hamstrings", "rated 9/10"),),
    )
    plan = plan_cooldown(CATALOGUE, request)
    planned = {e.exercise for e in plan.exercises}
    assert "hamstring-wall-stretch" not in planned
    assert "leg-swings" not in planned, "leg swings work the hamstrings too"
    assert {c.exercise for c in plan.dropped if c.reason == "rated 9/10"} == {
        "leg-swings",
        "hamstring-wall-stretch",
    }


# --- storage (SQLite and PostgreSQL) -----------------------------------------------------


def add_run(store: Store, start: datetime, key: str = "run") -> int:
    activity = Activity(
        sport=Sport.RUNNING,
        start=start,
        elapsed_seconds=3600,
        distance_m=10000,
        source_format="manual",
    )
    run_id, _ = store.add_activity(activity, key, "test", RunLoad(0, "none", ""), start)
    return run_id


def test_a_checkin_round_trips(store: Store) -> None:
    run_id = add_run(store, NOW - 2 * DAY)
    checkin = CheckIn(NOW, {"calves": 4, "hamstrings": 0}, ("dark-urine",), run_id, 47.0, "hm")
    checkin_id = store.add_checkin(checkin)
    [stored] = store.list_checkins()
    assert stored.id == checkin_id
    assert stored.checkin == checkin
    assert stored.at.tzinfo is not None
    assert stored.to_json() == {
        "id": checkin_id,
        "at": "2026-11-23T18:00:00+00:00",
        "run_id": run_id,
        "hours_after_run": 47.0,
        "ratings": {"calves": 4, "hamstrings": 0},
        "red_flags": ["dark-urine"],
        "note": "hm",
    }


def test_checkins_are_listed_newest_first_and_since_a_time(store: Store) -> None:
    ids = [store.add_checkin(CheckIn(NOW - ago, {"calves": 1})) for ago in (3 * DAY, DAY, 2 * DAY)]
    assert [c.id for c in store.list_checkins()] == [ids[1], ids[2], ids[0]]
    assert [c.id for c in store.list_checkins(NOW - 2 * DAY)] == [ids[1], ids[2]]
    assert store.list_checkins(NOW + HOUR) == []


def test_a_checkin_for_an_unknown_run_is_refused_and_not_stored(store: Store) -> None:
    with pytest.raises(NotFound, match=r"^No run 42\.$"):
        store.add_checkin(CheckIn(NOW, {"calves": 1}, run_id=42))
    assert store.list_checkins() == []


def test_deleting_the_run_keeps_the_checkin_unlinked(store: Store) -> None:
    run_id = add_run(store, NOW - DAY)
    store.add_checkin(CheckIn(NOW, {"calves": 2}, run_id=run_id, hours_after_run=23.0))
    with store.engine.begin() as connection:
        connection.execute(text("DELETE FROM activities WHERE id = :id"), {"id": run_id})
    [stored] = store.list_checkins()
    assert (stored.run_id, stored.ratings) == (None, {"calves": 2})


def test_recent_red_flags_are_the_last_7_days_most_urgent_first(store: Store) -> None:
    from afterrun.services.soreness import recent_red_flags

    assert recent_red_flags(store, NOW) == []
    store.add_checkin(CheckIn(NOW - 8 * DAY, {"calves": 2}, ("cannot-bear-weight",)))
    store.add_checkin(CheckIn(NOW - 6 * DAY, {"calves": 2}, ("swelling", "dark-urine")))
    store.add_checkin(CheckIn(NOW - DAY, {}, ("fainting", "swelling")))
    store.add_checkin(CheckIn(NOW - HOUR, {"calves": 1}, ("chest-pain",)))
    store.add_checkin(CheckIn(NOW, {"calves": 1}))
    store.add_checkin(CheckIn(NOW + HOUR, {}, ("severe-pain",)))  # after `now`: not yet
    # By rung of the ladder, then newest first; each sign once; 8 days ago is too old.
    assert [f.slug for f in recent_red_flags(store, NOW)] == [
        "chest-pain",
        "fainting",
        "dark-urine",
        "swelling",
    ]
    assert [f.slug for f in recent_red_flags(store, NOW - 2 * DAY)] == [
        "dark-urine",
        "cannot-bear-weight",
        "swelling",
    ]
    assert recent_red_flags(store, NOW + 10 * DAY) == []


def test_pain_reports_are_listed_with_their_session(store: Store) -> None:
    session_id = store_cool_down(store, "hamstrings", NOW - DAY)
    reports = store.list_pain_reports()
    assert [(sid, report.area) for sid, report in reports] == [(session_id, "hamstrings")]
    assert store.list_pain_reports(NOW) == []


def test_a_0002_database_migrates_to_0003_keeping_its_runs_and_sessions(db_url: str) -> None:
    from alembic import command

    engine = create_store_engine(db_url)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0002")
    with engine.begin() as connection:
        # The activities table as 0002 made it (the current model has later columns).
        row = {
            "content_hash": "run", "source": "test", "source_format": "manual",
            "sport": "running", "started_at": NOW - DAY, "elapsed_seconds": 3600.0,
            "distance_m": 10000.0, "partial": False, "notes": [], "load_method": "none",
            "imported_at": NOW - DAY,
        }  # fmt: skip
        run_id = connection.execute(
            MAKER.ACTIVITIES.insert().returning(MAKER.ACTIVITIES.c.id), row
        ).scalar_one()
        # A cool-down with its pain, in the tables as 0002 had them (no pain side yet).
        session_id = 1
        data = {"sessions": [session_to_json(cool_down_record("calves", NOW - HOUR), session_id)]}
        for table in (MAKER.SESSIONS, MAKER.STEPS, MAKER.PAINS):
            connection.execute(table.insert(), MAKER._rows(table, data, engine.dialect.name))
    engine.dispose()

    with Store.open(db_url) as store:
        assert [a.id for a in store.list_activities()] == [run_id]
        session = store.get_session(session_id)
        assert [p.area for p in session.record.pains] == ["calves"]
        checkin_id = store.add_checkin(CheckIn(NOW, {"calves": 3}, run_id=run_id))
        assert [c.id for c in store.list_checkins()] == [checkin_id]
        with store.engine.connect() as connection:
            revision = connection.scalar(text("SELECT version_num FROM alembic_version"))
        assert revision == HEAD_REVISION


# --- cool-downs played through the engine ------------------------------------------------


def store_cool_down(store: Store, area: str, at: datetime) -> int:
    """Play a 15-minute cool-down, press "it hurts" in the first hold for `area`, store it."""
    return store.start_session(cool_down_record(area, at))


def cool_down_record(area: str, at: datetime) -> SessionRecord:
    """A 15-minute cool-down played with "it hurts" in the first hold for `area`, quit."""
    plan = plan_cooldown(CATALOGUE, PlanRequest(minutes=15))
    engine = SessionEngine(plan)
    index = next(
        i for i, step in enumerate(engine.timeline.steps) if step.area == area and step.is_work
    )
    moment = engine.timeline.starts_ms[index] / 1000 + 3
    engine.start(0.0)
    engine.poll(moment)
    report = engine.hurt(moment, at)
    assert (report.step_index, report.area, report.at) == (index, area, at)
    engine.skip_exercise(moment + 1)
    engine.finish_now(moment + 2)
    started = at - timedelta(seconds=moment)
    return engine.record(started, at, "quit")


# --- the command line --------------------------------------------------------------------


@pytest.fixture
def db(cli: Cli) -> Iterator[Store]:
    with Store.open(cli.env["AFTERRUN_DB"]) as opened:
        yield opened


def now() -> datetime:
    return datetime.now(UTC)


def day_text(moment: datetime) -> str:
    """'23 Nov' for the local date of `moment`, as the command line writes it."""
    day: date = moment.astimezone().date()
    return f"{day.day} {day.strftime('%b')}"


NORMAL = f"{NORMAL_COURSE} (Henschke & Lin 2011; Lau et al. 2013; Vickers 2001)"
FOOTER = "\n".join(ladder_footer())


def test_a_checkin_after_the_latest_run(cli: Cli, db: Store) -> None:
    run_id = add_run(db, now() - timedelta(hours=21))  # ended 20 h ago
    result = cli("checkin", "calf=4", "hamstrings=2")
    today = day_text(db.list_checkins()[0].at)
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"Check-in 1 saved, 20 h after run {run_id}.\n"
        "Area        Soreness\n"
        "----------  --------\n"
        "calves      4/10\n"
        "hamstrings  2/10\n"
        "\n"
        "Your next cool-down:\n"
        f"  - eases the calves: calves hurt on 1 day in the last 14 days: a check-in on {today}\n"
        "\n"
        f"{NORMAL}\n"
        "\n"
        f"{FOOTER}\n"
    )
    [stored] = db.list_checkins()
    assert stored.run_id == run_id
    assert stored.hours_after_run == pytest.approx(20, abs=0.02)


def test_a_run_older_than_14_days_is_not_linked_unless_asked(cli: Cli, db: Store) -> None:
    run_id = add_run(db, now() - timedelta(days=20))
    result = cli("checkin", "calves=1")
    assert result.stdout.splitlines()[0] == (
        "Check-in 1 saved, not linked to a run (none in the last 14 days; --run ID links one)."
    )
    linked = json.loads(cli("checkin", "calves=1", "--run", str(run_id), "--json").stdout)
    assert linked["run_id"] == run_id
    assert linked["hours_after_run"] == pytest.approx(20 * 24 - 1, abs=0.02)


def test_the_last_lines_always_give_the_whole_referral_ladder(cli: Cli) -> None:
    assert FOOTER == (
        "Warning signs, at any time:\n"
        "  EMERGENCY: chest pain; collapse during the run; severe breathlessness; heat stroke; "
        "low blood sodium. Call emergency services now: 112, 999 or 911.\n"
        "  SAME-DAY CARE: dark urine; pain far beyond the run; painful, swollen, warm calf; "
        "possible fracture. Get medical care today: a same-day doctor's appointment, urgent care "
        "or A&E.\n"
        "  SEE A CLINICIAN SOON: faint after stopping; sharp pain in one spot; swelling or "
        "bruising. Stop running and see a doctor or physiotherapist in the next few days.\n"
        "  (Thompson et al. 2007; Asplund et al. 2011; NICE 2020; Roberts et al. 2021; CDC/NIOSH; "
        "Hew-Butler et al. 2015; Sawka et al. 2007; Stiell et al. 1992; NHS)"
    )
    for args in (["calves=0"], ["--flag", "swelling"], ["hips=9", "--note", "fell"]):
        result = cli("checkin", *args)
        assert result.exit_code == 0
        assert result.stdout.endswith(f"\n{FOOTER}\n")
    reminder = json.loads(cli("checkin", "calves=0", "--json").stdout)["reminder"]
    assert reminder["lines"] == [line.strip() for line in FOOTER.splitlines()[1:4]]
    # Chest pain is an emergency everywhere, the footer included (it was once filed lower).
    assert "chest pain" in reminder["lines"][0] and reminder["lines"][0].startswith("EMERGENCY")


def test_dark_urine_says_seek_care_now_first(cli: Cli) -> None:
    result = cli("checkin", "calves=3", "--flag", "dark-urine")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "SAME-DAY CARE: dark, tea- or cola-coloured urine can mean muscle breakdown "
        "(rhabdomyolysis), even days after the run. Get medical care today: a same-day doctor's "
        "appointment, urgent care or A&E. (CDC/NIOSH)"
    )
    assert lines[1] == (
        "No cool-down is offered until a clinician has seen you. "
        "Say so with 'afterrun checkin --seen'."
    )
    assert lines[2] == ""
    assert NORMAL not in result.stdout, "a red flag is never explained away as soreness"
    data = json.loads(cli("checkin", "--flag", "dark-urine", "--json").stdout)
    assert data["red_flags"] == [
        {
            "slug": "dark-urine",
            "name": "dark urine",
            "level": "same-day",
            "label": "SAME-DAY CARE",
            "action": "get medical care today: a same-day doctor's appointment, urgent care or A&E",
            "banner": BY_SLUG["dark-urine"].banner,
            "advice": BY_SLUG["dark-urine"].advice,
            "stops_cool_down": True,
            "sources": ["CDC/NIOSH"],
        }
    ]
    assert data["red_flags"][0]["banner"].startswith("SAME-DAY CARE: ")
    assert data["normal_course"] is None


@pytest.mark.parametrize("flag", RED_FLAGS, ids=lambda flag: flag.slug)
def test_every_red_flag_shows_its_banner_in_text_and_json(cli: Cli, flag: RedFlag) -> None:
    result = cli("checkin", "--flag", flag.slug)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == f"{flag.banner} ({cited(flag.sources)})"
    data = json.loads(cli("checkin", "--flag", flag.slug, "--json").stdout)
    assert data["red_flags"] == [
        {
            "slug": flag.slug,
            "name": flag.name,
            "level": flag.level.value,
            "label": flag.rung.label,
            "action": flag.rung.action,
            "banner": flag.banner,
            "advice": flag.advice,
            "stops_cool_down": flag.level in ("emergency", "same-day"),
            "sources": [cite(key) for key in flag.sources],
        }
    ]


def cited(keys: tuple[str, ...]) -> str:
    return "; ".join(cite(key) for key in keys)


def test_red_flags_come_most_urgent_first_one_banner_each(cli: Cli) -> None:
    args = ["calves=8", "--flag", "swelling", "--flag", "fainting", "--flag", "dark-urine"]
    result = cli("checkin", *args, "--flag", "chest-pain")
    lines = result.stdout.splitlines()
    assert [line.split(":")[0] for line in lines[:6]] == [
        "EMERGENCY",
        "EMERGENCY",
        "SAME-DAY CARE",
        "SEE A CLINICIAN SOON",
        "No cool-down is offered until a clinician has seen you. Say so with 'afterrun checkin --seen'.",
        "",
    ]
    assert lines[0].startswith("EMERGENCY: chest pain")
    data = json.loads(cli("checkin", *args, "--json").stdout)
    assert [f["slug"] for f in data["red_flags"]] == ["fainting", "dark-urine", "swelling"]
    assert data["ratings"] == {"calves": 8}


def test_a_high_rating_suggests_a_professional_and_leaves_the_area_out(
    cli: Cli, tmp_path: Path
) -> None:
    result = cli("checkin", "quads=7")
    assert result.stdout.split("\n\n")[1:3] == [
        "See a clinician soon:\n"
        "  - quads (afterrun's rule of thumb: rated 7 or more): You rated the quads 7/10. Pain "
        "that strong can be a strain rather than soreness: see a doctor or physiotherapist in the "
        "next few days. If it is far beyond what the run explains, or comes with weakness or dark "
        "urine, get same-day care. (NHS; CDC/NIOSH)",
        "Your next cool-down:\n"
        "  - leaves out the quads: you rated the quads 7/10 in your latest check-in",
    ]
    other = str(tmp_path / "other.db")  # a first check-in again: no "hurt twice" yet
    data = json.loads(cli("--db", other, "checkin", "quads=7", "--json").stdout)
    assert data["see_a_professional"] == [
        {
            "area": "quads",
            "area_name": "quads",
            "rule": "severe",
            "rule_text": "afterrun's rule of thumb: rated 7 or more",
            "text": "You rated the quads 7/10. Pain that strong can be a strain rather than "
            "soreness: see a doctor or physiotherapist in the next few days. If it is far beyond "
            "what the run explains, or comes with weakness or dark urine, get same-day care.",
            "sources": ["NHS", "CDC/NIOSH"],
        }
    ]
    assert data["next_cool_down"]["left_out"] == [
        {
            "area": "quads",
            "area_name": "quads",
            "reason": "you rated the quads 7/10 in your latest check-in",
        }
    ]


USAGE = "Usage: afterrun checkin [OPTIONS] [AREA=RATING]...\nTry 'afterrun checkin --help' for help.\n\n"


@pytest.mark.parametrize(
    ("args", "stderr"),
    [
        (["calves=x"], "Error: 'calves=x': the rating 'x' is not a whole number from 0 to 10.\n"),
        (["calves=11"], "Error: 'calves=11': the rating 11 is out of range: give 0 to 10.\n"),
        (["calves"], "Error: 'calves' has no '=': give AREA=RATING, e.g. calves=4.\n"),
        (
            ["hamstring=2", "elbow=3"],
            f"Error: 'elbow=3': unknown body area 'elbow'. Choose from: {AREA_LIST}.\n",
        ),
        (
            ["calves=1", "--flag", "itchy"],
            f"{USAGE}Error: Invalid value for '--flag': 'itchy' is not one of 'chest-pain', "
            "'fainting', 'breathless', 'heat-stroke', 'low-sodium', 'dark-urine', 'severe-pain', "
            "'calf-clot', 'cannot-bear-weight', 'faint-after', 'sharp-pain', 'swelling'.\n",
        ),
        (
            ["calves=1", "--run", "0"],
            f"{USAGE}Error: Invalid value for '--run': 0 is not in the range 1<=x<=2147483647.\n",
        ),
        (
            [],
            "Error: give ratings such as 'afterrun checkin calves=4 hamstrings=2', or run it in "
            "a terminal to be asked.\n",
        ),
    ],
)
def test_bad_input_exits_2_and_stores_nothing(
    cli: Cli, db: Store, args: list[str], stderr: str
) -> None:
    result = cli("checkin", *args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", stderr)
    assert db.list_checkins() == []


def test_an_unknown_run_exits_1_and_stores_nothing(cli: Cli, db: Store) -> None:
    result = cli("checkin", "calves=2", "--run", "9")
    assert (result.exit_code, result.stderr) == (
        1,
        "Error: No run 9. Run 'afterrun runs' to see run ids.\n",
    )
    assert db.list_checkins() == []


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("afterrun.cli.commands.checkin.stdin_is_terminal", lambda: True)


@pytest.mark.usefixtures("terminal")
def test_with_no_ratings_it_asks_each_area_then_each_red_flag(cli: Cli) -> None:
    areas = "4\n11\n2\n\n\n\n\n\n\n"  # calves 4, hamstrings 11 (asked again) then 2, Enter = 0
    flags = "\n" * 5 + "y\n" + "\n" * 6  # yes to the sixth question: dark urine
    result = cli("checkin", "--json", stdin=areas + flags)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["ratings"] == {
        "calves": 4,
        "hamstrings": 2,
        "quads": 0,
        "hip-flexors": 0,
        "glutes": 0,
        "groin": 0,
        "hips": 0,
        "lower-back": 0,
    }
    assert [f["slug"] for f in data["red_flags"]] == ["dark-urine"]
    assert result.stderr.startswith(
        "How sore is each area? 0 none, 10 the worst you can imagine; Enter for 0.\n"
        "  calves [0]: 4\n"
        "  hamstrings [0]: 11\n"
        "Error: Give a whole number from 0 to 10 (Enter for 0).\n"
        "  hamstrings [0]: 2\n"
    )
    questions = [line for line in result.stderr.splitlines() if line.endswith("[y/N]: ")]
    assert len(questions) == len(RED_FLAGS) - 1
    assert RED_FLAGS[5].slug == "dark-urine"
    assert f"  {RED_FLAGS[5].question} [y/N]: y" in result.stderr.splitlines()


@pytest.mark.usefixtures("terminal")
def test_an_answer_that_is_not_a_whole_number_asks_again(cli: Cli, db: Store) -> None:
    areas = "five\n-1\n4.5\n 3 \n" + "\n" * 7
    result = cli("checkin", "--json", stdin=areas + "\n" * len(RED_FLAGS))
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["ratings"]["calves"] == 3
    again = "Error: Give a whole number from 0 to 10 (Enter for 0).\n"
    assert result.stderr.splitlines(keepends=True)[1:8] == [
        "  calves [0]: five\n",
        again,
        "  calves [0]: -1\n",
        again,
        "  calves [0]: 4.5\n",
        again,
        "  calves [0]:  3 \n",
    ]
    assert "valid integer" not in result.stderr


@pytest.mark.usefixtures("terminal")
@pytest.mark.parametrize("stdin", ["", "4\n2\n", "\n" * 8 + "y\n"], ids=["areas", "mid", "flags"])
def test_input_that_ends_early_cancels_and_stores_nothing(cli: Cli, db: Store, stdin: str) -> None:
    result = cli("checkin", stdin=stdin)
    assert result.exit_code == 130
    assert result.stdout == ""
    assert result.stderr.endswith("\nCheck-in cancelled; nothing was stored.\n")
    assert "Aborted" not in result.output
    assert db.list_checkins() == []


@pytest.mark.usefixtures("terminal")
def test_ctrl_c_cancels_the_checkin_and_stores_nothing(
    cli: Cli, db: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupt(*args: object, **kwargs: object) -> bool:
        raise KeyboardInterrupt

    monkeypatch.setattr("afterrun.cli.commands.checkin.click.confirm", interrupt)
    result = cli("checkin", stdin="\n" * 8)
    assert (result.exit_code, result.stdout) == (130, "")
    assert result.stderr.splitlines()[-1] == "Check-in cancelled; nothing was stored."
    assert db.list_checkins() == []


def test_a_checkin_just_after_a_cool_down_is_the_same_occasion(cli: Cli, db: Store) -> None:
    store_cool_down(db, "calves", now())
    first = json.loads(cli("checkin", "calves=4", "--json").stdout)
    assert first["see_a_professional"] == []
    second = json.loads(cli("checkin", "calves=5", "--json").stdout)
    assert second["see_a_professional"] == [], "seconds apart: still one day"
    [eased] = second["next_cool_down"]["eased"]
    assert eased["reason"] == (
        f"calves hurt on 1 day in the last 14 days: a cool-down and a check-in on {day_text(now())}"
    )


def test_hurt_on_two_days_names_them_in_the_header_and_the_text(cli: Cli, db: Store) -> None:
    earlier = now() - timedelta(days=3)
    store_cool_down(db, "calves", earlier)
    result = cli("checkin", "calves=4")
    today = day_text(db.list_checkins()[0].at)
    assert (
        "See a clinician soon:\n"
        "  - calves (afterrun's rule of thumb: hurt on 2 or more days in 14 days): The calves "
        f"hurt on 2 days in the last 14 days: a cool-down on {day_text(earlier)} and a check-in "
        f"on {today}. Pain that keeps coming back can be a strain rather than soreness: see a "
        "doctor or physiotherapist in the next few days. (NHS)\n"
    ) in result.stdout


@pytest.mark.usefixtures("terminal")
def test_answering_every_question_with_enter_stores_zeros_and_no_flags(cli: Cli, db: Store) -> None:
    result = cli("checkin", stdin="\n" * (8 + len(RED_FLAGS)))
    assert result.exit_code == 0
    assert result.stdout.startswith("Check-in 1 saved")
    [stored] = db.list_checkins()
    assert set(stored.ratings.values()) == {0}
    assert stored.red_flags == ()
    assert NORMAL not in result.stdout, "nothing is sore: no need for the usual course"


@pytest.mark.usefixtures("terminal")
def test_flags_alone_do_not_start_the_questions(cli: Cli, db: Store) -> None:
    result = cli("checkin", "--flag", "swelling", stdin="")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert db.list_checkins()[0].ratings == {}


def test_pain_in_two_cool_downs_eases_the_next_plan_and_says_why(cli: Cli, db: Store) -> None:
    before = json.loads(cli("plan", "-i", "hard", "--json").stdout)
    first, second = now() - timedelta(days=3), now() - timedelta(days=1)
    store_cool_down(db, "hamstrings", first)
    store_cool_down(db, "hamstrings", second)
    after = json.loads(cli("plan", "-i", "hard", "--json").stdout)

    def dose(plan: dict[str, object], slug: str) -> object:
        exercises = plan["exercises"]
        assert isinstance(exercises, list)
        return next(
            (e.get("hold_seconds"), e.get("holds_per_side"), e.get("sets"))
            for e in exercises
            if e["exercise"] == slug
        )

    # The same target after every run; an eased area gets the shortest dose. Swings are
    # already at their fewest sets (2) in the target, so easing leaves their dose alone.
    assert dose(before, "hamstring-wall-stretch") == (25, 2, None)
    assert dose(after, "hamstring-wall-stretch") == (20, 2, None)
    assert dose(before, "leg-swings") == (None, None, 2)
    assert dose(after, "leg-swings") == (None, None, 2)
    reason = (
        f"hamstrings hurt on 2 days in the last 14 days: a cool-down on {day_text(first)} and a "
        f"cool-down on {day_text(second)}"
    )
    eased = [(c["exercise"], c["action"], c["reason"]) for c in after["dropped"]]
    assert ("hamstring-wall-stretch", "eased", reason) in eased
    assert ("leg-swings", "eased", reason) in eased
    assert not [c for c in before["dropped"] if c["action"] == "eased"]

    text_plan = cli("plan", "-i", "hard").stdout
    assert (
        f"Eased:\n  - Leg swings: {reason}\n  - Hamstring stretch on the wall: {reason}\n"
    ) in text_plan

    checkin = json.loads(cli("checkin", "calves=1", "--json").stdout)
    assert [(s["area"], s["rule"]) for s in checkin["see_a_professional"]] == [
        ("hamstrings", "hurt-twice")
    ]


def test_plan_without_a_database_does_not_create_one(cli: Cli) -> None:
    result = cli("plan", "-i", "easy", "--json")
    assert result.exit_code == 0
    assert not Path(cli.env["AFTERRUN_DB"]).exists()


def test_checkin_help_names_every_area_and_red_flag(cli: Cli) -> None:
    from afterrun.core.catalogue.models import AREAS

    assert f"Areas: {', '.join(AREAS)}." in " ".join((load_command("checkin").help or "").split())
    result = cli("checkin", "--help")
    assert f"--flag [{'|'.join(flag.slug for flag in RED_FLAGS)}]" in result.stdout


def test_a_recent_red_flag_is_repeated_above_the_next_plan(tmp_path: Path) -> None:
    cli = Cli({"AFTERRUN_DB": str(tmp_path / "flags.db"), "AFTERRUN_CONFIG_DIR": str(tmp_path)})
    checked = cli("checkin", "calves=2", "--flag", "dark-urine")
    assert checked.exit_code == 0, checked.output
    text = cli("plan", "-i", "easy").stdout
    assert text.startswith("SAME-DAY CARE: dark, tea- or cola-coloured urine")
    data = json.loads(cli("plan", "-i", "easy", "--json").stdout)
    assert [flag["slug"] for flag in data["red_flags"]] == ["dark-urine"]


def test_an_area_is_named_as_a_person_reads_it_never_by_its_slug(cli: Cli) -> None:
    result = cli("checkin", "hip-flexors=7", "lower-back=2")
    assert "hip-flexors" not in result.stdout
    assert "lower-back" not in result.stdout
    assert "You rated the hip flexors 7/10." in result.stdout
    assert "  - leaves out the hip flexors: you rated the hip flexors 7/10" in result.stdout
    data = json.loads(cli("checkin", "hip-flexors=8", "--json").stdout)
    [left_out] = data["next_cool_down"]["left_out"]
    assert (left_out["area"], left_out["area_name"]) == ("hip-flexors", "hip flexors")
