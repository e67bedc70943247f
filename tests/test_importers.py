"""Activity importers: the registry, GPX, TCX, streams, hostile input and the real corpus.

Fixtures for quirks the corpus lacks are written by the tests themselves; the
real files are read from the sibling checkout ../shared/corpus and never copied.
"""

from __future__ import annotations

import functools
import gzip
import itertools
import math
import time
import xml.etree.ElementTree as StdET
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from afterrun.core.activity import Activity, Sport, Stream
from afterrun.core.errors import ImportFailed
from afterrun.importers import detect_format, gunzip, parse_activities, parse_bytes
from afterrun.importers.fit import read_fit
from afterrun.importers.fit_messages import read_fast
from afterrun.importers.gpx import parse_gpx
from afterrun.importers.streams import per_second, resample, time_weighted_mean
from afterrun.importers.tcx import parse_tcx, read_tcx
from conftest import corpus_path

START = datetime(2024, 5, 4, 7, 30, tzinfo=UTC)
EARTH_RADIUS_M = 6_371_008.8
STEP_DEG = 0.0001
STEP_M = math.radians(STEP_DEG) * EARTH_RADIUS_M  # 11.1195 m along a meridian


def iso(seconds: float) -> str:
    return (START + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- GPX fixtures ---------------------------------------------------------------------

GPX_NAMESPACES = {
    "v1": 'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1"',
    "v2": 'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v2"',
    "ns3": 'xmlns:ns3="http://www.garmin.com/xmlschemas/TrackPointExtension/v1"',
    "cluetrust": 'xmlns:gpxdata="http://www.cluetrust.com/XML/GPXDATA/1/0"',
    "plain": "",
    "heartrate": "",
}


def gpx_extension(style: str, hr: int, cad: int) -> str:
    if style in {"v1", "v2"}:
        return (
            "<extensions><gpxtpx:TrackPointExtension>"
            f"<gpxtpx:hr>{hr}</gpxtpx:hr><gpxtpx:cad>{cad}</gpxtpx:cad>"
            "</gpxtpx:TrackPointExtension></extensions>"
        )
    if style == "ns3":
        return (
            "<extensions><ns3:TrackPointExtension>"
            f"<ns3:hr>{hr}</ns3:hr><ns3:cad>{cad}</ns3:cad>"
            "</ns3:TrackPointExtension></extensions>"
        )
    if style == "cluetrust":
        return (
            f"<extensions><gpxdata:hr>{hr}</gpxdata:hr>"
            f"<gpxdata:cadence>{cad}</gpxdata:cadence></extensions>"
        )
    if style == "plain":
        return f"<extensions><hr>{hr}</hr><cadence>{cad}</cadence></extensions>"
    if style == "heartrate":
        return f"<extensions><heartrate>{hr}</heartrate><cad>{cad}</cad></extensions>"
    return ""


def gpx_doc(
    points: Sequence[tuple[float, float, float | None]],
    *,
    sport: str | None = "running",
    style: str = "v1",
    heart_rates: list[int] | None = None,
    preamble: str = "",
    timed: bool = True,
) -> bytes:
    """GPX 1.1 with one track; points are (seconds, metres north of the start, elevation)."""
    rows = []
    for index, (seconds, north, ele) in enumerate(points):
        lat = 46.0 + north / STEP_M * STEP_DEG
        hr = heart_rates[index] if heart_rates else None
        ext = gpx_extension(style, hr, 170) if hr is not None else ""
        ele_xml = f"<ele>{ele}</ele>" if ele is not None else ""
        time_xml = f"<time>{iso(seconds)}</time>" if timed else ""
        rows.append(f'<trkpt lat="{lat:.10f}" lon="14.0">{ele_xml}{time_xml}{ext}</trkpt>')
    type_xml = f"<type>{sport}</type>" if sport is not None else ""
    return (
        f'{preamble}<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<gpx version="1.1" creator="StravaGPX" xmlns="http://www.topografix.com/GPX/1/1" '
        f"{GPX_NAMESPACES.get(style, '')}>"
        "<metadata><name>Metadata name</name></metadata>"
        f"<trk><name>Morning Run</name>{type_xml}<trkseg>{''.join(rows)}</trkseg></trk></gpx>"
    ).encode()


def steady(
    n: int, every: float = 4.0, ele: float | None = 100.0
) -> list[tuple[float, float, float | None]]:
    """n points, one every `every` s, one step (11.12 m) north each."""
    return [(i * every, i * STEP_M, ele) for i in range(n)]


# --- TCX fixtures ---------------------------------------------------------------------

TCX_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2" '
    'xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2">'
)


