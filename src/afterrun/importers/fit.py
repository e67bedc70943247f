"""FIT activity files (Garmin, Wahoo, COROS, Strava app, ...) through fitdecode.

Decisions:

* Reading is tolerant: CRCs are computed but never fatal (a mismatch adds a
  note), and malformed definitions or misaligned fields are skipped as fitdecode's
  `ErrorHandling.IGNORE` allows (the COROS Pace 2 file needs this).
* A file that breaks off mid-way keeps everything read before the break and is
  marked `partial`. Summary values come from the session message when one was
  read (Strava's app writes it first) and are otherwise computed from the records.
* Chained FIT files are read to the end; every session found counts.
* Sessions separated by more than `SEPARATE_AFTER` are separate activities (two
  runs in one file); the records between one group's start and the next belong to it.
* Several sessions close together (multisport): if all sessions other than
  transitions share a sport the activity takes that sport, otherwise it is
  MULTISPORT. Times and distances cover the whole group (transitions included),
  heart rate is the timer-time-weighted mean of the sessions, cadence is left out
  (units differ between sports), and each session is kept as a `Part`.
* Elapsed time is the span from the start to the end of the last session, where a
  session ends at its start plus its total elapsed time (a session's `timestamp` is
  on some watches the moment the file was saved). Elapsed is never below moving.
* Records that run more than `UNCOVERED_SLACK` past the session summary (a watch
  that left its last lap out) win: elapsed, moving time and distance come from the
  records, a note says so and the activity is marked `corrected`.
* A course file is a planned route and is refused.
* Cadence is kept in FIT's unit: revolutions per minute for cycling, strides
  (one foot) per minute for running; double it for steps per minute.
* `hr` messages (heart rate buffered by a chest strap during swims) are not
  merged into the heart-rate stream.
"""

from __future__ import annotations

import io
import re
import struct
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from afterrun.core.activity import Activity, Part, Sport
from afterrun.core.errors import ImportFailed
from afterrun.importers import streams
from afterrun.importers._util import (
    PLANNED_ROUTE,
    elevation_gain,
    haversine_m,
    heart_rate,
    moving_seconds,
    number,
    one_line,
    semicircles_to_degrees,
    sport_from_text,
    sport_source,
    weighted_mean,
)

_MANUFACTURERS = {
    "garmin": "Garmin",
    "wahoo_fitness": "Wahoo",
    "coros": "COROS",
    "strava": "Strava",
    "suunto": "Suunto",
    "polar": "Polar",
    "zwift": "Zwift",
    "dynastream": "Dynastream",
    "stages_cycling": "Stages",
    "hammerhead": "Hammerhead",
    "apple": "Apple",
}


@dataclass
class _Session:
    sport: Sport
    sport_text: str | None
    sub_sport: str | None
    start: datetime | None
    end: datetime | None
    elapsed: float | None
    timer: float | None
    distance: float | None
    ascent: float | None
    avg_hr: float | None
    max_hr: float | None
    avg_cadence: float | None


@dataclass
class _Record:
    time: datetime
    hr: float | None
    speed: float | None
    distance: float | None
    altitude: float | None
    lat: float | None
    lon: float | None


@dataclass
class _Collected:
    file_type: str | None = None
    manufacturer: object = None
    product: object = None
    product_name: str | None = None
    creator_product_name: str | None = None
    file_created: datetime | None = None
    sport_message: tuple[str | None, str | None] | None = None
    activity_type: str | None = None
    sessions: list[_Session] = field(default_factory=list)
    records: list[_Record] = field(default_factory=list)
    crc_mismatches: int = 0
    files: int = 0
    files_completed: int = 0
    between_files: bool = False
    unsized: bool = False
    trailing_junk: bool = False


def _values(message: Any) -> dict[str, object]:
    """Field name → value for one data message; a non-None value beats a None duplicate."""
    out: dict[str, object] = {}
    for field_data in message.fields:
        name = field_data.name
        if not isinstance(name, str):
            continue
        value = field_data.value
        if value is not None or name not in out:
            out[name] = value
    return out


def _text(value: object) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _time(value: object) -> datetime | None:
    # fitdecode leaves "seconds since device power-up" values as ints; skip those.
    return value if isinstance(value, datetime) and value.tzinfo is not None else None


