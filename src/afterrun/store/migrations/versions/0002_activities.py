"""Activities and the runner's profile.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "activities",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("source_format", sa.String(length=16), nullable=False),
        sa.Column("sport", sa.String(length=32), nullable=False),
        sa.Column("sub_sport", sa.String(), nullable=True),
        sa.Column("device", sa.String(), nullable=True),
        sa.Column("name", sa.String(), nullable=True),
        sa.Column("started_at", _utc(), nullable=False),
        sa.Column("elapsed_seconds", sa.Float(), nullable=False),
        sa.Column("moving_seconds", sa.Float(), nullable=True),
        sa.Column("distance_m", sa.Float(), nullable=True),
        sa.Column("elevation_gain_m", sa.Float(), nullable=True),
        sa.Column("avg_hr", sa.Float(), nullable=True),
        sa.Column("max_hr", sa.Float(), nullable=True),
        sa.Column("avg_cadence", sa.Float(), nullable=True),
        sa.Column("rpe", sa.Float(), nullable=True),
        sa.Column("partial", sa.Boolean(), nullable=False),
        sa.Column(
            "notes", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column("hr_stream", sa.LargeBinary(), nullable=True),
        sa.Column("speed_stream", sa.LargeBinary(), nullable=True),
        sa.Column("load", sa.Float(), nullable=True),
        sa.Column("load_method", sa.String(length=32), nullable=False),
        sa.Column("imported_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activities")),
        sa.UniqueConstraint("content_hash", name=op.f("uq_activities_content_hash")),
    )
    op.create_index(op.f("ix_activities_started_at"), "activities", ["started_at"])
    op.create_index(op.f("ix_activities_sport"), "activities", ["sport"])
    op.create_table(
        "profile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hr_max", sa.Integer(), nullable=True),
        sa.Column("hr_rest", sa.Integer(), nullable=True),
        sa.Column("sex", sa.String(length=1), nullable=True),
        sa.Column("weight_kg", sa.Float(), nullable=True),
        sa.Column("birth_year", sa.Integer(), nullable=True),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_profile")),
    )


def downgrade() -> None:
    op.drop_table("profile")
    op.drop_index(op.f("ix_activities_sport"), table_name="activities")
    op.drop_index(op.f("ix_activities_started_at"), table_name="activities")
    op.drop_table("activities")
