"""No overclaims: every string a runner can see is scanned for the claims the evidence sheet
forbids ("Claims the program must NOT make" in ../shared/reference/evidence.md).

The scan covers the built-in catalogue (every field), every command's help and option help,
every string constant and f-string part in src/afterrun (docstrings too), the red flags and
the sources. The patterns are checked against planted bad sentences, so the scan cannot pass
by matching nothing, and against honest sentences, so negations are not flagged.
"""

from __future__ import annotations

import ast
import re
import tomllib
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import click
import pytest

from afterrun.cli.main import cli
from afterrun.core.red_flags import RED_FLAGS
from afterrun.core.sources import SOURCES

SRC = Path(__file__).resolve().parents[1] / "src" / "afterrun"

_NOT_BETWEEN_DIGITS = r"(?<!\d)[.;!?](?!\d)|(?<=\d)[.;!?](?=\s|$)"
_SENTENCE_END = re.compile(_NOT_BETWEEN_DIGITS)
#: A sentence that denies the claim before making it ("did not lower injury risk").
_NEGATION = re.compile(
    r"\b(?:not|no|never|neither|nor|without|cannot|myth)\b|n't\b|n’t\b", re.IGNORECASE
)
#: The catalogue quotes the original routine's claims in order to correct them.
_QUOTED = re.compile(r"^\s*the original routine (?:says|claims)\b", re.IGNORECASE)

_CLAUSE = r"[^.;:!?]"
_SUBJECT = r"\b(?:stretch(?:es|ing)?|cool[- ]?downs?|cooling down|foam[- ]rolling|leg swings)\b"
_LESSEN = (
    r"\b(?:reduces|prevents|eliminates|avoids|lowers|cuts|stops|cures|relieves|"
    r"(?:will|can|does|may|helps?(?: to)?|is proven to|are proven to)\s+"
    r"(?:reduce|prevent|eliminate|avoid|lower|cut|stop|cure|relieve))\b"
)
_SORENESS = r"\b(?:soreness|doms|sore muscles|muscle soreness|aching muscles)\b"
_INJURY = r"\b(?:injur(?:y|ies)|injury risk|risk of injury|strains?|pulled muscles?)\b"
_LITRES = r"\d+(?:[.,]\d+)?\s*(?:l|litres?|liters?)\b"
#: How hard the run was: "a hard run", "harder runs", "after a race", "the run's intensity".
_RUN_LOAD = (
    r"\b(?:(?:very[- ])?hard(?:er)?|tough(?:er)?|intense|more intense|heavy|heavier|long(?:er)?)"
    r"\s+(?:runs?|sessions?|workouts?|efforts?|training|days?)\b"
    r"|\bafter\s+(?:a\s+|your\s+)?(?:race|(?:very[- ])?hard\b|intense\b|tough\b)"
    r"|\bintensity\b"
)
#: A stretch dose made bigger: "longer holds", "hold each stretch longer", "holds grow",
#: "hold 30 s".
_MORE_STRETCH = (
    r"\b(?:longer|more|extra|additional|bigger)\s+(?:\w+\s+)?"
    r"(?:holds?|stretch(?:es|ing)?|seconds|sets|repetitions|reps|doses?)\b"
    r"|\b(?:holds?|stretch(?:es)?)\b[^.;:!?]{0,25}?\b(?:longer|more)\b"
    r"|\b(?:holds?|doses?|stretch(?:es)?|swings?|sets)\b[^.;:!?]{0,20}?"
    r"\b(?:grows?|increases?|rises?|scales?|lengthens?|goes up)\b"
    r"|\bhold\s+(?:for\s+)?\d+\s*(?:s|sec|secs|seconds)\b"
    r"|\b(?:raises?|raising|raised|lengthens?|lengthening)\s+(?:the\s+|each\s+)?"
    r"(?:holds?|doses?|stretch(?:es)?|sets)\b"
)

