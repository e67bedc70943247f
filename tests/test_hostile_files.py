"""Hostile files through `afterrun import`, each in a batch beside a good real file.

Every hostile input must get one clear line naming it, the good file in the same
batch must be stored, the exit status must be 1 (something failed), and importing
the same batch again must store nothing new. Memory is watched with tracemalloc and
wall time is bounded generously (real timings: bench/fuzz_importers.py). The per-file
time limit of services/import_workers.py is checked on both the in-process path and the pool.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import signal
import struct
import threading
import time
import tracemalloc
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import Result

from afterrun.core.load import Profile
from afterrun.importers.fit_messages import warm_up
from afterrun.services.import_workers import TimeLimit, parse_source
from afterrun.services.imports import import_paths
from afterrun.store import Store
from conftest import Cli, corpus_path

GOOD = "dtcooper__garmin-fenix-5-run.fit"  # a short real run, stored as "imported"
GOOD_GPX = "tkrajina__cerknicko-jezero.gpx"
SLOW_FIT = "dtcooper__activity-large-fenxi2-multisport.fit"  # ~2 s for fitdecode


def slow_fit(corpus: Path) -> bytes:
    """SLOW_FIT without its checksum: the compiled decoder refuses it at once, so fitdecode
    reads it, slowly (about 2 s), and it comes in as partial."""
    return (corpus / SLOW_FIT).read_bytes()[:-2]


ENTITIES = "declares XML entities, which activity files never need; refused for safety"

LAUGHS = "".join(f' <!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">\n' for n in range(2, 10))
BILLION_LAUGHS = f'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol1 "lol">\n{LAUGHS}]>\n'

GPX_BODY = (
    '<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">'
    "<trk><name>{ref}</name><type>running</type><trkseg>"
    '<trkpt lat="46.0" lon="14.0"><time>2024-05-04T07:30:00Z</time></trkpt>'
    '<trkpt lat="46.001" lon="14.0"><time>2024-05-04T07:31:00Z</time></trkpt>'
    "</trkseg></trk></gpx>"
)
TCX_BODY = (
    '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">'
    '<Activities><Activity Sport="Running"><Id>2024-05-04T07:30:00Z</Id><Notes>{ref}</Notes>'
    '<Lap StartTime="2024-05-04T07:30:00Z"><TotalTimeSeconds>60</TotalTimeSeconds>'
    "<DistanceMeters>100</DistanceMeters></Lap></Activity></Activities>"
    "</TrainingCenterDatabase>"
)

#: Generous bound on one whole CLI import of a batch (start-up, database and all).
BATCH_SECONDS = 5.0
#: Python allocations while importing one batch; a bomb expanding would pass this.
PEAK_BYTES = 64 * 1024 * 1024


@pytest.fixture
def corpus() -> Path:
    return corpus_path(GOOD).parent


def stored(cli: Cli) -> list[dict[str, object]]:
    runs: list[dict[str, object]] = json.loads(cli("runs", "--all", "--json").stdout)
    return runs


# --- building hostile files -------------------------------------------------------------


def zip_bytes(entries: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def declared_size_zip(name: str, packed: bytes, declared: int) -> bytes:
    """A stored entry whose headers declare `declared` bytes unpacked (sizes only patched)."""
    data = bytearray(zip_bytes({name: packed}, zipfile.ZIP_STORED))
    local = data.index(b"PK\x03\x04")
    struct.pack_into("<I", data, local + 22, declared)
    central = data.index(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, declared)
    return bytes(data)


def ratio_of(archive: bytes, name: str) -> str:
    info = zipfile.ZipFile(io.BytesIO(archive)).getinfo(name)
    return f"{info.file_size / info.compress_size:.0f}"


@dataclass
class Hostile:
    """Files to put beside the good one, and what the user must be told about each."""

    files: dict[str, bytes]
    #: (label relative to the batch folder, reason), in the order they are reported
    failed: list[tuple[str, str]]
    #: extra set-up on the batch folder (a sparse 2 GB file)
    prepare: Callable[[Path], None] | None = None


def xml_bomb(fmt: str) -> Hostile:
    body = (GPX_BODY if fmt == "gpx" else TCX_BODY).format(ref="&lol9;")
    kind = fmt.upper()
    return Hostile(
        {f"bomb.{fmt}": (BILLION_LAUGHS + body).encode()},
        [(f"bomb.{fmt}", f"{kind} file {ENTITIES}")],
    )


def zip_ratio_bomb() -> Hostile:
    archive = zip_bytes({"bomb.fit": bytes(16 * 1024 * 1024)})
    reason = (
        f"unpacks to {ratio_of(archive, 'bomb.fit')} times its packed size; refused as a zip bomb"
    )
    return Hostile({"bomb.zip": archive}, [("bomb.zip!bomb.fit", reason)])


def zip_size_bomb() -> Hostile:
    # 300 MiB declared from 2 MiB packed: a ratio of 150 passes, the size does not.
    archive = declared_size_zip("huge.fit", bytes(2 * 1024 * 1024), 300 * 1024 * 1024)
    return Hostile(
        {"huge.zip": archive},
        [("huge.zip!huge.fit", "entry unpacks to more than 256 MiB; refused")],
    )


def zip_lying_header() -> Hostile:
    # The header says 1,000 bytes; the deflated stream holds 16 MiB. zipfile stops at
    # the declared size and the CRC then disagrees: nothing past 1,000 bytes is read.
    archive = bytearray(zip_bytes({"liar.fit": bytes(16 * 1024 * 1024)}))
    struct.pack_into("<I", archive, archive.index(b"PK\x03\x04") + 22, 1000)
    struct.pack_into("<I", archive, archive.index(b"PK\x01\x02") + 24, 1000)
    reason = "damaged entry (Bad CRC-32 for file 'liar.fit')"
    return Hostile({"liar.zip": bytes(archive)}, [("liar.zip!liar.fit", reason)])


def gzip_bomb() -> Hostile:
    reason = "gzip file unpacks to more than 200 times its packed size; refused as a gzip bomb"
    return Hostile(
        {"bomb.fit.gz": gzip.compress(bytes(16 * 1024 * 1024))}, [("bomb.fit.gz", reason)]
    )


def two_gigabytes() -> Hostile:
    def prepare(batch: Path) -> None:
        with (batch / "huge.fit").open("wb") as sparse:
            os.truncate(sparse.fileno(), 2 * 1024**3)

    return Hostile({}, [("huge.fit", "file is larger than 256 MiB; refused")], prepare=prepare)


def png_named_fit() -> Hostile:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)
    return Hostile({"photo.fit": png}, [("photo.fit", "this is a PNG image, not an activity file")])


def empty_file() -> Hostile:
    return Hostile({"empty.gpx": b""}, [("empty.gpx", "empty file")])


HOSTILE: dict[str, Callable[[], Hostile]] = {
    "xml-bomb-gpx": lambda: xml_bomb("gpx"),
    "xml-bomb-tcx": lambda: xml_bomb("tcx"),
    "zip-bomb-ratio": zip_ratio_bomb,
    "zip-bomb-size": zip_size_bomb,
    "zip-bomb-lying-header": zip_lying_header,
    "gzip-bomb": gzip_bomb,
    "2-gb-file": two_gigabytes,
    "png-renamed-fit": png_named_fit,
    "empty-file": empty_file,
}


def import_batch(cli: Cli, batch: Path) -> tuple[Result, float, int]:
    """Run `afterrun import BATCH`; the result, its wall time and its peak allocation.

    The decoders are imported first: importing numpy (under fitfast) while tracing costs
    seconds once per process and is no file's doing.
    """
    warm_up()
    tracemalloc.start()
    began = time.perf_counter()
    try:
        result = cli("import", str(batch))
        seconds = time.perf_counter() - began
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return result, seconds, peak


def expected_output(
    batch: Path, imported: int, already: list[tuple[str, int]], failed: list[tuple[str, str]]
) -> str:
    """What `afterrun import` prints; every good file holds one activity."""
    files = imported + len(already) + len(failed)
    activities = imported + len(already)
    lines = [
        f"{files} file{'' if files == 1 else 's'}, "
        f"{activities} activit{'y' if activities == 1 else 'ies'}: imported {imported}, "
        f"replaced 0, already there {len(already)}, partial 0, failed {len(failed)}."
    ]
    lines += [f"  already there: {batch / label} (run {run})" for label, run in already]
    lines += [f"  failed: {batch / label}: {reason}" for label, reason in failed]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_file_is_named_in_one_line_and_the_good_file_is_kept(
    name: str, cli: Cli, corpus: Path, tmp_path: Path
) -> None:
    hostile = HOSTILE[name]()
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "good.fit").write_bytes((corpus / GOOD).read_bytes())
    for file_name, data in hostile.files.items():
        (batch / file_name).write_bytes(data)
    if hostile.prepare is not None:
        hostile.prepare(batch)

    first, seconds, peak = import_batch(cli, batch)
    assert (first.exit_code, first.stderr) == (1, "")
    assert first.stdout == expected_output(batch, 1, [], hostile.failed)
    assert seconds < BATCH_SECONDS
    assert peak < PEAK_BYTES, f"{peak / 2**20:.0f} MiB allocated"
    runs = stored(cli)
    assert [r["source"] for r in runs] == [str(batch / "good.fit")]

    second, _, _ = import_batch(cli, batch)
    assert second.exit_code == 1
    assert second.stdout == expected_output(batch, 0, [("good.fit", 1)], hostile.failed)
    assert len(stored(cli)) == len(runs)


# --- external entities: the local file never comes through -------------------------------


@pytest.mark.parametrize(
    ("fmt", "doctype", "ref", "refused"),
    [
        ("gpx", '<!DOCTYPE gpx [<!ENTITY xxe SYSTEM "file://{secret}">]>', "&xxe;", True),
        ("tcx", '<!DOCTYPE t [<!ENTITY xxe SYSTEM "file://{secret}">]>', "&xxe;", True),
        ("gpx", '<!DOCTYPE gpx [<!ENTITY % p SYSTEM "file://{secret}"> %p;]>', "x", True),
        # A DOCTYPE alone is tolerated: the external DTD is never fetched.
        ("gpx", '<!DOCTYPE gpx SYSTEM "file://{secret}">', "plain", False),
    ],
    ids=["entity-gpx", "entity-tcx", "parameter-entity", "external-dtd"],
)
def test_an_external_entity_never_reads_a_local_file(
    fmt: str,
    doctype: str,
    ref: str,
    refused: bool,
    cli: Cli,
    corpus: Path,
    tmp_path: Path,
) -> None:
    token = f"afterrun-secret-{uuid.uuid4().hex}"
    secret = tmp_path / "secret.txt"
    secret.write_text(token)
    body = (GPX_BODY if fmt == "gpx" else TCX_BODY).format(ref=ref)
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "good.fit").write_bytes((corpus / GOOD).read_bytes())
    xml = '<?xml version="1.0"?>\n' + doctype.format(secret=secret) + "\n" + body
    (batch / f"xxe.{fmt}").write_text(xml)

    result, seconds, _ = import_batch(cli, batch)
    if refused:
        failed = [(f"xxe.{fmt}", f"{fmt.upper()} file {ENTITIES}")]
        assert result.stdout == expected_output(batch, 1, [], failed)
        assert result.exit_code == 1
    else:
        assert result.stdout == expected_output(batch, 2, [], [])
        assert result.exit_code == 0
    assert seconds < BATCH_SECONDS
    shown = result.output + cli("runs", "--all", "--json").output
    for stored_run in stored(cli):
        shown += cli("runs", "show", str(stored_run["id"]), "--json").output
    assert token not in shown
    database = b"".join(p.read_bytes() for p in tmp_path.glob("afterrun.db*"))
    assert token.encode() not in database


# --- zip entries that climb out: reported, nothing written anywhere ----------------------


def test_zip_entries_with_dot_dot_or_absolute_names_are_refused_and_nothing_is_written(
    cli: Cli, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cwd = tmp_path / "cwd" / "deeper"
    cwd.mkdir(parents=True)
    monkeypatch.chdir(cwd)
    absolute = Path("/tmp") / f"afterrun-absolute-{uuid.uuid4().hex}.fit"
    fit = (
        corpus / "dtcooper__elemnt-bolt-no-application-id-inside-developer-data-id.fit"
    ).read_bytes()
    archive = zip_bytes(
        {
            "../../escape.fit": fit,
            "activities/../../../up.fit": fit,
            str(absolute): fit,
            "C:\\Windows\\evil.fit": fit,
            "activities/ok.gpx": (corpus / GOOD_GPX).read_bytes(),
        }
    )
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "good.fit").write_bytes((corpus / GOOD).read_bytes())
    (batch / "traversal.zip").write_bytes(archive)
    before = sorted(p for p in tmp_path.rglob("*") if not p.name.startswith("afterrun.db"))

    result, seconds, _ = import_batch(cli, batch)

    climbs = "unsafe entry name (climbs out of the archive with '..'); skipped"
    absolute_path = "unsafe entry name (an absolute path); skipped"
    failed = [
        ("traversal.zip!../../escape.fit", climbs),
        (f"traversal.zip!{absolute}", absolute_path),
        ("traversal.zip!C:\\Windows\\evil.fit", absolute_path),
        ("traversal.zip!activities/../../../up.fit", climbs),
    ]
    untold = (
        f"  activity 2 ({batch}/traversal.zip!activities/ok.gpx): the file names no sport and "
        "none could be told: the pace fits no one sport (median 5.4 km/h, fastest 5% 31.7 km/h);"
        " set it with `afterrun run edit 2 --sport ...`\n"
    )
    assert result.stdout == expected_output(batch, 2, [], failed) + untold
    assert result.exit_code == 1
    assert seconds < BATCH_SECONDS
    after = sorted(
        p
        for p in tmp_path.rglob("*")
        if not p.name.startswith("afterrun.db")
        and "data" not in p.parts
        and "config" not in p.parts
    )
    assert [p for p in after if p not in before] == []
    assert not absolute.exists()
    for escaped in ("escape.fit", "up.fit", "evil.fit"):
        assert not list(tmp_path.parent.glob(f"**/{escaped}"))
        assert not (Path.cwd() / escaped).exists()
    assert len(stored(cli)) == 2
    again, _, _ = import_batch(cli, batch)
    assert again.stdout == expected_output(
        batch, 0, [("good.fit", 1), ("traversal.zip!activities/ok.gpx", 2)], failed
    )
    assert len(stored(cli)) == 2


# --- the per-file time limit ---------------------------------------------------------------


@pytest.mark.parametrize("workers", [1, 2], ids=["in-process", "pool"])
def test_a_file_that_reads_too_long_is_skipped_and_the_batch_goes_on(
    workers: int, corpus: Path, tmp_path: Path
) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "a-good.fit").write_bytes((corpus / GOOD).read_bytes())
    (batch / "b-slow.fit").write_bytes(slow_fit(corpus))
    (batch / "c-good.gpx").write_bytes((corpus / GOOD_GPX).read_bytes())
    now = datetime(2026, 1, 1, tzinfo=UTC)
    with Store.open(f"sqlite:///{tmp_path / 'afterrun.db'}") as store:
        began = time.perf_counter()
        summary = import_paths(store, [batch], now, workers=workers, time_limit=TimeLimit(0.3, 0))
        seconds = time.perf_counter() - began
        assert summary.failed == [
            (str(batch / "b-slow.fit"), "took longer than 0.3 s to read; skipped")
        ]
        assert sorted(Path(label).name for label, _ in summary.imported) == [
            "a-good.fit",
            "c-good.gpx",
        ]
        assert len(store.activity_ids()) == 2
        assert seconds < BATCH_SECONDS
        again = import_paths(store, [batch], now, workers=workers)  # the default limit: 30 s
        assert (len(again.partial), len(again.already_there), again.failed) == (1, 2, [])


def test_the_default_limit_grows_with_the_file() -> None:
    limit = TimeLimit()
    assert limit.for_size(0) == 30.0
    assert limit.for_size(20 * 1024 * 1024) == 30.0 + 20 * 15.0


def test_the_timer_is_put_back_after_each_file(corpus: Path) -> None:
    def before_handler(signum: int, frame: object) -> None:  # pragma: no cover
        raise AssertionError("the import's timer leaked")

    previous = signal.signal(signal.SIGALRM, before_handler)
    try:
        data = (corpus / GOOD).read_bytes()
        parsed = parse_source("run.fit", "run.fit", data, None, Profile(), 2026, TimeLimit(5, 0))
        assert parsed.activities
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
        assert signal.getsignal(signal.SIGALRM) is before_handler
        slow = slow_fit(corpus)
        parsed = parse_source("x.fit", "x.fit", slow, None, Profile(), 2026, TimeLimit(0.1, 0))
        assert parsed.error == "took longer than 0.1 s to read; skipped"
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
        assert signal.getsignal(signal.SIGALRM) is before_handler
    finally:
        signal.signal(signal.SIGALRM, previous)


def test_outside_the_main_thread_files_are_read_without_a_timer(corpus: Path) -> None:
    data = (corpus / GOOD).read_bytes()
    results: list[object] = []

    def read() -> None:
        results.append(
            parse_source("run.fit", "run.fit", data, None, Profile(), 2026, TimeLimit(0.1, 0))
        )

    thread = threading.Thread(target=read)
    thread.start()
    thread.join()
    (parsed,) = results
    assert getattr(parsed, "activities", ())