def tcx_trackpoint(
    seconds: float,
    *,
    distance: float | None = None,
    hr: int | None = None,
    position: bool = True,
    altitude: float | None = None,
) -> str:
    parts = [f"<Trackpoint><Time>{iso(seconds)}</Time>"]
    if position:
        lat = 46.0 + (distance or 0.0) / STEP_M * STEP_DEG
        parts.append(
            f"<Position><LatitudeDegrees>{lat:.10f}</LatitudeDegrees>"
            "<LongitudeDegrees>14.0</LongitudeDegrees></Position>"
        )
    if altitude is not None:
        parts.append(f"<AltitudeMeters>{altitude}</AltitudeMeters>")
    if distance is not None:
        parts.append(f"<DistanceMeters>{distance}</DistanceMeters>")
    if hr is not None:
        parts.append(f"<HeartRateBpm><Value>{hr}</Value></HeartRateBpm>")
    parts.append("</Trackpoint>")
    return "".join(parts)


def tcx_lap(
    start_s: float,
    seconds: float,
    metres: float | None,
    trackpoints: str,
    *,
    avg_hr: int | None = None,
    max_hr: int | None = None,
    tag: str = "Lap",
) -> str:
    body = [f'<{tag} StartTime="{iso(start_s)}"><TotalTimeSeconds>{seconds}</TotalTimeSeconds>']
    if metres is not None:
        body.append(f"<DistanceMeters>{metres}</DistanceMeters>")
    body.append("<Calories>10</Calories>")
    if avg_hr is not None:
        body.append(f"<AverageHeartRateBpm><Value>{avg_hr}</Value></AverageHeartRateBpm>")
    if max_hr is not None:
        body.append(f"<MaximumHeartRateBpm><Value>{max_hr}</Value></MaximumHeartRateBpm>")
    body.append("<Intensity>Active</Intensity><TriggerMethod>Manual</TriggerMethod>")
    if trackpoints:
        body.append(f"<Track>{trackpoints}</Track>")
    body.append(f"</{tag}>")
    return "".join(body)


def tcx_activity(sport: str, start_s: float, laps: str, creator: str | None = None) -> str:
    creator_xml = (
        '<Creator xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Device_t">'
        f"<Name>{creator}</Name><UnitId>1</UnitId><ProductID>1</ProductID></Creator>"
        if creator
        else ""
    )
    return f'<Activity Sport="{sport}"><Id>{iso(start_s)}</Id>{laps}{creator_xml}</Activity>'


def tcx_doc(activities: str, preamble: str = "") -> bytes:
    return f"{preamble}{TCX_HEAD}<Activities>{activities}</Activities></TrainingCenterDatabase>".encode()


def two_lap_run(preamble: str = "") -> bytes:
    lap1 = "".join(tcx_trackpoint(s, distance=3.0 * s, hr=140) for s in range(0, 301, 10))
    lap2 = "".join(tcx_trackpoint(s, distance=3.0 * s, hr=160) for s in range(310, 601, 10))
    laps = tcx_lap(0, 300, 900, lap1, avg_hr=140, max_hr=150) + tcx_lap(
        300, 300, 900, lap2, avg_hr=160, max_hr=175
    )
    return tcx_doc(
        tcx_activity("Running", 0, laps, "Forerunner 965 Software Version 19.18"), preamble
    )


# --- registry -------------------------------------------------------------------------


def test_empty_file_is_refused() -> None:
    with pytest.raises(ImportFailed, match="empty file"):
        parse_bytes("run.fit", b"")


def test_png_named_fit_is_refused_clearly() -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(64)
    with pytest.raises(ImportFailed, match="PNG image, not an activity file"):
        parse_bytes("run.fit", png)


def test_random_bytes_named_fit_say_not_fit() -> None:
    with pytest.raises(ImportFailed, match="not a FIT file"):
        parse_bytes("run.fit", b"hello, this is not a fit file at all")


def test_unknown_extension_and_content() -> None:
    with pytest.raises(ImportFailed, match=r"not an activity file \(expected .fit, .gpx or .tcx\)"):
        parse_bytes("notes.txt", b"just some text")


def test_html_named_gpx_is_refused() -> None:
    with pytest.raises(ImportFailed, match="not a GPX file"):
        parse_bytes("run.gpx", b"<html><body>Sign in</body></html>")


def test_broken_xml_named_tcx_is_refused() -> None:
    with pytest.raises(ImportFailed, match="not well-formed"):
        parse_bytes("run.tcx", b"<TrainingCenterDatabase><Activities>")


def test_zip_is_named() -> None:
    with pytest.raises(ImportFailed, match="zip archive"):
        parse_bytes("export.fit", b"PK\x03\x04" + bytes(40))


def test_content_wins_over_extension() -> None:
    activity = parse_bytes("mislabelled.tcx", gpx_doc(steady(5)))
    assert activity.source_format == "gpx"
    assert detect_format("x.bin", two_lap_run()) == "tcx"
    assert detect_format("x", b"<!-- a comment --><gpx></gpx>") == "gpx"


def test_gzip_named_but_not_gzip() -> None:
    with pytest.raises(ImportFailed, match="not gzip"):
        parse_bytes("run.gpx.gz", gpx_doc(steady(3)))


def test_gzip_bomb_is_refused() -> None:
    packed = gzip.compress(bytes(2_000_000))
    with pytest.raises(ImportFailed, match="unpacks to more than"):
        gunzip(packed, limit=1024 * 1024)


