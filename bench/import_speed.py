"""Import speed: a 1,000-activity export through afterrun against a plain one-process loop.

Run: python bench/import_speed.py [--count 1000] [--workers N] [--keep DIR]

It builds a Strava-style export zip (activities.csv plus activities/N.fit.gz,
N.gpx, N.tcx.gz) from the real files in ../shared/corpus, then measures in the
same run, each phase in a fresh interpreter so its peak memory is its own:

(a) baseline: one process reads every entry of the archive and decodes every
    frame (fitdecode), point (gpxpy) or Trackpoint (ElementTree, for TCX): what
    self-hosted trackers do on import today, without computing anything;
(b) afterrun: what `afterrun import ARCHIVE` runs (services.imports.import_paths):
    parsing on every core, load computed, each activity stored in its own SQLite
    transaction.

Every copy is a distinct activity: copy i is shifted by i x (1 day + 32 s). XML
timestamps are rewritten; FIT timestamp fields (every `timestamp`, file_id
time_created, session/lap start_time, activity local_timestamp) are patched in
place and each file's CRC is recomputed, so the files stay valid. Multiples of
32 s keep FIT's compressed timestamps (low 5 bits) exact.

The mix is every corpus file in turn, the four largest FIT files (2-7 hours of
1-second records) once per round and the others three times: an export holds
more hour-long activities than day-long ones. The tracemalloc peak of parsing the
largest corpus file is taken in a child process while the archive is built, since
tracing slows parsing about tenfold, and the peak RSS of a fresh process parsing it
afterwards. The import's worker processes are children of a fork server, so their peak
RSS is sampled from /proc while (b) runs. About 8 minutes on 2 cores, most of it the
plain loop; --count scales it down. Run it on an otherwise idle machine: (b) uses every
core, so other work slows it more than the one-process loop.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import re
import resource
import struct
import subprocess
import sys
import tempfile
import time
import tracemalloc
import zipfile
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
FORMATS = (".fit", ".gpx", ".tcx")
LONG_FILES = 4  # the largest FIT files (2-7 hours of 1-s records) once per round, others 3x
STRAVA_TYPES = {"fit": "Run", "gpx": "Hike", "tcx": "Ride"}
SHIFT_SECONDS = 86_400 + 32  # a multiple of 32: compressed FIT timestamps stay exact
FIT_TIME_FIELDS = {(0, 4), (18, 2), (19, 2), (34, 5)}  # (message, field) besides 253
ISO_SECONDS = re.compile(rb"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}")
TCX_NS = "{http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2}"

_CRC_TABLE = [0] * 256
for _byte in range(256):
    _crc = _byte
    for _ in range(8):
        _crc = (_crc >> 1) ^ 0xA001 if _crc & 1 else _crc >> 1
    _CRC_TABLE[_byte] = _crc


def fit_crc(data: bytes | bytearray, start: int, end: int) -> int:
    """FIT's CRC-16 (the ARC variant) with a byte table: 8x fitdecode's nibble loop."""
    crc = 0
    table = _CRC_TABLE
    for byte in memoryview(data)[start:end]:
        crc = (crc >> 8) ^ table[(crc ^ byte) & 0xFF]
    return crc


# --- building the archive ---------------------------------------------------------------


class FitPlan:
    """Where one FIT file's timestamps and CRCs sit, found once with fitdecode."""

    def __init__(self, data: bytes) -> None:
        import fitdecode

        self.data = data
        self.times: list[tuple[int, str]] = []  # (offset, struct format)
        self.crcs: list[tuple[int, int]] = []  # (file start, CRC offset) for valid CRCs
        start = 0
        try:
            with fitdecode.FitReader(
                io.BytesIO(data),
                keep_raw_chunks=True,
                check_crc=fitdecode.CrcCheck.READONLY,
                error_handling=fitdecode.ErrorHandling.IGNORE,
            ) as reader:
                for frame in reader:
                    if isinstance(frame, fitdecode.FitHeader):
                        start = frame.chunk.offset
                    elif isinstance(frame, fitdecode.FitCRC):
                        if frame.matched:
                            self.crcs.append((start, frame.chunk.offset))
                    elif isinstance(frame, fitdecode.FitDataMessage):
                        self._plan_message(frame)
        except (fitdecode.FitError, struct.error, ValueError):
            pass  # a truncated or damaged tail: shift what was read

    def _plan_message(self, frame: Any) -> None:
        at = frame.chunk.offset + 1  # after the record header byte
        fmt = frame.def_mesg.endian + "I"
        for field in frame.def_mesg.field_defs:
            wanted = (
                field.def_num == 253 or (frame.global_mesg_num, field.def_num) in FIT_TIME_FIELDS
            )
            if wanted and field.size == 4:
                self.times.append((at, fmt))
            at += field.size

    def shifted(self, seconds: int) -> bytes:
        out = bytearray(self.data)
        for at, fmt in self.times:
            if at + 4 > len(out):
                continue
            value = struct.unpack_from(fmt, out, at)[0]
            if 0x10000000 <= value < 0xFFFFFFFF:  # a real date, not "invalid" or uptime
                struct.pack_into(fmt, out, at, value + seconds)
        for start, at in self.crcs:
            struct.pack_into("<H", out, at, fit_crc(out, start, at))
        return bytes(out)


