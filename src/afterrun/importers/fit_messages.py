"""The messages of a FIT file that afterrun reads, by either decoder.

`read_fast` decodes with fitfast (compiled, over the rustyfit crate); `read_tolerant`
with fitdecode, which reads past damage. Both fill the same `Collected`: sessions,
the file's identity and device, and the records as columns, with the same names,
units and values, so an activity never depends on which decoder read it.
"""

from __future__ import annotations

import io
import math
import re
import struct
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np

from afterrun.core.activity import Sport
from afterrun.core.errors import ImportFailed
from afterrun.importers._util import heart_rate, number, one_line, sport_from_text
from afterrun.importers.track import (
    MAX_MAGNITUDE,
    Column,
    Track,
    column,
    plausible_heart_rate,
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

#: Manufacturers whose `product` is a Garmin product number (as fitdecode's profile says).
_GARMIN_PRODUCT_MAKERS = frozenset({"garmin", "dynastream", "dynastream_oem", "tacx"})

#: FIT counts seconds from 1989-12-31; values below 0x10000000 are seconds since the
#: device powered up, not dates. As Unix seconds, a date is at least this.
_FIT_EPOCH = 631_065_600
_FIRST_DATE = _FIT_EPOCH + 0x10000000

_SEMICIRCLE = 180.0 / 2**31

#: The record fields kept, as columns.
_RECORD_COLUMNS = ("time", "hr", "speed", "distance", "altitude", "lat", "lon")


@dataclass
class Session:
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
class Collected:
    file_type: str | None = None
    manufacturer: object = None
    product: object = None
    product_name: str | None = None
    creator_product_name: str | None = None
    file_created: datetime | None = None
    sport_message: tuple[str | None, str | None] | None = None
    activity_type: str | None = None
    sessions: list[Session] = field(default_factory=list)
    #: Record fields by column name (`_RECORD_COLUMNS`), one entry per record.
    records: dict[str, list[Any]] = field(
        default_factory=lambda: {name: [] for name in _RECORD_COLUMNS}
    )
    crc_mismatches: int = 0
    files: int = 0
    files_completed: int = 0
    between_files: bool = False
    unsized: bool = False
    trailing_junk: bool = False

    def track(self) -> Track:
        """The records with a date, as a track (times in Unix seconds)."""
        raw = self.records
        time = _numbers(raw["time"], limit=2.0**33)
        time = np.where(time >= _FIRST_DATE, time, np.nan)
        dated = np.flatnonzero(~np.isnan(time))
        lat = _numbers(raw["lat"], limit=2**31) * _SEMICIRCLE
        lon = _numbers(raw["lon"], limit=2**31) * _SEMICIRCLE
        return Track.of(
            time=time[dated],
            hr=plausible_heart_rate(_numbers(raw["hr"]))[dated],
            speed=_numbers(raw["speed"])[dated],
            distance=_numbers(raw["distance"])[dated],
            altitude=_numbers(raw["altitude"])[dated],
            lat=lat[dated],
            lon=lon[dated],
        )


def _numbers(values: list[Any], limit: float = MAX_MAGNITUDE) -> Column:
    """A column from decoded values; anything that is not a number counts as missing."""
    try:
        return column(values, limit)
    except (ValueError, TypeError):  # an array-valued field in a damaged file
        return column([number(v, limit) for v in values], limit)


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


def _session(values: dict[str, object]) -> Session:
    sport_text = _text(values.get("sport"))
    cadence = number(values.get("avg_running_cadence"))
    if cadence is None:
        cadence = number(values.get("avg_cadence"))
    if cadence is not None and cadence <= 0:
        cadence = None  # no cadence sensor
    return Session(
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


def _collect_values(name: str, values: dict[str, object], out: Collected) -> None:
    """Keep what one non-record message says (by either decoder: same names, same values)."""
    if name == "session":
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


def device_name(out: Collected) -> str | None:
    """'Garmin Forerunner 935', from the file's maker and product as far as they are known."""
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


def _garmin_product(product: object) -> object:
    """A Garmin product number as fitdecode names it ('fenix5'), else the number."""
    from fitdecode.profile import FIELD_TYPES  # noqa: PLC0415  (lazy, like fitdecode)

    if not isinstance(product, int):
        return product
    return FIELD_TYPES["garmin_product"].enum.get(product, product)


def warm_up() -> None:
    """Import the decoders now, so that their import is not charged to one file's time."""
    import fitdecode.profile  # noqa: F401, PLC0415
    import fitfast  # noqa: F401, PLC0415


def _dated(values: dict[str, object], *names: str) -> None:
    """fitfast's Unix seconds as aware datetimes, where fitdecode gives one."""
    for name in names:
        value = values.get(name)
        if isinstance(value, int) and not isinstance(value, bool) and value >= _FIRST_DATE:
            values[name] = datetime.fromtimestamp(value, UTC)


def _fast_records(records: list[dict[str | int, Any]], out: Collected) -> None:
    """The record messages as columns, straight from fitfast's dictionaries.

    fitfast leaves out a field holding FIT's "invalid" value, so a missing value is
    NaN here from the start: numpy then builds each column from plain numbers, fast.
    """
    nan = math.nan
    columns = out.records
    columns["time"] = [r.get("timestamp", nan) for r in records]
    columns["hr"] = [r.get("heart_rate", nan) for r in records]
    # fitfast 0.1 rounds the enhanced_* values it expands from speed and altitude down
    # a unit (1001 mm/s -> 1.000 m/s); the plain field is exact, so it comes first.
    columns["speed"] = [r.get("speed", r.get("enhanced_speed", nan)) for r in records]
    columns["altitude"] = [r.get("altitude", r.get("enhanced_altitude", nan)) for r in records]
    columns["distance"] = [r.get("distance", nan) for r in records]
    columns["lat"] = [r.get("position_lat", nan) for r in records]
    columns["lon"] = [r.get("position_long", nan) for r in records]
    out.activity_type = next(
        (text for text in (_text(r.get("activity_type")) for r in records) if text), None
    )


def read_fast(data: bytes) -> Collected | None:
    """Every message through the compiled decoder (fitfast, over the rustyfit crate), or
    None when it refuses the file (a break, a bad CRC, an undefined local message, junk
    after the end): fitdecode then reads it tolerantly, so nothing readable is lost.

    The messages come out as fitdecode gives them (names, units, enum names, aware
    datetimes); `product` is resolved to the Garmin model name as fitdecode does.
    """
    import fitfast  # noqa: PLC0415  (lazy: keeps CLI start-up fast)

    try:
        decoded = fitfast.parse(data, enum_names=True, datetimes=False)
    except (fitfast.FitDecodeError, ValueError, OverflowError):
        return None
    except BaseException as exc:
        # A Rust panic (seen on mutated files: a remainder by zero) comes up as pyo3's
        # PanicException, a BaseException; fitdecode then reads the file. Anything else
        # (the per-file timer, Ctrl-C) goes on up.
        if type(exc).__name__ == "PanicException":
            return None
        raise
    out = Collected(files=1, files_completed=1)
    for name in ("file_id", "device_info", "sport", "session"):
        for message in decoded.get(name, ()):
            values = {k: v for k, v in message.items() if isinstance(k, str)}
            _dated(values, "start_time", "timestamp", "time_created")
            if name in {"file_id", "device_info"} and values.get("manufacturer") in (
                _GARMIN_PRODUCT_MAKERS
            ):
                values["garmin_product"] = _garmin_product(values.get("product"))
            _collect_values(name, values, out)
    _fast_records(decoded.get("record", []), out)
    return out


#: The messages the summary reads; every other message is skipped undecoded.
_KEPT = frozenset({"record", "session", "file_id", "device_info", "sport"})


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


def _record(values: dict[str, object], out: Collected) -> None:
    columns = out.records
    moment = _time(values.get("timestamp"))
    columns["time"].append(None if moment is None else moment.timestamp())
    columns["hr"].append(values.get("heart_rate"))
    speed = values.get("enhanced_speed")
    columns["speed"].append(speed if number(speed) is not None else values.get("speed"))
    altitude = values.get("enhanced_altitude")
    columns["altitude"].append(altitude if number(altitude) is not None else values.get("altitude"))
    columns["distance"].append(values.get("distance"))
    columns["lat"].append(values.get("position_lat"))
    columns["lon"].append(values.get("position_long"))
    if out.activity_type is None:
        out.activity_type = _text(values.get("activity_type"))


def _frame(frame: Any, out: Collected) -> None:
    """Keep what one fitdecode frame says."""
    import fitdecode  # noqa: PLC0415  (lazy: keeps CLI start-up fast)

    out.between_files = False
    if isinstance(frame, fitdecode.FitDataMessage):
        if frame.name == "record":
            _record(_values(frame), out)
        elif frame.name in _KEPT:
            _collect_values(frame.name, _values(frame), out)
    elif isinstance(frame, fitdecode.FitHeader):
        out.files += 1
    elif isinstance(frame, fitdecode.FitCRC):
        out.files_completed += 1
        out.between_files = True
        if frame.matched is False:
            out.crc_mismatches += 1


def _stop_reason(exc: Exception, out: Collected) -> str:
    """Why fitdecode stopped, in a line; ImportFailed when nothing was read at all."""
    import fitdecode  # noqa: PLC0415

    if isinstance(exc, fitdecode.FitEOFError):
        return "the file ends in the middle of a record"
    if isinstance(exc, fitdecode.FitHeaderError):
        if out.files == 0:
            raise ImportFailed(f"not a readable FIT file ({one_line(str(exc))})") from exc
        return f"bad header ({one_line(str(exc))})"
    if isinstance(exc, fitdecode.FitError):
        return f"damaged data ({one_line(str(exc))})"
    return f"undecodable data ({type(exc).__name__})"


def read_tolerant(data: bytes, out: Collected) -> str | None:
    """Read every frame with fitdecode into `out`; return why reading stopped early, or None.

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
                _frame(frame, out)
    except (
        fitdecode.FitError,
        struct.error,
        ValueError,
        KeyError,
        IndexError,
        TypeError,
        ArithmeticError,
        AssertionError,  # fitdecode asserts a message fits the declared data size
    ) as exc:
        reason = _stop_reason(exc, out)
    if reason is not None and out.between_files:
        out.trailing_junk = True
        return None
    return reason