def _sub_sport(value: object) -> str | None:
    text = _text(value)
    if text is None or text in {"generic", "all"}:
        return None
    return text


def _session(values: dict[str, object]) -> _Session:
    sport_text = _text(values.get("sport"))
    cadence = number(values.get("avg_running_cadence"))
    if cadence is None:
        cadence = number(values.get("avg_cadence"))
    if cadence is not None and cadence <= 0:
        cadence = None  # no cadence sensor
    return _Session(
        sport=sport_from_text(sport_text) or Sport.OTHER,
        sport_text=sport_text,
        sub_sport=_sub_sport(values.get("sub_sport")),
        start=_time(values.get("start_time")),
        end=_time(values.get("timestamp")),
        elapsed=number(values.get("total_elapsed_time")),
        timer=number(values.get("total_timer_time")),
        distance=number(values.get("total_distance")),
        ascent=number(values.get("total_ascent")),
        avg_hr=heart_rate(values.get("avg_heart_rate")),
        max_hr=heart_rate(values.get("max_heart_rate")),
        avg_cadence=cadence,
    )


def _record(values: dict[str, object]) -> _Record | None:
    moment = _time(values.get("timestamp"))
    if moment is None:
        return None
    speed = number(values.get("enhanced_speed"))
    if speed is None:
        speed = number(values.get("speed"))
    altitude = number(values.get("enhanced_altitude"))
    if altitude is None:
        altitude = number(values.get("altitude"))
    return _Record(
        time=moment,
        hr=heart_rate(values.get("heart_rate")),
        speed=speed,
        distance=number(values.get("distance")),
        altitude=altitude,
        lat=semicircles_to_degrees(values.get("position_lat")),
        lon=semicircles_to_degrees(values.get("position_long")),
    )


def _collect(message: Any, out: _Collected) -> None:
    name = message.name
    if name in _KEPT:
        _collect_values(name, _values(message), out)


#: The messages the summary reads; every other message is skipped undecoded.
_KEPT = frozenset({"record", "session", "file_id", "device_info", "sport"})


def _collect_values(name: str, values: dict[str, object], out: _Collected) -> None:
    """Keep what one data message says (by either decoder: same names, same values)."""
    if name == "record":
        record = _record(values)
        if record is not None:
            out.records.append(record)
        if out.activity_type is None:
            out.activity_type = _text(values.get("activity_type"))
    elif name == "session":
        out.sessions.append(_session(values))
    elif name == "file_id" and out.file_type is None:
        out.file_type = _text(values.get("type"))
        out.manufacturer = values.get("manufacturer")
        product = values.get("garmin_product")
        out.product = product if product is not None else values.get("product")
        out.product_name = _text(values.get("product_name"))
        out.file_created = _time(values.get("time_created"))
    elif name == "device_info" and out.creator_product_name is None:
        if values.get("device_index") in ("creator", 0):
            out.creator_product_name = _text(values.get("product_name"))
    elif name == "sport" and out.sport_message is None:
        out.sport_message = (_text(values.get("sport")), _sub_sport(values.get("sub_sport")))


def _pretty_product(product: str) -> str:
    match = re.fullmatch(r"([a-z]+)(\d+)([a-z]*)", product)
    if match is None:
        return product.replace("_", " ")
    letters, digits, suffix = match.groups()
    if letters == "fr":
        label = "Forerunner"
    elif len(letters) <= 3:
        label = letters.upper()
    else:
        label = letters.capitalize()
    return f"{label} {digits}{suffix.upper()}"


def _device(out: _Collected) -> str | None:
    maker: str | None = None
    if isinstance(out.manufacturer, str):
        maker = _MANUFACTURERS.get(out.manufacturer, out.manufacturer.replace("_", " ").title())
    product = out.product_name or out.creator_product_name
    if product is None and isinstance(out.product, str):
        product = _pretty_product(out.product)
    if maker and product:
        if product.lower().startswith(maker.lower()):
            return product
        return f"{maker} {product}"
    return maker or product


#: Manufacturers whose `product` is a Garmin product number (as fitdecode's profile says).
_GARMIN_PRODUCT_MAKERS = frozenset({"garmin", "dynastream", "dynastream_oem", "tacx"})


