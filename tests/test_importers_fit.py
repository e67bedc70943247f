"""FIT importer on FIT files this test writes itself (no corpus needed).

A tiny FIT encoder below writes exactly the messages each test needs, so
every expected value is known in advance.
"""

from __future__ import annotations

import contextlib
import gzip
import random
import struct
from datetime import UTC, datetime

import pytest

from afterrun.core.activity import Sport
from afterrun.core.errors import ImportFailed
from afterrun.importers import parse_bytes
from afterrun.importers.fit import parse_fit

# --- a minimal FIT writer -------------------------------------------------------------

_CRC_TABLE = (
    0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
    0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400,
)  # fmt: skip

FIT_EPOCH = 631065600  # 1989-12-31T00:00:00Z in Unix seconds
START = datetime(2024, 5, 4, 7, 30, tzinfo=UTC)

ENUM, UINT8, UINT16, UINT32, SINT32 = 0x00, 0x02, 0x84, 0x86, 0x85
_FORMATS = {ENUM: "B", UINT8: "B", UINT16: "H", UINT32: "I", SINT32: "i"}
_INVALID = {ENUM: 0xFF, UINT8: 0xFF, UINT16: 0xFFFF, UINT32: 0xFFFFFFFF, SINT32: 0x7FFFFFFF}

# global message number, then (field number, base type, scale, offset) by name
_MESSAGES: dict[str, tuple[int, dict[str, tuple[int, int, float, float]]]] = {
    "file_id": (0, {
        "type": (0, ENUM, 1, 0),
        "manufacturer": (1, UINT16, 1, 0),
        "product": (2, UINT16, 1, 0),
        "time_created": (4, UINT32, 1, 0),
    }),
    "record": (20, {
        "timestamp": (253, UINT32, 1, 0),
        "position_lat": (0, SINT32, 1, 0),
        "position_long": (1, SINT32, 1, 0),
        "altitude": (2, UINT16, 5, 500),
        "heart_rate": (3, UINT8, 1, 0),
        "distance": (5, UINT32, 100, 0),
        "speed": (6, UINT16, 1000, 0),
    }),
    "session": (18, {
        "timestamp": (253, UINT32, 1, 0),
        "start_time": (2, UINT32, 1, 0),
        "sport": (5, ENUM, 1, 0),
        "sub_sport": (6, ENUM, 1, 0),
        "total_elapsed_time": (7, UINT32, 1000, 0),
        "total_timer_time": (8, UINT32, 1000, 0),
        "total_distance": (9, UINT32, 100, 0),
        "avg_heart_rate": (16, UINT8, 1, 0),
        "max_heart_rate": (17, UINT8, 1, 0),
        "avg_cadence": (18, UINT8, 1, 0),
        "total_ascent": (22, UINT16, 1, 0),
    }),
}  # fmt: skip

SPORTS = {"running": 1, "cycling": 2, "transition": 3, "swimming": 5}


def fit_crc(data: bytes, crc: int = 0) -> int:
    for byte in data:
        for nibble in (byte & 0xF, (byte >> 4) & 0xF):
            tmp = _CRC_TABLE[crc & 0xF]
            crc = (crc >> 4) & 0x0FFF
            crc = crc ^ tmp ^ _CRC_TABLE[nibble]
    return crc


def fit_time(moment: datetime) -> int:
    return int(moment.timestamp()) - FIT_EPOCH


class FitWriter:
    """Collects messages, then `bytes()` gives one complete FIT file."""

    def __init__(self) -> None:
        self._body = bytearray()
        self._defined: dict[tuple[str, tuple[str, ...]], int] = {}

    def message(self, kind: str, **values: float | datetime | None) -> FitWriter:
        global_num, fields = _MESSAGES[kind]
        names = tuple(sorted(values))
        key = (kind, names)
        if key not in self._defined:
            local = len(self._defined) % 16
            self._defined[key] = local
            self._body += struct.pack("<BBBHB", 0x40 | local, 0, 0, global_num, len(names))
            for name in names:
                number, base, _, _ = fields[name]
                size = struct.calcsize(_FORMATS[base])
                self._body += struct.pack("<BBB", number, size, base)
        self._body += struct.pack("<B", self._defined[key])
        for name in names:
            _, base, scale, offset = fields[name]
            value = values[name]
            if value is None:
                raw = _INVALID[base]
            elif isinstance(value, datetime):
                raw = fit_time(value)
            else:
                raw = round((value + offset) * scale)
            self._body += struct.pack("<" + _FORMATS[base], raw)
        return self

    def __bytes__(self) -> bytes:
        header = struct.pack("<BBHI4s", 14, 0x20, 2132, len(self._body), b".FIT")
        header += struct.pack("<H", fit_crc(header))
        data = header + bytes(self._body)
        return data + struct.pack("<H", fit_crc(data))


def degrees_to_semicircles(degrees: float) -> int:
    return round(degrees * 2**31 / 180)


