"""Fuzz the importers with mutated real files: every case must end as a stored activity,
a partial one or a named failure, within a time limit and without a memory blow-up.

Run: python bench/fuzz_importers.py [--cases 10000] [--seed 1] [--time-limit 10]
                                     [--jobs N] [--import-every 20] [--memory-limit 2048]
     python bench/fuzz_importers.py --seed S --only I [--save DIR]   (one case, in-process)

Seeds are the real files in ../shared/corpus. Long FIT recordings are thinned to a
valid FIT file of a few hundred records (every message other than `record` kept,
definitions re-emitted where needed, data size and CRC recomputed) and long TCX/GPX
files to a few hundred track points, so that one case costs milliseconds, not the
seconds fitdecode needs for a 1 MB file.

Case i is built from `random.Random(f"{seed}:{i}")` alone, so any case is reproduced
with `--seed S --only I` (add `--save DIR` to write its bytes). A case is one seed put
through one to three mutations: byte flips, interesting integers, truncation, cut
heads, deletions, inserted random or copied chunks, repeated regions, splices with
another seed (of any format); XML-aware ones (duplicate, remove or swap elements,
huge/NaN/inf/unicode-digit numbers, odd timestamps, unicode and invalid UTF-8 in
text, encoding declarations, nesting tens of thousands deep, huge attributes,
comments/CDATA/processing instructions, entity declarations, namespaces, sports);
and FIT-aware ones (header fields, definition fields, data bytes, record headers,
deleted/duplicated/swapped messages, chained files, data size and CRC recomputed so
the decoder trusts a damaged body). 10 % of cases are gzipped (sometimes the gzip
bytes are mutated too) and 10 % are zip archives of one to three mutated entries,
some with `../` or absolute names and some with the archive bytes mutated.

Each case goes through what `afterrun import` runs: `services.import_workers.parse_source`
(format detection, gunzip, the parser, export metadata, the load) with the same
per-file time limit, zips through `importers.sources.iter_sources` first, and every
`--import-every`-th case through the whole `services.imports.import_paths` into a
temporary SQLite database (one per worker). Outcomes:

* stored / partial: an activity came out (through import_paths: stored, or already
  there when a mutated copy matches a stored run);
* named failure: an `AfterrunError` with a one-line message;
* CRASH: any other exception, including one caught only by a parser's or
  parse_source's last-resort handler ("could not read FIT file (TypeError)"), a
  message that is not one line, or an activity that breaks its own invariants
  (a non-finite number, a negative duration, a stream offset the store cannot hold);
* HANG: still reading after the time limit (the product's own timer says so), or a
  worker that does not answer within twice the limit plus 5 s (killed, replaced).

Workers run under RLIMIT_AS (--memory-limit MiB), so a blow-up is a MemoryError, a
CRASH. The report gives per-outcome counts, the most frequent failure messages,
every crash with its reproducer, the slowest case, peak memory (ru_maxrss of this
process and of the largest worker, and the largest rise in one case) and wall time.

Last, each hostile input the hardening issue names (XML bombs and XXE as .gpx and
.tcx, zip bombs by ratio and by size, a gzip bomb, zip entries named ../ and
absolute, a sparse 2 GB file, a PNG renamed .fit, an empty file) is imported alone
through import_paths and timed: each must be refused with a named one-line reason
within a second. Exit status 1 on any CRASH or HANG, or a hostile input not refused
in time. 10,000 cases take about 2 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import io
import itertools
import math
import multiprocessing
import os
import random
import re
import resource
import struct
import sys
import tempfile
import time
import traceback
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
sys.path.insert(0, str(ROOT / "src"))

NOW = datetime(2025, 6, 1, 12, tzinfo=UTC)
MiB = 1024 * 1024
MAX_FIT_BYTES = 512 * 1024  # a mutation that would grow a case beyond these is skipped
MAX_XML_BYTES = 4 * MiB
SHRINK_FIT_ABOVE = 32 * 1024
SHRINK_XML_ABOVE = 100 * 1024

STORED, PARTIAL, ALREADY, FAILED, CRASH, HANG = (
    "stored",
    "partial",
    "already there",
    "named failure",
    "CRASH",
    "HANG",
)
OUTCOMES = (STORED, PARTIAL, ALREADY, FAILED, CRASH, HANG)
BAD = (CRASH, HANG)

FLOAT32_MAX = 3.4028234e38
_LAST_RESORT = re.compile(r"^could not (?:be read|be stored|read (?:FIT|GPX|TCX) file) \(")
_TOO_SLOW = "took longer than"


# --- FIT helpers ------------------------------------------------------------------------

_CRC_TABLE = [0] * 256
for _byte in range(256):
    _crc = _byte
    for _ in range(8):
        _crc = (_crc >> 1) ^ 0xA001 if _crc & 1 else _crc >> 1
    _CRC_TABLE[_byte] = _crc


def fit_crc(data: bytes | bytearray) -> int:
    crc = 0
    for byte in data:
        crc = (crc >> 8) ^ _CRC_TABLE[(crc ^ byte) & 0xFF]
    return crc


def fit_seal(header: bytes, body: bytes) -> bytes:
    """A FIT file from a header and a body: data size, header CRC and file CRC set."""
    head = bytearray(header)
    head[4:8] = len(body).to_bytes(4, "little")
    if len(head) >= 14:
        head[12:14] = fit_crc(head[:12]).to_bytes(2, "little")
    whole = bytes(head) + body
    return whole + fit_crc(whole).to_bytes(2, "little")


@dataclass(frozen=True)
class Chunk:
    offset: int
    length: int
    kind: str  # header | def | data | crc
    name: str = ""


def fit_chunks(data: bytes) -> list[Chunk]:
    """Where each frame of a FIT file lies (fitdecode, reading as tolerantly as it can)."""
    import fitdecode

    chunks: list[Chunk] = []
    kinds = {
        fitdecode.FitHeader: "header",
        fitdecode.FitDefinitionMessage: "def",
        fitdecode.FitDataMessage: "data",
        fitdecode.FitCRC: "crc",
    }
    with contextlib.suppress(Exception):
        reader = fitdecode.FitReader(
            io.BytesIO(data),
            keep_raw_chunks=True,
            check_crc=fitdecode.CrcCheck.DISABLED,
            error_handling=fitdecode.ErrorHandling.IGNORE,
        )
        with reader:
            for frame in reader:
                kind = kinds.get(type(frame), "data")
                name = getattr(frame, "name", "") or ""
                chunks.append(Chunk(frame.chunk.offset, len(frame.chunk.bytes), kind, str(name)))
    return chunks


_FIT_KEEP_ALL = frozenset(
    {"file_id", "file_creator", "session", "lap", "activity", "sport", "developer_data_id"}
    | {"field_description", "training_file"}
)


def shrink_fit(data: bytes, keep_first: int = 120, every: int = 60) -> bytes:
    """A valid, shorter FIT file: summaries kept, other messages thinned, sealed again."""
    import fitdecode

    out = bytearray()
    header = b""
    body = bytearray()
    emitted: dict[int, int] = {}  # local message number -> id of the definition emitted
    defs: dict[int, bytes] = {}
    seen: Counter[str] = Counter()
    reader = fitdecode.FitReader(
        io.BytesIO(data),
        keep_raw_chunks=True,
        check_crc=fitdecode.CrcCheck.DISABLED,
        error_handling=fitdecode.ErrorHandling.IGNORE,
    )
    with contextlib.suppress(Exception), reader:
        for frame in reader:
            raw = bytes(frame.chunk.bytes)
            if isinstance(frame, fitdecode.FitHeader):
                header, body, emitted, seen = raw, bytearray(), {}, Counter()
            elif isinstance(frame, fitdecode.FitDefinitionMessage):
                defs[id(frame)] = raw
            elif isinstance(frame, fitdecode.FitDataMessage):
                name = str(frame.name)
                if name not in _FIT_KEEP_ALL:
                    seen[name] += 1
                    if seen[name] > keep_first and seen[name] % every:
                        continue
                definition = frame.def_mesg
                local = frame.local_mesg_num
                if emitted.get(local) != id(definition) and id(definition) in defs:
                    body += defs[id(definition)]
                    emitted[local] = id(definition)
                body += raw
            elif isinstance(frame, fitdecode.FitCRC) and header:
                out += fit_seal(header, bytes(body))
                header = b""
    if header:  # a file that breaks off: keep what was read, unsealed like the original
        out += fit_seal(header, bytes(body))[:-2]
    return bytes(out)


_TRACKPOINT = {
    "gpx": re.compile(rb"<(?:[\w.-]+:)?trkpt\b.*?</(?:[\w.-]+:)?trkpt\s*>", re.DOTALL),
    "tcx": re.compile(rb"<(?:[\w.-]+:)?Trackpoint\b.*?</(?:[\w.-]+:)?Trackpoint\s*>", re.DOTALL),
}


def shrink_xml(data: bytes, fmt: str, keep_first: int = 150, every: int = 25) -> bytes:
    count = 0

    def keep(match: re.Match[bytes]) -> bytes:
        nonlocal count
        count += 1
        return match.group(0) if count <= keep_first or count % every == 0 else b""

    return _TRACKPOINT[fmt].sub(keep, data)


# --- seeds ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Seed:
    name: str
    fmt: str  # fit | gpx | tcx
    data: bytes = field(repr=False)
    chunks: tuple[Chunk, ...] = field(default=(), repr=False)


def build_seeds(corpus: Path = CORPUS, max_fit_bytes: int | None = None) -> list[Seed]:
    """One seed per corpus file, long ones thinned; `max_fit_bytes` skips larger FIT files
    (thinning one takes fitdecode about 2 s per MB)."""
    seeds: list[Seed] = []
    for path in sorted(corpus.glob("*")):
        fmt = path.suffix.lower().lstrip(".")
        if not path.is_file() or fmt not in {"fit", "gpx", "tcx"}:
            continue
        data = path.read_bytes()
        if fmt == "fit" and max_fit_bytes is not None and len(data) > max_fit_bytes:
            continue
        if fmt == "fit":
            if len(data) > SHRINK_FIT_ABOVE:
                data = shrink_fit(data) or data
            seeds.append(Seed(path.name, fmt, data, tuple(fit_chunks(data))))
        else:
            if len(data) > SHRINK_XML_ABOVE:
                data = shrink_xml(data, fmt)
            seeds.append(Seed(path.name, fmt, data))
    if not seeds:
        raise SystemExit(f"no .fit, .gpx or .tcx files in {corpus}")
    return seeds


# --- mutations --------------------------------------------------------------------------

Mutation = Callable[[random.Random, bytes, Seed, Sequence[Seed]], bytes]

INTERESTING_BYTES = (0x00, 0x01, 0x7F, 0x80, 0xFE, 0xFF, 0x3C, 0x3E, 0x26, 0x22)
INTERESTING_INTS = (0, 1, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFFFFFF, 0x80000000)
WEIRD_NUMBERS = (
    b"1e308",
    b"1e309",
    b"-1e309",
    b"99999999999999999999999999",
    b"-99999999999",
    b"-5",
    b"-3600.5",
    b"999999999",
    b"NaN",
    b"nan",
    b"inf",
    b"-Infinity",
    b"-0",
    b"0",
    b"",
    b" ",
    b"1e-400",
    b"4.9e-324",
    b"1_000",
    b"0x10",
    b"\xef\xbc\x91\xef\xbc\x92\xef\xbc\x93",  # fullwidth 123, which float() accepts
    b"\xd9\xa3",  # Arabic-Indic 3
    b"12,5",
    b"--1",
    b"1e",
)
WEIRD_TIMES = (
    b"0001-01-01T00:00:00Z",
    b"0001-01-01T00:00:00+01:00",
    b"9999-12-31T23:59:59Z",
    b"9999-12-31T23:59:59-01:00",
    b"1970-01-01T00:00:00Z",
    b"2024-02-30T00:00:00Z",
    b"2024-05-04T24:00:00Z",
    b"2024-05-04T07:30:60Z",
    b"2024-05-04T07:30:00+14:00",
    b"2024-05-04T07:30:00-23:59",
    b"2024-05-04T07:30:00.123456789Z",
    b"2024-05-04",
    b"2024-05-04T07:30:00",
    b"+12024-05-04T07:30:00Z",
    b"not a time",
    b"",
)
UNICODE_JUNK = (
    "\u202e\u0301\u200b",
    "\U0001f3c3\u200d\u2640\ufe0f",
    "\ufeff",
    "\u00e9t\u00e9 \u65e5\u672c",
    "\ud7ff\ue000\ufffd",
)
INVALID_UTF8 = (b"\xff\xfe", b"\xc3", b"\xed\xa0\x80", b"\x00", b"\x1b[31m", b"\xf4\x90\x80\x80")
ENCODINGS = (b"UTF-16", b"latin-1", b"bogus-8", b"utf-32", b"ascii", b"", b"EBCDIC-US")
XML_TAGS = {
    "gpx": (b"trkpt", b"trkseg", b"trk", b"ele", b"time", b"extensions", b"metadata", b"type"),
    "tcx": (
        b"Trackpoint",
        b"Lap",
        b"Track",
        b"Activity",
        b"Time",
        b"HeartRateBpm",
        b"DistanceMeters",
        b"Position",
        b"Extensions",
        b"Id",
        b"TotalTimeSeconds",
    ),
}
_NUMBER = re.compile(rb"(?<=[>\"'])\s*-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?\s*(?=[<\"'])")
_TIME = re.compile(rb"\d{4}-\d\d-\d\dT[\d:.]+(?:Z|[+-]\d\d:?\d\d)?")
_TEXT = re.compile(rb">([^<]{1,200})<")
_END_TAG = re.compile(rb"</[\w.:-]+\s*>")
_LATLON = re.compile(rb"\b(lat|lon)=\"[^\"]*\"")
_SPORT = re.compile(rb"(Sport=\"[^\"]*\"|<type>[^<]*</type>)")
_DECLARATION = re.compile(rb"<\?xml[^>]*\?>")


def _cap(seed: Seed) -> int:
    return MAX_FIT_BYTES if seed.fmt == "fit" else MAX_XML_BYTES


def flip_bits(rng: random.Random, data: bytes, seed: Seed, seeds: Sequence[Seed]) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 16)):
        position = rng.randrange(len(out))
        out[position] ^= 1 << rng.randrange(8)
    return bytes(out)


def set_bytes(rng: random.Random, data: bytes, seed: Seed, seeds: Sequence[Seed]) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 16)):
        out[rng.randrange(len(out))] = rng.choice((*INTERESTING_BYTES, rng.randrange(256)))
    return bytes(out)


def interesting_int(rng: random.Random, data: bytes, seed: Seed, seeds: Sequence[Seed]) -> bytes:
    width = rng.choice((1, 2, 4, 8))
    position = rng.randrange(max(1, len(data) - width))
    value = rng.choice(INTERESTING_INTS) & ((1 << (8 * width)) - 1)
    packed = value.to_bytes(width, rng.choice(("little", "big")))
    return data[:position] + packed + data[position + width :]


def truncate(rng: random.Random, data: bytes, seed: Seed, seeds: Sequence[Seed]) -> bytes:
    if rng.random() < 0.2:
        return data[: rng.randrange(min(len(data), 32))]
    return data[: rng.randrange(len(data))]


def cut_head(rng: random.Random, data: bytes, seed: Seed, seeds: Sequence[Seed]) -> bytes:
    return data[rng.randrange(1, min(len(data), 200) + 1) :]


def delete_range(rng: random.Random, data: bytes, seed: Seed, seeds: Sequence[Seed]) -> bytes:
    start = rng.randrange(len(data))
    return data[:start] + data[start + rng.randint(1, len(data) // 8 + 1) :]


def insert_random(rng: random.Random, data: bytes, seed: Seed, seeds: Sequence[Seed]) -> bytes:
    position = rng.randrange(len(data) + 1)
    junk = rng.randbytes(rng.randint(1, 256))
    return data[:position] + junk + data[position:]


def insert_copy(rng: random.Random, data: bytes, seed: Seed, seeds: Sequence[Seed]) -> bytes:
    start = rng.randrange(len(data))
    piece = data[start : start + rng.randint(1, 4096)]
    position = rng.randrange(len(data) + 1)
    return data[:position] + piece + data[position:]


def repeat_region(rng: random.Random, data: bytes, seed: Seed, seeds: Sequence[Seed]) -> bytes:
    start = rng.randrange(len(data))
    piece = data[start : start + rng.randint(1, 512)]
    times = rng.choice((2, 10, 100, 2000))
    times = min(times, max(1, (_cap(seed) - len(data)) // max(len(piece), 1)))
    return data[:start] + piece * times + data[start + len(piece) :]


def splice(rng: random.Random, data: bytes, seed: Seed, seeds: Sequence[Seed]) -> bytes:
    other = rng.choice(seeds).data
    return data[: rng.randrange(len(data) + 1)] + other[rng.randrange(len(other)) :]


def _xml_element(rng: random.Random, data: bytes, seed: Seed) -> re.Match[bytes] | None:
    tag = rng.choice(XML_TAGS.get(seed.fmt, XML_TAGS["gpx"]))
    pattern = re.compile(
        rb"<(?:[\w.-]+:)?" + tag + rb"\b[^>]*?(?:/>|>.*?</(?:[\w.-]+:)?" + tag + rb"\s*>)",
        re.DOTALL,
    )
    start = rng.randrange(len(data))
    return pattern.search(data, start) or pattern.search(data)


def _search_from(rng: random.Random, pattern: re.Pattern[bytes], data: bytes) -> Any:
    start = rng.randrange(len(data))
    return pattern.search(data, start) or pattern.search(data)


def dup_element(rng: random.Random, data: bytes, seed: Seed, seeds: Sequence[Seed]) -> bytes:
    found = _xml_element(rng, data, seed)
    if found is None:
        return data
    piece = found.group(0)
    times = rng.choice((2, 3, 50, 1000))
    times = min(times, max(1, (_cap(seed) - len(data)) // len(piece)))
    return data[: found.start()] + piece * times + data[found.end() :]


def remove_element(rng: random.Random, data: bytes, seed: Seed, seeds: Sequence[Seed]) -> bytes:
    found = _xml_element(rng, data, seed)
    return data if found is None else data[: found.start()] + data[found.end() :]


def swap_elements(rng: random.Random, data: bytes, seed: Seed, seeds: Sequence[Seed]) -> bytes:
    first = _xml_element(rng, data, seed)
    if first is None:
        return data
    second = _xml_element(rng, data, seed)
    if second is None or second.start() < first.end():
        return data
    a, b = first.group(0), second.group(0)
    middle = data[first.end() : second.start()]
    return data[: first.start()] + b + middle + a + data[second.end() :]


def number_swap(rng: random.Random, data: bytes, seed: Seed, seeds: Sequence[Seed]) -> bytes:
    if rng.random() < 0.25:  # every number in a stretch of the file gets the same odd value
        start = rng.randrange(len(data))
        end = start + rng.choice((500, 5000, 50_000))
        value = rng.choice(WEIRD_NUMBERS)
        return data[:start] + _NUMBER.sub(value, data[start:end]) + data[end:]
    out = data
    for _ in range(rng.choice((1, 1, 3, 20))):
        found = _search_from(rng, _NUMBER, out)
        if found is None:
            return out
        out = out[: found.start()] + rng.choice(WEIRD_NUMBERS) + out[found.end() :]
    return out


def time_swap(rng: random.Random, data: bytes, seed: Seed, seeds: Sequence[Seed]) -> bytes:
    found = _search_from(rng, _TIME, data)
    if found is None:
        return data
    return data[: found.start()] + rng.choice(WEIRD_TIMES) + data[found.end() :]


def latlon_swap(rng: random.Random, data: bytes, seed: Seed, seeds: Sequence[Seed]) -> bytes:
    found = _search_from(rng, _LATLON, data)
    if found is None:
        return number_swap(rng, data, seed, seeds)
    value = rng.choice((*WEIRD_NUMBERS, b"90.0000001", b"-180", b"180.5"))
    return data[: found.start()] + found.group(1) + b'="' + value + b'"' + data[found.end() :]


def sport_swap(rng: random.Random, data: bytes, seed: Seed, seeds: Sequence[Seed]) -> bytes:
    found = _search_from(rng, _SPORT, data)
    if found is None:
        return data
    word = rng.choice(
        ("", "Running", "9", "1", "motorcycle", "x" * 5000, "Multisport", "\u00e9", "Other")
    ).encode()
    new = b'Sport="' + word + b'"' if found.group(0).startswith(b"Sport") else b"<type>" + word
    if not found.group(0).startswith(b"Sport"):
        new += b"</type>"
    return data[: found.start()] + new + data[found.end() :]


def text_unicode(rng: random.Random, data: bytes, seed: Seed, seeds: Sequence[Seed]) -> bytes:
    found = _search_from(rng, _TEXT, data)
    if found is None:
        return data
    unicode = rng.random() < 0.5
    junk = rng.choice(UNICODE_JUNK).encode() if unicode else rng.choice(INVALID_UTF8)
    position = rng.randint(found.start(1), found.end(1))
    return data[:position] + junk + data[position:]


def encoding_decl(rng: random.Random, data: bytes, seed: Seed, seeds: Sequence[Seed]) -> bytes:
    declaration = b'<?xml version="1.0" encoding="' + rng.choice(ENCODINGS) + b'"?>'
    found = _DECLARATION.search(data, 0, 200)
    if found is None:
        return declaration + data
    return data[: found.start()] + declaration + data[found.end() :]


def deep_nesting(rng: random.Random, data: bytes, seed: Seed, seeds: Sequence[Seed]) -> bytes:
    found = _search_from(rng, _END_TAG, data)
    if found is None:
        return data
    depth = rng.choice((64, 1000, 20_000, 100_000))
    name = rng.choice((b"x", b"trkpt", b"Trackpoint", b"extensions", b"Lap"))
    nested = (b"<" + name + b">") * depth + (b"</" + name + b">") * (
        depth if rng.random() < 0.8 else 0
    )
    return data[: found.start()] + nested + data[found.start() :]


def huge_attribute(rng: random.Random, data: bytes, seed: Seed, seeds: Sequence[Seed]) -> bytes:
    found = _xml_element(rng, data, seed)
    if found is None:
        return data
    close = data.index(b">", found.start())
    if rng.random() < 0.5:
        extra = b' a="' + b"9" * rng.choice((1000, 1_000_000)) + b'"'
    else:
        extra = b"".join(b' a%d="1"' % i for i in range(rng.choice((100, 20_000))))
    return data[:close] + extra + data[close:]


def xml_noise(rng: random.Random, data: bytes, seed: Seed, seeds: Sequence[Seed]) -> bytes:
    found = _search_from(rng, _END_TAG, data)
    if found is None:
        return data
    noise = rng.choice(
        (
            b"<!-- x -->",
            b"<![CDATA[<trkpt lat='1' lon='1'/>]]>",
            b"<?pi data?>",
            b"<!-- unterminated",
            b"&amp;&lt;&#0;",
            b"&#x110000;",
            b"&undefined;",
            b"]]>",
        )
    )
    return data[: found.end()] + noise + data[found.end() :]


def entity_decl(rng: random.Random, data: bytes, seed: Seed, seeds: Sequence[Seed]) -> bytes:
    doctype = rng.choice(
        (
            b'<!DOCTYPE r [<!ENTITY a "b">]>',
            b'<!DOCTYPE r [<!ENTITY a SYSTEM "file:///etc/hostname">]>',
            b'<!DOCTYPE r [<!ENTITY % p SYSTEM "file:///etc/hostname"> %p;]>',
            b'<!DOCTYPE r SYSTEM "file:///etc/hostname">',
            b"<!DOCTYPE r>",
        )
    )
    found = _DECLARATION.search(data, 0, 200)
    position = found.end() if found is not None else 0
    return data[:position] + doctype + data[position:]


def namespace_swap(rng: random.Random, data: bytes, seed: Seed, seeds: Sequence[Seed]) -> bytes:
    new = rng.choice((b"", b'xmlns="urn:x"', b'xmlns:p="urn:y"', b'xmlns=""', b"xmlns:="))
    return re.sub(rb'xmlns="[^"]*"', new, data, count=1)


def _fit_chunk(rng: random.Random, seed: Seed, kind: str, data: bytes) -> Chunk | None:
    candidates = [c for c in seed.chunks if c.kind == kind and c.offset + c.length <= len(data)]
    return rng.choice(candidates) if candidates else None


def fit_header(rng: random.Random, data: bytes, seed: Seed, seeds: Sequence[Seed]) -> bytes:
    if len(data) < 14:
        return data
    out = bytearray(data)
    what = rng.randrange(5)
    if what == 0:
        out[0] = rng.choice((0, 1, 11, 12, 13, 14, 15, 32, 255))
    elif what == 1:
        out[1] = rng.choice((0, 0x10, 0x20, 0x30, 0xFF))
    elif what == 2:
        size = rng.choice((0, 1, len(data) - 14, len(data) * 2, 0xFFFFFFFF, rng.randrange(2**32)))
        out[4:8] = (size & 0xFFFFFFFF).to_bytes(4, "little")
    elif what == 3:
        out[12:14] = rng.randbytes(2)
    else:
        out[2:4] = rng.randbytes(2)
    return bytes(out)


def fit_definition(rng: random.Random, data: bytes, seed: Seed, seeds: Sequence[Seed]) -> bytes:
    chunk = _fit_chunk(rng, seed, "def", data)
    if chunk is None or chunk.length < 6:
        return set_bytes(rng, data, seed, seeds)
    out = bytearray(data)
    at = chunk.offset
    what = rng.randrange(5)
    if what == 0:
        out[at + 2] = rng.choice((0, 1, 2, 255))  # architecture
    elif what == 1:
        number = rng.choice((0, 18, 19, 20, 21, 23, 34, 206, 207, 0xFF00, 0xFFFF))
        out[at + 3 : at + 5] = number.to_bytes(2, "little" if out[at + 2] == 0 else "big")
    elif what == 2:
        out[at + 5] = rng.randrange(256)  # number of fields
    else:
        fields = max(1, (chunk.length - 6) // 3)
        field_at = at + 6 + 3 * rng.randrange(fields)
        if field_at + 3 <= len(out):
            part = rng.randrange(3)
            out[field_at + part] = rng.choice((0, 1, 2, 3, 4, 7, 8, 0x84, 0x86, 0x89, 255))
    return bytes(out)


def fit_data(rng: random.Random, data: bytes, seed: Seed, seeds: Sequence[Seed]) -> bytes:
    chunk = _fit_chunk(rng, seed, "data", data)
    if chunk is None or chunk.length < 2:
        return set_bytes(rng, data, seed, seeds)
    out = bytearray(data)
    start = chunk.offset + 1 + rng.randrange(chunk.length - 1)
    end = min(chunk.offset + chunk.length, start + rng.randint(1, 8))
    fill = rng.choice((b"\xff", b"\x00", b"\x7f", None))
    out[start:end] = (fill * (end - start)) if fill else rng.randbytes(end - start)
    return bytes(out)


def fit_record_header(rng: random.Random, data: bytes, seed: Seed, seeds: Sequence[Seed]) -> bytes:
    chunk = _fit_chunk(rng, seed, rng.choice(("def", "data")), data)
    if chunk is None:
        return data
    out = bytearray(data)
    out[chunk.offset] ^= rng.choice((0x80, 0x40, 0x20, 0x10, 0x0F, 0x01))
    return bytes(out)


def fit_messages(rng: random.Random, data: bytes, seed: Seed, seeds: Sequence[Seed]) -> bytes:
    """Delete, duplicate or swap whole messages, then (usually) seal the file again."""
    frames = [c for c in seed.chunks if c.kind in {"def", "data"}]
    if not frames or data != seed.data or len(seed.chunks) < 3 or seed.chunks[0].kind != "header":
        return fit_data(rng, data, seed, seeds)
    pieces = [data[c.offset : c.offset + c.length] for c in frames]
    what = rng.randrange(4)
    index = rng.randrange(len(pieces))
    if what == 0:
        del pieces[index : index + rng.choice((1, 1, 5, 50))]
    elif what == 1:
        times = rng.choice((2, 10, 1000))
        times = min(times, max(1, MAX_FIT_BYTES // 2 // max(len(pieces[index]), 1)))
        pieces[index : index + 1] = [pieces[index]] * times
    elif what == 2:
        other = rng.randrange(len(pieces))
        pieces[index], pieces[other] = pieces[other], pieces[index]
    else:
        sessions = [i for i, c in enumerate(frames) if c.name in {"session", "lap", "activity"}]
        for i in reversed(sessions):
            del pieces[i]
    head = seed.chunks[0]
    header = data[head.offset : head.offset + head.length]
    body = b"".join(pieces)
    return fit_seal(header, body) if rng.random() < 0.8 else header + body


def fit_chain(rng: random.Random, data: bytes, seed: Seed, seeds: Sequence[Seed]) -> bytes:
    fits = [s for s in seeds if s.fmt == "fit"] or [seed]
    junk = rng.choice((b"", b"\x00" * 4, rng.randbytes(16), b"<gpx>"))
    return data + junk + rng.choice(fits).data[: MAX_FIT_BYTES - len(data)]


def fit_reseal(rng: random.Random, data: bytes, seed: Seed, seeds: Sequence[Seed]) -> bytes:
    """Recompute the size and CRC so that the decoder trusts whatever the body now holds."""
    if len(data) < 14 or data[8:12] != b".FIT" or data[0] not in (12, 14):
        return data
    return fit_seal(data[: data[0]], data[data[0] :])


GENERIC: tuple[tuple[Mutation, int], ...] = (
    (flip_bits, 6),
    (set_bytes, 4),
    (interesting_int, 3),
    (truncate, 5),
    (cut_head, 1),
    (delete_range, 3),
    (insert_random, 2),
    (insert_copy, 2),
    (repeat_region, 2),
    (splice, 2),
)
XML_AWARE: tuple[tuple[Mutation, int], ...] = (
    (dup_element, 4),
    (remove_element, 4),
    (swap_elements, 2),
    (number_swap, 6),
    (time_swap, 5),
    (latlon_swap, 2),
    (sport_swap, 1),
    (text_unicode, 3),
    (encoding_decl, 1),
    (deep_nesting, 1),
    (huge_attribute, 1),
    (xml_noise, 2),
    (entity_decl, 1),
    (namespace_swap, 1),
)
FIT_AWARE: tuple[tuple[Mutation, int], ...] = (
    (fit_header, 4),
    (fit_definition, 6),
    (fit_data, 8),
    (fit_record_header, 3),
    (fit_messages, 5),
    (fit_chain, 1),
)


def _pick(rng: random.Random, table: Sequence[tuple[Mutation, int]]) -> Mutation:
    functions, weights = zip(*table, strict=True)
    return rng.choices(functions, weights)[0]


def mutate(
    rng: random.Random, seed: Seed, seeds: Sequence[Seed], rounds: int
) -> tuple[bytes, list[str]]:
    data = seed.data
    ops: list[str] = []
    aware = FIT_AWARE if seed.fmt == "fit" else XML_AWARE
    for _ in range(rounds):
        if not data:
            break
        table = aware if rng.random() < 0.6 else GENERIC
        mutation = _pick(rng, table)
        changed = mutation(rng, data, seed, seeds)
        if len(changed) <= _cap(seed):
            data = changed
            ops.append(mutation.__name__)
    if seed.fmt == "fit" and data and rng.random() < 0.3:
        data = fit_reseal(rng, data, seed, seeds)
        ops.append("fit_reseal")
    return data, ops


# --- cases ------------------------------------------------------------------------------

HOSTILE_ENTRY_NAMES = ("../escape.fit", "/tmp/absolute.gpx", "C:\\x.tcx", "a/../../up.fit")  # noqa: S108


@dataclass(frozen=True)
class Case:
    index: int
    filename: str
    data: bytes = field(repr=False)
    container: str  # plain | gz | zip
    base: str
    ops: tuple[str, ...]

    def describe(self) -> str:
        return f"{self.filename} from {self.base} ({self.container}): {', '.join(self.ops) or '-'}"


def _one_file(rng: random.Random, seeds: Sequence[Seed]) -> tuple[str, bytes, str, list[str]]:
    seed = rng.choice(seeds)
    data, ops = mutate(rng, seed, seeds, rng.choice((1, 1, 1, 2, 2, 3)))
    ext = seed.fmt
    if rng.random() < 0.05:
        ext = rng.choice(("fit", "gpx", "tcx", "txt", "png", ""))
        ops.append(f"named .{ext}")
    return ext, data, seed.name, ops


def make_case(seeds: Sequence[Seed], run_seed: int, index: int) -> Case:
    """Case `index` of run `run_seed`: the same bytes on every machine and every run."""
    rng = random.Random(f"{run_seed}:{index}")  # noqa: S311 (reproducible, not secret)
    container = rng.choices(("plain", "gz", "zip"), (80, 10, 10))[0]
    ext, data, base, ops = _one_file(rng, seeds)
    name = f"case{index}.{ext}" if ext else f"case{index}"
    if container == "gz":
        data = gzip.compress(data, compresslevel=1, mtime=0)
        name += ".gz"
        if rng.random() < 0.3:
            mutation = _pick(rng, GENERIC)
            data = mutation(rng, data, Seed("gz", "fit", data), seeds) or data
            ops.append(f"gz+{mutation.__name__}")
    elif container == "zip":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            for entry in range(rng.randint(1, 3)):
                if entry:
                    ext, data, more_base, more_ops = _one_file(rng, seeds)
                    base += f"+{more_base}"
                    ops.extend(more_ops)
                entry_name = f"activities/{entry}.{ext or 'fit'}"
                if rng.random() < 0.2:
                    entry_name += ".gz"
                    data = gzip.compress(data, compresslevel=1, mtime=0)
                if rng.random() < 0.1:
                    entry_name = HOSTILE_ENTRY_NAMES[entry]
                    ops.append(f"entry {entry_name}")
                archive.writestr(entry_name, data)
        data = buffer.getvalue()
        name = f"case{index}.zip"
        if rng.random() < 0.3:
            mutation = _pick(rng, GENERIC)
            data = mutation(rng, data, Seed("zip", "fit", data), seeds) or data
            ops.append(f"zip+{mutation.__name__}")
    return Case(index, name, data, container, base, tuple(ops))


# --- running one case -------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    kind: str
    detail: str = ""


def _finite(value: float | None) -> bool:
    return value is None or math.isfinite(value)


def activity_problem(activity: Any, load: Any) -> str | None:
    """Why a parsed activity breaks its own invariants, or None."""
    numbers = {
        "elapsed_seconds": activity.elapsed_seconds,
        "moving_seconds": activity.moving_seconds,
        "distance_m": activity.distance_m,
        "elevation_gain_m": activity.elevation_gain_m,
        "avg_hr": activity.avg_hr,
        "max_hr": activity.max_hr,
        "avg_cadence": activity.avg_cadence,
        "load": None if load is None else load.value,
    }
    for name, value in numbers.items():
        if not _finite(value):
            return f"{name} is {value}"
    for name in ("elapsed_seconds", "moving_seconds", "distance_m", "elevation_gain_m", "load"):
        value = numbers[name]
        if value is not None and value < 0:
            return f"{name} is negative ({value})"
    if activity.start.tzinfo is None:
        return "start has no time zone"
    for label, stream in (("heart_rate", activity.heart_rate), ("speed", activity.speed)):
        if stream is None:
            continue
        offsets = stream.offsets
        if any(b < a for a, b in itertools.pairwise(offsets)):
            return f"{label} stream offsets go backwards"
        if offsets and (offsets[0] < 0 or offsets[-1] >= 2**32):
            return f"{label} stream offset {offsets[-1]} does not fit the store"
        if any(v is not None and not abs(v) < FLOAT32_MAX for v in stream.values):
            return f"{label} stream holds a value the store cannot hold as float32"
    return None


def classify_message(message: str) -> Outcome:
    if message.startswith(_TOO_SLOW):
        return Outcome(HANG, message)
    if _LAST_RESORT.match(message):
        return Outcome(CRASH, f"only the last-resort handler caught it: {message}")
    if "\n" in message or "\r" in message or not message.strip() or len(message) > 400:
        return Outcome(CRASH, f"message is not one clear line: {message!r}")
    return Outcome(FAILED, message)


def _parsed_outcome(parsed: Any) -> Outcome:
    if not parsed.activities:
        return classify_message(parsed.error or "")
    for activity, load in zip(parsed.activities, parsed.loads, strict=True):
        problem = activity_problem(activity, load)
        if problem is not None:
            return Outcome(CRASH, f"invalid activity: {problem}")
    return Outcome(PARTIAL if any(a.partial for a in parsed.activities) else STORED)


def _worst(outcomes: Iterable[Outcome]) -> Outcome:
    order = (CRASH, HANG, STORED, PARTIAL, ALREADY, FAILED)
    listed = list(outcomes)
    for kind in order:
        for outcome in listed:
            if outcome.kind == kind:
                return outcome
    return Outcome(FAILED, "no entry")


class Runner:
    """Runs cases in this process: a work folder and, once needed, a SQLite store."""

    def __init__(self, workdir: Path, time_limit: float) -> None:
        from afterrun.core.load import Profile
        from afterrun.services.import_workers import TimeLimit

        self.workdir = workdir
        self.time_limit = TimeLimit(seconds=time_limit, per_mib=0.0)
        self.profile = Profile()
        self._store: Any = None

    def store(self) -> Any:
        if self._store is None:
            from afterrun.store import Store

            self._store = Store.open(f"sqlite:///{self.workdir / 'fuzz.db'}")
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()

    def run(self, case: Case, through_import: bool) -> Outcome:
        if through_import:
            return self._import(case)
        if case.container == "zip":
            return self._sources(case)
        from afterrun.services.import_workers import parse_source

        parsed = parse_source(
            case.filename, case.filename, case.data, None, self.profile, NOW.year, self.time_limit
        )
        return _parsed_outcome(parsed)

    def _write(self, case: Case) -> Path:
        folder = self.workdir / f"case{case.index}"
        folder.mkdir(exist_ok=True)
        path = folder / case.filename
        path.write_bytes(case.data)
        return path

    def _sources(self, case: Case) -> Outcome:
        from afterrun.importers.sources import SourceError, iter_sources
        from afterrun.services.import_workers import parse_source

        path = self._write(case)
        outcomes: list[Outcome] = []
        try:
            for item in iter_sources([path]):
                if isinstance(item, SourceError):
                    outcomes.append(classify_message(item.reason))
                    continue
                parsed = parse_source(
                    item.label,
                    item.filename,
                    item.data,
                    item.meta,
                    self.profile,
                    NOW.year,
                    self.time_limit,
                )
                outcomes.append(_parsed_outcome(parsed))
        finally:
            _remove(path)
        return _worst([*outcomes, *self._escaped(path.parent)])

    def _escaped(self, folder: Path) -> list[Outcome]:
        """Nothing may be written beside or above the case file (entries named ../x)."""
        strays = [p.name for p in folder.iterdir()]
        strays += [
            p.name for p in self.workdir.iterdir() if not p.name.startswith(("fuzz", "case"))
        ]
        if strays:
            return [Outcome(CRASH, f"files were written while reading: {strays}")]
        folder.rmdir()
        return []

    def _import(self, case: Case) -> Outcome:
        from afterrun.services.imports import import_paths

        path = self._write(case)
        try:
            summary = import_paths(self.store(), [path], NOW, workers=1, time_limit=self.time_limit)
        finally:
            _remove(path)
        outcomes = [Outcome(STORED) for _ in summary.imported]
        outcomes += [Outcome(PARTIAL) for _ in summary.partial]
        outcomes += [Outcome(ALREADY) for _ in summary.already_there]
        outcomes += [classify_message(reason) for _, reason in summary.failed]
        if summary.interrupted:
            outcomes.append(Outcome(CRASH, "import was interrupted"))
        return _worst([*outcomes, *self._escaped(path.parent)])


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def warm_up(runner: Runner, seeds: Sequence[Seed]) -> None:
    """Import the parsers' libraries and open the store first, so case 0 is not charged."""
    runner.store()
    for fmt in ("fit", "gpx", "tcx"):
        seed = next((s for s in seeds if s.fmt == fmt), None)
        if seed is not None:
            runner.run(Case(-1, f"warm.{fmt}", seed.data, "plain", seed.name, ()), False)


