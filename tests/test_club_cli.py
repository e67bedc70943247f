"""`afterrun club`: making a database a club, invitations, members, removing, resets, and
`--athlete` for every other command; on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest

from afterrun.core.errors import InvalidInput
from afterrun.services import club
from afterrun.services.signin import new_session, session_account
from afterrun.store import Store

LINK = re.compile(r"https?://\S+/invite/([A-Za-z0-9_-]{43})")


@pytest.fixture
def on_db(cli, db_url):  # type: ignore[no-untyped-def]
    """The `cli` fixture on the test's database (SQLite file or PostgreSQL schema)."""
    cli.env["AFTERRUN_DB"] = db_url
    return cli


def _token(output: str) -> str:
    found = LINK.search(output)
    assert found, output
    return found[1]


def test_init_makes_the_personal_database_the_admins_with_its_data(on_db, db_url) -> None:
    added = on_db("run", "add", "--distance", "5km", "--time", "25:00")
    assert added.exit_code == 0, added.output

    made = on_db("club", "init", "--admin", "Ana", "--url", "https://club.example/")
    assert made.exit_code == 0, made.output
    assert made.output.startswith(
        "This database is now a club, with Ana as its admin. Ana sets a password with this "
        "link. It works once, until "
    )
    assert "https://club.example/invite/" in made.output
    assert "█" in made.output  # the QR code
    assert "pass --url" not in made.output

    again = on_db("club", "init", "--admin", "Bob")
    assert again.exit_code == 2
    assert again.output == "Error: This database is a club already: see `afterrun club members`.\n"

    plain = on_db("runs")
    assert plain.exit_code == 2
    assert plain.output == "Error: This database is a club's: pass --athlete NAME.\n"
    mine = on_db("--athlete", "ana", "runs")
    assert mine.exit_code == 0, mine.output
    assert "5.00 km" in mine.output
    nobody = on_db("--athlete", "Zed", "runs")
    assert nobody.exit_code == 1
    assert nobody.output == (
        "Error: No athlete called Zed in this club: see `afterrun club members`.\n"
    )
    # bare `afterrun` and `plan` take a quick path for personal files: not for a club's
    assert on_db().output == "Error: This database is a club's: pass --athlete NAME.\n"
    assert on_db("plan", "-m", "5").exit_code == 2
    assert on_db("--athlete", "Ana", "plan", "-m", "5").exit_code == 0


def test_without_url_the_link_is_local_and_says_to_pass_one(on_db) -> None:
    made = on_db("club", "init", "--admin", "Ana")
    assert "  http://127.0.0.1:8765/invite/" in made.output
    assert made.output.rstrip().endswith(
        "The link points at this machine: pass --url (or set AFTERRUN_CLUB_URL) with the "
        "address members open, e.g. --url https://club.example."
    )
    on_db.env["AFTERRUN_CLUB_URL"] = "https://from.env"
    invited = on_db("club", "invite", "Bob", "--json")
    assert json.loads(invited.output)["url"].startswith("https://from.env/invite/")


def test_invite_prints_a_one_time_link_that_expires(on_db, db_url) -> None:
    on_db("club", "init", "--admin", "Ana")
    before = datetime.now(UTC)
    invited = on_db(
        "club",
        "invite",
        "Bea",
        "--role",
        "coach",
        "--json",
        "--expires-in",
        "2d",
        "--url",
        "https://club.example",
    )
    assert invited.exit_code == 0, invited.output
    link = json.loads(invited.output)
    assert (link["name"], link["role"], link["purpose"]) == ("Bea", "coach", "invite")
    token = _token(link["url"])
    expires = datetime.fromisoformat(link["expires_at"])
    assert timedelta(days=2) <= expires - before < timedelta(days=2, minutes=1)
    with Store.open(db_url) as store:
        assert club.open_link(store, token, before) == ("Bea", "invite")
        assert club.open_link(store, token, expires + timedelta(seconds=1)) is None
        # only the hash is stored
        with store.engine.connect() as connection:
            stored = connection.exec_driver_sql("SELECT token_hash FROM invitations").scalars()
            assert token not in list(stored)

    taken = on_db("club", "invite", "bea")
    assert taken.exit_code == 2
    assert taken.output == "Error: There is already an athlete called Bea: choose another name.\n"
    bad = on_db("club", "invite", "Cy", "--expires-in", "forever")
    assert bad.exit_code == 2
    assert (
        "'forever' is not a duration between 5 minutes and 90 days: write it like 7d, 36h "
        "or 90m." in bad.output
    )
    role = on_db("club", "invite", "Cy", "--role", "owner")
    assert role.exit_code == 2
    assert "'owner' is not one of 'athlete', 'coach', 'admin'" in role.output