def _garmin_product(number: object) -> object:
    """A Garmin product number as fitdecode names it ('fenix5'), else the number."""
    from fitdecode.profile import FIELD_TYPES  # noqa: PLC0415  (lazy, like fitdecode)

    if not isinstance(number, int):
        return number
    return FIELD_TYPES["garmin_product"].enum.get(number, number)


def warm_up() -> None:
    """Import the decoders now, so that their import is not charged to one file's time."""
    import fitdecode  # noqa: F401, PLC0415
    import fitfast  # noqa: F401, PLC0415


def _read_fast(data: bytes) -> _Collected | None:
    """Every message through the compiled decoder (fitfast, over the rustyfit crate), or
    None when it refuses the file (a break, a bad CRC, an undefined local message, junk
    after the end): fitdecode then reads it tolerantly, so nothing readable is lost.

    The messages come back as fitdecode gives them (names, units, enum names, aware
    datetimes); `product` is resolved to the Garmin model name as fitdecode does.
    """
    import fitfast  # noqa: PLC0415  (lazy: keeps CLI start-up fast)

    try:
        decoded = fitfast.parse(data, enum_names=True, datetimes=True)
    except (fitfast.FitDecodeError, ValueError, OverflowError):
        return None
    except BaseException as exc:
        # A Rust panic (seen on mutated files: a remainder by zero) comes up as pyo3's
        # PanicException, a BaseException; fitdecode then reads the file. Anything else
        # (the per-file timer, Ctrl-C) goes on up.
        if type(exc).__name__ == "PanicException":
            return None
        raise
    out = _Collected(files=1, files_completed=1)
    for name in ("file_id", "device_info", "sport", "session", "record"):
        for message in decoded.get(name, ()):
            values = {k: v for k, v in message.items() if isinstance(k, str)}
            if name in {"file_id", "device_info"} and values.get("manufacturer") in (
                _GARMIN_PRODUCT_MAKERS
            ):
                values["garmin_product"] = _garmin_product(values.get("product"))
            elif name == "record":
                # fitfast 0.1 rounds the enhanced_* values it expands from speed and
                # altitude down a unit (1001 mm/s -> 1.000 m/s); the field itself is exact.
                for plain in ("speed", "altitude"):
                    if values.get(plain) is not None:
                        values[f"enhanced_{plain}"] = values[plain]
            _collect_values(name, values, out)
    return out


def _read(data: bytes, out: _Collected) -> str | None:
    """Read every frame into `out`; return why reading stopped early, or None.

    Bytes that fail to decode right after a complete FIT file (its CRC read)
    are trailing junk, not a broken activity: noted in `out`, not partial.
    """
    import fitdecode  # noqa: PLC0415  (lazy: keeps CLI start-up fast)

    reason: str | None = None
    try:
        with fitdecode.FitReader(
            io.BytesIO(data),
            check_crc=fitdecode.CrcCheck.READONLY,
            error_handling=fitdecode.ErrorHandling.IGNORE,
        ) as reader:
            for frame in reader:
                out.between_files = False
                if isinstance(frame, fitdecode.FitDataMessage):
                    _collect(frame, out)
                elif isinstance(frame, fitdecode.FitHeader):
                    out.files += 1
                elif isinstance(frame, fitdecode.FitCRC):
                    out.files_completed += 1
                    out.between_files = True
                    if frame.matched is False:
                        out.crc_mismatches += 1
    except fitdecode.FitEOFError:
        reason = "the file ends in the middle of a record"
    except fitdecode.FitHeaderError as exc:
        if out.files == 0:
            raise ImportFailed(f"not a readable FIT file ({one_line(str(exc))})") from exc
        reason = f"bad header ({one_line(str(exc))})"
    except fitdecode.FitError as exc:
        reason = f"damaged data ({one_line(str(exc))})"
    except (
        struct.error,
        ValueError,
        KeyError,
        IndexError,
        TypeError,
        ArithmeticError,
        AssertionError,  # fitdecode asserts a message fits the declared data size
    ) as exc:
        reason = f"undecodable data ({type(exc).__name__})"
    if reason is not None and out.between_files:
        out.trailing_junk = True
        return None
    return reason