def run_one(runner: Runner, case: Case, through_import: bool) -> Outcome:
    """One case; any exception that escapes the product is a CRASH with its traceback."""
    try:
        return runner.run(case, through_import)
    except MemoryError:
        return Outcome(CRASH, "MemoryError (over the worker's memory limit)")
    except Exception as error:
        frames = traceback.format_exception(error, limit=-6)
        return Outcome(CRASH, "".join(frames).strip())


def explain_crash(case: Case) -> str:
    """Re-run a case's parse outside every handler to show where it failed."""
    from afterrun.core.errors import AfterrunError
    from afterrun.core.load import Profile, activity_load
    from afterrun.importers import parse_activities

    if case.container == "zip":
        return ""
    try:
        for activity in parse_activities(case.filename, case.data):
            activity_load(activity, Profile(), NOW.year)
    except AfterrunError as error:
        cause = error.__cause__
        if cause is None or isinstance(cause, AfterrunError):
            return ""
        return "".join(traceback.format_exception(cause, limit=-4)).strip()
    except Exception as error:
        return "".join(traceback.format_exception(error, limit=-4)).strip()
    return ""


# --- the run: workers and the report --------------------------------------------------


def _rss_mib(who: int = resource.RUSAGE_SELF) -> float:
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    return resource.getrusage(who).ru_maxrss * scale / MiB