def test_a_personal_database_has_no_members_to_invite(on_db) -> None:
    refused = on_db("club", "invite", "Bea")
    assert refused.exit_code == 2
    assert refused.output == (
        "Error: This database is not a club: make it one with "
        "`afterrun club init --db URL --admin NAME`.\n"
    )


def test_members_show_invited_active_and_expired(on_db, db_url) -> None:
    on_db("club", "init", "--admin", "Ana")
    ana = _token(on_db("club", "reset-password", "Ana").output)
    on_db("club", "invite", "Bea", "--expires-in", "5m")
    on_db("club", "invite", "Cy", "--role", "coach")
    now = datetime.now(UTC)
    with Store.open(db_url) as store:
        assert club.set_password(store, ana, "correct horse battery", now) == 1
        assert club.set_password(store, ana, "another long password", now) is None  # used
        later = [(m.name, m.role, m.status) for m in club.members(store, now + timedelta(hours=1))]
    assert later == [
        ("Ana", "admin", "active"),
        ("Bea", "athlete", "invitation expired"),
        ("Cy", "coach", "invited"),
    ]
    listed = on_db("club", "members")
    assert listed.exit_code == 0
    today = now.strftime("%Y-%m-%d")
    assert listed.output.splitlines() == [
        "name  role     status              created",
        f"Ana   admin    active              {listed.output.splitlines()[1][-10:]}",
        f"Bea   athlete  invited             {today}",
        f"Cy    coach    invited             {today}",
    ]
    rows = json.loads(on_db("club", "members", "--json").output)
    assert [row["status"] for row in rows] == ["active", "invited", "invited"]


def test_remove_asks_then_deletes_the_account_and_its_data(on_db, db_url) -> None:
    on_db("club", "init", "--admin", "Ana")
    on_db("club", "invite", "Bea")
    assert (
        on_db("--athlete", "Bea", "run", "add", "--distance", "3km", "--time", "20:00").exit_code
        == 0
    )

    kept = on_db("club", "remove", "bea", stdin="n\n")
    assert kept.exit_code == 1
    assert kept.output == (
        "This removes Bea's account and all their data: runs, cool-downs, check-ins and "
        "profile. It cannot be undone. To keep a copy first: afterrun --athlete 'Bea' export\n"
        "Remove Bea? [y/N]: n\nNothing removed.\n"
    )
    assert "3.00 km" in on_db("--athlete", "Bea", "runs").output

    gone = on_db("club", "remove", "Bea", "--yes")
    assert gone.exit_code == 0
    assert gone.output == "Removed Bea and all their data.\n"
    with Store.open(db_url) as store, store.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM activities").scalar() == 0

    last = on_db("club", "remove", "Ana", "--yes")
    assert last.exit_code == 2
    assert last.output == (
        "Error: Ana is the club's only admin: invite another admin "
        "(`afterrun club invite NAME --role admin`) before removing them.\n"
    )
    nobody = on_db("club", "remove", "Zed", "--yes")
    assert nobody.exit_code == 1
    assert nobody.output == (
        "Error: No athlete called Zed in this club: see `afterrun club members`.\n"
    )


