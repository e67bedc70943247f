"""Where an activity's sport came from, and the runner's time zone and main sport.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02

Every activity stored before this revision took its sport from its file, so the new
`sport_source` column starts as "file" for all of them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("activities") as batch:
        batch.add_column(
            sa.Column("sport_source", sa.String(16), server_default="file", nullable=False)
        )
        batch.add_column(sa.Column("sport_basis", sa.String(), nullable=True))
    with op.batch_alter_table("profile") as batch:
        batch.add_column(sa.Column("timezone", sa.String(64), nullable=True))
        batch.add_column(sa.Column("main_sport", sa.String(32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("profile") as batch:
        batch.drop_column("main_sport")
        batch.drop_column("timezone")
    with op.batch_alter_table("activities") as batch:
        batch.drop_column("sport_basis")
        batch.drop_column("sport_source")