def _step(a: _Record, b: _Record) -> float:
    """Metres between two records: from the distance field, else from positions."""
    if a.distance is not None and b.distance is not None:
        return max(0.0, b.distance - a.distance)
    if a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None:
        return haversine_m(a.lat, a.lon, b.lat, b.lon)
    return 0.0


def _from_records(records: list[_Record], start: datetime) -> dict[str, float | None]:
    """Summary values computed from the records: the span runs from `start` to the last."""
    times = [r.time for r in records]
    elapsed = (max(times) - min(*times, start)).total_seconds()
    cumulative = [r.distance for r in records if r.distance is not None]
    track = 0.0
    steps: list[tuple[float, float]] = []
    previous: _Record | None = None
    for record in records:
        if previous is not None:
            steps.append(((record.time - previous.time).total_seconds(), _step(previous, record)))
            track += steps[-1][1]
        previous = record
    distance: float | None
    if cumulative:
        distance = max(cumulative)
    elif track > 0:
        distance = track
    else:
        distance = None
    return {
        "elapsed": elapsed,
        "moving": moving_seconds(steps) if distance is not None else None,
        "distance": distance,
        "ascent": elevation_gain(
            ((r.time - records[0].time).total_seconds(), r.altitude) for r in records
        ),
    }


#: A record this far after the one before it is corrupt, not a pause.
_MAX_RECORD_JUMP = timedelta(hours=24)
#: A record this far before the one before it is corrupt, not clock jitter.
_MAX_RECORD_STEP_BACK = timedelta(minutes=1)


def _plausible(records: list[_Record]) -> list[_Record]:
    """Drop records whose timestamp jumps impossibly (misdecoded bytes before a break)."""
    kept: list[_Record] = []
    for record in records:
        if kept:
            step = record.time - kept[-1].time
            if step > _MAX_RECORD_JUMP or step < -_MAX_RECORD_STEP_BACK:
                continue
        kept.append(record)
    return kept


#: Sessions further apart than this (end of one to start of the next) are separate
#: activities: two runs in one file, not the legs of one race.
SEPARATE_AFTER = timedelta(minutes=15)
#: Records running this far past the session's end mean the summary missed a lap.
UNCOVERED_SLACK = timedelta(seconds=60)
#: Start times are whole seconds, durations are not: differences below this are rounding.
_ROUNDING = 1.0


def _session_end(session: _Session) -> datetime | None:
    """Start + total elapsed time (else timer time); the `timestamp` only as a last resort:
    some watches write the moment the file was saved there, hours later."""
    if session.start is not None:
        length = session.elapsed if session.elapsed is not None else session.timer
        if length is not None:
            return session.start + timedelta(seconds=length)
    return session.end


def _groups(sessions: list[_Session]) -> list[list[_Session]]:
    """Sessions in time order, split where a real gap separates two activities."""
    timed = sorted(
        ((s.start, s) for s in sessions if s.start is not None), key=lambda pair: pair[0]
    )
    groups: list[list[_Session]] = []
    previous_end: datetime | None = None
    for start, session in timed:
        if not groups or previous_end is None or start - previous_end > SEPARATE_AFTER:
            groups.append([])
        groups[-1].append(session)
        end = _session_end(session)
        if end is not None:
            previous_end = end if previous_end is None else max(previous_end, end)
    untimed = [s for s in sessions if s.start is None]
    if untimed:
        if groups:
            groups[-1].extend(untimed)
        else:
            groups.append(untimed)
    return groups


def _part(session: _Session, fallback_start: datetime) -> Part:
    elapsed = session.elapsed if session.elapsed is not None else session.timer
    if elapsed is not None and session.timer is not None:
        elapsed = max(elapsed, session.timer)
    return Part(
        sport=session.sport,
        start=session.start or fallback_start,
        elapsed_seconds=elapsed or 0.0,
        moving_seconds=session.timer,
        distance_m=session.distance,
        avg_hr=session.avg_hr,
        max_hr=session.max_hr,
        transition=session.sport_text == "transition",
    )


