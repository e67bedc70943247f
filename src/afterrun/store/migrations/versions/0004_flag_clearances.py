"""Clearances of warning signs: the runner has been seen by a clinician.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "flag_clearances",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_flag_clearances")),
    )
    op.create_index(op.f("ix_flag_clearances_at"), "flag_clearances", ["at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_flag_clearances_at"), table_name="flag_clearances")
    op.drop_table("flag_clearances")