def _worker(
    slot: int,
    seeds: Sequence[Seed],
    args: argparse.Namespace,
    tasks: Any,
    results: Any,
    current: Any,
    since: Any,
) -> None:
    """Run cases from `tasks`; `current[slot]`/`since[slot]` (shared memory) say which and
    since when, so the parent knows the case even if this process dies mid-way."""
    if args.memory_limit:
        limit = args.memory_limit * MiB
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    with tempfile.TemporaryDirectory(prefix="fuzz-importers-") as folder:
        runner = Runner(Path(folder), args.time_limit)
        warm_up(runner, seeds)
        try:
            while (index := tasks.get()) is not None:
                since[slot] = time.monotonic()
                current[slot] = index
                case = make_case(seeds, args.seed, index)
                through_import = args.import_every > 0 and index % args.import_every == 0
                before = _rss_mib()
                began = time.perf_counter()
                outcome = run_one(runner, case, through_import)
                seconds = time.perf_counter() - began
                detail = outcome.detail
                if outcome.kind == CRASH:
                    detail = (detail + "\n" + explain_crash(case)).strip()
                rise = _rss_mib() - before
                results.put(
                    (
                        "done",
                        index,
                        outcome.kind,
                        detail,
                        seconds,
                        case.describe(),
                        rise,
                        through_import,
                    )
                )
                current[slot] = -1
        finally:
            runner.close()
    results.put(("exit", slot, _rss_mib()))


