"""Soreness check-ins.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "checkins",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("hours_after_run", sa.Float(), nullable=True),
        sa.Column(
            "ratings", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column(
            "red_flags", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column("note", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["activities.id"],
            name=op.f("fk_checkins_run_id_activities"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkins")),
    )
    op.create_index(op.f("ix_checkins_at"), "checkins", ["at"])
    op.create_index(op.f("ix_checkins_run_id"), "checkins", ["run_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_checkins_run_id"), table_name="checkins")
    op.drop_index(op.f("ix_checkins_at"), table_name="checkins")
    op.drop_table("checkins")