def test_reset_password_signs_out_every_browser(on_db, db_url) -> None:
    on_db("club", "init", "--admin", "Ana")
    now = datetime.now(UTC)
    with Store.open(db_url) as store:
        first = _token(on_db("club", "reset-password", "Ana").output)
        assert club.set_password(store, first, "a first long password", now) == 1
        browser = new_session(store, 1, now)
        assert session_account(store, browser, now) is not None

        reset = on_db("club", "reset-password", "ana", "--json")
        assert reset.exit_code == 0, reset.output
        link = json.loads(reset.output)
        assert link["purpose"] == "reset"
        with pytest.raises(InvalidInput, match="at least 10 characters"):
            club.set_password(store, _token(link["url"]), "too short", now)
        assert club.set_password(store, _token(link["url"]), "a second long password", now) == 1
        assert session_account(store, browser, now) is None

    nobody = on_db("club", "reset-password", "Zed")
    assert nobody.exit_code == 1
    assert "No athlete called Zed in this club" in nobody.output


def test_a_new_link_replaces_the_unused_one(on_db, db_url) -> None:
    on_db("club", "init", "--admin", "Ana")
    old = _token(on_db("club", "reset-password", "Ana").output)
    new = _token(on_db("club", "reset-password", "Ana").output)
    with Store.open(db_url) as store:
        now = datetime.now(UTC)
        assert club.open_link(store, old, now) is None
        assert club.open_link(store, new, now) == ("Ana", "invite")


def test_serve_club_needs_a_club_and_a_club_needs_serve_club(on_db) -> None:
    personal = on_db("serve", "--club")
    assert personal.exit_code == 1
    assert personal.output == (
        "Error: This database is not a club: make it one with "
        "'afterrun club init --db URL --admin NAME' first.\n"
    )
    on_db("club", "init", "--admin", "Ana")
    plain = on_db("serve")
    assert plain.exit_code == 1
    assert (
        plain.output == "Error: This database is a club's: serve it with 'afterrun serve --club'.\n"
    )
    both = on_db("serve", "--club", "--lan")
    assert both.exit_code == 2
    assert (
        "--club and --lan do not go together: a club's members sign in with their own "
        "accounts; use --host to listen beyond this machine." in both.output
    )


def test_a_members_plan_in_the_terminal_follows_their_coachs_routine(on_db, db_url) -> None:
    from afterrun.services.consent import set_share
    from afterrun.services.routines import RoutineDefaults, save_routine
    from afterrun.store.shares import Share
    from club_helpers import make_club

    ids = make_club(db_url, ("Ben", "athlete"), ("Dana", "coach"))
    now = datetime.now(UTC)
    with Store.open(db_url) as store:
        save_routine(store, ids["Dana"], "Tuesday squad", RoutineDefaults(minutes=8), [], now)
        set_share(store, ids["Ben"], ids["Dana"], Share(True, True, True), now)

    followed = on_db("--athlete", "Ben", "plan", "--json")
    assert followed.exit_code == 0, followed.output
    plan = json.loads(followed.output)
    assert plan["minutes"] == 8
    assert "Routine from coach Dana: Tuesday squad." in plan["notes"]

    own = on_db("--athlete", "Ben", "plan", "--json", "-m", "12")
    assert own.exit_code == 0, own.output
    assert json.loads(own.output)["minutes"] == 12, "the runner's own option wins"

    alone = on_db("--athlete", "Ana", "plan", "--json")
    assert alone.exit_code == 0, alone.output
    assert json.loads(alone.output)["minutes"] == 15, "Ana shares nothing with Dana"


def test_athlete_on_a_personal_database_says_it_is_not_a_club(on_db) -> None:
    result = on_db("--athlete", "Zed", "runs")
    assert result.exit_code == 2
    assert result.output == (
        "Error: --athlete names a club member, and this database is not a club's: leave out "
        "--athlete Zed.\n"
    )
