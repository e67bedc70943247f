"""The coach's roster, its CSV and one athlete's page: what each athlete shares, and only that."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import timedelta
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from afterrun.core.roster import trend
from afterrun.services.consent import set_share
from afterrun.services.report import build_report
from afterrun.services.roster import roster
from afterrun.store import Store
from afterrun.store.shares import Share
from club_helpers import club_app, sign_in
from squad import NOW, seed_squad

HEADER = (
    "Athlete,Red flags (7 days),Last hard run,How hard,Cool-down after it,"
    "Hard runs cooled down (7 days),Soreness trend,Days since check-in,Fatigue,Fitness,Form,"
    "Gone quiet"
)
ALL = Share(True, True, True)


@dataclass
class Club:
    client: TestClient
    ids: dict[str, int]
    url: str

    def sign_in(self, name: str) -> None:
        """From now on the client is `name`'s, signed in with their password."""
        answer = sign_in(self.client, name)
        assert answer.status_code == 200, answer.text

    def as_coach(self) -> None:
        self.sign_in("Dana")

    def share(self, name: str, share: Share) -> None:
        with Store.open(self.url) as store:
            set_share(store, self.ids[name], self.ids["dana"], share, NOW)

    def csv_rows(self) -> list[list[str]]:
        answer = self.client.get("/coach/roster.csv")
        assert answer.status_code == 200, answer.text
        return list(csv.reader(io.StringIO(answer.text)))


@pytest.fixture
def club(db_url: str, tmp_path: Path) -> Iterator[Club]:
    """A club: coach Dana; athletes Ana (a hard run, cool-down skipped, a red flag),
    Bo (a hard run cooled down, calves rising) and Cy (easy runs only); admin Ada."""
    with Store.open(db_url) as store:
        ids = seed_squad(store, NOW)
    app = club_app(db_url, tmp_path, clock=lambda: NOW)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        yield Club(client, ids, db_url)


def test_the_roster_shows_what_is_shared_and_withdrawing_counts_at_once(club: Club) -> None:
    club.as_coach()
    assert club.csv_rows() == [HEADER.split(",")], "nobody shares anything yet"
    club.share("cy", Share(load_and_runs=True))
    [header, cy] = club.csv_rows()
    assert cy[0] == "Cy"
    assert cy[1:3] == ["not shared", "none this week"]
    assert cy[4:8] == ["not shared"] * 4
    assert all(value.lstrip("+-").isdigit() for value in cy[8:11]), cy
    club.share("cy", Share(soreness_and_flags=True))
    [_, cy] = club.csv_rows()
    assert cy[1:4] == ["none", "not shared", "not shared"]
    assert cy[6:8] == ["none rated", "never"]
    assert cy[8:11] == ["not shared"] * 3
    club.share("cy", Share())
    assert club.csv_rows() == [header], "withdrawn: Cy is gone from the very next request"


def test_red_flags_first_then_skipped_cool_downs_then_rising_soreness(club: Club) -> None:
    for name in ("ana", "bo", "cy"):
        club.share(name, ALL)
    club.as_coach()
    rows = club.csv_rows()
    assert [row[0] for row in rows[1:]] == ["Ana", "Bo", "Cy"]
    ana, bo, cy = rows[1:]
    assert ana[1] == "SEE A CLINICIAN SOON: swelling or bruising"
    assert ana[2:6] == ["2026-03-05 15:00", "very hard", "not done", "0 of 1"]
    assert bo[1] == "none"
    assert bo[4:8] == ["done", "1 of 1", "calves rising", "2"]
    assert cy[2:8] == ["none this week", "-", "no hard run", "no hard runs", "none rated", "never"]
    assert [row[11] for row in rows[1:]] == ["no", "no", "no"]
    page = club.client.get("/coach")
    assert page.status_code == 200
    text = page.text
    assert text.index(">Ana</a></td>") < text.index(">Bo</a></td>") < text.index(">Cy</a></td>")
    assert (
        f'<strong>SEE A CLINICIAN SOON:</strong> <a href="/coach/athletes/{club.ids["ana"]}">'
        "Ana</a> reported swelling or bruising." in text
    )
    by_name = club.client.get("/coach?sort=-name").text
    assert by_name.index(">Cy</a></td>") < by_name.index(">Bo</a></td>")
    assert '<th scope="col" data-sort="name" aria-sort="descending">' in by_name


def test_the_roster_shows_the_load_the_athlete_sees_in_their_report(club: Club) -> None:
    club.share("ana", Share(load_and_runs=True))
    with Store.open(club.url) as store:
        [row] = roster(store, club.ids["dana"], NOW)
        own = build_report(store.for_athlete(club.ids["ana"]), NOW, 8).weeks[-1]
    assert row.load is not None
    assert (row.load.fatigue, row.load.fitness, row.load.form) == (
        round(own.fatigue or 0),
        round(own.fitness or 0),
        own.shown_form,
    )


def test_a_coach_never_sees_an_athlete_who_shares_nothing(club: Club) -> None:
    club.share("ana", ALL)
    club.as_coach()
    page = club.client.get("/coach").text
    assert ">Ana</a>" in page
    assert ">Bo</a>" not in page and "Cy" not in page
    missing = club.client.get("/coach/athletes/99999")
    hidden = club.client.get(f"/coach/athletes/{club.ids['bo']}")
    assert missing.status_code == hidden.status_code == 404
    assert "There is no such athlete on your roster." in hidden.text
    assert missing.text == hidden.text