def shift_xml(data: bytes, seconds: int) -> bytes:
    delta = timedelta(seconds=seconds)

    def moved(match: re.Match[bytes]) -> bytes:
        moment = datetime.strptime(match.group().decode(), "%Y-%m-%dT%H:%M:%S")  # noqa: DTZ007
        return (moment + delta).strftime("%Y-%m-%dT%H:%M:%S").encode()

    return ISO_SECONDS.sub(moved, data)


def corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        sys.exit(f"activity corpus not found at {CORPUS} (the sibling shared/ checkout)")
    return sorted(p for p in CORPUS.iterdir() if p.suffix in FORMATS)


def build_archive(target: Path, count: int) -> dict[str, Any]:
    """Write the export zip; return what it holds."""
    files = corpus_files()
    fits = sorted((p for p in files if p.suffix == ".fit"), key=lambda p: p.stat().st_size)
    long_files = set(fits[-LONG_FILES:])
    rounds: list[Path] = []
    for path in files:
        rounds += [path] * (1 if path in long_files else 3)
    plans = {p: FitPlan(p.read_bytes()) for p in files if p.suffix == ".fit"}
    raw = {p: p.read_bytes() for p in files if p.suffix != ".fit"}
    rows = [
        "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance,"
        "Filename,Elapsed Time,Distance,Perceived Exertion"
    ]
    seen: set[int] = set()
    mix: Counter[str] = Counter()
    unpacked = 0
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for i in range(count):
            path = rounds[i % len(rounds)]
            shift = i * SHIFT_SECONDS
            fmt = path.suffix[1:]
            data = plans[path].shifted(shift) if fmt == "fit" else shift_xml(raw[path], shift)
            seen.add(hash(data))
            unpacked += len(data)
            mix[fmt] += 1
            activity_id = 10_000_000 + i
            if fmt == "gpx":
                name, method = f"activities/{activity_id}.gpx", zipfile.ZIP_DEFLATED
            else:
                name, method = f"activities/{activity_id}.{fmt}.gz", zipfile.ZIP_STORED
                data = gzip.compress(data, compresslevel=6, mtime=0)
            archive.writestr(name, data, compress_type=method)
            rows.append(
                f'{activity_id},"May 4, 2024, 7:30:00 AM","Bench {i}",{STRAVA_TYPES[fmt]},'
                f"3600,10.0,{name},3600.0,10000.0,{1 + i % 10}"
            )
        archive.writestr("activities.csv", "\r\n".join(rows) + "\r\n")
        archive.writestr("media/photo.jpg", os.urandom(200_000))
    if len(seen) != count:
        sys.exit(f"only {len(seen)} of {count} files are distinct")
    return {"mix": dict(mix), "unpacked_mb": unpacked / 1e6, "zip_mb": target.stat().st_size / 1e6}


# --- phase (a): the plain loop ------------------------------------------------------------


def baseline_decode(name: str, data: bytes) -> int:
    """Decode every frame or point as trackers do; return how many were read."""
    import fitdecode
    import gpxpy

    if name.endswith(".gz"):
        data = gzip.decompress(data)
        name = name[:-3]
    if name.endswith(".fit"):
        frames = 0
        try:
            with fitdecode.FitReader(
                io.BytesIO(data),
                check_crc=fitdecode.CrcCheck.READONLY,
                error_handling=fitdecode.ErrorHandling.IGNORE,
            ) as reader:
                for frame in reader:
                    if isinstance(frame, fitdecode.FitDataMessage):
                        frames += 1
                        for field in frame.fields:
                            _ = field.value
        except fitdecode.FitError:
            pass  # keep what was read, as trackers do
        return frames
    if name.endswith(".gpx"):
        gpx = gpxpy.parse(data.decode("utf-8").lstrip())
        points = 0
        for track in gpx.tracks:
            for segment in track.segments:
                for point in segment.points:
                    _ = (point.time, point.latitude, point.longitude, point.elevation)
                    points += 1
        return points
    import xml.etree.ElementTree as ET

    points = 0
    for _, element in ET.iterparse(io.BytesIO(data.lstrip())):  # noqa: S314 (own files)
        if element.tag == f"{TCX_NS}Trackpoint":
            _ = [child.text for child in element.iter()]
            points += 1
            element.clear()
    return points