@dataclass
class Report:
    cases: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    through_import: Counter[str] = field(default_factory=Counter)
    messages: Counter[str] = field(default_factory=Counter)
    bad: list[tuple[int, str, str, str]] = field(default_factory=list)
    slowest: tuple[float, int, str] = (0.0, -1, "")
    rise: tuple[float, int, str] = (0.0, -1, "")
    worker_peak: float = 0.0

    def add(
        self,
        index: int,
        kind: str,
        detail: str,
        seconds: float,
        describe: str,
        rise: float,
        imported: bool,
    ) -> None:
        self.cases += 1
        self.counts[kind] += 1
        if imported:
            self.through_import[kind] += 1
        if kind == FAILED:
            self.messages[re.sub(r"\d+", "N", detail)[:110]] += 1
        if kind in BAD:
            self.bad.append((index, kind, detail, describe))
        if seconds > self.slowest[0]:
            self.slowest = (seconds, index, describe)
        if rise > self.rise[0]:
            self.rise = (rise, index, describe)


def _check_worker(
    slot: int,
    process: multiprocessing.process.BaseProcess,
    busy_for: float | None,
    hard_limit: float,
    drain: Callable[[], None],
    replace: Callable[[int, str, str, float], None],
) -> None:
    """A worker that died is a crash for its case; one silent past the hard limit a hang."""
    if not process.is_alive() and process.exitcode not in (0, None):
        # died without saying so (a segfault, the OOM killer): its case is a crash
        drain()
        replace(slot, CRASH, f"worker died with exit code {process.exitcode}", 0.0)
    elif busy_for is not None and busy_for > hard_limit:
        process.kill()
        process.join()
        drain()
        replace(slot, HANG, f"no answer after {hard_limit:.0f} s; worker killed", busy_for)