def test_gzip_limit_applies_through_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    from afterrun import importers

    monkeypatch.setattr(importers, "MAX_UNPACKED_BYTES", 1000)
    with pytest.raises(ImportFailed, match="unpacks to more than"):
        parse_bytes("big.gpx.gz", gzip.compress(gpx_doc(steady(100))))


def test_damaged_and_truncated_gzip() -> None:
    with pytest.raises(ImportFailed, match="gzip"):
        parse_bytes("run.gpx.gz", b"\x1f\x8b" + bytes(30))
    packed = gzip.compress(gpx_doc(steady(3)))
    with pytest.raises(ImportFailed):
        parse_bytes("run.gpx.gz", packed[:12])


def test_multi_member_gzip() -> None:
    doc = gpx_doc(steady(5))
    half = len(doc) // 2
    assert gunzip(gzip.compress(doc[:half]) + gzip.compress(doc[half:])) == doc


# --- GPX ------------------------------------------------------------------------------


def test_gpx_with_leading_spaces_and_trackpoint_extension_v1() -> None:
    data = gpx_doc(steady(5), heart_rates=[130, 140, 150, 160, 170], preamble="   \n  ")
    activity = parse_bytes("Strava.gpx", data)
    assert activity.sport is Sport.RUNNING
    assert activity.start == START
    assert activity.elapsed_seconds == 16
    assert activity.moving_seconds == 16
    assert activity.distance_m == pytest.approx(4 * STEP_M, rel=1e-9)
    assert activity.avg_hr == pytest.approx(150)
    assert activity.max_hr == 170
    assert activity.avg_cadence == 170
    assert activity.device == "StravaGPX"
    assert activity.name == "Morning Run"
    assert activity.source_format == "gpx"
    assert activity.partial is False
    assert activity.heart_rate == Stream(
        offsets=(0, 4, 8, 12, 16), values=(130, 140, 150, 160, 170)
    )
    assert activity.speed is not None
    assert activity.speed.values[1] == pytest.approx(STEP_M / 4)


@pytest.mark.parametrize("style", ["v1", "v2", "ns3", "cluetrust", "plain", "heartrate"])
def test_gpx_heart_rate_and_cadence_in_every_extension_style(style: str) -> None:
    data = gpx_doc(steady(5), style=style, heart_rates=[130, 140, 150, 160, 170])
    activity = parse_gpx(data, f"{style}.gpx")
    assert activity.avg_hr == pytest.approx(150)
    assert activity.max_hr == 170
    assert activity.avg_cadence == 170


def test_gzipped_gpx_with_trackpoint_extension_v2() -> None:
    data = gzip.compress(gpx_doc(steady(5), style="v2", heart_rates=[150] * 5))
    activity = parse_bytes("activities/123.gpx.gz", data)
    assert activity.avg_hr == 150
    assert activity.distance_m == pytest.approx(4 * STEP_M, rel=1e-9)


@pytest.mark.parametrize(
    ("type_text", "sport"),
    [
        ("running", Sport.RUNNING),
        ("9", Sport.RUNNING),
        ("TrailRun", Sport.RUNNING),
        ("cycling", Sport.CYCLING),
        ("1", Sport.CYCLING),
        ("Walk", Sport.WALKING),
        ("hiking", Sport.HIKING),
        ("NordicSki", Sport.CROSS_COUNTRY_SKIING),
        ("kayaking", Sport.OTHER),
    ],
)
def test_gpx_type_gives_sport(type_text: str, sport: Sport) -> None:
    assert parse_gpx(gpx_doc(steady(3), sport=type_text)).sport is sport


def test_gpx_without_type_is_other_and_marked_unstated_for_the_guess() -> None:
    activity = parse_gpx(gpx_doc(steady(3), sport=None))
    assert (activity.sport, activity.sport_source) == (Sport.OTHER, "unstated")
    assert parse_gpx(gpx_doc(steady(3), sport="kayaking")).sport_source == "file"


def test_gpx_moving_time_leaves_out_a_stop() -> None:
    points = steady(6)  # 0..20 s moving
    stop_at = points[-1][1]
    points += [(20.0 + 10 * i, stop_at, 100.0) for i in range(1, 7)]  # 60 s standing
    points += [(80.0 + 4 * i, stop_at + i * STEP_M, 100.0) for i in range(1, 4)]
    activity = parse_gpx(gpx_doc(points))
    assert activity.elapsed_seconds == 92
    assert activity.moving_seconds == 32
    assert activity.distance_m == pytest.approx(8 * STEP_M, rel=1e-9)


def test_gpx_elevation_gain_ignores_noise_but_counts_climbs() -> None:
    noisy_flat = [(4.0 * i, i * STEP_M, 100.0 + (1.0 if i % 2 else -1.0)) for i in range(50)]
    assert parse_gpx(gpx_doc(noisy_flat)).elevation_gain_m == 0
    climb = [(4.0 * i, i * STEP_M, 100.0 + 2.0 * i) for i in range(11)]  # 0 → 20 m up
    assert parse_gpx(gpx_doc(climb)).elevation_gain_m == 20
    no_ele = parse_gpx(gpx_doc(steady(3, ele=None)))
    assert no_ele.elevation_gain_m is None


