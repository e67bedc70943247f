"""Real GPX files written for tests: a track along a meridian at the speeds given."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

METRES_PER_DEGREE = 111_195.0


def steady(speed: float, seconds: int, wobble: float = 0.1, step: int = 5) -> list[float]:
    """One speed per `step` seconds: `speed` m/s give or take `wobble` (a slow sine)."""
    return [speed * (1 + wobble * math.sin(i / 7)) for i in range(seconds // step)]


def gpx_text(
    start: datetime,
    speeds: Sequence[float],
    *,
    sport: str | None = None,
    cadence: float | None = None,
    heart_rate: float | None = None,
    step: int = 5,
    name: str = "Morning activity",
) -> str:
    """A GPX 1.1 track starting at `start`, one point every `step` seconds."""
    lat, lon = 46.05, 14.5
    points = []
    moment = start
    for i, speed in enumerate([0.0, *speeds]):
        lat += speed * step / METRES_PER_DEGREE
        moment = start + timedelta(seconds=i * step)
        extensions = ""
        if cadence is not None or heart_rate is not None:
            inner = ""
            if heart_rate is not None:
                inner += f"<gpxtpx:hr>{heart_rate:.0f}</gpxtpx:hr>"
            if cadence is not None:
                inner += f"<gpxtpx:cad>{cadence:.0f}</gpxtpx:cad>"
            extensions = (
                f"<extensions><gpxtpx:TrackPointExtension>{inner}"
                "</gpxtpx:TrackPointExtension></extensions>"
            )
        points.append(
            f'<trkpt lat="{lat:.7f}" lon="{lon:.7f}"><ele>300</ele>'
            f"<time>{moment.strftime('%Y-%m-%dT%H:%M:%SZ')}</time>{extensions}</trkpt>"
        )
    kind = f"<type>{sport}</type>" if sport is not None else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
        f"<trk><name>{name}</name>{kind}<trkseg>{''.join(points)}</trkseg></trk></gpx>\n"
    )


def write_gpx(path: Path, start: datetime, speeds: Sequence[float], **options: object) -> Path:
    path.write_text(gpx_text(start, speeds, **options))  # type: ignore[arg-type]
    return path
