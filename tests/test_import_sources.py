"""What `afterrun import PATH...` reads: files, folders, zip archives, Strava and Garmin exports.

Every archive and folder is built here in tmp_path; real activity files are read
from the sibling checkout ../shared/corpus as bytes and never copied into the repo.
Labels are relative because each test runs in its tmp_path.
"""

from __future__ import annotations

import dataclasses
import gzip
import io
import os
import struct
import zipfile
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from afterrun.core.activity import Activity, Sport
from afterrun.core.errors import ImportFailed
from afterrun.importers import parse_bytes
from afterrun.importers.sources import (
    NOTHING_FOUND,
    Limits,
    Source,
    SourceError,
    SourceMeta,
    apply_meta,
    iter_sources,
)
from afterrun.importers.strava import meta_key, read_activities_csv, rpe_from_text, strava_sport
from conftest import corpus_path

FENIX_RUN = "dtcooper__garmin-fenix-5-run.fit"
BOLT_RIDE = "dtcooper__elemnt-bolt-no-application-id-inside-developer-data-id.fit"
GPX_TRACK = "tkrajina__korita-zbevnica.gpx"
TCX_RUN = "vkurup__test.tcx"

GPX_MINI = (
    b'<?xml version="1.0"?><gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1">'
    b"<trk><type>running</type><trkseg>"
    b'<trkpt lat="46.0" lon="14.0"><time>2024-05-04T07:30:00Z</time></trkpt>'
    b'<trkpt lat="46.001" lon="14.0"><time>2024-05-04T07:31:00Z</time></trkpt>'
    b"</trkseg></trk></gpx>"
)


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def corpus(name: str) -> bytes:
    return corpus_path(name).read_bytes()