def run_file(
    *,
    seconds: int = 600,
    with_session: bool = True,
    sport: str = "running",
    hr_every: int = 1,
) -> FitWriter:
    """A steady 600 s run at 3 m/s, HR climbing 120 → 179, sampled each second."""
    writer = FitWriter().message(
        "file_id", type=4, manufacturer=1, product=2691, time_created=START
    )
    for second in range(seconds + 1):
        hr = 120 + second // 10 if second % hr_every == 0 else None
        writer.message(
            "record",
            timestamp=datetime.fromtimestamp(START.timestamp() + second, UTC),
            heart_rate=hr,
            distance=3.0 * second,
            speed=3.0,
            altitude=100.0 + (second // 60) * 4.0,  # 4 m a minute: 40 m of climbing
            position_lat=None,
            position_long=None,
        )
    if with_session:
        writer.message(
            "session",
            timestamp=datetime.fromtimestamp(START.timestamp() + seconds, UTC),
            start_time=START,
            sport=SPORTS[sport],
            sub_sport=3,
            total_elapsed_time=float(seconds),
            total_timer_time=float(seconds - 30),
            total_distance=3.0 * seconds,
            avg_heart_rate=149,
            max_heart_rate=180,
            avg_cadence=85,
            total_ascent=40,
        )
    return writer


# --- tests ----------------------------------------------------------------------------


def test_writer_output_is_valid_fit() -> None:
    import fitdecode

    data = bytes(run_file())
    with fitdecode.FitReader(data, check_crc=fitdecode.CrcCheck.RAISE) as reader:
        names = [f.name for f in reader if isinstance(f, fitdecode.FitDataMessage)]
    assert names.count("record") == 601
    assert names[-1] == "session"


def test_session_values_are_used() -> None:
    activity = parse_fit(bytes(run_file()), "run.fit")
    assert activity.sport is Sport.RUNNING
    assert activity.sub_sport == "trail"
    assert activity.device == "Garmin Forerunner 935"
    assert activity.start == START
    assert activity.elapsed_seconds == 600
    assert activity.moving_seconds == 570
    assert activity.distance_m == 1800
    assert activity.elevation_gain_m == 40
    assert activity.avg_hr == 149
    assert activity.max_hr == 180
    assert activity.avg_cadence == 85
    assert activity.partial is False
    assert activity.source_format == "fit"
    assert activity.notes == ()


def test_streams_are_per_second_from_start() -> None:
    activity = parse_fit(bytes(run_file()), "run.fit")
    assert activity.heart_rate is not None
    assert activity.heart_rate.offsets == tuple(range(601))
    assert activity.heart_rate.values[0] == 120
    assert activity.heart_rate.values[599] == 179
    assert activity.speed is not None
    assert set(activity.speed.values) == {3.0}


def test_truncated_file_keeps_records_and_computes_totals() -> None:
    data = bytes(run_file(with_session=False))
    cut = data[: len(data) // 2 + 3]  # ends in the middle of a record
    activity = parse_fit(cut, "cut.fit")
    assert activity.partial is True
    assert activity.sport is Sport.OTHER  # no session, no sport message
    assert any("incomplete" in note for note in activity.notes)
    assert activity.heart_rate is not None
    last = activity.heart_rate.offsets[-1]
    assert 250 < last < 350
    assert activity.elapsed_seconds == last
    assert activity.distance_m == pytest.approx(3.0 * last)
    assert activity.moving_seconds == last
    assert activity.avg_hr == pytest.approx(
        sum(120 + s // 10 for s in range(last + 1)) / (last + 1), abs=0.6
    )
    assert activity.max_hr == 120 + last // 10


def test_complete_file_without_session_computes_totals_from_records() -> None:
    activity = parse_fit(bytes(run_file(with_session=False)), "nosession.fit")
    assert activity.partial is False
    assert activity.elapsed_seconds == 600
    assert activity.distance_m == 1800
    assert activity.elevation_gain_m == 40
    assert activity.avg_hr == pytest.approx(sum(120 + s // 10 for s in range(601)) / 601, abs=0.01)
    assert activity.max_hr == 180
    assert any("computed from the records" in note for note in activity.notes)


def test_sparse_heart_rate_is_time_weighted() -> None:
    activity = parse_fit(bytes(run_file(hr_every=5, with_session=False)), "sparse.fit")
    assert activity.heart_rate is not None
    assert activity.heart_rate.offsets[:3] == (0, 5, 10)
    every_second = sum(120 + s // 10 for s in range(601)) / 601  # 149.55
    assert activity.avg_hr == pytest.approx(every_second, abs=0.25)


def test_every_truncation_gives_activity_or_import_failed() -> None:
    data = bytes(run_file(seconds=30))
    for length in range(len(data) + 1):
        try:
            activity = parse_fit(data[:length], "cut.fit")
        except ImportFailed as exc:
            assert "\n" not in str(exc)
        else:
            assert activity.partial is (length < len(data))


def test_random_corruption_never_escapes_as_another_exception() -> None:
    rng = random.Random(20240504)
    data = bytearray(bytes(run_file(seconds=60)))
    for _ in range(300):
        mutated = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            mutated[rng.randrange(14, len(mutated))] = rng.randrange(256)
        with contextlib.suppress(ImportFailed):
            parse_fit(bytes(mutated), "noise.fit")


def test_checksum_mismatch_is_noted_not_fatal() -> None:
    data = bytearray(bytes(run_file(seconds=30)))
    data[-1] ^= 0xFF
    activity = parse_fit(bytes(data), "crc.fit")
    assert activity.partial is False
    assert any("checksum" in note for note in activity.notes)


def _leg(writer: FitWriter, sport: str, start_s: int, seconds: int, metres: float, hr: int) -> None:
    begin = datetime.fromtimestamp(START.timestamp() + start_s, UTC)
    end = datetime.fromtimestamp(START.timestamp() + start_s + seconds, UTC)
    writer.message("record", timestamp=begin, heart_rate=hr, distance=None, speed=1.0)
    writer.message("record", timestamp=end, heart_rate=hr, distance=None, speed=1.0)
    writer.message(
        "session",
        timestamp=end,
        start_time=begin,
        sport=SPORTS[sport],
        total_elapsed_time=float(seconds),
        total_timer_time=float(seconds),
        total_distance=metres,
        avg_heart_rate=hr,
        max_heart_rate=hr + 10,
    )


def test_multisport_sessions_add_up() -> None:
    writer = FitWriter().message("file_id", type=4, manufacturer=1, product=2691)
    _leg(writer, "cycling", 0, 3600, 30000.0, 140)
    _leg(writer, "transition", 3600, 120, 100.0, 150)
    _leg(writer, "running", 3720, 1800, 5000.0, 160)
    activity = parse_fit(bytes(writer), "brick.fit")
    assert activity.sport is Sport.MULTISPORT
    assert activity.elapsed_seconds == 5520
    assert activity.moving_seconds == 5520
    assert activity.distance_m == 35100
    assert activity.avg_hr == pytest.approx((140 * 3600 + 150 * 120 + 160 * 1800) / 5520)
    assert activity.max_hr == 170
    assert activity.avg_cadence is None
    assert activity.notes == ()
    assert [
        (p.sport, p.transition, p.elapsed_seconds, p.distance_m, p.avg_hr) for p in activity.parts
    ] == [
        (Sport.CYCLING, False, 3600, 30000, 140),
        (Sport.OTHER, True, 120, 100, 150),
        (Sport.RUNNING, False, 1800, 5000, 160),
    ]


def test_two_running_sessions_stay_running() -> None:
    writer = FitWriter().message("file_id", type=4, manufacturer=1, product=2691)
    _leg(writer, "running", 0, 600, 2000.0, 150)
    _leg(writer, "running", 900, 600, 2000.0, 160)
    activity = parse_fit(bytes(writer), "twice.fit")
    assert activity.sport is Sport.RUNNING
    assert activity.elapsed_seconds == 1500
    assert activity.moving_seconds == 1200
    assert activity.distance_m == 4000


def test_chained_fit_files_are_read_to_the_end() -> None:
    first = FitWriter().message("file_id", type=4, manufacturer=1, product=2691)
    _leg(first, "swimming", 0, 1200, 1000.0, 140)
    second = FitWriter().message("file_id", type=4, manufacturer=1, product=2691)
    _leg(second, "running", 1300, 1800, 6000.0, 165)
    activity = parse_fit(bytes(first) + bytes(second), "chained.fit")
    assert activity.sport is Sport.MULTISPORT
    assert activity.distance_m == 7000
    assert activity.elapsed_seconds == 3100
    assert activity.partial is False


def test_trailing_junk_after_complete_file_is_not_fatal() -> None:
    activity = parse_fit(bytes(run_file(seconds=30)) + b"\x00garbage", "junk.fit")
    assert activity.partial is False
    assert activity.notes == ("ignored bytes after the end of the FIT data",)
    assert activity.elapsed_seconds == 30
    assert activity.distance_m == 90


def test_course_file_is_refused() -> None:
    writer = FitWriter().message("file_id", type=6, manufacturer=1, product=2691)
    with pytest.raises(ImportFailed, match=r"^this is a planned route, not an activity"):
        parse_fit(bytes(writer), "route.fit")


def test_header_only_file_is_refused() -> None:
    with pytest.raises(ImportFailed, match="no activity data"):
        parse_fit(bytes(FitWriter()), "empty.fit")


def test_gzipped_fit_through_registry() -> None:
    activity = parse_bytes("Morning_Run.FIT.GZ", gzip.compress(bytes(run_file())))
    assert activity.distance_m == 1800
    assert activity.source_format == "fit"


def test_truncated_gzip_of_fit_is_partial() -> None:
    packed = gzip.compress(bytes(run_file(with_session=False)))
    activity = parse_bytes("cut.fit.gz", packed[: len(packed) * 2 // 3])
    assert activity.partial is True
    assert activity.heart_rate is not None


def test_unclosed_file_with_zero_data_size_is_read() -> None:
    data = bytearray(bytes(run_file(with_session=False)))
    data[4:8] = bytes(4)  # what a watch that died mid-run leaves behind
    activity = parse_fit(bytes(data[:-2]), "unclosed.fit")
    assert activity.partial is True
    assert activity.elapsed_seconds == 600
    assert activity.distance_m == 1800
