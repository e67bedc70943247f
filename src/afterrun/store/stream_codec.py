"""Per-second streams stored compactly: delta offsets and float32 values, zlib-packed.

An hour of heart rate at 1 Hz is ~3,600 samples: about 2-4 KB stored instead of ~60 KB of JSON.
"""

from __future__ import annotations

import math
import struct
import zlib
from array import array

from afterrun.core.activity import Stream

VERSION = 1
_HEADER = struct.Struct("<BI")


def encode(stream: Stream | None) -> bytes | None:
    if stream is None or not stream.offsets:
        return None
    import numpy as np  # noqa: PLC0415  (only writing needs it: reading stays light)

    # The same native bytes as array("I") and array("f") give (what `decode` reads);
    # None becomes NaN in a float array.
    offsets = np.array(stream.offsets, dtype=np.int64)
    deltas = np.diff(offsets, prepend=0).clip(min=0).astype(np.uint32)
    values = np.array(stream.values, dtype=np.float32)
    body = struct.pack("<BI", VERSION, len(deltas)) + deltas.tobytes() + values.tobytes()
    return zlib.compress(body, 6)


def sample_count(blob: bytes | None) -> int:
    """How many samples a stored stream holds, from its header alone (no full decode)."""
    if not blob:
        return 0
    header = zlib.decompressobj().decompress(blob, _HEADER.size)
    if len(header) < _HEADER.size:
        return 0
    version, count = _HEADER.unpack(header)
    return int(count) if version == VERSION else 0


def decode(blob: bytes | None) -> Stream | None:
    if not blob:
        return None
    body = zlib.decompress(blob)
    version, count = struct.unpack_from("<BI", body)
    if version != VERSION:
        raise ValueError(f"unknown stream encoding {version}")
    header = struct.calcsize("<BI")
    deltas = array("I")
    deltas.frombytes(body[header : header + 4 * count])
    values = array("f")
    values.frombytes(body[header + 4 * count : header + 8 * count])
    offsets: list[int] = []
    total = 0
    for delta in deltas:
        total += delta
        offsets.append(total)
    return Stream(
        offsets=tuple(offsets),
        values=tuple(None if math.isnan(v) else round(v, 3) for v in values),
    )
