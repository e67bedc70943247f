"""FIT activity files (Garmin, Wahoo, COROS, Strava app, ...) through fitdecode.

Decisions:

* Reading is tolerant: CRCs are computed but never fatal (a mismatch adds a
  note), and malformed definitions or misaligned fields are skipped as fitdecode's
  `ErrorHandling.IGNORE` allows (the COROS Pace 2 file needs this).
* A file that breaks off mid-way keeps everything read before the break and is
  marked `partial`. Summary values come from the session message when one was
  read (Strava's app writes it first) and are otherwise computed from the records.
* Chained FIT files are read to the end; every session found counts.
* Several sessions (multisport): if all sessions other than transitions share a
  sport the activity takes that sport, otherwise it is MULTISPORT. Times and
  distances cover the whole file (transitions included), heart rate is the
  timer-time-weighted mean of the sessions, cadence is left out (units differ
  between sports), and one note per session keeps its own figures so a caller
  can still find the running leg.
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

from afterrun.core.activity import Activity, Sport
from afterrun.core.errors import ImportFailed
from afterrun.importers import streams
from afterrun.importers._util import (
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
    if name == "record":
        values = _values(message)
        record = _record(values)
        if record is not None:
            out.records.append(record)
        if out.activity_type is None:
            out.activity_type = _text(values.get("activity_type"))
    elif name == "session":
        out.sessions.append(_session(_values(message)))
    elif name == "file_id" and out.file_type is None:
        values = _values(message)
        out.file_type = _text(values.get("type"))
        out.manufacturer = values.get("manufacturer")
        product = values.get("garmin_product")
        out.product = product if product is not None else values.get("product")
        out.product_name = _text(values.get("product_name"))
        out.file_created = _time(values.get("time_created"))
    elif name == "device_info" and out.creator_product_name is None:
        values = _values(message)
        if values.get("device_index") in ("creator", 0):
            out.creator_product_name = _text(values.get("product_name"))
    elif name == "sport" and out.sport_message is None:
        values = _values(message)
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


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _session_note(index: int, session: _Session) -> str:
    label = session.sport_text or "unknown"
    if session.sub_sport:
        label += f" ({session.sub_sport})"
    parts = [f"session {index}: {label}", f"{_clock(session.elapsed)} elapsed"]
    if session.distance is not None:
        parts.append(f"{session.distance / 1000:.2f} km")
    if session.avg_hr is not None:
        parts.append(f"avg HR {session.avg_hr:.0f}")
    return ", ".join(parts)


def _step(a: _Record, b: _Record) -> float:
    """Metres between two records: from the distance field, else from positions."""
    if a.distance is not None and b.distance is not None:
        return max(0.0, b.distance - a.distance)
    if a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None:
        return haversine_m(a.lat, a.lon, b.lat, b.lon)
    return 0.0


def _from_records(records: list[_Record]) -> dict[str, float | None]:
    """Summary values computed from records when no session message was read."""
    times = [r.time for r in records]
    elapsed = (max(times) - min(times)).total_seconds()
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


def _build(out: _Collected, stopped: str | None) -> Activity:
    sessions = out.sessions
    records = _plausible(out.records)
    notes: list[str] = []
    partial = stopped is not None
    if stopped is not None:
        notes.append(f"file is incomplete: {stopped}; kept what was read")
    if len(records) < len(out.records):
        dropped = len(out.records) - len(records)
        notes.append(f"ignored {dropped} record(s) with impossible timestamps")
    if out.crc_mismatches:
        notes.append("checksum mismatch: the file may be damaged")
    if out.trailing_junk:
        notes.append("ignored bytes after the end of the FIT data")

    if not sessions and not records:
        if out.file_type and out.file_type != "activity":
            raise ImportFailed(f"this FIT file is a {out.file_type} file, not a recorded activity")
        if partial:
            raise ImportFailed(f"FIT file is damaged before any activity data ({stopped})")
        raise ImportFailed("FIT file holds no activity data (no session and no records)")

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
    record_summary = _from_records(records) if records else None

    sub_sport: str | None = None
    avg_cadence: float | None = None
    stated = "file"
    if len(sessions) == 1:
        only = sessions[0]
        sport = only.sport
        sub_sport = only.sub_sport
        stated = sport_source([only.sport_text])
        elapsed = only.elapsed
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
        ends = [s.end for s in sessions if s.end is not None]
        ends.extend(
            s.start + timedelta(seconds=s.elapsed)
            for s in sessions
            if s.start is not None and s.elapsed is not None
        )
        moving = _sum(s.timer for s in sessions)
        elapsed = (max(ends) - start).total_seconds() if ends else None
        if elapsed is not None and moving is not None:
            elapsed = max(elapsed, moving)
        distance = _sum(s.distance for s in sessions)
        ascent = _sum(s.ascent for s in sessions)
        avg_hr = weighted_mean((s.avg_hr, s.timer or s.elapsed) for s in sessions)
        max_hr = _max(s.max_hr for s in sessions)
        notes.extend(_session_note(i, s) for i, s in enumerate(sessions, 1))
    else:
        sport_text = out.sport_message[0] if out.sport_message else out.activity_type
        sport = sport_from_text(sport_text) or Sport.OTHER
        stated = sport_source([sport_text])
        sub_sport = out.sport_message[1] if out.sport_message else None
        elapsed = moving = distance = ascent = avg_hr = max_hr = None
        notes.append("no session summary in the file: totals computed from the records")

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
        source_format="fit",
        heart_rate=hr_stream,
        speed=speed_stream,
        notes=tuple(notes),
    )


def _sum(values: Iterable[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def _max(values: Iterable[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return max(known) if known else None


def parse_fit(data: bytes, name: str = "") -> Activity:
    """Read one FIT file (possibly chained, possibly truncated) into an Activity."""
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
        stopped = _read(data, out)
        if out.unsized and stopped is None:
            stopped = "the header gives no data size (the file was never closed)"
        return _build(out, stopped)
    except ImportFailed:
        raise
    except Exception as exc:  # last resort: a user must never see a traceback
        raise ImportFailed(f"could not read FIT file ({type(exc).__name__})") from exc