def _build(out: _Collected, stopped: str | None) -> list[Activity]:
    """One activity per group of sessions (or one from the records when no session)."""
    records = _plausible(out.records)
    notes: list[str] = []
    if len(records) < len(out.records):
        dropped = len(out.records) - len(records)
        notes.append(f"ignored {dropped} record(s) with impossible timestamps")
    if out.crc_mismatches:
        notes.append("checksum mismatch: the file may be damaged")
    if out.trailing_junk:
        notes.append("ignored bytes after the end of the FIT data")

    if out.file_type in {"course", "courses"}:
        raise ImportFailed(PLANNED_ROUTE)
    if not out.sessions and not records:
        if out.file_type and out.file_type != "activity":
            raise ImportFailed(f"this FIT file is a {out.file_type} file, not a recorded activity")
        if stopped is not None:
            raise ImportFailed(f"FIT file is damaged before any activity data ({stopped})")
        raise ImportFailed("FIT file holds no activity data (no session and no records)")

    groups = _groups(out.sessions) or [[]]
    # Records belong to the group whose time they fall in: before the next group's start.
    bounds = [min((s.start for s in g if s.start is not None), default=None) for g in groups]
    shares: list[list[_Record]] = [[] for _ in groups]
    index = 0
    for record in sorted(records, key=lambda r: r.time):
        while index + 1 < len(groups):
            following = bounds[index + 1]
            if following is None or record.time < following:
                break
            index += 1
        shares[index].append(record)
    built = []
    for number_, (group, share) in enumerate(zip(groups, shares, strict=True)):
        last = number_ == len(groups) - 1
        built.append(_activity(out, group, share, notes, stopped if last else None))
    return built


def _activity(
    out: _Collected,
    sessions: list[_Session],
    records: list[_Record],
    file_notes: list[str],
    stopped: str | None,
) -> Activity:
    notes = [f"file is incomplete: {stopped}; kept what was read"] if stopped else []
    notes.extend(file_notes)
    partial = stopped is not None
    corrected = False
    start_candidates = [s.start for s in sessions if s.start is not None]
    if len(sessions) > 1 and records:
        # Multisport: some watches (Fenix 2) write a first start_time later than
        # the first record; the first record is then the true start.
        start_candidates.append(min(r.time for r in records))
    if start_candidates:
        start = min(start_candidates)
    elif records:
        start = min(r.time for r in records)
    elif out.file_created is not None:
        start = out.file_created
    else:
        raise ImportFailed("FIT file has no start time")

    hr_stream = streams.resample(((r.time - start).total_seconds(), r.hr) for r in records)
    speed_stream = streams.resample(((r.time - start).total_seconds(), r.speed) for r in records)
    record_summary = _from_records(records, start) if records else None

    sub_sport: str | None = None
    avg_cadence: float | None = None
    stated = "file"
    parts: tuple[Part, ...] = ()
    if len(sessions) == 1:
        only = sessions[0]
        sport = only.sport
        sub_sport = only.sub_sport
        stated = sport_source([only.sport_text])
        end = _session_end(only)
        elapsed = (end - start).total_seconds() if end is not None else None
        moving = only.timer
        distance = only.distance
        ascent = only.ascent
        avg_hr = only.avg_hr
        max_hr = only.max_hr
        avg_cadence = only.avg_cadence
    elif sessions:
        legs = {s.sport for s in sessions if s.sport_text != "transition"}
        sport = legs.pop() if len(legs) == 1 else Sport.MULTISPORT
        stated = sport_source(s.sport_text for s in sessions if s.sport_text != "transition")
        if sport is not Sport.MULTISPORT:
            subs = {s.sub_sport for s in sessions if s.sport_text != "transition"}
            sub_sport = subs.pop() if len(subs) == 1 else None
        ends = [e for e in (_session_end(s) for s in sessions) if e is not None]
        moving = _sum(s.timer for s in sessions)
        elapsed = (max(ends) - start).total_seconds() if ends else None
        distance = _sum(s.distance for s in sessions)
        ascent = _sum(s.ascent for s in sessions)
        avg_hr = weighted_mean((s.avg_hr, s.timer or s.elapsed) for s in sessions)
        max_hr = _max(s.max_hr for s in sessions)
        parts = tuple(_part(s, start) for s in sessions)
    else:
        sport_text = out.sport_message[0] if out.sport_message else out.activity_type
        sport = sport_from_text(sport_text) or Sport.OTHER
        stated = sport_source([sport_text])
        sub_sport = out.sport_message[1] if out.sport_message else None
        elapsed = moving = distance = ascent = avg_hr = max_hr = None
        notes.append("no session summary in the file: totals computed from the records")

    if record_summary is not None and sessions and not partial and elapsed is not None:
        # The records are the truth when they run well past what the summary covers
        # (a watch that left its last lap out of the session).
        span = record_summary["elapsed"]
        if span is not None and span - elapsed > UNCOVERED_SLACK.total_seconds():
            minutes = (span - elapsed) / 60
            notes.append(
                f"the records run {minutes:.0f} min past the file's session summary;"
                " elapsed time, moving time and distance are taken from the records"
            )
            corrected = True
            elapsed = span
            moving = max(moving or 0.0, record_summary["moving"] or 0.0) or None
            record_distance = record_summary["distance"]
            if record_distance is not None and (distance is None or record_distance > distance):
                distance = record_distance
            avg_hr = streams.time_weighted_mean(hr_stream) or avg_hr
            max_hr = _max([max_hr, streams.maximum(hr_stream)])
    if record_summary is not None and not (partial and sessions):
        # Totals from the records only when no session says otherwise: records
        # of a broken file cover only part of the activity.
        if elapsed is None:
            elapsed = record_summary["elapsed"]
        if moving is None:
            moving = record_summary["moving"]
        if distance is None:
            distance = record_summary["distance"]
        if ascent is None:
            ascent = record_summary["ascent"]
    if elapsed is not None and moving is not None and moving > elapsed:
        if moving - elapsed > _ROUNDING:
            notes.append("the file's moving time exceeds its elapsed time; elapsed raised to match")
            corrected = True
        elapsed = moving
    if avg_hr is None and hr_stream is not None:
        avg_hr = streams.time_weighted_mean(hr_stream)
        if avg_hr is not None and sessions:
            notes.append("average heart rate computed from the records")
    if max_hr is None:
        max_hr = streams.maximum(hr_stream)

    return Activity(
        sport=sport,
        sport_source="unstated" if stated == "unstated" and sport is Sport.OTHER else "file",
        sub_sport=sub_sport,
        start=start,
        elapsed_seconds=elapsed if elapsed is not None else 0.0,
        device=_device(out),
        moving_seconds=moving,
        distance_m=distance,
        elevation_gain_m=ascent,
        avg_hr=avg_hr,
        max_hr=max_hr,
        avg_cadence=avg_cadence,
        partial=partial,
        partial_reason=stopped,
        corrected=corrected,
        source_format="fit",
        heart_rate=hr_stream,
        speed=speed_stream,
        notes=tuple(notes),
        parts=parts,
    )


