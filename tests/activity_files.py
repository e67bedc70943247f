"""Activity files built by the tests: FIT through Garmin's own encoder, TCX and GPX as text.

Every file a test imports without the shared corpus comes from here, so the suite runs on a
fresh clone. `fit_file` writes real FIT messages (`garmin_fit_sdk.Encoder`): no bytes are
patched by hand. `Leg` describes one recorded stretch (one FIT session, one TCX lap or one GPX
track segment) as one record per second.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

#: When a leg starts unless told otherwise.
T0 = datetime(2024, 5, 4, 7, 0, tzinfo=UTC)


@dataclass
class Leg:
    """One recorded stretch at a steady pace: a record per second."""

    sport: str = "running"
    start: datetime = T0
    seconds: int = 1800
    metres_per_second: float = 3.0
    heart_rate: int | None = 140
    cadence: int | None = 85
    #: Lat/lon of the first point; each record moves north by the distance covered.
    origin: tuple[float, float] = (46.0, 14.5)
    sub_sport: str | None = None

    @property
    def end(self) -> datetime:
        return self.start + timedelta(seconds=self.seconds)

    @property
    def distance_m(self) -> float:
        return self.seconds * self.metres_per_second

    def points(self) -> list[tuple[datetime, float, float, float, int | None]]:
        """(time, cumulative metres, lat, lon, heart rate) for each second, ends included."""
        out = []
        for second in range(self.seconds + 1):
            metres = second * self.metres_per_second
            lat = self.origin[0] + metres / 111_195.0
            out.append(
                (
                    self.start + timedelta(seconds=second),
                    metres,
                    lat,
                    self.origin[1],
                    self.heart_rate,
                )
            )
        return out


@dataclass
class FitOptions:
    """What to write around the legs, and how a device may get it wrong."""

    file_type: str = "activity"
    manufacturer: str = "garmin"
    product: int = 2697  # fenix5
    #: A session's `timestamp` (when written); defaults to the leg's end.
    session_timestamps: list[datetime | None] = field(default_factory=list)
    #: Per session: the totals written, overriding what the records say.
    session_overrides: list[dict[str, Any]] = field(default_factory=list)
    #: Record seconds per leg that the session (and its lap) leave out at the end.
    uncovered_seconds: int = 0
    #: Write the session messages at all.
    sessions: bool = True


def _semicircles(degrees: float) -> int:
    return round(degrees * (2**31) / 180.0)


def fit_file(legs: list[Leg], options: FitOptions | None = None) -> bytes:
    """A FIT file with one session (and one lap) per leg, written by Garmin's encoder."""
    from garmin_fit_sdk import Encoder, Profile

    opts = options or FitOptions()
    numbers = Profile["mesg_num"]
    encoder = Encoder()
    first = legs[0].start if legs else T0
    encoder.on_mesg(
        numbers["FILE_ID"],
        {
            "type": opts.file_type,
            "manufacturer": opts.manufacturer,
            "product": opts.product,
            "time_created": first,
            "serial_number": 1234567,
        },
    )
    if legs and opts.file_type == "activity":
        sport = {"sport": legs[0].sport, "sub_sport": legs[0].sub_sport or "generic"}
        encoder.on_mesg(numbers["SPORT"], sport)
    if opts.file_type == "course":
        encoder.on_mesg(numbers["COURSE"], {"name": "Planned loop", "sport": "running"})
    for leg in legs:
        for moment, metres, lat, lon, hr in leg.points():
            record: dict[str, Any] = {
                "timestamp": moment,
                "distance": metres,
                "position_lat": _semicircles(lat),
                "position_long": _semicircles(lon),
                "enhanced_speed": leg.metres_per_second,
            }
            if hr is not None:
                record["heart_rate"] = hr
            if leg.cadence is not None:
                record["cadence"] = leg.cadence
            encoder.on_mesg(numbers["RECORD"], record)
    if opts.sessions:
        for index, leg in enumerate(legs):
            covered = leg.seconds - opts.uncovered_seconds
            totals: dict[str, Any] = {
                "start_time": leg.start,
                "total_elapsed_time": float(covered),
                "total_timer_time": float(covered),
                "total_distance": covered * leg.metres_per_second,
                "sport": leg.sport,
                "sub_sport": leg.sub_sport or "generic",
            }
            if leg.heart_rate is not None:
                totals["avg_heart_rate"] = leg.heart_rate
                totals["max_heart_rate"] = leg.heart_rate
            if leg.cadence is not None:
                totals["avg_cadence"] = leg.cadence
            if index < len(opts.session_overrides):
                totals.update(opts.session_overrides[index])
            stamp = leg.start + timedelta(seconds=covered)
            if index < len(opts.session_timestamps) and opts.session_timestamps[index]:
                stamp = opts.session_timestamps[index]  # type: ignore[assignment]
            encoder.on_mesg(numbers["LAP"], {"timestamp": stamp, **totals})
            encoder.on_mesg(numbers["SESSION"], {"timestamp": stamp, **totals})
        last = max(leg.end for leg in legs)
        encoder.on_mesg(
            numbers["ACTIVITY"],
            {"timestamp": last, "num_sessions": len(legs), "type": "manual"},
        )
    data: bytes = encoder.close()
    return data


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