#: (claim number in evidence.md, what it is, pattern); 10 is the original routine's
#: "within the first 30 minutes" for stretching, for which the sheet found no evidence. A claim
#: is made unless a negation comes before the end of the match ("stretching did not lower injury risk").
CLAIMS: tuple[tuple[int, str, re.Pattern[str]], ...] = tuple(
    (number, name, re.compile(pattern, re.IGNORECASE))
    for number, name, pattern in (
        (
            1,
            "stretching or a cool-down reduces soreness",
            rf"{_SUBJECT}{_CLAUSE}{{0,60}}?{_LESSEN}{_CLAUSE}{{0,30}}?{_SORENESS}",
        ),
        (
            1,
            "less soreness thanks to stretching or a cool-down",
            rf"\b(?:less|reduced|lower|no|fewer)\s+(?:next-day\s+)?{_SORENESS}{_CLAUSE}{{0,30}}?"
            rf"\b(?:with|by|from|thanks to|because of|if you)\b{_CLAUSE}{{0,15}}?{_SUBJECT}",
        ),
        (
            1,
            "stretching or a cool-down reduces soreness (reversed)",
            rf"\b(?:reduce|prevent|avoid|eliminate)\s+(?:next-day\s+)?{_SORENESS}{_CLAUSE}{{0,20}}?"
            rf"\b(?:by|with|through)\b{_CLAUSE}{{0,10}}?{_SUBJECT}",
        ),
        (
            2,
            "stretching prevents injury",
            rf"{_SUBJECT}{_CLAUSE}{{0,60}}?"
            rf"(?:{_LESSEN}|\bprotects? (?:you )?against\b){_CLAUSE}{{0,30}}?{_INJURY}",
        ),
        (
            2,
            "stretching for injury prevention",
            rf"{_SUBJECT}{_CLAUSE}{{0,40}}?\b(?:injury[- ]prevention|injury[- ]proof|injury[- ]free)\b"
            rf"|\binjury[- ]prevention\b{_CLAUSE}{{0,40}}?{_SUBJECT}",
        ),
        (
            3,
            "eat within 30-60 minutes or lose the benefit",
            rf"\bwithin\s+(?:the\s+first\s+)?(?:\d+\s*(?:-|–|to)?\s*\d*\s*min\w*|"
            rf"(?:an|one|half an|the first)\s+hour)\b{_CLAUSE}{{0,60}}?"
            rf"\b(?:or|otherwise|else)\b{_CLAUSE}{{0,25}}?\b(?:lose|miss|waste|wasted|too late)\b",
        ),
        (
            3,
            "you must eat or stretch within a window",
            rf"\bmust\s+(?:eat|refuel|stretch|cool down|drink|have)\b{_CLAUSE}{{0,30}}?"
            rf"\bwithin\s+(?:\d+|an|one|half)\b",
        ),
        (
            3,
            "the window closes",
            r"\b(?:anabolic|metabolic|glycogen|recovery)\s+window\b[^.;!?]{0,30}\b(?:closes|shuts)\b",
        ),
        (
            4,
            "drink as much as you can",
            r"\bdrink\s+as\s+much\b[^.;!?]{0,20}?\bas\s+(?:you|possible)",
        ),
        (
            4,
            "a fixed litre target",
            rf"\bdrink\w*\b{_CLAUSE}{{0,25}}?\b{_LITRES}(?!\s*(?:per|for each|for every|/|x)\s*"
            r"(?:kg|kilo))",
        ),
        (
            4,
            "litres a day",
            rf"\b{_LITRES}\s+(?:of\s+(?:water|fluids?)\s+)?(?:a|per|each|every)\s+day\b"
            r"|\b\d+\s+glasses\s+(?:of\s+water\s+)?(?:a|per)\s+day\b",
        ),
        (
            5,
            "it is just soreness",
            rf"\b(?:just|only|merely|simply|nothing but)\s+(?:normal\s+|ordinary\s+)?{_SORENESS}",
        ),
        (5, "nothing to worry about", r"\bnothing to worry about\b|\b(?:do not|don'?t) worry\b"),
        (
            6,
            "ACWR above 1.5 injures",
            r"\b(?:acwr|ratio|acute[: ]chronic|7:28)\b[^;!?]{0,60}?(?:>|≥|>=|above|over|exceeds?|"
            r"greater than|of)\s*1[.,]5\b[^;!?]{0,40}?\b(?:injur\w*|danger\w*|will hurt)",
        ),
        (6, "the ACWR sweet spot", r"(?<!['\"‘“])\bsweet[- ]spot\b(?!['\"’”])"),
        (
            6,
            "0.8-1.3 is safe",
            r"\b0[.,]8\s*(?:-|–|to|and)\s*1[.,]3\b[^;!?]{0,40}?\b(?:safe|optimal|ideal|low[- ]risk|protect\w*)"
            r"|\b(?:safe|optimal|ideal)\b[^;!?]{0,40}?\b0[.,]8\s*(?:-|–|to|and)\s*1[.,]3\b",
        ),
        (
            7,
            "recovery hours or TRIMP as measured physiology",
            r"\b(?:recovery (?:time|hours?)|trimp|ctl|atl|training load|fatigue|fitness|form)\b"
            rf"{_CLAUSE}{{0,25}}?\b(?:is|are|was|were|gets?)\s+(?:directly\s+)?measured\b"
            r"|\bmeasured\s+(?:recovery|trimp|fitness|fatigue|training load|ctl|atl)\b"
            r"|\byou(?:r body)?\s+(?:need|needs|will need)\s+\d+\s*(?:h|hours)\s+(?:of|to)\s+recover",
        ),
        (8, "HRmax is 220 - age", r"\b220\s*(?:-|–|−|minus)\s*(?:your\s+)?age\b"),
        (
            9,
            "hold times as a recovery dose",
            r"\brecovery\s+dose\b"
            rf"|{_SUBJECT}{_CLAUSE}{{0,40}}?\b(?:speeds?(?: up)?|boosts?|aids?|promotes?|improves?|"
            r"enhances?|is (?:vital|essential|key|needed) for)\s+(?:your\s+|faster\s+|full\s+)?recovery\b"
            r"|\b(?:hold|holds|seconds)\b[^.;!?]{0,30}?\b(?:for|to)\s+(?:faster|full|optimal)\s+recovery\b",
        ),
        (
            10,
            "the article's 30-minute window for stretching",
            r"\b(?:30|thirty)[- ]minute\s+window\b"
            rf"|\b(?:stretch\w*|cool(?:ing)?[- ]?downs?)\b{_CLAUSE}{{0,50}}?\bwithin\s+(?:the\s+)?"
            r"(?:first\s+)?(?:30|thirty)\s*(?:-\s*)?min"
            r"|\b(?:first|within)\s+(?:the\s+first\s+)?(?:30|thirty)\s*(?:-\s*)?min\w*\b[^.;!?]{0,50}?"
            r"\b(?:stretch\w*|cool(?:ing)?[- ]?down)",
        ),
        (
            9,
            "a stretch dose scaled by how hard the run was",
            rf"(?:{_RUN_LOAD}){_CLAUSE}{{0,60}}?(?:{_MORE_STRETCH})"
            rf"|(?:{_MORE_STRETCH}){_CLAUSE}{{0,60}}?(?:{_RUN_LOAD})",
        ),
    )
)


