"""Every table afterrun keeps, in one place. Change them only together with a new migration
in migrations/versions (sessions 0001; activities and the profile 0002, their sport and zone
columns 0005, multisport parts 0006; check-ins 0003; clearances of warning signs 0004; the
side of a pain 0007; athletes, who owns each row, and the club's accounts, invitations,
sign-in sessions, login attempts, consent, squad routines and import jobs 0008)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator, TypeEngine

# Stable constraint names, so later migrations (and SQLite batch mode) can refer to them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on every backend.

    SQLite has no time zone type: values are stored as naive UTC and made aware on read.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value.isoformat()}: pass an aware datetime")
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class JSONDocument(TypeDecorator[Any]):
    """JSON, as JSONB on PostgreSQL; the PostgreSQL dialect is imported only when used."""

    impl = JSON
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import JSONB  # noqa: PLC0415

            return dialect.type_descriptor(JSONB())
        return dialect.type_descriptor(JSON())


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


#: The athlete a personal database belongs to: the one athlete migration 0008 creates.
PERSONAL_ATHLETE_ID = 1


def _owner(*, index: bool = True) -> Mapped[int]:
    """The athlete a row belongs to; deleting the athlete deletes the row. Tables whose
    queries also filter on time index (athlete_id, time) instead."""
    return mapped_column(ForeignKey("athletes.id", ondelete="CASCADE"), index=index)


class AthleteRow(Base):
    """A person: in personal mode the one runner; in a club, an account with a role.

    `login` is the name folded to lower case, unique, so "Ana" and "ana" are one account.
    `password_hash` is an Argon2 hash, empty until an invitation is taken up.
    """

    __tablename__ = "athletes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(80))
    login: Mapped[str] = mapped_column(String(80), unique=True)
    role: Mapped[str] = mapped_column(String(16), server_default="athlete")
    password_hash: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SessionRow(Base):
    __tablename__ = "sessions"
    __table_args__ = (Index("ix_sessions_athlete_started", "athlete_id", "started_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    athlete_id: Mapped[int] = _owner(index=False)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(32))
    intensity: Mapped[str] = mapped_column(String(32))
    minutes: Mapped[int] = mapped_column(Integer)
    total_planned_seconds: Mapped[int] = mapped_column(Integer)
    plan: Mapped[dict[str, Any]] = mapped_column(JSONDocument)

    steps: Mapped[list[StepRow]] = relationship(
        order_by="StepRow.step_index", cascade="all, delete-orphan", passive_deletes=True
    )
    pains: Mapped[list[PainRow]] = relationship(
        order_by="PainRow.id", cascade="all, delete-orphan", passive_deletes=True
    )


class StepRow(Base):
    __tablename__ = "session_steps"

    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True
    )
    step_index: Mapped[int] = mapped_column(Integer, primary_key=True)
    exercise: Mapped[str] = mapped_column(String())
    variant: Mapped[str | None] = mapped_column(String())
    side: Mapped[str | None] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(32))
    planned_seconds: Mapped[int] = mapped_column(Integer)
    reps: Mapped[int | None] = mapped_column(Integer)
    actual_seconds: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(32))


class PainRow(Base):
    __tablename__ = "pain_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), index=True
    )
    step_index: Mapped[int] = mapped_column(Integer)
    exercise: Mapped[str] = mapped_column(String())
    area: Mapped[str] = mapped_column(String())
    offset_seconds: Mapped[float] = mapped_column(Float)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    side: Mapped[str | None] = mapped_column(String(8))


class ActivityRow(Base):
    __tablename__ = "activities"
    __table_args__ = (
        UniqueConstraint("athlete_id", "content_hash"),
        Index("ix_activities_athlete_started", "athlete_id", "started_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    athlete_id: Mapped[int] = _owner(index=False)
    # Unique per athlete: two athletes may upload the same file.
    content_hash: Mapped[str] = mapped_column(String(64))
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
    """One row per athlete."""

    __tablename__ = "profile"

    # The same number as athlete_id (a personal database's row 1 is athlete 1's).
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    athlete_id: Mapped[int] = mapped_column(
        ForeignKey("athletes.id", ondelete="CASCADE"), unique=True
    )
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


class CheckinRow(Base):
    __tablename__ = "checkins"
    __table_args__ = (Index("ix_checkins_athlete_at", "athlete_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    athlete_id: Mapped[int] = _owner(index=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    # A check-in outlives the run it followed: deleting the run only unlinks it.
    run_id: Mapped[int | None] = mapped_column(
        ForeignKey("activities.id", ondelete="SET NULL"), index=True
    )
    hours_after_run: Mapped[float | None] = mapped_column(Float)
    ratings: Mapped[dict[str, int]] = mapped_column(JSONDocument)
    red_flags: Mapped[list[str]] = mapped_column(JSONDocument)
    note: Mapped[str | None] = mapped_column(String())


class ClearanceRow(Base):
    """The runner said a clinician has seen them: warning signs reported before `at` no
    longer hold back the cool-down (migration 0004)."""

    __tablename__ = "flag_clearances"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    athlete_id: Mapped[int] = _owner()
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    note: Mapped[str | None] = mapped_column(String())


# --- the club (0008) ----------------------------------------------------------------------


class InvitationRow(Base):
    """A one-time link that lets `athlete_id` set a password: an invitation or a reset.

    Only the SHA-256 of the link's token is kept, so a copy of the database cannot sign in.
    """

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    athlete_id: Mapped[int] = _owner()
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class WebSessionRow(Base):
    """A signed-in browser. In the database so that every worker process knows it."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    athlete_id: Mapped[int] = _owner()
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class LoginAttemptRow(Base):
    """A sign-in try, kept a while to slow down guessing (by login and by address)."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    login: Mapped[str] = mapped_column(String(80), index=True)
    client: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    succeeded: Mapped[bool] = mapped_column(Boolean)


class ShareRow(Base):
    """What an athlete lets one coach see; no row means nothing is shared."""

    __tablename__ = "shares"

    athlete_id: Mapped[int] = mapped_column(
        ForeignKey("athletes.id", ondelete="CASCADE"), primary_key=True
    )
    coach_id: Mapped[int] = mapped_column(
        ForeignKey("athletes.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    load_and_runs: Mapped[bool] = mapped_column(Boolean)
    adherence: Mapped[bool] = mapped_column(Boolean)
    soreness_and_flags: Mapped[bool] = mapped_column(Boolean)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class RoutineRow(Base):
    """A coach's routine for the squad: club exercises (the custom-exercise format, as
    JSON) and planning defaults that the plans of athletes sharing with the coach use."""

    __tablename__ = "routines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    coach_id: Mapped[int] = _owner()
    name: Mapped[str] = mapped_column(String(80))
    exercises: Mapped[list[dict[str, Any]]] = mapped_column(JSONDocument)
    defaults: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ImportJobRow(Base):
    """An upload being imported in the background: what the page shows as progress."""

    __tablename__ = "import_jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    athlete_id: Mapped[int] = _owner()
    filename: Mapped[str] = mapped_column(String())
    status: Mapped[str] = mapped_column(String(16))
    files_total: Mapped[int | None] = mapped_column(Integer)
    files_done: Mapped[int] = mapped_column(Integer, server_default="0")
    summary: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
