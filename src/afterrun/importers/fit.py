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

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np

from afterrun.core.activity import Activity, Sport
from afterrun.core.errors import ImportFailed
from afterrun.importers._util import PLANNED_ROUTE
from afterrun.importers.fit_messages import (
    Collected,
    Session,
    device_name,
    read_fast,
    read_tolerant,
)
from afterrun.importers.fit_sessions import (
    Totals,
    from_sessions,
    group_sessions,
    largest,
)
from afterrun.importers.track import (
    Series,
    Track,
    elevation_gain,
    largest_distance,
    moving_seconds,
    resample,
    timed_steps,
    travelled_metres,
)

#: A record this far after the one before it is corrupt, not a pause.
_MAX_RECORD_JUMP = 24 * 3600.0
#: A record this far before the one before it is corrupt, not clock jitter.
_MAX_RECORD_STEP_BACK = 60.0

#: Records running this far past the session's end mean the summary missed a lap.
UNCOVERED_SLACK = timedelta(seconds=60)
#: Start times are whole seconds, durations are not: differences below this are rounding.
_ROUNDING = 1.0


def _moment(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def _plausible(track: Track) -> Track:
    """Drop records whose timestamp jumps impossibly (misdecoded bytes before a break)."""
    steps = np.diff(track.time)
    if not ((steps > _MAX_RECORD_JUMP) | (steps < -_MAX_RECORD_STEP_BACK)).any():
        return track
    kept: list[int] = []
    times = track.time.tolist()
    for index, moment in enumerate(times):
        if kept:
            step = moment - times[kept[-1]]
            if step > _MAX_RECORD_JUMP or step < -_MAX_RECORD_STEP_BACK:
                continue
        kept.append(index)
    return track.rows(np.array(kept, dtype=np.intp))


@dataclass(frozen=True)
class _RecordTotals:
    """What the records alone say, from `start` to the last record."""

    elapsed: float
    moving: float | None
    distance: float | None
    ascent: float | None


def _from_records(track: Track, start: float) -> _RecordTotals:
    last = track.last_time or start
    first = min(track.first_time or start, start)
    cumulative = largest_distance(track)
    travelled = travelled_metres(track)
    distance = cumulative if cumulative is not None else (travelled if travelled > 0 else None)
    return _RecordTotals(
        elapsed=last - first,
        moving=moving_seconds(timed_steps(track)) if distance is not None else None,
        distance=distance,
        ascent=elevation_gain(track.time, track.altitude),
    )


def _file_notes(out: Collected, dropped: int) -> list[str]:
    notes: list[str] = []
    if dropped:
        notes.append(f"ignored {dropped} record(s) with impossible timestamps")
    if out.crc_mismatches:
        notes.append("checksum mismatch: the file may be damaged")
    if out.trailing_junk:
        notes.append("ignored bytes after the end of the FIT data")
    return notes


def _build(out: Collected, stopped: str | None) -> list[Activity]:
    """One activity per group of sessions (or one from the records when no session)."""
    read = out.track()
    track = _plausible(read)
    notes = _file_notes(out, len(read) - len(track))

    if out.file_type in {"course", "courses"}:
        raise ImportFailed(PLANNED_ROUTE)
    if not out.sessions and not len(track):
        if out.file_type and out.file_type != "activity":
            raise ImportFailed(f"this FIT file is a {out.file_type} file, not a recorded activity")
        if stopped is not None:
            raise ImportFailed(f"FIT file is damaged before any activity data ({stopped})")
        raise ImportFailed("FIT file holds no activity data (no session and no records)")

    groups = group_sessions(out.sessions) or [[]]
    # Records belong to the group whose time they fall in: before the next group's start.
    track = track.rows(np.argsort(track.time, kind="stable"))
    owner = np.zeros(len(track), dtype=np.intp)
    bounds = [min((s.start for s in g if s.start is not None), default=None) for g in groups]
    if len(groups) > 1 and all(bound is not None for bound in bounds[1:]):
        later = np.array([bound.timestamp() for bound in bounds[1:] if bound is not None])
        owner = np.searchsorted(later, track.time, side="right")
    last = len(groups) - 1
    shares = [track.rows(np.flatnonzero(owner == index)) for index in range(len(groups))]
    return [
        _activity(out, group, share, notes, stopped if index == last else None)
        for index, (group, share) in enumerate(zip(groups, shares, strict=True))
    ]


def _start(out: Collected, sessions: list[Session], track: Track) -> datetime:
    candidates = [s.start for s in sessions if s.start is not None]
    first = track.first_time
    if len(sessions) > 1 and first is not None:
        # Multisport: some watches (Fenix 2) write a first start_time later than
        # the first record; the first record is then the true start.
        candidates.append(_moment(first))
    if candidates:
        return min(candidates)
    if first is not None:
        return _moment(first)
    if out.file_created is not None:
        return out.file_created
    raise ImportFailed("FIT file has no start time")


def _records_win(summary: Totals, totals: _RecordTotals, hr: Series) -> str | None:
    """Take the records' totals where they run well past the summary; say so, else None."""
    if summary.elapsed is None or totals.elapsed - summary.elapsed <= (
        UNCOVERED_SLACK.total_seconds()
    ):
        return None
    minutes = (totals.elapsed - summary.elapsed) / 60
    summary.elapsed = totals.elapsed
    summary.moving = max(summary.moving or 0.0, totals.moving or 0.0) or None
    if totals.distance is not None and (
        summary.distance is None or totals.distance > summary.distance
    ):
        summary.distance = totals.distance
    summary.avg_hr = hr.mean() or summary.avg_hr
    summary.max_hr = largest([summary.max_hr, hr.maximum()])
    return (
        f"the records run {minutes:.0f} min past the file's session summary;"
        " elapsed time, moving time and distance are taken from the records"
    )


def _fill_from_records(summary: Totals, totals: _RecordTotals) -> None:
    if summary.elapsed is None:
        summary.elapsed = totals.elapsed
    if summary.moving is None:
        summary.moving = totals.moving
    if summary.distance is None:
        summary.distance = totals.distance
    if summary.ascent is None:
        summary.ascent = totals.ascent


def _activity(
    out: Collected,
    sessions: list[Session],
    track: Track,
    file_notes: list[str],
    stopped: str | None,
) -> Activity:
    notes = [f"file is incomplete: {stopped}; kept what was read"] if stopped else []
    notes.extend(file_notes)
    partial = stopped is not None
    corrected = False
    start = _start(out, sessions, track)
    offsets = track.time - start.timestamp()
    hr = resample(offsets, track.hr)
    speed = resample(offsets, track.speed)
    totals = _from_records(track, start.timestamp()) if len(track) else None

    summary = from_sessions(out, sessions, start)
    if not sessions:
        notes.append("no session summary in the file: totals computed from the records")
    if totals is not None and sessions and not partial:
        # The records are the truth when they run well past what the summary covers
        # (a watch that left its last lap out of the session).
        note = _records_win(summary, totals, hr)
        if note is not None:
            notes.append(note)
            corrected = True
    if totals is not None and not (partial and sessions):
        # Totals from the records only when no session says otherwise: records
        # of a broken file cover only part of the activity.
        _fill_from_records(summary, totals)
    elapsed, moving = summary.elapsed, summary.moving
    if elapsed is not None and moving is not None and moving > elapsed:
        if moving - elapsed > _ROUNDING:
            notes.append("the file's moving time exceeds its elapsed time; elapsed raised to match")
            corrected = True
        elapsed = moving
    avg_hr = summary.avg_hr
    if avg_hr is None:
        avg_hr = hr.mean()
        if avg_hr is not None and sessions:
            notes.append("average heart rate computed from the records")

    return Activity(
        sport=summary.sport,
        sport_source="unstated"
        if summary.stated == "unstated" and summary.sport is Sport.OTHER
        else "file",
        sub_sport=summary.sub_sport,
        start=start,
        elapsed_seconds=elapsed if elapsed is not None else 0.0,
        device=device_name(out),
        moving_seconds=moving,
        distance_m=summary.distance,
        elevation_gain_m=summary.ascent,
        avg_hr=avg_hr,
        max_hr=summary.max_hr if summary.max_hr is not None else hr.maximum(),
        avg_cadence=summary.avg_cadence,
        partial=partial,
        partial_reason=stopped,
        corrected=corrected,
        source_format="fit",
        heart_rate=hr.stream(),
        speed=speed.stream(),
        notes=tuple(notes),
        parts=summary.parts,
    )


def read_fit(data: bytes, name: str = "", *, fast: bool = True) -> list[Activity]:
    """Read one FIT file (possibly chained, possibly truncated): one Activity per activity.

    `fast`: try the compiled decoder first (see `fit_messages.read_fast`); False reads
    with fitdecode only (the tests compare the two).
    """
    if len(data) < 12 or data[8:12] != b".FIT":
        raise ImportFailed("not a FIT file (no '.FIT' signature in its header)")
    unsized = False
    header_size = data[0]
    if header_size in (12, 14) and len(data) > header_size + 2 and data[4:8] == bytes(4):
        # A device that crashed before closing the file leaves the data size 0;
        # read to the end of the bytes instead (the file is then partial).
        size = (len(data) - header_size).to_bytes(4, "little")
        data = data[:4] + size + data[8:]
        unsized = True
    try:
        out = read_fast(data) if fast else None
        stopped: str | None = None
        if out is None:
            out = Collected()
            stopped = read_tolerant(data, out)
        out.unsized = unsized
        if unsized and stopped is None:
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