def _queues(context: Any, expected: range, jobs: int) -> tuple[Any, Any]:
    """The cases to run (and a stop for each worker), and where their outcomes come back."""
    tasks = context.Queue()
    results = context.SimpleQueue()  # put() writes at once: nothing lost if a worker dies
    for index in expected:
        tasks.put(index)
    for _ in range(jobs):
        tasks.put(None)
    return tasks, results


def run_all(seeds: Sequence[Seed], args: argparse.Namespace) -> Report:
    context = multiprocessing.get_context()
    jobs = max(1, args.jobs)
    expected = range(args.start, args.start + args.cases)
    tasks, results = _queues(context, expected, jobs)
    current: Any = context.Array("q", [-1] * jobs, lock=False)
    since: Any = context.Array("d", [0.0] * jobs, lock=False)

    def start(slot: int) -> multiprocessing.process.BaseProcess:
        worker_args = (slot, seeds, args, tasks, results, current, since)
        process = context.Process(target=_worker, args=worker_args, daemon=True)
        process.start()
        return process

    workers = {slot: start(slot) for slot in range(jobs)}
    finished: set[int] = set()
    report = Report()
    hard_limit = args.time_limit * 4 + 10
    last_print = time.monotonic()

    def take(message: tuple[Any, ...]) -> None:
        if message[0] == "done":
            _, index, kind, detail, seconds, describe, rise, imported = message
            finished.add(index)
            report.add(index, kind, detail, seconds, describe, rise, imported)
        else:
            report.worker_peak = max(report.worker_peak, message[2])
            workers.pop(message[1]).join()

    def drain() -> None:
        while not results.empty():
            take(results.get())

    def replace(slot: int, kind: str, detail: str, seconds: float) -> None:
        index = current[slot]
        if index >= 0 and index not in finished:
            finished.add(index)
            describe = make_case(seeds, args.seed, index).describe()
            report.add(index, kind, detail, seconds, describe, 0.0, False)
        current[slot] = -1
        workers[slot] = start(slot)

    while workers:
        if results.empty():
            time.sleep(0.02)
        drain()
        now = time.monotonic()
        for slot, process in list(workers.items()):
            busy_for = now - since[slot] if current[slot] >= 0 else None
            _check_worker(slot, process, busy_for, hard_limit, drain, replace)
        if now - last_print > 15:
            last_print = now
            print(f"  ... {report.cases}/{args.cases} cases", file=sys.stderr, flush=True)
    drain()
    for index in expected:
        if index not in finished:  # cannot happen unless a worker lost a case silently
            report.add(index, CRASH, "no outcome came back", 0.0, "?", 0.0, False)
    report.worker_peak = max(report.worker_peak, _rss_mib(resource.RUSAGE_CHILDREN))
    return report