def _sum(values: Iterable[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def _max(values: Iterable[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return max(known) if known else None


def read_fit(data: bytes, name: str = "", *, fast: bool = True) -> list[Activity]:
    """Read one FIT file (possibly chained, possibly truncated): one Activity per activity.

    `fast`: try the compiled decoder first (see `_read_fast`); False reads with fitdecode
    only (the tests compare the two).
    """
    if len(data) < 12 or data[8:12] != b".FIT":
        raise ImportFailed("not a FIT file (no '.FIT' signature in its header)")
    out = _Collected()
    header_size = data[0]
    if header_size in (12, 14) and len(data) > header_size + 2 and data[4:8] == bytes(4):
        # A device that crashed before closing the file leaves the data size 0;
        # read to the end of the bytes instead (the file is then partial).
        size = (len(data) - header_size).to_bytes(4, "little")
        data = data[:4] + size + data[8:]
        out.unsized = True
    try:
        quick = _read_fast(data) if fast else None
        if quick is not None:
            quick.unsized = out.unsized
            out = quick
            stopped = None
        else:
            stopped = _read(data, out)
        if out.unsized and stopped is None:
            stopped = "the header gives no data size (the file was never closed)"
        return _build(out, stopped)
    except ImportFailed:
        raise
    except Exception as exc:  # last resort: a user must never see a traceback
        raise ImportFailed(f"could not read FIT file ({type(exc).__name__})") from exc


def parse_fit(data: bytes, name: str = "") -> Activity:
    """The one activity of a FIT file that holds exactly one."""
    found = read_fit(data, name)
    if len(found) != 1:
        raise ImportFailed(f"the file holds {len(found)} activities, not one")
    return found[0]
