"""A seeded, smaller run of bench/fuzz_importers.py, and the bugs it found kept as cases.

The bench run (10,000 cases by default) lives in bench/; here a few hundred cases of
the same generator, with a fixed seed, must each end as a stored activity, a partial
one or a named failure, through the same code path a user's import takes.
"""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from afterrun.core.errors import AfterrunError, ImportFailed
from afterrun.core.load import Profile
from afterrun.importers import parse_bytes
from afterrun.importers._util import parse_time
from afterrun.services.import_workers import TimeLimit, parse_source
from afterrun.services.imports import import_paths
from conftest import corpus_path

BENCH = Path(__file__).parents[1] / "bench" / "fuzz_importers.py"
SEED = 20_251_123
CASES = 400


def _load_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fuzz_importers", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


fuzz = _load_bench()


@pytest.fixture(scope="module")
def seeds() -> list[object]:
    corpus = corpus_path()
    # FIT files over 300 kB are left out: thinning them costs fitdecode seconds.
    built: list[object] = fuzz.build_seeds(corpus, max_fit_bytes=300_000)
    return built


def test_seeded_mutations_of_real_files_end_stored_partial_or_named(
    seeds: list[object], tmp_path: Path
) -> None:
    runner = fuzz.Runner(tmp_path, time_limit=5.0)
    counts: Counter[str] = Counter()
    bad: list[str] = []
    try:
        for index in range(CASES):
            case = fuzz.make_case(seeds, SEED, index)
            outcome = fuzz.run_one(runner, case, through_import=index % 25 == 0)
            counts[outcome.kind] += 1
            if outcome.kind in fuzz.BAD:
                bad.append(f"#{index} {outcome.kind} {case.describe()}: {outcome.detail}")
    finally:
        runner.close()
    assert bad == []
    assert sum(counts.values()) == CASES
    # the mix reaches every ending, so the generator is not only producing junk
    assert min(counts[fuzz.STORED], counts[fuzz.PARTIAL], counts[fuzz.FAILED]) >= 10, counts


def test_a_case_is_the_same_bytes_every_time(seeds: list[object]) -> None:
    for index in (0, 7, 123):
        first = fuzz.make_case(seeds, SEED, index)
        again = fuzz.make_case(seeds, SEED, index)
        assert (first.filename, first.data, first.ops) == (again.filename, again.data, again.ops)


def test_the_harness_calls_a_last_resort_message_a_crash() -> None:
    assert fuzz.classify_message("could not read FIT file (TypeError)").kind == fuzz.CRASH
    assert fuzz.classify_message("could not be read (KeyError: 'x')").kind == fuzz.CRASH
    assert fuzz.classify_message("took longer than 5 s to read; skipped").kind == fuzz.HANG
    assert fuzz.classify_message("two\nlines").kind == fuzz.CRASH
    assert fuzz.classify_message("empty file").kind == fuzz.FAILED


