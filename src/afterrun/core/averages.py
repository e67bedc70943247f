"""Mean and median as `statistics` defines them, without importing it.

`statistics` pulls in `fractions`, `decimal` and `random`, which cost the commands a
runner types most (`plan`, bare `afterrun`) a noticeable part of their start-up. These
give the same floats: the mean is `math.fsum` over the count, as `statistics.fmean`
computes it, and the median is the middle value or the mean of the middle two.
"""

from __future__ import annotations

import math
from collections.abc import Iterable


def mean(values: Iterable[float]) -> float:
    """The arithmetic mean; ValueError when there are no values."""
    data = list(values)
    if not data:
        raise ValueError("mean of no values")
    return math.fsum(data) / len(data)


def median(values: Iterable[float]) -> float:
    """The middle value (the mean of the middle two for an even count); ValueError when
    there are no values."""
    data = sorted(values)
    count = len(data)
    if not count:
        raise ValueError("median of no values")
    middle = count // 2
    if count % 2:
        return data[middle]
    return (data[middle - 1] + data[middle]) / 2