def print_report(
    report: Report, args: argparse.Namespace, seeds: Sequence[Seed], wall: float
) -> None:
    kinds = Counter(seed.fmt for seed in seeds)
    print(
        f"fuzz_importers: {report.cases} cases, seed {args.seed}, {args.jobs} worker(s), "
        f"time limit {args.time_limit:g} s per file, memory limit {args.memory_limit} MiB"
    )
    print(
        f"seeds: {len(seeds)} corpus files ("
        + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items()))
        + ")"
    )
    print("outcomes:")
    for kind in OUTCOMES:
        imported = report.through_import.get(kind, 0)
        print(f"  {kind:<14} {report.counts.get(kind, 0):>6}   (through import_paths: {imported})")
    total = report.through_import.total()
    print(f"  {'total':<14} {report.cases:>6}   (through import_paths: {total})")
    print("most frequent named failures:")
    for message, count in report.messages.most_common(args.top):
        print(f"  {count:>5}  {message}")
    print(f"crashes and hangs: {len(report.bad)}")
    for index, kind, detail, describe in sorted(report.bad)[: args.top]:
        print(f"  #{index} {kind}: {describe}")
        print(f"     reproduce: python bench/fuzz_importers.py --seed {args.seed} --only {index}")
        for line in detail.splitlines()[-8:]:
            print(f"     | {line}")
    seconds, index, describe = report.slowest
    print(f"slowest case: #{index}, {seconds * 1000:.0f} ms: {describe}")
    rise, index, describe = report.rise
    print(
        f"peak memory (ru_maxrss): this process {_rss_mib():.0f} MiB, "
        f"largest worker {report.worker_peak:.0f} MiB; largest rise in one case "
        f"+{rise:.0f} MiB (#{index}: {describe})"
    )
    print(f"wall time: {wall:.1f} s ({report.cases / wall:.0f} cases/s)")


