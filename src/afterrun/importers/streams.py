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

The work is done on arrays by `track.resample`; this module offers it for pairs and
`Stream`s. `per_second` expands a stream to one value per second for code that wants that.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from afterrun.core.activity import Stream
from afterrun.importers.track import MAX_HOLD_SECONDS, Series, series_from_stream
from afterrun.importers.track import resample as resample_columns

__all__ = ["MAX_HOLD_SECONDS", "maximum", "per_second", "resample", "time_weighted_mean"]


def resample(
    samples: Iterable[tuple[float, float | None]], *, max_hold: float = MAX_HOLD_SECONDS
) -> Stream | None:
    """Build a stream from (seconds since start, value) pairs; None when no value is known."""
    pairs = list(samples)
    offsets = np.array([offset for offset, _ in pairs], dtype=np.float64)
    values = np.array([value for _, value in pairs], dtype=np.float64)
    return resample_columns(offsets, values, max_hold=max_hold).stream()


def time_weighted_mean(stream: Stream | None) -> float | None:
    """Mean over time (see `track.Series.mean`)."""
    return None if stream is None else series_from_stream(stream).mean()


def maximum(stream: Stream | None) -> float | None:
    return None if stream is None else Series.maximum(series_from_stream(stream))


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