#: Phrases whose own "not" is the claim, not a denial of it.
UNNEGATABLE = re.compile(r"\b(?:do not|don'?t) worry\b|\bnothing to worry\b", re.IGNORECASE)


def _without(pattern: re.Pattern[str], text: str) -> str:
    return pattern.sub(" ", text)


def sentences(text: str) -> list[str]:
    return [part.strip() for part in _SENTENCE_END.split(" ".join(text.split())) if part.strip()]


def claims_in(text: str) -> list[str]:
    """The forbidden claims a text makes: each sentence, unless it quotes or first denies it."""
    found = []
    for sentence in sentences(text):
        if _QUOTED.search(sentence):
            continue
        for number, name, pattern in CLAIMS:
            match = pattern.search(sentence)
            if match and not _NEGATION.search(_without(UNNEGATABLE, sentence[: match.end()])):
                found.append(f"claim {number} ({name}): {sentence!r}")
    return found


# --- where the strings come from ---------------------------------------------------------


def _strings_in(value: object, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings_in(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings_in(item, f"{where}[{index}]")


def catalogue_strings() -> Iterator[tuple[str, str]]:
    text = resources.files("afterrun").joinpath("data/exercises.toml").read_text("utf-8")
    yield from _strings_in(tomllib.loads(text), "exercises.toml")


def help_strings() -> Iterator[tuple[str, str]]:
    def walk(command: click.Command, name: str) -> Iterator[tuple[str, str]]:
        for label, value in (
            ("help", command.help),
            ("short_help", command.short_help),
            ("epilog", command.epilog),
        ):
            if value:
                yield f"{name} {label}", value
        for param in command.params:
            help_text = getattr(param, "help", None)
            if help_text:
                yield f"{name} {param.name}", help_text
        if isinstance(command, click.Group):
            for sub_name, sub in command.commands.items():
                yield from walk(sub, f"{name} {sub_name}")

    yield from walk(cli, "afterrun")


def source_strings() -> Iterator[tuple[str, str]]:
    """Every str constant and f-string literal part in src/afterrun, docstrings included."""
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                yield f"{path.relative_to(SRC)}:{node.lineno}", node.value
            elif isinstance(node, ast.JoinedStr):
                # The parts of an f-string, with the holes as a placeholder word.
                text = "".join(
                    part.value if isinstance(part, ast.Constant) else "X"
                    for part in node.values
                    if isinstance(part, ast.Constant | ast.FormattedValue)
                )
                yield f"{path.relative_to(SRC)}:{node.lineno}", str(text)


def advice_strings() -> Iterator[tuple[str, str]]:
    for flag in RED_FLAGS:
        yield f"red flag {flag.slug}", f"{flag.question} {flag.banner}"
    for source in SOURCES.values():
        yield f"source {source.key}", f"{source.short}. {source.full}"


#: A paper's title may quote the claim it debunks ("The surprising history of the
#: 'HRmax=220-age' equation"): in the sources, quoted spans are the authors' words.
_QUOTE = re.compile(r"'[^']*'")


def readme_strings() -> Iterator[tuple[str, str]]:
    """The README, paragraph by paragraph (its planning rules and dose table included)."""
    text = (SRC.parents[1] / "README.md").read_text("utf-8")
    for number, paragraph in enumerate(text.split("\n\n"), start=1):
        yield f"README paragraph {number}", paragraph


def all_strings() -> list[tuple[str, str]]:
    found = [
        *catalogue_strings(),
        *help_strings(),
        *source_strings(),
        *advice_strings(),
        *readme_strings(),
    ]
    return [
        (
            where,
            _QUOTE.sub("''", text) if where.startswith(("core/sources.py", "source ")) else text,
        )
        for where, text in found
    ]


# --- the scanner catches what it must ----------------------------------------------------

PLANTED = [
    (1, "Stretching reduces soreness the next day."),
    (1, "A proper cool-down prevents DOMS."),
    (1, "Stretching after a run helps reduce muscle soreness."),
    (1, "Foam rolling eliminates soreness."),
    (1, "You will have less soreness if you stretch."),
    (1, "Prevent DOMS by stretching every time."),
    (1, "Cool-downs can reduce next-day soreness"),
    (1, "A little stretching reduces soreness."),
    (1, "The routine says stretching reduces soreness."),
    (2, "Stretching prevents injury."),
    (2, "Regular stretching reduces your injury risk."),
    (2, "A cool-down lowers the risk of injury."),
    (2, "Stretch for injury prevention after every run."),
    (2, "Stretching protects against strains."),
    (3, "Eat within 30 minutes or you lose the benefit."),
    (3, "Refuel within an hour, otherwise you miss the window."),
    (3, "You must eat within 45 minutes of finishing."),
    (3, "Stretch within 30 min or it is wasted."),
    (3, "The anabolic window closes after an hour."),
    (4, "Drink as much as you can after the run."),
    (4, "Drink 2 litres of water now."),
    (4, "drink at least 1.5 L straight away"),
    (4, "Aim for 3 litres a day."),
    (4, "Have 8 glasses of water a day."),
    (5, "It's just soreness, carry on."),
    (5, "That's only DOMS."),
    (5, "This is nothing to worry about."),
    (5, "Don't worry, soreness is normal."),
    (6, "An ACWR above 1.5 will injure you."),
    (6, "A ratio > 1.5 puts you in the danger zone."),
    (6, "Stay in the sweet spot."),
    (6, "A ratio of 0.8-1.3 is safe."),
    (6, "Keeping the ratio between 0.8 and 1.3 is optimal."),
    (6, "The optimal range is 0.8 to 1.3."),
    (7, "Your recovery time is measured from your heart rate."),
    (7, "TRIMP is measured directly."),
    (7, "Your body needs 36 hours to recover."),
    (7, "Your measured fitness went up."),
    (8, "Your HRmax is 220 - age."),
    (8, "Max heart rate is 220 minus your age."),
    (9, "Hold 30 seconds: the recovery dose."),
    (9, "Stretching speeds up recovery."),
    (9, "Holds of 30 seconds for faster recovery."),
    (10, "Stretch within 30 minutes of finishing your run."),
    (10, "Use the 30-minute window after a run."),
    (10, "The first 30 minutes after the run are the time to stretch."),
    (10, "Do your cool-down within the first thirty minutes."),
    (9, "After a hard run, hold each stretch longer."),
    (9, "Harder runs need longer holds."),
    (9, "Hold 30 s after a very hard run for a better recovery"),
    (9, "Doses grow with the run's intensity."),
    (9, "Raise the doses one notch at a time towards the dose for the run's intensity."),
    (9, "After a race, do extra sets of swings."),
    (
        9,
        "The holds grow with the run's intensity (25 s after a moderate run, 30 s after a hard one).",
    ),
]

HONEST = [
    # From the catalogue and the advice, negated or hedged as they should be.
    "Across trials, stretching did not lower injury risk (risk ratio 0.96); strength training did.",
    "Stretching did not change injury risk in large trials (hazard ratio 0.97) and changed "
    "soreness very little.",
    "They do not measurably change next-day soreness or injury risk.",
    "Many runners find a gentle calf stretch eases the stiff-legged feeling after a run.",
    "Herbert RD. Stretching to prevent or reduce muscle soreness after exercise.",
    "The original routine says hamstring stretching is vital for recovery and for avoiding strains.",
    "That is not a recovery dose.",
    "HRmax is estimated as 208 - 0.7 x age (Tanaka), not 220 - age.",
    "The 7:28-day load ratio is shown as a change in load, never as an injury forecast.",
    "About 1.5 L per kg of body mass lost.",
    "Drink 1.5 litres for each kg you lost.",
    "Soreness usually starts within a day and often peaks around 48 h, but runners differ.",
    "Pain that keeps coming back can be a strain rather than soreness: see a physiotherapist.",
    "Light activity after a run clears blood lactate faster than standing still.",
    "The 'within an hour' window matters only when your next hard session is less than 8 h away.",
    "No evidence that stretching reduces soreness.",
    "Training load is a model, not a measurement.",
    "The so-called 'sweet spot' of 0.8-1.3 did not predict injuries.",
    "Injuries: stretching made no difference (risk ratio 0.96; hazard ratio 0.97), while "
    "strength training cut injuries to about a third.",
    "Studies found it no better than chance at predicting injury, so afterrun never uses it "
    "as a warning of injury.",
    "This describes a change in load; it does not predict injury.",
    "Sports drinks with 400-1,100 mg sodium per litre help.",
    "Pain that strong is more than soreness usually brings: see a physiotherapist or doctor.",
    "Set a measured one with 'afterrun profile set --hr-max'.",
    "No evidence was found for the original routine's '30-minute window' for stretching.",
    "A cool-down is low-to-moderate activity within about an hour of training.",
    "The cool-down started within an hour of the run's end.",
    # Must-not 9: the run's load shapes the walk, never the holds.
    "After a hard run, walk or jog easily for a few minutes first.",
    "Holds are the same for every run: 25 s x 2 per side.",
    "A few easy minutes after a hard run clear blood lactate faster; a longer cool-down or "
    "longer holds are for comfort and a gradual return, not faster recovery.",
    "Harder runs do not need longer holds.",
    "The run's intensity changes only the walk, never the holds.",
    "After a very hard run, 5 minutes of easy walking come first.",
    "Hold each stretch 25 s whatever the run.",
]


@pytest.mark.parametrize(("number", "sentence"), PLANTED)
def test_the_scanner_flags_each_planted_claim(number: int, sentence: str) -> None:
    found = claims_in(sentence)
    assert found, f"not flagged: {sentence!r}"
    assert any(item.startswith(f"claim {number} ") for item in found), found


def test_every_forbidden_claim_has_a_planted_example() -> None:
    assert {number for number, _ in PLANTED} == set(range(1, 11))
    assert {number for number, _, _ in CLAIMS} == set(range(1, 11))


@pytest.mark.parametrize(("number", "name", "pattern"), CLAIMS, ids=[c[1] for c in CLAIMS])
def test_every_pattern_catches_a_planted_sentence(
    number: int, name: str, pattern: re.Pattern[str]
) -> None:
    assert any(pattern.search(sentence) for n, sentence in PLANTED if n == number), name


def test_only_the_original_routine_may_be_quoted() -> None:
    quoted = "The original routine says stretching reduces soreness."
    assert claims_in(quoted) == []
    assert claims_in(f"Good news. {quoted.replace('The original routine says s', 'S')}") != []


@pytest.mark.parametrize("sentence", HONEST)
def test_honest_sentences_are_not_flagged(sentence: str) -> None:
    assert claims_in(sentence) == []


# --- and finds nothing in afterrun -------------------------------------------------------


def test_the_scan_reads_every_kind_of_string() -> None:
    strings = all_strings()
    where = {label.split(":")[0].split(".")[0].split(" ")[0] for label, _ in strings}
    assert {"exercises", "afterrun", "red", "source", "README"} <= where
    assert len(strings) > 1000
    texts = [text for _, text in strings]
    assert any("did not lower injury risk" in text for text in texts), "catalogue findings"
    assert any("Print the plan as JSON." in text for text in texts), "option help"
    assert any("Rate soreness 0-10 per body area" in text for text in texts), "command help"
    assert any("rhabdomyolysis" in text for text in texts), "red flags"
    assert any("How hard the run was decides only the" in text for text in texts), "README"


def test_no_user_visible_string_makes_a_forbidden_claim() -> None:
    found = [f"{where}: {claim}" for where, text in all_strings() for claim in claims_in(text)]
    assert found == []


# --- the evidence sheet's own wording ----------------------------------------------------------


def test_sources_are_cited_with_the_evidence_sheet_s_years_and_words() -> None:
    """Foster's session-RPE paper is 2001 (the 25-year review 2021); what nobody has shown
    is 'no evidence found', never 'no study supports'; the 1% rule is body mass lost."""
    texts = [text for _, text in all_strings()]
    joined = "\n".join(texts)
    assert re.findall(r"Foster(?: et al\.?)? (\d{4})", joined)
    assert set(re.findall(r"Foster(?: et al\.?)? (\d{4})", joined)) <= {"2001", "2021"}
    assert not re.search(
        r"\bno (?:study|studies|trial|research) (?:supports?|shows?)\b", joined, re.I
    )
    assert any("No evidence was found for the original routine" in text for text in texts)
    one_percent = [text for text in texts if "1%" in text]
    assert one_percent
    assert all("1% of your body mass lost" in text for text in one_percent), one_percent
    assert any("thirst rated 5 or more" in text for text in texts)
