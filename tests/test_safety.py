"""Warning signs: one referral ladder on every surface, no cool-down after a sign that needs a
clinician, the signs a recovery coach must name, and a source beside every piece of advice.

Each surface is rendered as the runner sees it (terminal output, the .ics file, the HTML
report, the web pages) and the rung each sign is filed under is read back from it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from afterrun.catalogue_files import load_catalogue
from afterrun.cli.main import cli as afterrun_group
from afterrun.core.advice import AdviceRequest, LoadState, recovery_timeline
from afterrun.core.evidence import TOPICS
from afterrun.core.red_flags import BY_SLUG, LADDER, RED_FLAGS, Level, RedFlag, ladder_lines
from afterrun.core.safety import SHOW_DAYS, safety
from afterrun.core.soreness import NORMAL_COURSE, AreaEntry, by_area, suggestions
from afterrun.core.sources import SOURCES
from conftest import WRITE, Cli

README = Path(__file__).resolve().parents[1] / "README.md"
LABELS = [rung.label for rung in LADDER.values()]
STOP = [flag for flag in RED_FLAGS if flag.stops_cool_down]


def add_run(cli: Cli, hours_ago: float = 1.0) -> None:
    ended = datetime.now(UTC) - timedelta(hours=hours_ago)
    result = cli("run", "add", "--distance", "10km", "--time", "50:00", "--rpe", "7",
        "--at", ended.isoformat(),
    )  # fmt: skip
    assert result.exit_code == 0, result.output


def flag_run(cli: Cli, flag: RedFlag) -> None:
    result = cli("checkin", "calves=2", "--flag", flag.slug)
    assert result.exit_code == 0, result.output


def rung_of(text: str, flag: RedFlag) -> list[str]:
    """Every rung label a surface files `flag` under, read from the lines that name it.

    A line names the flag by its banner (advice text after the label) or, in the ladder's
    own lines, by its short name between the label and the action.
    """
    found = []
    body = flag.banner.split(": ", 1)[1]
    for line in text.splitlines():
        for label in LABELS:
            at = line.find(f"{label}: ")
            if at < 0:
                continue
            rest = line[at + len(label) + 2 :]
            names = [name.split(" (")[0] for name in rest.split(". ")[0].split("; ")]
            if rest.startswith(body[:40]) or flag.name in names:
                found.append(label)
    return found


# -- one ladder, in one place -------------------------------------------------------------


def test_the_ladder_has_three_rungs_and_every_sign_is_on_one() -> None:
    assert [rung.label for rung in LADDER.values()] == [
        "EMERGENCY",
        "SAME-DAY CARE",
        "SEE A CLINICIAN SOON",
    ]
    lines = ladder_lines()
    assert len(lines) == 3
    for flag in RED_FLAGS:
        holding = [line for line in lines if flag.name in line.split(". ")[0].split(": ", 1)[1]]
        assert len(holding) == 1, flag.slug
        assert holding[0].startswith(flag.rung.label)


def test_the_signs_a_recovery_coach_must_name_are_on_the_right_rung() -> None:
    levels = {flag.slug: flag.level for flag in RED_FLAGS}
    assert levels["chest-pain"] == Level.EMERGENCY
    assert levels["fainting"] == Level.EMERGENCY  # a collapse while still running
    assert levels["breathless"] == Level.EMERGENCY
    assert levels["heat-stroke"] == Level.EMERGENCY
    assert levels["low-sodium"] == Level.EMERGENCY
    assert levels["dark-urine"] == Level.SAME_DAY
    assert levels["calf-clot"] == Level.SAME_DAY
    assert levels["cannot-bear-weight"] == Level.SAME_DAY  # a possible fracture
    assert levels["faint-after"] == Level.SOON


def test_low_blood_sodium_names_its_signs_and_says_stop_drinking() -> None:
    flag = BY_SLUG["low-sodium"]
    assert flag.question == (
        "Headache, nausea, vomiting or confusion after drinking a lot (up to a day later)?"
    )
    assert flag.banner == (
        "EMERGENCY: headache, nausea or vomiting, or confusion after drinking a lot, up to a "
        "day after the run, can be low blood sodium (hyponatraemia): drink no more water until "
        "you are seen. Call emergency services now: 112, 999 or 911."
    )
    assert flag.sources == ("hew-butler-2015", "sawka-2007")


def test_heat_stroke_is_an_emergency_with_cooling_as_the_first_step() -> None:
    flag = BY_SLUG["heat-stroke"]
    assert flag.question == "Confused, hot skin, or collapsed after a run in the heat?"
    assert "cool the body at once" in flag.banner
    assert flag.banner.startswith("EMERGENCY: confusion, hot skin or collapse")


def test_a_possible_clot_is_same_day_care_and_an_emergency_when_breathless() -> None:
    flag = BY_SLUG["calf-clot"]
    assert flag.question == "Pain, swelling and warmth in one calf?"
    assert flag.banner.startswith("SAME-DAY CARE: pain, swelling and warmth in one calf")
    assert "if you are also short of breath or have chest pain, call emergency services" in (
        flag.banner
    )
    # Swelling alone no longer sends a warm, painful calf to a physiotherapist.
    assert "warm and painful, that is a possible clot: get same-day care" in (
        BY_SLUG["swelling"].banner
    )


def test_a_possible_fracture_is_same_day_care_not_a_physiotherapist() -> None:
    flag = BY_SLUG["cannot-bear-weight"]
    assert flag.question == (
        "Unable to take four steps, a crack heard, or a limb misshapen, numb or cold?"
    )
    assert flag.banner.startswith("SAME-DAY CARE: not being able to take four steps, a crack")
    assert "physiotherapist" not in flag.banner
    assert flag.sources[0] == "stiell-1992"


def test_feeling_faint_after_stopping_says_the_first_step_and_when_it_is_an_emergency() -> None:
    flag = BY_SLUG["faint-after"]
    assert flag.banner == (
        "SEE A CLINICIAN SOON: feeling faint after you stop is usually blood pooling in the "
        "legs: lie down with your legs raised and it should pass within minutes. If it does "
        "not, or comes with chest pain, breathlessness or confusion, call emergency services. "
        "If it keeps happening, stop running and see a doctor or physiotherapist in the next "
        "few days."
    )
    assert BY_SLUG["fainting"].question == "Collapsed or fainted while still running?"


# -- every surface files every sign on the same rung --------------------------------------


def _surface_outputs(cli: Cli, tmp_path: Path) -> dict[str, str]:
    """What each terminal surface shows after the check-in that reported the flag."""
    report_html = tmp_path / "report.html"
    ics = tmp_path / "recovery.ics"
    outputs = {
        "plan": cli("plan", "-m", "10").output,
        "bare afterrun": cli().output,
        "go": cli("go").output,
        "advice": cli("advice").output,
        "report": cli("report", "--weeks", "1").output,
    }
    assert cli("report", "--weeks", "1", "--out", str(report_html)).exit_code == 0
    outputs["report --out"] = re.sub(r"<[^>]+>", "\n", report_html.read_text("utf-8"))
    assert cli("remind", "--ics", str(ics)).exit_code == 0
    unfolded = ics.read_bytes().decode("utf-8").replace("\r\n ", "")
    outputs["remind --ics"] = unfolded.replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";")
    return outputs


@pytest.mark.parametrize("flag", RED_FLAGS, ids=lambda flag: flag.slug)
def test_each_sign_is_on_its_own_rung_on_every_terminal_surface(
    cli: Cli, tmp_path: Path, flag: RedFlag
) -> None:
    add_run(cli)
    checkin = cli("checkin", "calves=2", "--flag", flag.slug)
    assert rung_of(checkin.output, flag) == [flag.rung.label] * 2, "banner and footer"
    for surface, text in _surface_outputs(cli, tmp_path).items():
        labels = rung_of(text, flag)
        assert labels, f"{surface} does not show {flag.slug}:\n{text}"
        assert set(labels) == {flag.rung.label}, f"{surface} files {flag.slug} under {labels}"


def test_the_readme_files_every_sign_on_its_rung() -> None:
    text = README.read_text("utf-8")
    for line in ladder_lines():
        assert f"- {line}" in text, line
    for flag in RED_FLAGS:
        assert set(rung_of(text, flag)) == {flag.rung.label}, flag.slug


@pytest.mark.parametrize("flag", RED_FLAGS, ids=lambda flag: flag.slug)
def test_each_sign_is_on_its_own_rung_on_every_page(web: Any, flag: RedFlag) -> None:
    answer = web.post(
        "/api/checkins", json={"ratings": {"calves": 2}, "red_flags": [flag.slug]}, headers=WRITE
    )
    assert answer.status_code == 201, answer.text
    assert [item["label"] for item in answer.json()["red_flags"]] == [flag.rung.label]
    for page in ("/", "/play", "/checkin", "/report"):
        html = web.get(page).text.replace("&#39;", "'").replace("&amp;", "&")
        cards = re.findall(
            r'<p class="card flag level-([a-z-]+)"><strong>([A-Z -]+):</strong>', html
        )
        assert cards == [(flag.level.value, flag.rung.label)], page
        assert flag.banner.split(": ", 1)[1] in html, page
    ladder = re.sub(r"<[^>]+>", "\n", web.get("/checkin").text).replace("&amp;", "&")
    assert set(rung_of(ladder.replace("&#39;", "'"), flag)) == {flag.rung.label}


# -- no cool-down after a sign that needs a clinician -------------------------------------


@pytest.mark.parametrize("flag", STOP, ids=lambda flag: flag.slug)
def test_no_cool_down_is_offered_after_a_stop_sign(cli: Cli, flag: RedFlag) -> None:
    add_run(cli)
    flag_run(cli, flag)
    planned = cli("plan", "-m", "10")
    assert planned.exit_code == 1
    assert planned.stdout.startswith(f"{flag.banner} (")
    assert "Leg swings" not in planned.stdout
    help_line = (
        "A cool-down is not what that needs; it is offered again once a clinician has seen "
        "you. Say so with 'afterrun checkin --seen'.\n"
    )
    assert planned.stderr.startswith(f"Error: No cool-down for now: you reported {flag.name} (")
    assert planned.stderr.endswith(help_line)
    data = json.loads(cli("plan", "--json").stdout)
    assert data["plan"] is None and data["cool_down_withheld"] is True
    went = cli("go")
    assert (went.exit_code, went.stderr.startswith("Error: No cool-down for now")) == (1, True)
    bare = cli()
    assert bare.exit_code == 0
    assert "Suggested cool-down" not in bare.stdout
    assert "No cool-down for now" in bare.stdout
    advice = cli("advice").stdout
    assert "No cool-down for now" in advice and "Cool-down, optional" not in advice


def test_saying_a_clinician_has_seen_you_brings_the_cool_down_back(cli: Cli) -> None:
    flag_run(cli, BY_SLUG["dark-urine"])
    assert cli("plan", "-m", "10").exit_code == 1
    seen = cli("checkin", "--seen")
    assert (seen.exit_code, seen.stdout) == (
        0,
        "Noted: a clinician has seen you. The cool-down is offered again; follow what they "
        "advised, and stop if anything hurts.\n",
    )
    planned = cli("plan", "-m", "10")
    assert planned.exit_code == 0
    # The sign the clinician saw to gives way to a note; the plan is back.
    assert planned.stdout.startswith(
        f"A clinician saw you about your warning signs ({datetime.now().astimezone():%-d %b}): "
        "follow their advice, and stop and ask again if a sign comes back or gets worse.\n\n"
    )
    assert "SAME-DAY CARE" not in planned.stdout
    assert "Leg swings" in planned.stdout
    # A new stop sign after the clearance holds it back again.
    flag_run(cli, BY_SLUG["chest-pain"])
    assert cli("plan", "-m", "10").exit_code == 1


def test_seen_takes_no_ratings(cli: Cli) -> None:
    result = cli("checkin", "--seen", "calves=2")
    assert (result.exit_code, result.stderr) == (
        2,
        "Error: give --seen on its own (with --note if you like).\n",
    )


def test_a_sign_that_needs_no_same_day_care_does_not_stop_the_plan(cli: Cli) -> None:
    flag_run(cli, BY_SLUG["sharp-pain"])
    planned = cli("plan", "-m", "10")
    assert planned.exit_code == 0
    assert planned.stdout.startswith("SEE A CLINICIAN SOON: sharp pain in one spot")
    assert "Cool-down after a moderate run" in planned.stdout


def test_an_old_stop_sign_no_longer_holds_the_cool_down_back() -> None:
    now = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)
    fresh = safety([(now - timedelta(days=SHOW_DAYS - 1), ("dark-urine",))], None, now)
    assert fresh.withheld
    old = safety([(now - timedelta(days=SHOW_DAYS, seconds=1), ("dark-urine",))], None, now)
    assert not old.withheld and old.recent == ()
    cleared = safety([(now - timedelta(days=1), ("dark-urine",))], now - timedelta(hours=1), now)
    assert not cleared.withheld and cleared.recent == ()
    assert cleared.seen_at == now - timedelta(hours=1)
    # A clearance with nothing reported before it says nothing.
    assert safety([], now - timedelta(hours=1), now).seen_note == ""


def test_the_phone_offers_no_cool_down_until_a_clinician_has_seen_the_runner(web: Any) -> None:
    web.post("/api/checkins", json={"red_flags": ["calf-clot"]}, headers=WRITE)
    started = web.post("/api/sessions", json={"minutes": 10}, headers=WRITE)
    assert started.status_code == 409
    assert started.json()["error"].startswith(
        "No cool-down for now: you reported painful, swollen, warm calf ("
    )
    planned = web.get("/api/plan").json()
    assert (planned["plan"], planned["cool_down_withheld"]) == (None, True)
    play = web.get("/play").text
    assert 'id="start"' not in play and "A clinician has seen me" in play
    assert web.post("/api/clearances", json={}, headers=WRITE).status_code == 201
    assert web.post("/api/sessions", json={"minutes": 10}, headers=WRITE).status_code == 201
    play = web.get("/play").text
    assert 'id="start"' in play and "A clinician saw you about your warning signs" in play
    assert "card flag" not in play, "the sign a clinician saw to is no longer shouted"


def test_a_dark_urine_or_low_sodium_sign_changes_the_fluids_line() -> None:
    def fluids(*signs: str) -> str:
        request = AdviceRequest(END, "hard", 60.0, 61.2, 60.0, warning_signs=signs)
        return next(line.text for line in recovery_timeline(request) if line.topic == "fluids")

    assert fluids("dark-urine") == (
        "Fluids: you reported dark urine, which is a warning sign here (see above), not a "
        "hydration check: get medical care today and drink what you are told there."
    )
    assert fluids("dark-urine", "low-sodium").startswith(
        "Fluids: you reported signs of low blood sodium (see the warning above): drink no more "
        "water until a clinician has seen you."
    )
    assert fluids("sharp-pain").startswith("Fluids: you lost 1.2 kg")


def test_only_a_sign_about_one_place_rests_that_area(cli: Cli) -> None:
    cli("checkin", "calves=3", "--flag", "dark-urine")
    cli("checkin", "--seen")
    planned = cli("plan", "-m", "20")
    assert "Calf stretch at the wall" in planned.stdout.split("Left out:")[0]
    cli("checkin", "calves=3", "--flag", "swelling")
    rested = cli("plan", "-m", "20").stdout
    assert (
        "  - Calf stretch at the wall: your latest check-in rated the calves 3/10 and reported "
        "swelling" in rested
    )


# -- fluids: weighing more after the run --------------------------------------------------


END = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def fluids(before: float, after: float) -> str:
    request = AdviceRequest(END, "hard", weight_before_kg=before, weight_after_kg=after)
    return next(line.text for line in recovery_timeline(request) if line.topic == "fluids")


def test_weight_gain_gets_the_low_sodium_caution_not_praise() -> None:
    text = fluids(60.0, 60.5)
    assert text == (
        "Fluids: you weighed 0.5 kg more after the run than before, so you drank more than you "
        "lost. Drink nothing extra for now, only to thirst, and eat something salty. Too much "
        "water can lower blood sodium (hyponatraemia): a headache, nausea or vomiting, or "
        "confusion, up to a day later, is an emergency."
    )
    assert "drank enough" not in text


def test_without_a_scale_the_fluid_line_asks_for_no_weight() -> None:
    request = AdviceRequest(END, "hard")
    text = next(line.text for line in recovery_timeline(request) if line.topic == "fluids")
    assert "weight" not in text and "kg" not in text
    assert "first-morning measures" in text


def test_protein_is_one_figure_everywhere() -> None:
    texts = [
        line.text
        for soon in (None, timedelta(hours=5))
        for mass in (None, 60.0)
        for line in recovery_timeline(
            AdviceRequest(END, "hard", body_mass_kg=mass, next_session_in=soon)
        )
        if line.topic == "food"
    ]
    assert all("0.25-0.3 g" in text for text in texts), texts
    assert not any("20-40 g" in text for text in texts)
    assert "15-18 g of protein (0.25-0.3 g per kg)" in texts[-1]


# -- a source beside every line -----------------------------------------------------------


def _advice_lines() -> Iterator[tuple[str, str, tuple[str, ...]]]:
    load = LoadState(fatigue=40, fitness=30, ratio=1.4, days_of_history=60)
    variants = [
        AdviceRequest(END, "hard"),
        AdviceRequest(END, "easy", 60.0, 61.0, 60.0, timedelta(hours=5), load),
        AdviceRequest(END, "easy", 60.0, 60.0, 60.5, timedelta(days=2), load),
        AdviceRequest(END, "easy", 60.0, 60.0, 60.0, None, LoadState(5, 5, None, 3)),
        AdviceRequest(END, "hard", withheld_reason="No cool-down", withheld_sources=("nice-2020",)),
    ]
    for request in variants:
        for line in recovery_timeline(request):
            yield f"advice {line.topic}", line.text, line.sources


def _catalogue_lines() -> Iterator[tuple[str, str, tuple[str, ...]]]:
    for exercise in load_catalogue(None).exercises:
        where = f"exercise {exercise.slug}"
        yield f"{where} safety", exercise.safety, tuple(exercise.safety_sources)
        for note in exercise.evidence:
            yield f"{where} evidence", note.finding, tuple(note.sources)
        for variant in exercise.variants:
            if variant.dose is not None:
                yield f"{where} {variant.slug} dose", variant.when, tuple(variant.dose_sources)


def _cited_lines() -> list[tuple[str, str, tuple[str, ...]]]:
    entry = AreaEntry
    now = END
    history = by_area(
        [
            entry("calves", now - timedelta(days=3), "cool-down", 1),
            entry("calves", now - timedelta(days=1), "check-in", 2, 8, 1, 80.0),
            entry("calves", now - timedelta(days=2), "check-in", 3, 2, 1, 30.0),
        ]
    )
    return [
        *_advice_lines(),
        *_catalogue_lines(),
        *((f"why {topic}", f.text, f.sources) for topic, fs in TOPICS.items() for f in fs),
        *((f"red flag {flag.slug}", flag.banner, flag.sources) for flag in RED_FLAGS),
        *((f"referral {s.rule}", s.text, s.sources) for s in suggestions(history, now, UTC)),
        ("normal course", NORMAL_COURSE, ("henschke-2011", "lau-2013", "vickers-2001")),
    ]


def test_every_advice_safety_and_evidence_line_has_a_citation() -> None:
    lines = _cited_lines()
    assert len(lines) > 60
    assert {where.split()[0] for where, _, _ in lines} >= {
        "advice", "exercise", "why", "red", "referral",
    }  # fmt: skip
    uncited = [where for where, _, sources in lines if not sources]
    assert uncited == []
    unknown = [(where, key) for where, _, keys in lines for key in keys if key not in SOURCES]
    assert unknown == []


@pytest.mark.parametrize("key", sorted(SOURCES))
def test_every_source_names_authors_year_title_and_where_it_appeared(key: str) -> None:
    source = SOURCES[key]
    assert len(source.authors) >= 5, "authors"
    assert 1950 <= source.year <= 2026, "year"
    assert len(source.title) >= 10, "title"
    assert len(source.published_in) >= 3, "journal or publisher"
    assert str(source.year) in source.short or "/" in source.short or source.short == "NHS"
    assert source.full.endswith(f"{source.year}.")


def test_a_rating_band_names_the_source_of_its_load() -> None:
    from afterrun.core.rating import RunLoad, rate_intensity

    trimp = rate_intensity(RunLoad(100, "trimp-stream", "x"), [])
    assert "(TRIMP: Banister et al. 1975) on afterrun's fixed bands" in trimp.explanation
    rpe = rate_intensity(RunLoad(350, "session-rpe", "x"), [])
    assert "(session RPE: Foster et al. 2001)" in rpe.explanation


def test_why_red_flags_explains_every_sign_with_its_rung_and_full_sources(
    cli: Cli,
) -> None:
    text = cli("why", "red-flags").stdout
    for flag in RED_FLAGS:
        assert f"- {flag.banner}\n" in text
        for key in flag.sources:
            assert f"    {SOURCES[key].full}\n" in text


def test_the_phone_takes_weights_and_the_next_session_for_the_advice(
    web: Any, web_settings: Any
) -> None:
    ended = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    added = CliRunner().invoke(
        afterrun_group,
        ["--db", web_settings.db_url, "run", "add", "--distance", "10km", "--time", "50:00",
         "--rpe", "7", "--at", ended],
        env={"AFTERRUN_CONFIG_DIR": str(web_settings.config_dir)},
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    plain = web.get("/").text
    assert 'id="advice"' in plain and "afterrun assumes it is more than 8 h away" in plain
    page = web.get("/?weight_before=60&weight_after=60.5&next_session_hours=5").text
    assert "you weighed 0.5 kg more after the run than before" in page
    assert "your next hard session is in 5 h, so refuelling soon matters" in page
    assert 'value="60.5"' in page, "the form keeps what was entered"
    api = web.get("/api/today?weight_before=61.2&weight_after=60").json()
    fluids = next(line for line in api["timeline"] if line["topic"] == "fluids")
    assert fluids["text"].startswith("Fluids: you lost 1.2 kg (2.0% of your weight).")
    bad = web.get("/api/today?weight_before=6000")
    assert bad.status_code == 422


def test_chest_pain_comes_first_in_the_terminal_and_is_an_emergency(cli: Cli) -> None:
    add_run(cli)
    flag = BY_SLUG["chest-pain"]
    checkin = cli("checkin", "calves=2", "--flag", "chest-pain")
    assert checkin.stdout.startswith(
        "EMERGENCY: chest pain, pressure or tightness during or after a run can be the heart. "
        "Call emergency services now: 112, 999 or 911. (Thompson et al. 2007)\n"
    )
    assert (
        "\n  EMERGENCY: chest pain; collapse during the run; severe breathlessness; heat "
        "stroke; low blood sodium. Call emergency services now: 112, 999 or 911.\n"
    ) in checkin.stdout, "the footer files chest pain under emergency services"
    first = f"{flag.banner} (Thompson et al. 2007) (reported in a recent check-in)\n\n"
    bare = cli()
    assert bare.exit_code == 0
    assert bare.stdout.startswith(first + "Latest run: ")
    went = cli("go")
    assert (went.exit_code, went.stdout) == (1, first)
    assert went.stderr.startswith("Error: No cool-down for now: you reported chest pain (")
    assert "which needs emergency care" in went.stderr
