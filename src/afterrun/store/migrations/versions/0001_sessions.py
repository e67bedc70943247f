"""Sessions, their steps and pain reports.

Revision ID: 0001
Revises:
Create Date: 2025-01-01

Self-contained on purpose: it must keep describing this first schema after tables.py moves on.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "sessions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("started_at", _utc(), nullable=False),
        sa.Column("ended_at", _utc(), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("intensity", sa.String(length=32), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("total_planned_seconds", sa.Integer(), nullable=False),
        sa.Column("plan", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sessions")),
    )
    op.create_index(op.f("ix_sessions_started_at"), "sessions", ["started_at"])

    op.create_table(
        "session_steps",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("step_index", sa.Integer(), nullable=False),
        sa.Column("exercise", sa.String(), nullable=False),
        sa.Column("variant", sa.String(), nullable=True),
        sa.Column("side", sa.String(length=32), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("planned_seconds", sa.Integer(), nullable=False),
        sa.Column("reps", sa.Integer(), nullable=True),
        sa.Column("actual_seconds", sa.Float(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_session_steps_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", "step_index", name=op.f("pk_session_steps")),
    )

    op.create_table(
        "pain_reports",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("step_index", sa.Integer(), nullable=False),
        sa.Column("exercise", sa.String(), nullable=False),
        sa.Column("area", sa.String(), nullable=False),
        sa.Column("offset_seconds", sa.Float(), nullable=False),
        sa.Column("at", _utc(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_pain_reports_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pain_reports")),
    )
    op.create_index(op.f("ix_pain_reports_session_id"), "pain_reports", ["session_id"])


def downgrade() -> None:
    op.drop_table("pain_reports")
    op.drop_table("session_steps")
    op.drop_table("sessions")