def phase_baseline(archive_path: Path) -> dict[str, Any]:
    import fitdecode  # noqa: F401  (imported before the clock starts, like (b))
    import gpxpy  # noqa: F401

    began = time.perf_counter()
    done = failed = 0
    with zipfile.ZipFile(archive_path) as archive:
        for info in archive.infolist():
            if not info.filename.lower().endswith((".fit.gz", ".gpx", ".tcx.gz")):
                continue
            try:
                baseline_decode(info.filename, archive.read(info))
                done += 1
            except Exception:  # a tracker's loop logs and goes on
                failed += 1
    seconds = time.perf_counter() - began
    return {"measured": "plain loop: fitdecode / gpxpy / ElementTree, one process",
            "seconds": seconds, "ok": done, "failed": failed}  # fmt: skip


# --- phase (b): afterrun -------------------------------------------------------------------


def phase_afterrun(archive_path: Path, workers: int, scratch: Path) -> dict[str, Any]:
    """What `afterrun import ARCHIVE` does, into a fresh SQLite database, every core."""
    from afterrun.services.imports import import_paths
    from afterrun.store import Store

    workers_peak = DescendantPeak()
    began = time.perf_counter()
    with Store.open(str(scratch / "bench.db")) as store:
        summary = import_paths(store, [archive_path], datetime.now(UTC), workers=workers)
        stored = len(store.list_activities())
    seconds = time.perf_counter() - began
    worker_mb = workers_peak.stop()
    return {
        "measured": f"afterrun import (services.imports.import_paths, {workers} workers, SQLite)",
        "seconds": seconds,
        "ok": len(summary.imported) + len(summary.partial),
        "failed": len(summary.failed),
        "stored": stored,
        "rss_worker_mb": worker_mb,
    }


class DescendantPeak:
    """The highest peak RSS (VmHWM) of any process below this one, sampled from /proc.

    Worker processes are started by a fork server, so they are this process's
    grandchildren: RUSAGE_CHILDREN never counts them. Linux only (0 elsewhere).
    """

    def __init__(self, every: float = 0.2) -> None:
        import threading

        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, args=(every,), daemon=True)
        self._thread.start()

    def _watch(self, every: float) -> None:
        while not self._stop.wait(every):
            self._sample()

    def _sample(self) -> None:
        proc = Path("/proc")
        parents: dict[int, int] = {}
        for entry in proc.glob("[0-9]*/stat"):
            try:
                fields = entry.read_text().rsplit(")", 1)[1].split()
                parents[int(entry.parent.name)] = int(fields[1])
            except (OSError, IndexError, ValueError):
                continue
        below = {os.getpid()}
        grew = True
        while grew:
            found = {pid for pid, parent in parents.items() if parent in below} - below
            below |= found
            grew = bool(found)
        for pid in below - {os.getpid()}:
            try:
                status = (proc / str(pid) / "status").read_text()
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    self.peak_kb = max(self.peak_kb, int(line.split()[1]))

    def stop(self) -> float:
        """Stop sampling; the peak in MB."""
        self._stop.set()
        self._thread.join()
        return self.peak_kb / 1024


def peak_rss_mb(who: int) -> float:
    peak = resource.getrusage(who).ru_maxrss
    return peak / 1e6 if sys.platform == "darwin" else peak / 1024


def start_phase(
    phase: str, archive_path: Path, workers: int, scratch: Path
) -> subprocess.Popen[str]:
    """Start one phase in a fresh interpreter (its own peak memory, a bare data folder)."""
    env = {**os.environ, "AFTERRUN_CONFIG_DIR": str(scratch), "AFTERRUN_DATA_DIR": str(scratch)}
    argv = [
        sys.executable,
        __file__,
        "--phase",
        phase,
        "--workers",
        str(workers),
        str(archive_path),
    ]
    return subprocess.Popen(argv, stdout=subprocess.PIPE, text=True, env=env)


def finish_phase(child: subprocess.Popen[str]) -> dict[str, Any]:
    """The phase's result: the last line it printed."""
    out, _ = child.communicate()
    if child.returncode != 0:
        sys.exit(f"phase {child.args!r} failed with status {child.returncode}")
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


def run_phase(phase: str, archive_path: Path, workers: int, scratch: Path) -> dict[str, Any]:
    return finish_phase(start_phase(phase, archive_path, workers, scratch))


