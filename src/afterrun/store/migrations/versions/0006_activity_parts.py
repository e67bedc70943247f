"""Activity parts (the legs of a multisport activity) and the corrected flag.

`parts` holds the legs as JSON (sport, start, elapsed, moving, distance, HR each);
`corrected` marks an activity whose file summary contradicted its records; `includes_run`
is true for a run and for a multisport activity with a running leg, so that such an
activity sizes the cool-down like a run.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    # Plain ADD COLUMN, never a batch copy: on SQLite a copy drops and recreates the table,
    # and dropping it would set every check-in's run_id to NULL (ON DELETE SET NULL).
    op.add_column(
        "activities",
        sa.Column("corrected", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column(
        "activities",
        sa.Column("includes_run", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column(
        "activities",
        sa.Column("parts", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=True),
    )
    op.execute("UPDATE activities SET includes_run = (sport = 'running')")
    op.create_index(
        op.f("ix_activities_includes_run"), "activities", ["includes_run"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_activities_includes_run"), table_name="activities")
    with op.batch_alter_table("activities") as batch:
        batch.drop_column("parts")
        batch.drop_column("includes_run")
        batch.drop_column("corrected")
