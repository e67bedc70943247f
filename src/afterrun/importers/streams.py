"""Turn irregular samples into a compact whole-second `Stream`.

Representation (the contract every reader of `Stream` can rely on):

* each sample is stored at the whole second nearest to its time, counted from
  the activity start; when two samples land on the same second the one nearer
  to it wins (the later one on a tie);
* only seconds that hold a sample are stored, so a 1 Hz recording costs one
  entry per second and a "smart recording" every 4 to 8 s costs far less;
* a value holds until the next stored offset (sample-and-hold);
* when two samples are more than `MAX_HOLD_SECONDS` apart (a pause, a lost
  strap, a GPS outage) a None is stored one second after the earlier sample,
  so the old value is not carried across the gap.

`per_second` expands a stream to one value per second for code that wants that.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from afterrun.core.activity import Stream

#: The longest a sample is held before the stream marks a gap.
MAX_HOLD_SECONDS = 30.0


def _nearest_second(offset: float) -> int:
    return math.floor(offset + 0.5)


def resample(
    samples: Iterable[tuple[float, float | None]], *, max_hold: float = MAX_HOLD_SECONDS
) -> Stream | None:
    """Build a stream from (seconds since start, value) pairs; None when no value is known.

    Missing values (None) and samples before the start are skipped; the gap
    rule above then decides whether the previous value still holds.
    """
    points = sorted(
        (offset, value)
        for offset, value in samples
        if value is not None and math.isfinite(offset) and offset > -0.5
    )
    offsets: list[int] = []
    values: list[float | None] = []
    errors: list[float] = []  # distance of each stored sample from its whole second
    previous_time: float | None = None
    for offset, value in points:
        second = _nearest_second(offset)
        error = abs(offset - second)
        if offsets and offsets[-1] == second and values[-1] is not None:
            if error <= errors[-1]:
                values[-1] = value
                errors[-1] = error
            previous_time = offset
            continue
        if previous_time is not None and offset - previous_time > max_hold:
            gap_start = offsets[-1] + 1
            if gap_start < second:
                offsets.append(gap_start)
                values.append(None)
                errors.append(0.0)
        offsets.append(second)
        values.append(value)
        errors.append(error)
        previous_time = offset
    if not offsets:
        return None
    return Stream(offsets=tuple(offsets), values=tuple(values))


def time_weighted_mean(stream: Stream | None) -> float | None:
    """Mean over time: each interval between two known samples counts half to each end.

    Evenly spaced samples thus give their plain mean, while a sample that stood
    for a minute outweighs one that stood for a second. Intervals that end in a
    gap (None) count for nothing; a sample alone between gaps weighs one second.
    """
    if stream is None:
        return None
    values = stream.values
    offsets = stream.offsets
    weights = [0.0] * len(values)
    for index in range(len(values) - 1):
        if values[index] is not None and values[index + 1] is not None:
            half = (offsets[index + 1] - offsets[index]) / 2
            weights[index] += half
            weights[index + 1] += half
    total = 0.0
    seconds = 0.0
    for value, weight in zip(values, weights, strict=True):
        if value is None:
            continue
        held = weight or 1.0
        total += value * held
        seconds += held
    return total / seconds if seconds else None


def maximum(stream: Stream | None) -> float | None:
    if stream is None:
        return None
    known = [value for value in stream.values if value is not None]
    return max(known) if known else None


def per_second(stream: Stream, until: int | None = None) -> list[float | None]:
    """One value per second from 0 to `until` (exclusive; default: last offset + 1).

    Seconds before the first sample and inside gaps are None.
    """
    end = (stream.offsets[-1] + 1 if stream.offsets else 0) if until is None else until
    out: list[float | None] = [None] * max(end, 0)
    count = len(stream.offsets)
    for index, value in enumerate(stream.values):
        start = stream.offsets[index]
        stop = stream.offsets[index + 1] if index + 1 < count else start + 1
        for second in range(max(start, 0), min(stop, end)):
            out[second] = value
    return out