def child_main(phase: str, archive_path: Path, workers: int) -> None:
    if phase == "memory":
        label, ours, base = largest_file_memory()
        print(json.dumps({"label": label, "ours_mb": ours, "base_mb": base}))
        return
    if phase == "largest-rss":
        from afterrun.importers import parse_activities

        largest = max(corpus_files(), key=lambda p: p.stat().st_size)
        before = peak_rss_mb(resource.RUSAGE_SELF)
        parse_activities(largest.name, largest.read_bytes())
        rss = peak_rss_mb(resource.RUSAGE_SELF)
        print(json.dumps({"rss_mb": rss, "before_mb": before}))
        return
    if phase == "baseline":
        result = phase_baseline(archive_path)
    else:
        result = phase_afterrun(archive_path, workers, Path(os.environ["AFTERRUN_DATA_DIR"]))
    result["rss_self_mb"] = peak_rss_mb(resource.RUSAGE_SELF)
    result.setdefault("rss_worker_mb", peak_rss_mb(resource.RUSAGE_CHILDREN))
    print(json.dumps(result))


# --- one file's memory ----------------------------------------------------------------------


def traced_peak_mb(work: Any) -> float:
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def largest_file_memory() -> tuple[str, float, float]:
    from afterrun.importers import parse_bytes

    largest = max(corpus_files(), key=lambda p: p.stat().st_size)
    data = largest.read_bytes()
    parse_bytes(largest.name, data)  # warm imports so only the parse is traced
    baseline_decode(largest.name, data)
    ours = traced_peak_mb(lambda: parse_bytes(largest.name, data))
    base = traced_peak_mb(lambda: baseline_decode(largest.name, data))
    return f"{largest.name} ({len(data) / 1e6:.2f} MB)", ours, base


# --- report ---------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000, help="activities in the archive")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--keep", type=Path, help="build the archive in DIR and keep it")
    parser.add_argument(
        "--phase",
        choices=["baseline", "afterrun", "memory", "largest-rss"],
        help=argparse.SUPPRESS,
    )
    parser.add_argument("archive", nargs="?", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        child_main(args.phase, args.archive, args.workers)
        return

    total_began = time.perf_counter()
    with tempfile.TemporaryDirectory() as scratch_dir:
        scratch = Path(scratch_dir)
        folder = args.keep if args.keep else scratch
        folder.mkdir(parents=True, exist_ok=True)
        archive_path = folder / f"export-{args.count}.zip"
        memory = start_phase("memory", archive_path, 1, scratch)  # overlaps the build only
        began = time.perf_counter()
        info = build_archive(archive_path, args.count)
        built = time.perf_counter() - began
        traced = finish_phase(memory)
        whole = run_phase("largest-rss", archive_path, 1, scratch)
        base = run_phase("baseline", archive_path, args.workers, scratch)
        ours = run_phase("afterrun", archive_path, args.workers, scratch)

    print(f"afterrun import benchmark ({sys.version.split()[0]}, {os.cpu_count()} CPUs)")
    mix = ", ".join(f"{n} {fmt.upper()}" for fmt, n in sorted(info["mix"].items()))
    print(f"archive: {args.count} activities ({mix}); {info['unpacked_mb']:.0f} MB of activity "
          f"data, {info['zip_mb']:.0f} MB zipped; built in {built:.1f} s (tracing alongside)"
          + (f"; kept at {archive_path}" if args.keep else ""))  # fmt: skip
    for tag, result in (("(a)", base), ("(b)", ours)):
        rate = result["ok"] / result["seconds"] if result["seconds"] else 0.0
        print(f"{tag} {result['measured']}")
        print(f"    {result['ok']} read, {result['failed']} failed in {result['seconds']:.1f} s: "
              f"{rate:.1f} activities/s; peak RSS {result['rss_self_mb']:.0f} MB "
              f"(largest worker {result['rss_worker_mb']:.0f} MB)")  # fmt: skip
        if "distinct_starts" in result:
            print(f"    distinct start times: {result['distinct_starts']} of {result['ok']}")
    base_rate = base["ok"] / base["seconds"]
    ours_rate = ours["ok"] / ours["seconds"]
    print(f"ratio (b)/(a): {ours_rate / base_rate:.2f}x the activities per second")
    print(f"tracemalloc peak parsing {traced['label']}: afterrun {traced['ours_mb']:.1f} MB, "
          f"plain decode {traced['base_mb']:.2f} MB (it keeps nothing)")  # fmt: skip
    print(f"peak RSS of a fresh process parsing it: {whole['rss_mb']:.0f} MB "
          f"({whole['before_mb']:.0f} MB before reading it)")  # fmt: skip
    print(f"total {time.perf_counter() - total_began:.0f} s")


if __name__ == "__main__":
    main()
