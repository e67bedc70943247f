"""Tables for activities and the runner's profile (migration 0002; sport and zone columns
0005; multisport parts 0006)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Float, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from afterrun.store.tables import Base, JSONDocument, UTCDateTime


class ActivityRow(Base):
    __tablename__ = "activities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    source: Mapped[str] = mapped_column(String())
    source_format: Mapped[str] = mapped_column(String(16))
    sport: Mapped[str] = mapped_column(String(32), index=True)
    sub_sport: Mapped[str | None] = mapped_column(String())
    device: Mapped[str | None] = mapped_column(String())
    name: Mapped[str | None] = mapped_column(String())
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    elapsed_seconds: Mapped[float] = mapped_column(Float)
    moving_seconds: Mapped[float | None] = mapped_column(Float)
    distance_m: Mapped[float | None] = mapped_column(Float)
    elevation_gain_m: Mapped[float | None] = mapped_column(Float)
    avg_hr: Mapped[float | None] = mapped_column(Float)
    max_hr: Mapped[float | None] = mapped_column(Float)
    avg_cadence: Mapped[float | None] = mapped_column(Float)
    rpe: Mapped[float | None] = mapped_column(Float)
    partial: Mapped[bool] = mapped_column(Boolean)
    corrected: Mapped[bool] = mapped_column(Boolean, default=False)
    includes_run: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    parts: Mapped[list[dict[str, Any]] | None] = mapped_column(JSONDocument)
    notes: Mapped[list[str]] = mapped_column(JSONDocument)
    hr_stream: Mapped[bytes | None] = mapped_column(LargeBinary)
    speed_stream: Mapped[bytes | None] = mapped_column(LargeBinary)
    load: Mapped[float | None] = mapped_column(Float)
    load_method: Mapped[str] = mapped_column(String(32))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sport_source: Mapped[str] = mapped_column(String(16), server_default="file")
    sport_basis: Mapped[str | None] = mapped_column(String())


class ProfileRow(Base):
    __tablename__ = "profile"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    hr_max: Mapped[int | None] = mapped_column(Integer)
    hr_rest: Mapped[int | None] = mapped_column(Integer)
    sex: Mapped[str | None] = mapped_column(String(1))
    weight_kg: Mapped[float | None] = mapped_column(Float)
    birth_year: Mapped[int | None] = mapped_column(Integer)
    timezone: Mapped[str | None] = mapped_column(String(64))
    main_sport: Mapped[str | None] = mapped_column(String(32))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


def json_list(value: Any) -> list[str]:
    return [str(item) for item in value] if isinstance(value, list) else []