def test_gpx_without_timestamps_is_a_route() -> None:
    with pytest.raises(ImportFailed, match="planned route"):
        parse_gpx(gpx_doc(steady(5), timed=False))


def test_gpx_without_points() -> None:
    with pytest.raises(ImportFailed, match="no track points"):
        parse_gpx(gpx_doc([]))


def test_gpx_cut_off_keeps_points_read() -> None:
    data = gpx_doc(steady(50))
    cut = data[: data.index(b"<trkpt", len(data) // 2) + 20]
    activity = parse_gpx(cut)
    assert activity.partial is True
    assert 20 < activity.elapsed_seconds / 4 < 30
    assert any("breaks off" in note for note in activity.notes)


# --- TCX ------------------------------------------------------------------------------


def test_tcx_with_leading_spaces_laps_and_device() -> None:
    activity = parse_bytes("Strava.tcx", two_lap_run(preamble="    "))
    assert activity.sport is Sport.RUNNING
    assert activity.start == START
    assert activity.elapsed_seconds == 600
    assert activity.moving_seconds == 600
    assert activity.distance_m == 1800
    assert activity.avg_hr == 150
    assert activity.max_hr == 175
    assert activity.device == "Forerunner 965"
    assert activity.source_format == "tcx"
    assert activity.heart_rate is not None
    assert activity.heart_rate.offsets[:3] == (0, 10, 20)


def test_gzipped_tcx() -> None:
    activity = parse_bytes("activities/9.tcx.gz", gzip.compress(two_lap_run()))
    assert activity.distance_m == 1800


def test_tcx_multisport_session() -> None:
    bike = tcx_activity(
        "Biking",
        0,
        tcx_lap(0, 3600, 30000, tcx_trackpoint(0, distance=0, hr=140), avg_hr=140, max_hr=160),
    )
    transition = tcx_lap(3600, 120, 100, "", avg_hr=150, max_hr=155, tag="Transition")
    run = tcx_activity(
        "Running",
        3720,
        tcx_lap(
            3720, 1800, 5000, tcx_trackpoint(5520, distance=5000, hr=170), avg_hr=160, max_hr=180
        ),
        "Forerunner 945",
    )
    session = (
        f"<MultiSportSession><Id>{iso(0)}</Id><FirstSport>{bike}</FirstSport>"
        f"<NextSport>{transition}{run}</NextSport></MultiSportSession>"
    )
    activity = parse_tcx(tcx_doc(session))
    assert activity.sport is Sport.MULTISPORT
    assert activity.elapsed_seconds == 5520
    assert activity.moving_seconds == 5520
    assert activity.distance_m == 35100
    assert activity.avg_hr == pytest.approx((140 * 3600 + 150 * 120 + 160 * 1800) / 5520)
    assert activity.max_hr == 180
    assert activity.device == "Forerunner 945"
    legs = [
        (p.sport, p.transition, p.moving_seconds, p.distance_m, p.avg_hr) for p in activity.parts
    ]
    assert legs == [
        (Sport.CYCLING, False, 3600, 30000, 140),
        (Sport.OTHER, True, 120, 100, 150),
        (Sport.RUNNING, False, 1800, 5000, 160),
    ]
    assert activity.running_part is activity.parts[2]


def test_tcx_indoor_without_positions() -> None:
    points = "".join(
        tcx_trackpoint(s, distance=2.5 * s, hr=130, position=False) for s in range(0, 1201, 5)
    )
    activity = parse_tcx(tcx_doc(tcx_activity("Running", 0, tcx_lap(0, 1200, 3000, points))))
    assert activity.distance_m == 3000
    assert activity.elapsed_seconds == 1200
    assert activity.avg_hr == 130
    assert activity.speed is not None
    assert set(activity.speed.values[1:]) == {2.5}


def test_tcx_indoor_distance_from_trackpoints_when_lap_lacks_it() -> None:
    points = "".join(tcx_trackpoint(s, distance=2.5 * s, position=False) for s in range(0, 61))
    activity = parse_tcx(tcx_doc(tcx_activity("Running", 0, tcx_lap(0, 60, None, points))))
    assert activity.distance_m == 150
    assert activity.avg_hr is None
    assert activity.heart_rate is None


def test_tcx_fewer_heart_rates_than_trackpoints() -> None:
    points = "".join(
        tcx_trackpoint(s, distance=3.0 * s, hr=(120 + s if s % 3 == 0 else None))
        for s in range(0, 31)
    )
    activity = parse_tcx(tcx_doc(tcx_activity("Running", 0, tcx_lap(0, 30, 90, points))))
    assert activity.heart_rate is not None
    assert activity.heart_rate.offsets == tuple(range(0, 31, 3))
    assert activity.avg_hr == pytest.approx(135)  # 120 → 150 evenly: mean 135
    assert activity.max_hr == 150
    assert activity.distance_m == 90


def test_tcx_sports_and_several_activities() -> None:
    assert parse_tcx(tcx_doc(tcx_activity("Biking", 0, tcx_lap(0, 60, 500, "")))).sport is (
        Sport.CYCLING
    )
    other = parse_tcx(tcx_doc(tcx_activity("Other", 0, tcx_lap(0, 60, 500, ""))))
    assert other.sport is Sport.OTHER
    two = tcx_activity("Running", 0, tcx_lap(0, 60, 200, "")) + tcx_activity(
        "Biking", 600, tcx_lap(600, 60, 900, "")
    )
    run, ride = parse_activities("log.tcx", tcx_doc(two))
    assert (run.sport, run.distance_m) == (Sport.RUNNING, 200)
    assert (ride.sport, ride.distance_m) == (Sport.CYCLING, 900)
    assert ride.start - run.start == timedelta(seconds=600)


def test_tcx_course_is_refused() -> None:
    course = (
        f"{TCX_HEAD}<Courses><Course><Name>Loop</Name></Course></Courses></TrainingCenterDatabase>"
    ).encode()
    with pytest.raises(ImportFailed, match=r"^this is a planned route, not an activity"):
        parse_tcx(course)


def test_tcx_cut_off_keeps_what_was_read() -> None:
    data = two_lap_run()
    activity = parse_tcx(data[: len(data) * 3 // 4])
    assert activity.partial is True
    assert activity.distance_m == 900  # only the first lap's total was read


# --- hostile XML ----------------------------------------------------------------------

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
"""

XXE = '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
XXE_PARAMETER = (
    '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>\n'
)

HOSTILE_BODIES = {
    "gpx": '<gpx version="1.1"><trk><name>{ref}</name><trkseg>'
    '<trkpt lat="1" lon="1"><time>2024-05-04T07:30:00Z</time></trkpt>'
    '<trkpt lat="1.001" lon="1"><time>2024-05-04T07:31:00Z</time></trkpt>'
    "</trkseg></trk></gpx>",
    "tcx": '<TrainingCenterDatabase><Activities><Activity Sport="Running">'
    "<Id>2024-05-04T07:30:00Z</Id><Notes>{ref}</Notes>"
    '<Lap StartTime="2024-05-04T07:30:00Z"><TotalTimeSeconds>60</TotalTimeSeconds>'
    "<DistanceMeters>100</DistanceMeters></Lap></Activity></Activities>"
    "</TrainingCenterDatabase>",
}


@pytest.mark.parametrize("fmt", ["gpx", "tcx"])
@pytest.mark.parametrize(
    ("prolog", "ref"),
    [(BILLION_LAUGHS, "&lol9;"), (XXE, "&xxe;"), (XXE_PARAMETER, "x")],
    ids=["billion-laughs", "xxe", "xxe-parameter-entity"],
)
def test_hostile_xml_is_refused_quickly(fmt: str, prolog: str, ref: str) -> None:
    data = (prolog + HOSTILE_BODIES[fmt].format(ref=ref)).encode()
    began = time.perf_counter()
    with pytest.raises(ImportFailed, match="entities") as caught:
        parse_bytes(f"evil.{fmt}", data)
    assert time.perf_counter() - began < 1.0
    assert "root:" not in str(caught.value)


# --- streams --------------------------------------------------------------------------


def test_resample_rounds_to_nearest_second_and_keeps_nearest_duplicate() -> None:
    stream = resample([(0.2, 100.0), (0.8, 101.0), (1.1, 102.0), (2.6, 103.0)])
    assert stream == Stream(offsets=(0, 1, 3), values=(100.0, 102.0, 103.0))


def test_resample_marks_gaps_and_skips_missing_values() -> None:
    stream = resample([(0, 100.0), (1, None), (2, 110.0), (100, 120.0), (-5, 90.0)])
    assert stream == Stream(offsets=(0, 2, 3, 100), values=(100.0, 110.0, None, 120.0))
    assert resample([(0, None)]) is None
    expanded = per_second(Stream(offsets=(0, 2, 3, 5), values=(1.0, 2.0, None, 3.0)))
    assert expanded == [1.0, 1.0, 2.0, None, None, 3.0]


def test_time_weighted_mean_weights_by_duration() -> None:
    # 60 s at 100 then 1 s at 200: the long stretch dominates
    assert time_weighted_mean(Stream(offsets=(0, 60, 61), values=(100.0, 100.0, 200.0))) == (
        pytest.approx((100 * 60 + 100 * 0.5 + 200 * 0.5) / 61)
    )
    assert time_weighted_mean(Stream(offsets=(0, 1), values=(None, None))) is None


# --- the real corpus ------------------------------------------------------------------


def corpus_file(name: str) -> Path:
    return corpus_path(name)


# file: (sport, partial, elapsed s, distance m, avg HR) as a runner would read them
CORPUS_EXPECTED: dict[str, tuple[Sport, bool, int, int | None, int | None]] = {
    "dtcooper__2019-02-17-062644-ELEMNT-297E-195-0.fit": (Sport.CYCLING, False, 23595, 78941, 124),
    "dtcooper__coros-pace-2-cycling-misaligned-fields.fit": (
        Sport.CYCLING, False, 12719, 32146, 132,
    ),
    "dtcooper__strava-android-app-201.10-b1218918.fit": (Sport.RUNNING, True, 3558, 11274, None),
    "dtcooper__activity-large-fenxi2-multisport.fit": (Sport.MULTISPORT, False, 24624, 69831, 146),
    "dtcooper__garmin-fenix-5-run.fit": (Sport.RUNNING, False, 57, 158, 90),
    "dtcooper__elemnt-bolt-no-application-id-inside-developer-data-id.fit": (
        Sport.CYCLING, False, 140, 964, None,
    ),
    "dtcooper__activity-unexpected-eof.fit": (Sport.RUNNING, True, 14, 6, None),
    "dtcooper__sample_mulitple_header.fit": (Sport.MULTISPORT, False, 9491, 52534, 172),
    "polyvertex__garmin-fr935-cr.fit": (Sport.SWIMMING, False, 7553, 0, 80),
    "tkrajina__korita-zbevnica.gpx": (Sport.OTHER, False, 13381, 6262, None),
    "tkrajina__cerknicko-jezero.gpx": (Sport.OTHER, False, 7190, 4575, None),
    "alenrajsp__cross-country-skiing_activity_1.tcx": (Sport.OTHER, False, 2402, 5692, 143),
    "alenrajsp__mapmyride_biking.tcx": (Sport.CYCLING, False, 3112, 15350, None),
    "vkurup__test.tcx": (Sport.RUNNING, False, 1993, 4689, 160),
    "vkurup__no_hr.tcx": (Sport.RUNNING, False, 1993, 4689, None),
}  # fmt: skip


def parse_corpus(name: str) -> Activity:
    path = corpus_file(name)
    return _parse_cached(path)


@functools.cache
def _parse_cached(path: Path) -> Activity:
    return parse_bytes(path.name, path.read_bytes())  # Activity is frozen: safe to share


@pytest.mark.parametrize("name", sorted(CORPUS_EXPECTED))
def test_corpus_file_parses_to_expected_summary(name: str) -> None:
    activity = parse_corpus(name)
    sport, partial, elapsed, distance, avg_hr = CORPUS_EXPECTED[name]
    assert activity.sport is sport
    assert activity.partial is partial
    assert round(activity.elapsed_seconds) == elapsed
    assert (None if activity.distance_m is None else round(activity.distance_m)) == distance
    assert (None if activity.avg_hr is None else round(activity.avg_hr)) == avg_hr
    assert activity.start.tzinfo is not None
    assert activity.moving_seconds is None or activity.moving_seconds <= activity.elapsed_seconds
    for stream in (activity.heart_rate, activity.speed):
        if stream is not None:
            assert list(stream.offsets) == sorted(set(stream.offsets))
            assert stream.offsets[0] >= 0


def test_every_file_in_the_corpus_parses() -> None:
    corpus_file("SOURCES.md")
    files = [p for p in sorted(corpus_path().iterdir()) if p.suffix in {".fit", ".gpx", ".tcx"}]
    assert len(files) >= len(CORPUS_EXPECTED)
    for path in files:
        activity = _parse_cached(path)
        assert activity.elapsed_seconds >= 0, path.name


def test_corpus_gzipped_round_trip() -> None:
    path = corpus_file("vkurup__test.tcx")
    plain = parse_bytes(path.name, path.read_bytes())
    packed = parse_bytes(path.name + ".gz", gzip.compress(path.read_bytes()))
    assert packed == plain


def test_corpus_truncated_fit_is_partial_with_session_totals() -> None:
    activity = parse_corpus("dtcooper__activity-unexpected-eof.fit")
    assert activity.partial is True
    assert activity.elapsed_seconds == pytest.approx(13.749)
    assert activity.distance_m == pytest.approx(5.73)
    assert activity.notes[0].startswith("file is incomplete")


def test_corpus_strava_fit_stops_early_but_keeps_session() -> None:
    activity = parse_corpus("dtcooper__strava-android-app-201.10-b1218918.fit")
    assert activity.partial is True
    assert activity.sport is Sport.RUNNING
    assert activity.device == "Strava"
    assert activity.speed is not None
    assert activity.speed.offsets[-1] == 314  # records stop 5:14 in; one garbage record dropped
    assert "ignored 1 record(s) with impossible timestamps" in activity.notes


def test_corpus_multisport_keeps_each_leg_as_a_part() -> None:
    activity = parse_corpus("dtcooper__sample_mulitple_header.fit")
    run = activity.parts[-1]
    assert (run.sport, round(run.elapsed_seconds), run.distance_m, run.avg_hr) == (
        Sport.RUNNING,
        2851,
        9805.92,
        176,
    )
    assert activity.running_part is run
    # Elapsed runs from the start to the last leg's start + its elapsed time, not to the
    # session's timestamp (20 s later on this watch).
    assert round(activity.elapsed_seconds) == 9491
    assert activity.device == "Garmin Forerunner 920XT"


def test_corpus_cut_fit_without_session_is_computed_from_records() -> None:
    data = corpus_file("dtcooper__garmin-fenix-5-run.fit").read_bytes()
    activity = parse_bytes("cut.fit", data[: len(data) - 1500])
    assert activity.partial is True
    assert activity.sport is Sport.RUNNING  # from the sport message
    assert 0 < activity.elapsed_seconds <= 57
    assert activity.avg_hr is not None


# independent decoders: fitdecode directly, gpxpy, and the standard library's ElementTree


SESSION_KEYS = ("total_elapsed_time", "total_timer_time", "total_distance", "avg_heart_rate")


def fitdecode_sessions(path: Path) -> tuple[list[dict[str, float | None]], list[float]]:
    """Session totals and record heart rates, read with fitdecode alone."""
    import fitdecode

    sessions: list[dict[str, float | None]] = []
    record_hr: list[float] = []
    try:
        with fitdecode.FitReader(
            str(path),
            check_crc=fitdecode.CrcCheck.DISABLED,
            error_handling=fitdecode.ErrorHandling.IGNORE,
        ) as reader:
            for frame in reader:
                if not isinstance(frame, fitdecode.FitDataMessage):
                    continue
                if frame.name == "session":
                    values = {key: frame.get_value(key, fallback=None) for key in SESSION_KEYS}
                    sessions.append({k: None if v is None else float(v) for k, v in values.items()})
                elif frame.name == "record":
                    hr = frame.get_value("heart_rate", fallback=None)
                    if isinstance(hr, int) and hr > 0:
                        record_hr.append(hr)
    except fitdecode.FitError:
        pass  # the two broken files: keep what was read
    return sessions, record_hr


@pytest.mark.parametrize("name", sorted(n for n in CORPUS_EXPECTED if n.endswith(".fit")))
def test_fit_agrees_with_fitdecode_sessions(name: str) -> None:
    activity = parse_corpus(name)
    sessions, record_hr = fitdecode_sessions(corpus_file(name))
    assert sessions
    elapsed = sum(s["total_elapsed_time"] or 0.0 for s in sessions)
    timer = [s["total_timer_time"] or 0.0 for s in sessions]
    distance = sum(s["total_distance"] or 0.0 for s in sessions)
    if len(sessions) == 1:
        assert activity.elapsed_seconds == pytest.approx(elapsed, abs=0.001)
        assert activity.moving_seconds == pytest.approx(timer[0])
    else:
        # whole-file span: equals the sum of legs up to gaps between them (< 1 %)
        assert activity.elapsed_seconds == pytest.approx(elapsed, rel=0.01)
        assert activity.moving_seconds == pytest.approx(sum(timer))
    assert activity.distance_m == pytest.approx(distance, abs=0.01)
    session_hr = [s["avg_heart_rate"] for s in sessions]
    known_hr = [hr for hr in session_hr if hr is not None]
    if len(known_hr) == len(session_hr):
        expected = sum(h * w for h, w in zip(known_hr, timer, strict=True)) / sum(timer)
        assert activity.avg_hr == pytest.approx(expected, abs=0.01)
    elif record_hr:
        # no session average: the records' mean, within 2 bpm (ours weighs by time)
        assert activity.avg_hr == pytest.approx(sum(record_hr) / len(record_hr), abs=2)
    else:
        assert activity.avg_hr is None


@pytest.mark.parametrize("name", sorted(n for n in CORPUS_EXPECTED if n.endswith(".gpx")))
def test_gpx_agrees_with_gpxpy(name: str) -> None:
    import gpxpy

    activity = parse_corpus(name)
    gpx = gpxpy.parse(corpus_file(name).read_text(encoding="utf-8"))
    timed = [
        segment
        for track in gpx.tracks
        for segment in track.segments
        if any(point.time is not None for point in segment.points)
    ]
    # gpxpy's length_2d uses an equirectangular approximation; ours is haversine: 0.5 %
    expected = sum(s.length_2d() or 0.0 for s in timed)
    assert activity.distance_m == pytest.approx(expected, rel=0.005)
    first, last = gpx.get_time_bounds()
    assert first is not None
    assert last is not None
    assert activity.start == first
    assert activity.elapsed_seconds == (last - first).total_seconds()
    heart_rates = [
        float(element.text or "nan")
        for segment in timed
        for point in segment.points
        for extension in point.extensions
        for element in extension.iter()
        if element.tag.rsplit("}", 1)[-1] == "hr"
    ]
    if heart_rates:
        assert activity.avg_hr == pytest.approx(sum(heart_rates) / len(heart_rates), abs=2)
    else:
        assert activity.avg_hr is None


@pytest.mark.parametrize("name", sorted(n for n in CORPUS_EXPECTED if n.endswith(".tcx")))
def test_tcx_agrees_with_lap_totals(name: str) -> None:
    activity = parse_corpus(name)
    ns = {"t": "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"}
    root = StdET.parse(corpus_file(name)).getroot()  # noqa: S314 (trusted test corpus)
    laps = root.findall(".//t:Lap", ns)
    seconds = [float(lap.findtext("t:TotalTimeSeconds", namespaces=ns) or 0) for lap in laps]
    metres = [float(lap.findtext("t:DistanceMeters", namespaces=ns) or 0) for lap in laps]
    averages = [lap.findtext("t:AverageHeartRateBpm/t:Value", namespaces=ns) or "" for lap in laps]
    assert activity.moving_seconds == pytest.approx(sum(seconds), abs=0.01)
    assert activity.distance_m == pytest.approx(sum(metres), abs=0.01)
    # elapsed covers the laps, within a second of their rounded start times
    assert activity.elapsed_seconds == pytest.approx(sum(seconds), abs=1.0)
    if all(averages):
        weighted = sum(float(a) * s for a, s in zip(averages, seconds, strict=True))
        expected = weighted / sum(seconds)
        assert activity.avg_hr == pytest.approx(expected, abs=0.01)
    else:
        assert activity.avg_hr is None


@pytest.mark.parametrize("fmt", ["gpx", "tcx"])
def test_random_corruption_of_xml_gives_activity_or_import_failed(fmt: str) -> None:
    import contextlib
    import random

    rng = random.Random(7)
    original = gpx_doc(steady(20), heart_rates=[150] * 20) if fmt == "gpx" else two_lap_run()
    for _ in range(200):
        mutated = bytearray(original)
        for _ in range(rng.randint(1, 6)):
            mutated[rng.randrange(len(mutated))] = rng.randrange(256)
        with contextlib.suppress(ImportFailed):
            parse_bytes(f"noise.{fmt}", bytes(mutated))
        cut = original[: rng.randrange(len(original))]
        with contextlib.suppress(ImportFailed):
            parse_bytes(f"cut.{fmt}", cut)


# --- the compiled FIT decoder and its fallback ----------------------------------------


@pytest.mark.parametrize("name", sorted(n for n in CORPUS_EXPECTED if n.endswith(".fit")))
def test_the_fast_fit_path_stores_what_fitdecode_gives(name: str) -> None:
    data = corpus_file(name).read_bytes()
    assert read_fit(data, name) == read_fit(data, name, fast=False)


@pytest.mark.parametrize(
    "name",
    ["dtcooper__activity-unexpected-eof.fit", "dtcooper__strava-android-app-201.10-b1218918.fit"],
)
def test_files_the_fast_decoder_refuses_come_in_through_fitdecode_as_partial(name: str) -> None:
    data = corpus_file(name).read_bytes()
    assert read_fast(data) is None  # a break, an undefined local message
    [activity] = read_fit(data, name)
    assert activity.partial is True
    assert activity.partial_reason


@pytest.mark.parametrize("name", sorted(n for n in CORPUS_EXPECTED if n.endswith(".tcx")))
def test_the_end_event_tcx_reader_stores_what_the_full_reader_gives(name: str) -> None:
    data = corpus_file(name).read_bytes()
    assert read_tcx(data, name) == read_tcx(data, name, flat=False)


def test_the_fast_fit_path_agrees_with_fitdecode_on_built_files() -> None:
    from activity_files import FitOptions, Leg, fit_file

    legs = [Leg(start=datetime(2024, 5, 4, 7, tzinfo=UTC), seconds=900, metres_per_second=3.456)]
    legs.append(Leg(start=legs[0].end + timedelta(hours=2), seconds=600, heart_rate=None))
    for data in (fit_file(legs), fit_file(legs, FitOptions(uncovered_seconds=300))):
        assert read_fast(data) is not None
        fast = read_fit(data)
        assert len(fast) == 2
        assert fast == read_fit(data, fast=False)
        assert fast[0].device == "Garmin Fenix 5"


def _climb_sample_by_sample(times: list[float], heights: list[float]) -> float | None:
    """The climb rule applied to every sample in turn: what `elevation_gain` must equal."""
    known = [(t, h) for t, h in zip(times, heights, strict=True) if not math.isnan(h)]
    if not known:
        return None
    reference = known[0][1]
    gain = 0.0
    for (last_t, last_h), (t, h) in itertools.pairwise(known):
        timed = not (math.isnan(t) or math.isnan(last_t))
        if timed and abs(h - last_h) > 5.0 * max(t - last_t, 1.0) + 3.0:
            reference = h
            continue
        change = h - reference
        if change >= 3.0:
            gain += change
            reference = h
        elif change <= -3.0:
            reference = h
    return gain


@given(
    st.lists(
        st.tuples(
            st.sampled_from([0.5, 1.0, 1.0, 2.0, 5.0, math.nan]),
            st.sampled_from([100.0, 100.0, 101.0, 104.0, 110.0, 130.0, math.nan]),
        ),
        max_size=60,
    )
)
def test_climb_skipping_repeated_altitudes_equals_the_sample_by_sample_rule(
    samples: list[tuple[float, float]],
) -> None:
    from afterrun.importers.track import elevation_gain

    steps = [step for step, _ in samples]
    times = list(itertools.accumulate(0.0 if math.isnan(s) else s for s in steps))
    times = [math.nan if math.isnan(s) else t for s, t in zip(steps, times, strict=True)]
    heights = [h for _, h in samples]
    expected = _climb_sample_by_sample(times, heights)
    assert elevation_gain(np.array(times), np.array(heights)) == expected