def run_only(seeds: Sequence[Seed], args: argparse.Namespace) -> int:
    case = make_case(seeds, args.seed, args.only)
    if args.save:
        target = Path(args.save)
        target.mkdir(parents=True, exist_ok=True)
        (target / case.filename).write_bytes(case.data)
        print(f"wrote {target / case.filename} ({len(case.data)} bytes)")
    through_import = args.import_every > 0 and args.only % args.import_every == 0
    with tempfile.TemporaryDirectory(prefix="fuzz-importers-") as folder:
        runner = Runner(Path(folder), args.time_limit)
        began = time.perf_counter()
        outcome = run_one(runner, case, through_import)
        runner.close()
    print(f"#{case.index}: {case.describe()}")
    print(f"{outcome.kind} in {(time.perf_counter() - began) * 1000:.0f} ms: {outcome.detail}")
    if outcome.kind == CRASH:
        print(explain_crash(case))
    return 1 if outcome.kind in BAD else 0


# --- the named hostile inputs, timed ----------------------------------------------------

HOSTILE_SECONDS = 1.0
_LAUGHS = "".join(f' <!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(2, 10))
_BOMB_PROLOG = f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY l1 "lol">{_LAUGHS}]>'
_GPX = (
    '<gpx version="1.1"><trk><name>{ref}</name><trkseg>'
    '<trkpt lat="1" lon="1"><time>2024-05-04T07:30:00Z</time></trkpt>'
    '<trkpt lat="1.001" lon="1"><time>2024-05-04T07:31:00Z</time></trkpt></trkseg></trk></gpx>'
)
_TCX = (
    '<TrainingCenterDatabase><Activities><Activity Sport="Running"><Id>2024-05-04T07:30:00Z</Id>'
    '<Notes>{ref}</Notes><Lap StartTime="2024-05-04T07:30:00Z"><TotalTimeSeconds>60'
    "</TotalTimeSeconds></Lap></Activity></Activities></TrainingCenterDatabase>"
)


