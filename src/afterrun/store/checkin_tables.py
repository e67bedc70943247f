"""The soreness check-ins table (migration 0003) and the clearances of warning signs (0004)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from afterrun.store.tables import Base, JSONDocument, UTCDateTime


class CheckinRow(Base):
    __tablename__ = "checkins"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
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
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    note: Mapped[str | None] = mapped_column(String())