_TCX_SPORT = {"running": "Running", "cycling": "Biking"}


def tcx_activity(
    leg: Leg, *, every: int = 1, lap_seconds: int | None = None, lap_metres: float | None = None
) -> str:
    """One <Activity> element: a lap with its totals and a trackpoint every `every` s
    (the lap's totals may be given shorter than the trackpoints, as when a lap is missing)."""
    points = leg.points()[::every]
    track = "".join(
        f"<Trackpoint><Time>{_iso(t)}</Time><Position><LatitudeDegrees>{lat:.7f}"
        f"</LatitudeDegrees><LongitudeDegrees>{lon:.7f}</LongitudeDegrees></Position>"
        f"<DistanceMeters>{metres:.1f}</DistanceMeters>"
        + (f"<HeartRateBpm><Value>{hr}</Value></HeartRateBpm>" if hr is not None else "")
        + "</Trackpoint>"
        for t, metres, lat, lon, hr in points
    )
    seconds = leg.seconds if lap_seconds is None else lap_seconds
    hr_totals = (
        f"<AverageHeartRateBpm><Value>{leg.heart_rate}</Value></AverageHeartRateBpm>"
        f"<MaximumHeartRateBpm><Value>{leg.heart_rate}</Value></MaximumHeartRateBpm>"
        if leg.heart_rate is not None
        else ""
    )
    return (
        f'<Activity Sport="{_TCX_SPORT.get(leg.sport, "Other")}"><Id>{_iso(leg.start)}</Id>'
        f'<Lap StartTime="{_iso(leg.start)}"><TotalTimeSeconds>{seconds}</TotalTimeSeconds>'
        f"<DistanceMeters>{leg.distance_m if lap_metres is None else lap_metres:.1f}"
        f"</DistanceMeters>{hr_totals}"
        f"<Intensity>Active</Intensity><TriggerMethod>Manual</TriggerMethod>"
        f"<Track>{track}</Track></Lap>"
        "<Creator><Name>Forerunner 410</Name></Creator></Activity>"
    )


def tcx_file(*activities: str) -> bytes:
    """A TrainingCenterDatabase holding the given <Activity> elements."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">'
        f"<Activities>{''.join(activities)}</Activities></TrainingCenterDatabase>\n"
    ).encode()


def gpx_file(leg: Leg, *, every: int = 5, name: str = "Korita hike", kind: str = "hiking") -> bytes:
    """A GPX track with a point every `every` seconds and an elevation on each."""
    points = "".join(
        f'<trkpt lat="{lat:.7f}" lon="{lon:.7f}"><ele>{300 + (i % 40):.1f}</ele>'
        f"<time>{_iso(t)}</time></trkpt>"
        for i, (t, _metres, lat, lon, _hr) in enumerate(leg.points()[::every])
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx version="1.1" creator="afterrun tests" xmlns="http://www.topografix.com/GPX/1/1">'
        f"<trk><name>{name}</name><type>{kind}</type><trkseg>{points}</trkseg></trk></gpx>\n"
    ).encode()


def gpx_tracks(*legs: Leg, every: int = 5) -> bytes:
    """A GPX with one <trk> per leg, each named and typed after its leg."""
    tracks = "".join(
        f"<trk><name>{leg.sport} {i + 1}</name><type>{leg.sport}</type><trkseg>"
        + "".join(
            f'<trkpt lat="{lat:.7f}" lon="{lon:.7f}"><time>{_iso(t)}</time></trkpt>'
            for t, _metres, lat, lon, _hr in leg.points()[::every]
        )
        + "</trkseg></trk>"
        for i, leg in enumerate(legs)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx version="1.1" creator="afterrun tests" xmlns="http://www.topografix.com/GPX/1/1">'
        f"{tracks}</gpx>\n"
    ).encode()


#: An easy one-minute run (0.16 km) with heart rate from a Garmin Fenix 5 (what the web tests import).
EASY_RUN = Leg(
    start=datetime(2017, 6, 11, 14, 34, 9, tzinfo=UTC),
    seconds=57,
    metres_per_second=2.8,
    heart_rate=90,
)
#: A 33-minute run with heart rate, recorded by a Forerunner 410 (TCX), ending 22:03 UTC.
TCX_RUN = Leg(
    start=datetime(2012, 12, 26, 21, 29, 53, tzinfo=UTC),
    seconds=1993,
    metres_per_second=2.35,
    heart_rate=160,
)
#: A two-hour walk (GPX, about 140 KB: a point every 5 s).
HIKE = Leg(
    sport="hiking",
    start=datetime(2010, 10, 3, 9, 36, 30, tzinfo=UTC),
    seconds=7200,
    metres_per_second=1.2,
    heart_rate=None,
    cadence=None,
)
#: A swim with heart rate (a later activity that is not a run).
SWIM = Leg(
    sport="swimming",
    start=datetime(2018, 3, 24, 11, 2, 35, tzinfo=UTC),
    seconds=1200,
    metres_per_second=0.0,
    heart_rate=120,
    cadence=None,
)