def test_an_athlete_or_an_admin_is_refused_the_coachs_pages(club: Club) -> None:
    club.share("ana", ALL)
    for who in ("Ana", "Ada"):  # an athlete, an admin
        club.sign_in(who)
        for path in ("/coach", "/coach/roster.csv", f"/coach/athletes/{club.ids['ana']}"):
            answer = club.client.get(path)
            assert answer.status_code == 403, path
            assert "This page is for the club's coaches." in unescape(answer.text)


def test_an_athletes_page_is_their_report_with_what_is_not_shared_said(club: Club) -> None:
    club.share("ana", Share(adherence=True))
    club.as_coach()
    page = club.client.get(f"/coach/athletes/{club.ids['ana']}")
    assert page.status_code == 200
    text = page.text
    assert "<h1>Ana's last 8 weeks</h1>" in unescape(text)
    assert "Hard runs cooled down<b>0 of 1</b>" in text
    assert '<section class="not-shared"><h2>Warning signs</h2><p>Not shared with you.</p>' in text
    assert '<section class="not-shared"><h2>Training load</h2>' in text
    assert "swelling" not in text
    club.share("ana", Share())
    assert club.client.get(f"/coach/athletes/{club.ids['ana']}").status_code == 404


def test_names_that_need_quoting_are_quoted_and_the_file_is_named_by_date(club: Club) -> None:
    with Store.open(club.url) as store:
        lee = store.add_athlete('Lee, "Sam"', NOW)
        set_share(store, lee, club.ids["dana"], Share(soreness_and_flags=True), NOW)
    club.as_coach()
    answer = club.client.get("/coach/roster.csv")
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert answer.headers["content-disposition"] == (
        'attachment; filename="afterrun-roster-2026-03-06.csv"'
    )
    lines = answer.text.split("\r\n")
    assert lines[0] == HEADER
    assert lines[1] == (
        '"Lee, ""Sam""",none,not shared,not shared,not shared,not shared,none rated,never,'
        "not shared,not shared,not shared,yes (nothing shared yet)"
    )


@pytest.mark.parametrize(
    ("ratings", "expected"),
    [
        ([(1, 2), (9, 2)], "steady"),
        ([(9, 2), (1, 4)], "rising"),
        ([(9, 6), (2, 3)], "falling"),
        ([(2, 4)], "rising"),
        ([(2, 2)], "steady"),
        ([(9, 5)], None),
    ],
)
def test_soreness_trend_compares_the_last_seven_days_with_the_seven_before(
    ratings: list[tuple[int, int]], expected: str | None
) -> None:
    given = [(NOW - timedelta(days=days), rating) for days, rating in ratings]
    assert trend(given, NOW) == expected


def test_the_load_summed_by_the_database_is_the_report_model_in_any_zone(store: Store) -> None:
    """Fatigue and fitness summed over a long history (PostgreSQL sums them itself) are
    the numbers of the load model the report runs day by day: runs near local midnight
    across daylight-saving changes, some rated by RPE and some by heart rate."""
    from afterrun.core.activity import Activity, Sport
    from afterrun.core.load import Profile, activity_load, model_today
    from afterrun.services.training import load_of
    from afterrun.store import roster_reads
    from afterrun.zones import zone_named

    zone = zone_named("America/New_York")
    ana = store.for_athlete(store.add_athlete("Ana", NOW))
    ana.save_profile(Profile(timezone="America/New_York"), NOW)
    for day in range(400):
        start = NOW - timedelta(days=day, hours=(day * 7) % 24, minutes=30)
        heart = {"avg_hr": 130.0 + day % 40} if day % 3 else {}
        activity = Activity(
            sport=Sport.RUNNING,
            start=start,
            elapsed_seconds=1800 + day * 13,
            rpe=float(2 + day % 7) if day % 2 else None,
            **heart,  # type: ignore[arg-type]
        )
        ana.add_activity(activity, f"h{day}", "test", activity_load(activity, Profile(), 2026), NOW)
    everything = ana.list_activity_loads()
    report = load_of(everything, NOW, zone)
    sums = ana.read_with(lambda db: roster_reads.decayed_loads_of(db, {ana.athlete_id: zone}, NOW))
    loads, scale = sums[ana.athlete_id]
    assert scale == report.scale
    fatigue, fitness = model_today(loads, scale.ratio)
    assert fatigue == pytest.approx(report.days[-1].fatigue, rel=1e-9)
    assert fitness == pytest.approx(report.days[-1].fitness, rel=1e-9)


def test_an_athlete_with_nothing_shared_for_a_week_has_gone_quiet() -> None:
    from afterrun.core.roster import AthleteWeek, Shared, roster_row
    from afterrun.zones import zone_named

    shared = Shared(load_and_runs=True, adherence=False, soreness_and_flags=True)
    week = AthleteWeek(
        1,
        "Di",
        zone_named("Europe/Berlin"),
        shared,
        last_activity=NOW - timedelta(days=9, hours=2),
        last_checkin=NOW - timedelta(days=8),
    )
    row = roster_row(week, NOW)
    assert (row.quiet_days, row.gone_quiet) == (8, True)
    assert row.adherence is None and row.flags == () and row.days_since_checkin == 8
    lively = roster_row(replace(week, last_checkin=NOW - timedelta(days=6)), NOW)
    assert (lively.quiet_days, lively.gone_quiet) == (6, False)
    # Only what is shared counts: a check-in the coach may not see says nothing.
    hidden = Shared(load_and_runs=True, adherence=False, soreness_and_flags=False)
    assert roster_row(replace(week, shared=hidden), NOW).quiet_days == 9
