"""The side of a pain: a pain reported during a sided step keeps which side it was.

Reports stored before this revision have no side (NULL), as do those from steps without one.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    # Plain ADD COLUMN: a nullable column needs no copy of the table on SQLite.
    op.add_column("pain_reports", sa.Column("side", sa.String(length=8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("pain_reports") as batch:
        batch.drop_column("side")