def _zip(entries: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _declared(name: str, packed: bytes, declared: int) -> bytes:
    data = bytearray(_zip({name: packed}, zipfile.ZIP_STORED))
    struct.pack_into("<I", data, data.index(b"PK\x03\x04") + 22, declared)
    struct.pack_into("<I", data, data.index(b"PK\x01\x02") + 24, declared)
    return bytes(data)


def hostile_inputs(folder: Path) -> list[tuple[str, Path]]:
    """Each hostile input of the issue as a file in `folder`: (what it is, its path)."""
    secret = folder / "secret.txt"
    secret.write_text("afterrun-fuzz-secret")
    xxe = f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]>'
    files: list[tuple[str, str, bytes]] = [
        ("XML bomb (.gpx)", "bomb.gpx", (_BOMB_PROLOG + _GPX.format(ref="&l9;")).encode()),
        ("XML bomb (.tcx)", "bomb.tcx", (_BOMB_PROLOG + _TCX.format(ref="&l9;")).encode()),
        ("XXE (.gpx)", "xxe.gpx", (xxe + _GPX.format(ref="&x;")).encode()),
        ("XXE (.tcx)", "xxe.tcx", (xxe + _TCX.format(ref="&x;")).encode()),
        ("zip bomb, ratio", "ratio.zip", _zip({"bomb.fit": bytes(64 * MiB)})),
        ("zip bomb, size", "size.zip", _declared("big.fit", bytes(2 * MiB), 300 * MiB)),
        ("gzip bomb", "bomb.fit.gz", gzip.compress(bytes(64 * MiB), compresslevel=1)),
        ("zip entry ../", "up.zip", _zip({"../../escape.fit": b".FIT"})),
        ("zip entry absolute", "abs.zip", _zip({"/tmp/absolute.fit": b".FIT"})),  # noqa: S108
        ("PNG renamed .fit", "photo.fit", b"\x89PNG\r\n\x1a\n" + bytes(64)),
        ("empty file", "empty.gpx", b""),
    ]
    out: list[tuple[str, Path]] = []
    for what, name, data in files:
        (folder / name).write_bytes(data)
        out.append((what, folder / name))
    huge = folder / "huge.fit"
    with huge.open("wb") as sparse:
        os.truncate(sparse.fileno(), 2 * 1024**3)
    out.insert(-2, ("2 GB file (sparse)", huge))
    return out


def time_hostile(time_limit: float) -> tuple[list[str], bool]:
    """Import each hostile input alone through import_paths; (report lines, all good?)."""
    from afterrun.services.import_workers import TimeLimit
    from afterrun.services.imports import import_paths
    from afterrun.store import Store

    within = f"must be named within {HOSTILE_SECONDS:g} s"
    lines = [f"hostile inputs (each alone through import_paths; {within}):"]
    good = True
    with tempfile.TemporaryDirectory(prefix="fuzz-hostile-") as name:
        folder = Path(name)
        inputs = hostile_inputs(folder)
        with Store.open(f"sqlite:///{folder / 'hostile.db'}") as store:
            limit = TimeLimit(seconds=time_limit, per_mib=0.0)
            import_paths(store, [folder / "photo.fit"], NOW, workers=1, time_limit=limit)  # warm
            for what, path in inputs:
                began = time.perf_counter()
                summary = import_paths(store, [path], NOW, workers=1, time_limit=limit)
                seconds = time.perf_counter() - began
                reasons = [reason for _, reason in summary.failed]
                named = (
                    bool(reasons)
                    and all(classify_message(r).kind == FAILED for r in reasons)
                    and not (summary.imported or summary.partial)
                )
                ok = named and seconds < HOSTILE_SECONDS
                good = good and ok
                shown = reasons[0] if reasons else "NOT REFUSED"
                lines.append(
                    f"  {what:<20} {seconds * 1000:6.1f} ms  {'' if ok else 'BAD '}{shown}"
                )
    return lines, good


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--start", type=int, default=0, help="first case index")
    parser.add_argument("--time-limit", type=float, default=10.0, help="seconds per file")
    parser.add_argument("--memory-limit", type=int, default=2048, help="MiB per worker (0: none)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--import-every", type=int, default=20, help="0: never")
    parser.add_argument("--only", type=int, default=None, help="run one case, in-process")
    parser.add_argument("--save", default=None, help="with --only: write the case's bytes here")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args(argv)
    seeds = build_seeds(args.corpus)
    if args.only is not None:
        return run_only(seeds, args)
    began = time.perf_counter()
    report = run_all(seeds, args)
    print_report(report, args, seeds, time.perf_counter() - began)
    hostile, hostile_ok = time_hostile(args.time_limit)
    print("\n".join(hostile))
    return 0 if hostile_ok and not any(report.counts.get(kind) for kind in BAD) else 1


if __name__ == "__main__":
    sys.exit(main())
