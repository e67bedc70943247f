"""One summariser for the tracks of every format: columns of samples in, totals out.

FIT records, TCX trackpoints and GPX track points all become a `Track`: one numpy
column per quantity, one row per sample, NaN where a sample lacks the value. The
totals a file's own summary may lack or contradict (distance, moving time, climb,
heart rate) and the per-second streams are then worked out here once, by array
operations, instead of by a Python loop per point in each reader.

Rules every format shares:

* A step is the way from one sample to the next within one segment (a GPX
  `trkseg`, a TCX leg); nothing is ever counted across two segments. Its length is
  the difference of the file's cumulative distances when both samples carry one,
  else the great-circle distance between their positions, else 0.
* A step is moving when its average speed reaches `MOVING_SPEED_THRESHOLD`; moving
  time sums those steps. Untimed points (GPX) add their way to the next timed step.
* Climb ignores changes within `ELEVATION_DEAD_BAND_M` and sensor jumps steeper than
  `MAX_CLIMB_RATE` (see `elevation_gain`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from math import isnan

import numpy as np
from numpy.typing import NDArray

from afterrun.core.activity import Stream

Column = NDArray[np.float64]

#: A step between two samples counts as moving when its average speed is at
#: least this (m/s). 0.5 m/s is 1.8 km/h: slower than any walk, faster than the
#: drift GPS shows while standing still at a crossing.
MOVING_SPEED_THRESHOLD = 0.5

#: Elevation changes smaller than this (m) are treated as noise: gain is counted
#: only once the altitude has moved this far from the last reference point.
ELEVATION_DEAD_BAND_M = 3.0

#: Faster vertical movement than this (m/s) between two samples is a sensor jump,
#: never a climb; no one climbs 5 m in a second under their own power.
MAX_CLIMB_RATE = 5.0

#: The longest a sample is held before a stream marks a gap.
MAX_HOLD_SECONDS = 30.0

#: No quantity an activity file records (seconds, metres, bpm, rpm, m/s) comes near a
#: billion; a larger number is damage. Treating it as missing also keeps every sum,
#: weighted mean and time offset computed from the numbers finite.
MAX_MAGNITUDE = 1e9

_EARTH_RADIUS_M = 6_371_008.8


def column(values: Sequence[object], limit: float = MAX_MAGNITUDE) -> Column:
    """A float column from a list with None for missing values; NaN, ±inf and
    magnitudes above `limit` count as missing too. Raises ValueError or TypeError
    for values that are no numbers."""
    array = np.array(values, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        return np.where(np.abs(array) <= limit, array, np.nan)


def plausible_heart_rate(values: Column) -> Column:
    """Heart rates in (0, 260] bpm; 0 (a strap that lost contact) and absurd values are NaN."""
    return np.where((values > 0) & (values <= 260), values, np.nan)


def nothing(rows: int) -> Column:
    return np.full(rows, np.nan)


@dataclass(frozen=True)
class Track:
    """Samples as columns. `time` is seconds since the Unix epoch (NaN: an untimed GPX
    point); `distance` is the file's cumulative distance in metres; `lat`/`lon` are
    degrees (both or neither); `segment` numbers the parts steps never bridge."""

    time: Column
    distance: Column
    lat: Column
    lon: Column
    altitude: Column
    hr: Column
    cadence: Column
    speed: Column
    segment: NDArray[np.int64]

    @classmethod
    def empty(cls) -> Track:
        return cls.of(time=nothing(0))

    @classmethod
    def of(
        cls, *, time: Column, segment: NDArray[np.int64] | None = None, **columns: Column
    ) -> Track:
        """A track from the columns a format has; the others are all missing."""
        rows = len(time)
        names = ("distance", "lat", "lon", "altitude", "hr", "cadence", "speed")
        unknown = set(columns) - set(names)
        if unknown:
            raise TypeError(f"unknown track columns: {sorted(unknown)}")
        filled = {name: columns.get(name, nothing(rows)) for name in names}
        return cls(
            time=time,
            segment=np.zeros(rows, dtype=np.int64) if segment is None else segment,
            **filled,
        )

    def __len__(self) -> int:
        return len(self.time)

    def rows(self, index: NDArray[np.intp] | slice) -> Track:
        """The rows `index` selects, in its order."""
        return Track(
            time=self.time[index],
            distance=self.distance[index],
            lat=self.lat[index],
            lon=self.lon[index],
            altitude=self.altitude[index],
            hr=self.hr[index],
            cadence=self.cadence[index],
            speed=self.speed[index],
            segment=self.segment[index],
        )

    def timed(self) -> Track:
        return self.rows(np.flatnonzero(~np.isnan(self.time)))

    @property
    def first_time(self) -> float | None:
        known = self.time[~np.isnan(self.time)]
        return float(known.min()) if len(known) else None

    @property
    def last_time(self) -> float | None:
        known = self.time[~np.isnan(self.time)]
        return float(known.max()) if len(known) else None


def haversine_m(lat1: Column, lon1: Column, lat2: Column, lon2: Column) -> Column:
    """Great-circle distance in metres between points given in degrees."""
    p1 = np.radians(lat1)
    p2 = np.radians(lat2)
    a = (
        np.sin((p2 - p1) / 2) ** 2
        + np.cos(p1) * np.cos(p2) * np.sin(np.radians(lon2 - lon1) / 2) ** 2
    )
    result: Column = 2 * _EARTH_RADIUS_M * np.arcsin(np.minimum(1.0, np.sqrt(a)))
    return result


def step_metres(track: Track) -> Column:
    """Length of each step from row i-1 to row i (index i-1); 0 across segments."""
    if len(track) < 2:
        return nothing(0)
    same = track.segment[1:] == track.segment[:-1]
    by_distance = np.maximum(0.0, track.distance[1:] - track.distance[:-1])
    with np.errstate(invalid="ignore"):
        by_position = haversine_m(track.lat[:-1], track.lon[:-1], track.lat[1:], track.lon[1:])
    metres = np.where(
        ~np.isnan(by_distance), by_distance, np.where(~np.isnan(by_position), by_position, 0.0)
    )
    return np.where(same, metres, 0.0)


@dataclass(frozen=True)
class Steps:
    """The timed steps: from one timed sample to the next in the same segment."""

    seconds: Column
    metres: Column
    #: Row of the track each step ends at.
    ends: NDArray[np.intp]


def timed_steps(track: Track) -> Steps:
    """Steps between consecutive timed rows of one segment, with the way in between."""
    metres = step_metres(track)
    travelled = np.concatenate(([0.0], np.cumsum(metres)))
    timed = np.flatnonzero(~np.isnan(track.time))
    if len(timed) < 2:
        return Steps(nothing(0), nothing(0), np.zeros(0, dtype=np.intp))
    starts, ends = timed[:-1], timed[1:]
    same = track.segment[starts] == track.segment[ends]
    starts, ends = starts[same], ends[same]
    return Steps(
        seconds=track.time[ends] - track.time[starts],
        metres=travelled[ends] - travelled[starts],
        ends=ends,
    )


def moving_seconds(steps: Steps) -> float:
    """Sum of step durations whose average speed reaches `MOVING_SPEED_THRESHOLD`."""
    seconds = steps.seconds
    with np.errstate(divide="ignore", invalid="ignore"):
        moving = (seconds > 0) & (steps.metres / seconds >= MOVING_SPEED_THRESHOLD)
    return float(seconds[moving].sum())


def derived_speed(track: Track, steps: Steps) -> Column:
    """The recorded speed, else the speed of the step that ends at the sample."""
    speed = track.speed.copy()
    ends = steps.ends
    with np.errstate(divide="ignore", invalid="ignore"):
        step_speed = np.where(steps.seconds > 0, steps.metres / steps.seconds, np.nan)
    missing = np.isnan(speed[ends])
    speed[ends[missing]] = step_speed[missing]
    return speed


def travelled_metres(track: Track) -> float:
    """The way along the track: the sum of every step."""
    return float(step_metres(track).sum())


def largest_distance(track: Track) -> float | None:
    """The largest cumulative distance the file records, or None when it records none."""
    known = track.distance[~np.isnan(track.distance)]
    return float(known.max()) if len(known) else None


def distance_spans(track: Track) -> float | None:
    """The cumulative distance covered in each segment (last minus first), summed."""
    total = 0.0
    found = False
    for segment in np.unique(track.segment):
        values = track.distance[(track.segment == segment) & ~np.isnan(track.distance)]
        if len(values):
            found = True
            total += float(values.max() - values.min())
    return total if found else None


def elevation_gain(times: Column, altitude: Column) -> float | None:
    """Total climb in metres, robust to noise and jumps; None without any altitude.

    A reference altitude moves only when the track has gone at least
    `ELEVATION_DEAD_BAND_M` above or below it; each upward move adds its size to
    the gain, so a steady climb counts in full (less at most one band at its top)
    while jitter smaller than the band adds nothing. A step steeper than
    `MAX_CLIMB_RATE` between consecutive samples is a sensor jump (a barometer
    calibrating, a GPS fix snapping): the reference restarts there without counting
    it. Untimed samples (NaN time) are never treated as jumps.
    """
    known = np.flatnonzero(~np.isnan(altitude))
    if not len(known):
        return None
    # Inside a run of equal altitudes only its first and last sample can matter: the
    # first meets the sample before the run, the last the sample after it, and those
    # between change nothing (no climb, no jump). A barometer at 1 Hz repeats itself a lot.
    level = altitude[known]
    same_before = np.concatenate(([False], level[1:] == level[:-1]))
    same_after = np.concatenate((level[:-1] == level[1:], [False]))
    known = known[~(same_before & same_after)]
    heights = altitude[known].tolist()
    seconds = times[known].tolist()
    reference = previous_altitude = heights[0]
    previous_seconds = seconds[0]
    gain = 0.0
    band = ELEVATION_DEAD_BAND_M
    for moment, height in zip(seconds[1:], heights[1:], strict=True):
        last_seconds, last_altitude = previous_seconds, previous_altitude
        previous_seconds, previous_altitude = moment, height
        if not (isnan(moment) or isnan(last_seconds)):  # both timed
            allowed = MAX_CLIMB_RATE * max(moment - last_seconds, 1.0) + band
            if abs(height - last_altitude) > allowed:
                reference = height
                continue
        change = height - reference
        if change >= band:
            gain += change
            reference = height
        elif change <= -band:
            reference = height
    return gain


# --- per-second streams ------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    """A stream as arrays: whole-second offsets and values, NaN marking a gap."""

    offsets: NDArray[np.int64]
    values: Column

    def stream(self) -> Stream | None:
        if not len(self.offsets):
            return None
        values = self.values.tolist()
        if np.isnan(self.values).any():
            values = [None if isnan(v) else v for v in values]
        return Stream(offsets=tuple(self.offsets.tolist()), values=tuple(values))

    def mean(self) -> float | None:
        """Mean over time: each interval between two known samples counts half to each end.

        Evenly spaced samples give their plain mean, while a sample that stood for a
        minute outweighs one that stood for a second. Intervals that end in a gap count
        for nothing; a sample alone between gaps weighs one second.
        """
        values = self.values
        known = ~np.isnan(values)
        if not known.any():
            return None
        both = known[:-1] & known[1:]
        half = np.where(both, np.diff(self.offsets) / 2, 0.0)
        weights = np.zeros(len(values))
        weights[:-1] += half
        weights[1:] += half
        held = np.where(weights[known] > 0, weights[known], 1.0)
        return float((values[known] * held).sum() / held.sum())

    def maximum(self) -> float | None:
        known = self.values[~np.isnan(self.values)]
        return float(known.max()) if len(known) else None


def resample(offsets: Column, values: Column, *, max_hold: float = MAX_HOLD_SECONDS) -> Series:
    """Whole-second samples from (seconds since start, value) columns.

    Each sample goes to the whole second nearest its time; when two land on the same
    second the nearer wins (the later on a tie). Only seconds that hold a sample are
    kept; a value holds until the next one, except across a gap longer than `max_hold`,
    where a NaN one second after the earlier sample stops it. Missing values, untimed
    samples and samples before the start are skipped.
    """
    keep = ~np.isnan(values) & np.isfinite(offsets) & (offsets > -0.5)
    times, samples = offsets[keep], values[keep]
    if not len(times):
        return Series(np.zeros(0, dtype=np.int64), nothing(0))
    order = np.lexsort((samples, times))
    times, samples = times[order], samples[order]
    seconds = np.floor(times + 0.5).astype(np.int64)
    errors = np.abs(times - seconds)
    first = np.concatenate(([True], seconds[1:] != seconds[:-1]))
    starts = np.flatnonzero(first)
    group = np.cumsum(first) - 1
    best = np.minimum.reduceat(errors, starts)
    candidates = np.where(errors == best[group], np.arange(len(times)), -1)
    chosen = np.maximum.reduceat(candidates, starts)
    kept_seconds = seconds[chosen]
    kept_values = samples[chosen]
    # A gap: the first sample of a second lies more than max_hold after the last sample
    # of the second before it, and there is room for a marker in between.
    lasts = np.concatenate((starts[1:] - 1, [len(times) - 1]))
    gap = np.zeros(len(starts), dtype=bool)
    gap[1:] = (times[starts[1:]] - times[lasts[:-1]] > max_hold) & (
        kept_seconds[:-1] + 1 < kept_seconds[1:]
    )
    markers = kept_seconds[np.flatnonzero(gap) - 1] + 1 if gap.any() else kept_seconds[:0]
    all_seconds = np.concatenate((kept_seconds, markers))
    all_values = np.concatenate((kept_values, nothing(len(markers))))
    order = np.argsort(all_seconds, kind="stable")
    return Series(all_seconds[order], all_values[order])


def series_from_stream(stream: Stream) -> Series:
    return Series(
        np.array(stream.offsets, dtype=np.int64),
        np.array(stream.values, dtype=np.float64),
    )