def zip_bytes(entries: Iterable[tuple[str, bytes]], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in entries:
            archive.writestr(zipfile.ZipInfo(name, (2024, 5, 4, 7, 30, 0)), data, method)
    return buffer.getvalue()


def write(path: str, data: bytes) -> Path:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return target


def outline(items: Iterable[Source | SourceError]) -> list[tuple[str, str]]:
    """(label, 'source' or the error's reason) for each item, in order."""
    return [
        (item.label, "source") if isinstance(item, Source) else (item.label, item.reason)
        for item in items
    ]


def sources(items: Iterable[Source | SourceError]) -> dict[str, Source]:
    return {item.label: item for item in items if isinstance(item, Source)}


def patch_entry(data: bytes, name: str, offset_central: int, fmt: str, value: int) -> bytes:
    """Overwrite one field of `name`'s central-directory header (what zipfile trusts)."""
    raw = bytearray(data)
    encoded = name.encode()
    at = raw.find(b"PK\x01\x02")
    while at >= 0:
        length = struct.unpack_from("<H", raw, at + 28)[0]
        if raw[at + 46 : at + 46 + length] == encoded:
            struct.pack_into(fmt, raw, at + offset_central, value)
            return bytes(raw)
        at = raw.find(b"PK\x01\x02", at + 4)
    raise AssertionError(f"{name} not in the central directory")


# --- Strava bulk export ----------------------------------------------------------------

STRAVA_HEADER = (
    "Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,"
    "Elapsed Time,Distance,Max Heart Rate,Relative Effort,Commute,Activity Private Note,"
    "Activity Gear,Filename,Athlete Weight,Bike Weight,Elapsed Time,Moving Time,Distance,"
    "Max Speed,Average Speed,Elevation Gain,Perceived Exertion,Prefer Perceived Exertion"
)


def strava_row(
    activity_id: str, name: str, kind: str, filename: str, rpe: str, description: str = ""
) -> str:
    cells = [
        activity_id, '"May 4, 2024, 7:30:00 AM"', f'"{name}"', kind, f'"{description}"',
        "3558", "11.27", "171", "88", "false", "", "", filename, "", "",
        "3558.0", "3400.0", "11274.5", "4.1", "3.3", "35.0", rpe, "",
    ]  # fmt: skip
    return ",".join(cells)


def strava_csv() -> bytes:
    rows = [
        STRAVA_HEADER,
        strava_row(
            "1001", "Morgenlauf über den Berg", "Run", "activities/1001.fit.gz", "7", "legs\nheavy"
        ),
        strava_row("1002", "Lunch Hike, with a comma", "Hike", "activities/1002.gpx", ""),
        strava_row("1003", "Evening Trail Run", "Trail Run", "activities/1003.tcx.gz", "banana"),
        strava_row("1004", "Manual entry", "Run", "", "5"),
        strava_row("1005", "File not in the export", "Run", "activities/1005.fit.gz", "4"),
    ]
    return ("\ufeff" + "\r\n".join(rows) + "\r\n").encode()


def strava_entries() -> list[tuple[str, bytes]]:
    return [
        ("activities.csv", strava_csv()),
        ("activities/1001.fit.gz", gzip.compress(corpus(FENIX_RUN), mtime=0)),
        ("activities/1002.gpx", b"    " + corpus(GPX_TRACK)),  # Strava's leading spaces
        ("activities/1003.tcx.gz", gzip.compress(b"  " + corpus(TCX_RUN), mtime=0)),
        ("activities/1006.gpx", GPX_MINI),  # no row in the CSV
        ("media/6c2f.jpg", b"\xff\xd8\xff\xe0 not really a photo"),
        ("profile.csv", b"Athlete ID\n1\n"),
        ("activities/1001.json", b"{}"),
    ]


STRAVA_LABELS = [
    ("strava.zip!activities/1001.fit.gz", "source"),
    ("strava.zip!activities/1002.gpx", "source"),
    ("strava.zip!activities/1003.tcx.gz", "source"),
    ("strava.zip!activities/1006.gpx", "source"),
]


def test_strava_export_zip_gives_names_types_and_rpe() -> None:
    write("strava.zip", zip_bytes(strava_entries()))
    items = list(iter_sources([Path("strava.zip")]))
    assert outline(items) == STRAVA_LABELS
    found = sources(items)
    assert found["strava.zip!activities/1001.fit.gz"].meta == SourceMeta(
        name="Morgenlauf über den Berg", sport_type="Run", rpe=7.0, external_id="1001"
    )
    assert found["strava.zip!activities/1002.gpx"].meta == SourceMeta(
        name="Lunch Hike, with a comma", sport_type="Hike", rpe=None, external_id="1002"
    )
    assert found["strava.zip!activities/1003.tcx.gz"].meta == SourceMeta(
        name="Evening Trail Run", sport_type="Trail Run", rpe=None, external_id="1003"
    )
    assert found["strava.zip!activities/1006.gpx"].meta is None
    assert found["strava.zip!activities/1001.fit.gz"].filename == "1001.fit.gz"

    parsed = {
        label: apply_meta(parse_bytes(source.filename, source.data), source.meta)
        for label, source in found.items()
    }
    run = parsed["strava.zip!activities/1001.fit.gz"]
    assert (run.name, run.rpe, run.sport, run.source_format) == (
        "Morgenlauf über den Berg",
        7.0,
        Sport.RUNNING,
        "fit",
    )
    hike = parsed["strava.zip!activities/1002.gpx"]
    assert (hike.name, hike.rpe, hike.sport) == ("Lunch Hike, with a comma", None, Sport.HIKING)
    assert hike.notes[-1] == "sport is hiking as in activities.csv (Hike); the file said other"
    trail = parsed["strava.zip!activities/1003.tcx.gz"]
    assert (trail.name, trail.rpe, trail.sport) == ("Evening Trail Run", None, Sport.RUNNING)
    assert not any("activities.csv" in note for note in trail.notes)
    plain = parsed["strava.zip!activities/1006.gpx"]
    assert (plain.rpe, plain.sport) == (None, Sport.RUNNING)


def test_strava_export_extracted_to_a_folder_gives_the_same_meta() -> None:
    for name, data in strava_entries():
        write(f"export/{name}", data)
    items = list(iter_sources([Path("export")]))
    assert outline(items) == [
        ("export/activities/1001.fit.gz", "source"),
        ("export/activities/1002.gpx", "source"),
        ("export/activities/1003.tcx.gz", "source"),
        ("export/activities/1006.gpx", "source"),
    ]
    found = sources(items)
    assert found["export/activities/1001.fit.gz"].meta == SourceMeta(
        name="Morgenlauf über den Berg", sport_type="Run", rpe=7.0, external_id="1001"
    )
    assert found["export/activities/1006.gpx"].meta is None


def test_strava_export_inside_a_wrapping_folder_of_the_zip() -> None:
    entries = [(f"export_42/{name}", data) for name, data in strava_entries()]
    write("wrapped.zip", zip_bytes(entries))
    found = sources(iter_sources([Path("wrapped.zip")]))
    meta = found["wrapped.zip!export_42/activities/1001.fit.gz"].meta
    assert meta is not None
    assert meta.name == "Morgenlauf über den Berg"


def test_unreadable_strava_index_is_reported_and_files_still_come() -> None:
    write(
        "noindex.zip", zip_bytes([("activities.csv", b"Name,Type\nx,Run\n"), ("a.gpx", GPX_MINI)])
    )
    assert outline(iter_sources([Path("noindex.zip")])) == [
        (
            "noindex.zip!activities.csv",
            "activities.csv has no Filename column; names and perceived exertion not used",
        ),
        ("noindex.zip!a.gpx", "source"),
    ]


def test_csv_first_of_duplicate_columns_wins_and_names_are_case_insensitive() -> None:
    data = (
        b"FILENAME,activity  name,Activity Name,Activity TYPE,perceived exertion\n"
        b"Activities\\7.GPX,first,second,Ride,10\n"
        b"short/row.fit\n"
    )
    metas, problem = read_activities_csv(data, "export")
    assert problem is None
    assert metas == {
        "export/activities/7.gpx": SourceMeta(name="first", sport_type="Ride", rpe=10.0),
        "export/short/row.fit": SourceMeta(),
    }
    assert meta_key("export", "activities/7.gpx") in metas


def test_csv_that_breaks_off_keeps_the_rows_before() -> None:
    data = b'Filename,Activity Name\na.fit,one\nb.fit,"' + b"x" * 200_000 + b'"\nc.fit,three\n'
    assert read_activities_csv(data) == (
        {"a.fit": SourceMeta(name="one")},
        "activities.csv line 3 could not be read (field larger than field limit (131072)); "
        "rows after it have no name or perceived exertion",
    )


def test_empty_csv() -> None:
    assert read_activities_csv(b"") == (
        {},
        "activities.csv is empty; names and perceived exertion not used",
    )


@pytest.mark.parametrize(
    ("text", "rpe"),
    [
        ("7", 7.0), ("7.5", 7.5), (" 3 ", 3.0), ("6,5", 6.5), ("1", 1.0), ("10", 10.0),
        ("", None), ("0", None), ("11", None), ("-2", None), ("nan", None), ("inf", None),
        ("high", None), (None, None),
    ],
)  # fmt: skip
def test_rpe_from_text(text: str | None, rpe: float | None) -> None:
    assert rpe_from_text(text) == rpe


@pytest.mark.parametrize(
    ("kind", "sport"),
    [
        ("Run", Sport.RUNNING), ("Virtual Run", Sport.RUNNING), ("Trail Run", Sport.RUNNING),
        ("TrailRun", Sport.RUNNING), ("Ride", Sport.CYCLING), ("Virtual Ride", Sport.CYCLING),
        ("Gravel Ride", Sport.CYCLING), ("Mountain Bike Ride", Sport.CYCLING),
        ("Swim", Sport.SWIMMING), ("Walk", Sport.WALKING), ("Hike", Sport.HIKING),
        ("Nordic Ski", Sport.CROSS_COUNTRY_SKIING), ("Cross Country Ski", Sport.CROSS_COUNTRY_SKIING),
        ("E-Bike Ride", None), ("Roller Ski", None), ("Workout", None), ("Lauf", None),
        ("", None), (None, None),
    ],
)  # fmt: skip
def test_strava_sport(kind: str | None, sport: Sport | None) -> None:
    assert strava_sport(kind) is sport


def activity(**changes: Any) -> Activity:
    base = Activity(
        sport=Sport.CYCLING,
        start=datetime(2024, 5, 4, 7, 30, tzinfo=UTC),
        elapsed_seconds=3600.0,
        sub_sport="road",
        name="From the file",
        notes=("a note",),
    )
    return dataclasses.replace(base, **changes)


def test_apply_meta_none_is_the_same_activity() -> None:
    original = activity()
    assert apply_meta(original, None) is original


def test_apply_meta_name_wins_rpe_fills_in_sport_overrides_with_a_note() -> None:
    result = apply_meta(activity(), SourceMeta(name="Commute", sport_type="Run", rpe=6.0))
    assert (result.name, result.rpe, result.sport, result.sub_sport) == (
        "Commute", 6.0, Sport.RUNNING, None,
    )  # fmt: skip
    assert result.notes == (
        "a note",
        "sport is running as in activities.csv (Run); the file said cycling",
    )


def test_apply_meta_keeps_what_the_file_knows_when_the_csv_does_not() -> None:
    original = activity(rpe=4.0)
    result = apply_meta(original, SourceMeta(name=None, sport_type="Workout", rpe=9.0))
    assert result == original
    same_sport = apply_meta(original, SourceMeta(sport_type="Ride"))
    assert same_sport == original


def test_apply_meta_leaves_multisport_alone() -> None:
    original = activity(sport=Sport.MULTISPORT, sub_sport=None)
    assert apply_meta(original, SourceMeta(sport_type="Run")).sport is Sport.MULTISPORT


# --- Garmin export: zips in zips -------------------------------------------------------


def test_garmin_export_with_nested_zips_to_a_fixed_depth() -> None:
    part = zip_bytes(
        [("fenix.fit", corpus(FENIX_RUN)), ("bolt.FIT", corpus(BOLT_RIDE))], zipfile.ZIP_STORED
    )
    n4 = zip_bytes([("too-deep.fit", corpus(FENIX_RUN))])
    n3 = zip_bytes([("level3.gpx", GPX_MINI), ("n4.zip", n4)])
    n2 = zip_bytes([("n3.zip", n3)])
    outer = zip_bytes(
        [
            ("DI_CONNECT/DI-Connect-Fitness/user_profile.json", b"{}"),
            ("DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip", part),
            ("deep/n2.zip", n2),
            ("disguised.fit", zip_bytes([("inside.gpx", GPX_MINI)])),
        ]
    )
    write("garmin_export", outer)  # no extension: recognised by its bytes
    items = list(iter_sources([Path("garmin_export")]))
    part_label = "garmin_export!DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip"
    assert outline(items) == [
        (f"{part_label}!bolt.FIT", "source"),
        (f"{part_label}!fenix.fit", "source"),
        ("garmin_export!deep/n2.zip!n3.zip!level3.gpx", "source"),
        ("garmin_export!deep/n2.zip!n3.zip!n4.zip", "archive nested more than 3 deep; skipped"),
        ("garmin_export!disguised.fit!inside.gpx", "source"),
    ]
    found = sources(items)
    fenix = parse_bytes(
        found[f"{part_label}!fenix.fit"].filename, found[f"{part_label}!fenix.fit"].data
    )
    assert fenix.sport is Sport.RUNNING
    assert found[f"{part_label}!bolt.FIT"].data == corpus(BOLT_RIDE)


# --- folders ---------------------------------------------------------------------------


def test_folder_tree_in_name_order_without_loops() -> None:
    write("tree/a/1.fit", corpus(FENIX_RUN))
    write("tree/a/b/2.GPX", GPX_MINI)
    write("tree/a/b/notes.txt", b"not an activity")
    write("tree/a/b/._2.GPX", b"\x00\x05\x16\x07 AppleDouble")
    write("tree/c/3.tcx.Gz", gzip.compress(corpus(TCX_RUN), mtime=0))
    write("tree/c/inner.zip", zip_bytes([("x.gpx", GPX_MINI), ("photo.png", b"\x89PNG")]))
    write("tree/photo.jpg", b"\xff\xd8\xff")
    write("tree/__MACOSX/a/._1.fit", b"junk")
    Path("tree/a/b/loop").symlink_to(Path("tree/a").resolve(), target_is_directory=True)
    Path("tree/dangling.fit").symlink_to(Path("tree/nowhere.fit").resolve())
    assert outline(iter_sources([Path("tree")])) == [
        ("tree/a/1.fit", "source"),
        ("tree/a/b/2.GPX", "source"),
        ("tree/c/3.tcx.Gz", "source"),
        ("tree/c/inner.zip!x.gpx", "source"),
    ]


def test_empty_folder_and_archive_without_activities_say_so() -> None:
    Path("empty").mkdir()
    write("media.zip", zip_bytes([("a.jpg", b"\xff\xd8\xff"), ("b.json", b"{}")]))
    assert outline(iter_sources([Path("empty"), Path("media.zip")])) == [
        ("empty", NOTHING_FOUND),
        ("media.zip", NOTHING_FOUND),
    ]


# --- named files -----------------------------------------------------------------------


def test_named_file_with_unknown_extension_is_still_passed_to_the_parser() -> None:
    write("screenshot.fit", b"\x89PNG\r\n\x1a\n" + bytes(64))
    write("notes.txt", b"hello")
    items = list(iter_sources([Path("screenshot.fit"), Path("notes.txt")]))
    assert outline(items) == [("screenshot.fit", "source"), ("notes.txt", "source")]
    found = sources(items)
    with pytest.raises(ImportFailed, match=r"^this is a PNG image, not an activity file$"):
        parse_bytes(found["screenshot.fit"].filename, found["screenshot.fit"].data)
    assert found["notes.txt"].data == b"hello"
    assert found["notes.txt"].meta is None


def test_missing_path_and_too_large_file() -> None:
    write("big.gpx", bytes(1024 * 1024 + 1))
    write("ok.gpx", GPX_MINI)
    limits = Limits(max_file_bytes=1024 * 1024)
    assert outline(iter_sources([Path("nope.fit"), Path("big.gpx"), Path("ok.gpx")], limits)) == [
        ("nope.fit", "no such file or folder"),
        ("big.gpx", "file is larger than 1 MiB; refused"),
        ("ok.gpx", "source"),
    ]


def test_unreadable_file_is_an_error_and_the_rest_goes_on(monkeypatch: pytest.MonkeyPatch) -> None:
    write("locked.fit", corpus(FENIX_RUN))
    write("ok.gpx", GPX_MINI)
    real_open = Path.open

    def deny(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self.name == "locked.fit":  # chmod 0 does not stop root, so refuse here
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", deny)
    assert outline(iter_sources([Path("locked.fit"), Path("ok.gpx")])) == [
        ("locked.fit", "cannot be read (Permission denied)"),
        ("ok.gpx", "source"),
    ]


# --- hostile and damaged archives -----------------------------------------------------

DOWNLOAD_AGAIN = "if it was downloaded, download it again"


def test_corrupt_zips_are_named_and_the_rest_goes_on() -> None:
    good = zip_bytes([("a.gpx", GPX_MINI)])
    write("broken.zip", b"PK\x03\x04 garbage that is no archive")
    write("truncated.zip", good[: len(good) // 2])
    write("empty.zip", b"")
    write("next.gpx", GPX_MINI)
    names = ["broken.zip", "truncated.zip", "empty.zip", "next.gpx"]
    assert outline(iter_sources([Path(name) for name in names])) == [
        ("broken.zip", f"damaged zip archive (File is not a zip file); {DOWNLOAD_AGAIN}"),
        ("truncated.zip", f"damaged zip archive (File is not a zip file); {DOWNLOAD_AGAIN}"),
        ("empty.zip", f"damaged zip archive (File is not a zip file); {DOWNLOAD_AGAIN}"),
        ("next.gpx", "source"),
    ]


def test_damaged_entry_and_damaged_nested_zip() -> None:
    stored = zip_bytes([("a.gpx", GPX_MINI), ("b.gpx", GPX_MINI)], zipfile.ZIP_STORED)
    at = stored.index(b"<trk>")  # inside a.gpx's stored bytes
    damaged = stored[:at] + b"<TRK>" + stored[at + 5 :]
    write("damaged.zip", zip_bytes([("inner.zip", b"PK\x03\x04 not really"), ("x.zip", damaged)]))
    assert outline(iter_sources([Path("damaged.zip")])) == [
        ("damaged.zip!inner.zip", "damaged zip archive (File is not a zip file)"),
        ("damaged.zip!x.zip!a.gpx", "damaged entry (Bad CRC-32 for file 'a.gpx')"),
        ("damaged.zip!x.zip!b.gpx", "source"),
    ]


def test_zip_bomb_is_refused_before_unpacking(monkeypatch: pytest.MonkeyPatch) -> None:
    write("bomb.zip", zip_bytes([("bomb.fit", bytes(50_000_000)), ("ok.gpx", GPX_MINI)]))
    with zipfile.ZipFile("bomb.zip") as archive:
        info = archive.getinfo("bomb.fit")
    ratio = info.file_size / info.compress_size
    assert ratio > 200

    opened: list[str] = []
    real_open = zipfile.ZipFile.open

    def spy(
        self: zipfile.ZipFile, name: str | zipfile.ZipInfo, *args: object, **kw: object
    ) -> object:
        opened.append(name if isinstance(name, str) else name.filename)
        return real_open(self, name, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    assert outline(iter_sources([Path("bomb.zip")])) == [
        (
            "bomb.zip!bomb.fit",
            f"unpacks to {ratio:.0f} times its packed size; refused as a zip bomb",
        ),
        ("bomb.zip!ok.gpx", "source"),
    ]
    assert opened == ["ok.gpx"]


def test_bomb_with_a_lying_header_stops_at_the_declared_size() -> None:
    honest = zip_bytes([("liar.gpx", bytes(20_000_000))])
    with zipfile.ZipFile(io.BytesIO(honest)) as archive:
        packed = archive.getinfo("liar.gpx").compress_size
    write("liar.zip", patch_entry(honest, "liar.gpx", 24, "<I", 4096))  # claims 4 KiB
    assert outline(iter_sources([Path("liar.zip")])) == [
        ("liar.zip!liar.gpx", "damaged entry (Bad CRC-32 for file 'liar.gpx')"),
    ]
    assert packed < 4096 * 200


def test_unsafe_entry_names_are_refused_by_name() -> None:
    entries = [
        ("../evil.gpx", GPX_MINI),
        ("/etc/evil.fit", GPX_MINI),
        ("a/../../evil.tcx", GPX_MINI),
        ("..\\windows.gpx", GPX_MINI),
        ("C:/windows.gpx", GPX_MINI),
        ("../photo.jpg", b"\xff\xd8\xff"),
        ("safe/ok..gpx", GPX_MINI),
    ]
    write("unsafe.zip", zip_bytes(entries))
    climbs = "unsafe entry name (climbs out of the archive with '..'); skipped"
    absolute = "unsafe entry name (an absolute path); skipped"
    assert outline(iter_sources([Path("unsafe.zip")])) == [
        ("unsafe.zip!../evil.gpx", climbs),
        ("unsafe.zip!../photo.jpg", climbs),
        ("unsafe.zip!..\\windows.gpx", climbs),
        ("unsafe.zip!/etc/evil.fit", absolute),
        ("unsafe.zip!C:/windows.gpx", absolute),
        ("unsafe.zip!a/../../evil.tcx", climbs),
        ("unsafe.zip!safe/ok..gpx", "source"),
    ]


def test_encrypted_and_unsupported_entries() -> None:
    data = zip_bytes([("secret.fit", b"x" * 100), ("d64.gpx", GPX_MINI), ("ok.gpx", GPX_MINI)])
    data = patch_entry(data, "secret.fit", 8, "<H", 0x1)  # general-purpose flag: encrypted
    data = patch_entry(data, "d64.gpx", 10, "<H", 9)  # compression method: Deflate64
    write("locked.zip", data)
    assert outline(iter_sources([Path("locked.zip")])) == [
        (
            "locked.zip!d64.gpx",
            "compressed with Deflate64, which cannot be read; re-create the archive as plain zip",
        ),
        ("locked.zip!ok.gpx", "source"),
        ("locked.zip!secret.fit", "encrypted entry; export the archive again without a password"),
    ]


def test_non_activity_entries_are_skipped_silently() -> None:
    entries = [
        ("a.gpx", GPX_MINI),
        ("b.GPX.GZ", gzip.compress(GPX_MINI, mtime=0)),
        ("c.jpg", b"\xff\xd8\xff"),
        ("d.json", b"{}"),
        ("e.csv", b"x\n"),
        ("dir/", b""),
        ("__MACOSX/._a.gpx", b"junk"),
        ("f.fit.bak", b"x"),
    ]
    write("mixed.zip", zip_bytes(entries))
    assert outline(iter_sources([Path("mixed.zip")])) == [
        ("mixed.zip!a.gpx", "source"),
        ("mixed.zip!b.GPX.GZ", "source"),
    ]


def test_too_many_bad_entries_stop_the_archive_and_the_next_path_goes_on() -> None:
    write("many.zip", zip_bytes([(f"../{i}.gpx", GPX_MINI) for i in range(5)]))
    write("ok.gpx", GPX_MINI)
    climbs = "unsafe entry name (climbs out of the archive with '..'); skipped"
    limits = Limits(max_errors_per_archive=2)
    assert outline(iter_sources([Path("many.zip"), Path("ok.gpx")], limits)) == [
        ("many.zip!../0.gpx", climbs),
        ("many.zip!../1.gpx", climbs),
        ("many.zip", "too many unreadable entries; stopped reading this archive"),
        ("ok.gpx", "source"),
    ]


def test_archive_total_counts_nested_archives_and_stops_the_archive() -> None:
    big = os.urandom(512 * 1024)  # does not compress: no ratio refusal
    inner = zip_bytes([("1.gpx", big), ("2.gpx", big)], zipfile.ZIP_STORED)
    write("total.zip", zip_bytes([("0.gpx", big), ("inner.zip", inner), ("z.gpx", big)]))
    limits = Limits(max_archive_bytes=5 * 512 * 1024)
    # 0.gpx (0.5 MiB) + inner.zip (1 MiB and headers) + 1.gpx (0.5) fit in 2.5 MiB; 2.gpx does not
    assert outline(iter_sources([Path("total.zip")], limits)) == [
        ("total.zip!0.gpx", "source"),
        ("total.zip!inner.zip!1.gpx", "source"),
        ("total.zip", "archive unpacks to more than 2.5 MiB in all; stopped reading it"),
    ]


def test_entry_over_the_file_limit() -> None:
    write(
        "large.zip", zip_bytes([("large.tcx", os.urandom(1024 * 1024 + 1)), ("ok.gpx", GPX_MINI)])
    )
    limits = Limits(max_file_bytes=1024 * 1024)
    assert outline(iter_sources([Path("large.zip")], limits)) == [
        ("large.zip!large.tcx", "entry unpacks to more than 1 MiB; refused"),
        ("large.zip!ok.gpx", "source"),
    ]


def test_sources_come_one_at_a_time() -> None:
    for i in range(3):
        write(f"lazy/{i}.gpx", GPX_MINI)
    stream = iter_sources([Path("lazy")])
    first = next(stream)
    assert first.label == "lazy/0.gpx"
    Path("lazy/2.gpx").unlink()  # listed, but read only when its turn comes
    assert outline(stream) == [
        ("lazy/1.gpx", "source"),
        ("lazy/2.gpx", "cannot be read (No such file or directory)"),
    ]