@settings(
    derandomize=True,
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_byte_level_damage_never_escapes_as_another_exception(
    seeds: list[object], data: st.DataObject
) -> None:
    seed = data.draw(st.sampled_from(seeds))
    raw = bytearray(seed.data)  # type: ignore[attr-defined]
    for position, value in data.draw(
        st.lists(st.tuples(st.integers(0, len(raw) - 1), st.integers(0, 255)), max_size=12)
    ):
        raw[position] = value
    cut = data.draw(st.integers(0, len(raw)))
    name = data.draw(st.sampled_from(["x.fit", "x.gpx", "x.tcx", "x.fit.gz", "x"]))
    # A generous limit: a damaged large file read by fitdecode takes seconds on a busy
    # machine; hangs are the hostile-file tests' business, escapes are this one's.
    limit = TimeLimit(60, 0)
    parsed = parse_source(name, name, bytes(raw[:cut]), None, Profile(), 2026, limit)
    if not parsed.activities:
        assert parsed.error is not None
        assert fuzz.classify_message(parsed.error).kind == fuzz.FAILED, parsed.error
    for activity, load in zip(parsed.activities, parsed.loads, strict=True):
        assert fuzz.activity_problem(activity, load) is None


# --- what the fuzzing found, kept as plain cases ---------------------------------------


def _gpx(*times: str, extra: str = "") -> bytes:
    points = "".join(
        f'<trkpt lat="46.0" lon="{14 + i / 1000}"><time>{t}</time>{extra}</trkpt>'
        for i, t in enumerate(times)
    )
    return (
        f'<gpx version="1.1"><trk><type>running</type><trkseg>{points}</trkseg></trk></gpx>'
    ).encode()


@pytest.mark.parametrize(
    "odd",
    [
        "0001-01-01T00:00:00+01:00",
        "9999-12-31T23:59:59-01:00",
        "0001-01-01T00:00:00Z",
        "2150-01-01T00:00:00Z",
    ],
)
def test_a_timestamp_out_of_range_counts_as_no_time(odd: str) -> None:
    # Before: OverflowError from astimezone (caught only by the last resort), or a
    # stream offset of 6e10 s that made the store raise OverflowError mid-batch.
    assert parse_time(odd) is None
    activity = parse_bytes("x.gpx", _gpx("2024-05-04T07:30:00Z", odd, "2024-05-04T07:31:00Z"))
    assert activity.elapsed_seconds == 60
    assert parse_time("2024-05-04T07:30:00+02:00") is not None


def test_a_run_with_a_year_one_point_is_stored_and_the_batch_goes_on(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from afterrun.store import Store

    (tmp_path / "a.gpx").write_bytes(
        _gpx("2010-05-04T07:30:00Z", "0001-01-01T00:00:00Z", extra="<speed>3</speed>")
    )
    (tmp_path / "b.gpx").write_bytes(_gpx("2011-05-04T07:30:00Z", "2011-05-04T07:31:00Z"))
    with Store.open(f"sqlite:///{tmp_path / 'db.sqlite'}") as store:
        summary = import_paths(
            store, [tmp_path / "a.gpx", tmp_path / "b.gpx"], datetime(2026, 1, 1, tzinfo=UTC)
        )
    assert (len(summary.imported), summary.failed) == (2, [])


def test_an_unexpected_error_while_storing_fails_that_file_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import UTC, datetime

    from afterrun.store import Store

    (tmp_path / "a.gpx").write_bytes(_gpx("2010-05-04T07:30:00Z", "2010-05-04T07:31:00Z"))
    (tmp_path / "b.gpx").write_bytes(_gpx("2011-05-04T07:30:00Z", "2011-05-04T07:31:00Z"))
    with Store.open(f"sqlite:///{tmp_path / 'db.sqlite'}") as store:
        real = store.import_activity

        def import_activity(activity: object, digest: str, source: str, *rest: object) -> object:
            if source.endswith("a.gpx"):
                raise OverflowError("unsigned int is greater than maximum")
            return real(activity, digest, source, *rest)  # type: ignore[arg-type]

        monkeypatch.setattr(store, "import_activity", import_activity)
        summary = import_paths(store, [tmp_path], datetime(2026, 1, 1, tzinfo=UTC))
    assert summary.failed == [
        (
            str(tmp_path / "a.gpx"),
            "could not be stored (OverflowError: unsigned int is greater than maximum)",
        )
    ]
    assert [Path(label).name for label, _ in summary.imported] == ["b.gpx"]


@pytest.mark.parametrize(
    ("encoding", "why"),
    [
        ("bogus-8", "unknown encoding: bogus-8"),
        ("UTF-32", "multi-byte encodings are not supported"),
    ],
)
def test_an_unreadable_encoding_declaration_is_named(encoding: str, why: str) -> None:
    # Before: LookupError / ValueError from expat, caught only by the last resort.
    doc = f'<?xml version="1.0" encoding="{encoding}"?>'.encode() + _gpx("2024-05-04T07:30:00Z")
    with pytest.raises(ImportFailed) as caught:
        parse_bytes("x.gpx", doc)
    assert (
        caught.value.message
        == f"GPX file declares a text encoding that cannot be read ({why}); save it as UTF-8"
    )


def test_fit_data_running_past_the_declared_size_keeps_what_was_read() -> None:
    # fitdecode asserts that a message fits the declared data size; that AssertionError
    # used to reach only the last resort ("could not read FIT file (AssertionError)").
    data = bytearray(corpus_path("dtcooper__garmin-fenix-5-run.fit").read_bytes())
    data[4:8] = (2000).to_bytes(4, "little")  # the body is longer than this
    try:
        activity = parse_bytes("x.fit", bytes(data))
    except AfterrunError as error:
        assert not error.message.startswith("could not read FIT file ("), error.message
    else:
        assert activity.partial


@pytest.mark.parametrize("huge", ["1e308", "999999999999", "-1e300"])
def test_huge_numbers_count_as_missing_and_totals_stay_finite(huge: str) -> None:
    # Before: two laps of 1e308 seconds summed to inf; cadence 1e308 weighted to inf.
    lap = (
        '<Lap StartTime="2024-05-04T07:30:00Z"><TotalTimeSeconds>{v}</TotalTimeSeconds>'
        "<DistanceMeters>{v}</DistanceMeters><Cadence>{v}</Cadence></Lap>"
    )
    doc = (
        '<TrainingCenterDatabase><Activities><Activity Sport="Running"><Id>2024-05-04T07:30:00Z</Id>'
        + lap.format(v=huge) * 2
        + "</Activity></Activities></TrainingCenterDatabase>"
    )
    activity = parse_bytes("x.tcx", doc.encode())
    assert (activity.moving_seconds, activity.distance_m, activity.avg_cadence) == (
        None,
        None,
        None,
    )


def test_negative_lap_totals_count_as_missing() -> None:
    doc = (
        '<TrainingCenterDatabase><Activities><Activity Sport="Running"><Id>2024-05-04T07:30:00Z</Id>'
        '<Lap StartTime="2024-05-04T07:30:00Z"><TotalTimeSeconds>-3600</TotalTimeSeconds>'
        "<DistanceMeters>-100</DistanceMeters></Lap></Activity></Activities></TrainingCenterDatabase>"
    )
    activity = parse_bytes("x.tcx", doc.encode())
    assert activity.moving_seconds is None
    assert activity.distance_m is None
