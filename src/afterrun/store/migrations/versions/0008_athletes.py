"""Athletes: every row belongs to one, and the club's accounts, consent and jobs.

A personal database gains its one athlete (id 1, "me"), who owns every row already stored:
nothing is lost and the runner sees no difference. The club's tables start empty: accounts
are athletes with a role and a password, invitations and password resets, signed-in browser
sessions, login attempts (to slow guessing), what each athlete shares with which coach,
coaches' routines for the squad, and background import jobs.

On SQLite, adding a foreign key means copying the table; `db._upgrade` turns foreign keys
off for the migration so that dropping the old copy cascades nothing.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | None = None
depends_on: str | None = None

PERSONAL_ATHLETE_ID = 1
#: Tables whose rows belong to an athlete directly; steps and pains belong to a session.
OWNED = ("sessions", "activities", "checkins", "flag_clearances", "profile")


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _owner(table: str) -> list[Any]:
    return [
        sa.Column("athlete_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["athlete_id"],
            ["athletes.id"],
            name=op.f(f"fk_{table}_athlete_id_athletes"),
            ondelete="CASCADE",
        ),
    ]


def _create_athletes() -> None:
    athletes = op.create_table(
        "athletes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("login", sa.String(length=80), nullable=False),
        sa.Column("role", sa.String(length=16), server_default="athlete", nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("disabled_at", _utc(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_athletes")),
        sa.UniqueConstraint("login", name=op.f("uq_athletes_login")),
    )
    if athletes is None:  # pragma: no cover - only in Alembic's offline SQL mode
        raise RuntimeError("afterrun migrates online only")
    now = datetime.now(UTC)
    if op.get_context().dialect.name == "sqlite":
        now = now.replace(tzinfo=None)
    op.bulk_insert(
        athletes,
        [
            {
                "id": PERSONAL_ATHLETE_ID,
                "name": "me",
                "login": "me",
                "role": "athlete",
                "created_at": now,
            }
        ],
    )
    if op.get_context().dialect.name == "postgresql":
        # The row above was given its id: move the sequence past it.
        op.execute("SELECT setval(pg_get_serial_sequence('athletes', 'id'), 1)")


def _own_existing_rows(table: str) -> None:
    """athlete_id on every row, all the personal athlete's, then NOT NULL with its key."""
    with op.batch_alter_table(table) as batch:
        batch.add_column(sa.Column("athlete_id", sa.Integer(), nullable=True))
    op.execute(f"UPDATE {table} SET athlete_id = {PERSONAL_ATHLETE_ID}")  # noqa: S608
    with op.batch_alter_table(table) as batch:
        batch.alter_column("athlete_id", existing_type=sa.Integer(), nullable=False)
        batch.create_foreign_key(
            op.f(f"fk_{table}_athlete_id_athletes"),
            "athletes",
            ["athlete_id"],
            ["id"],
            ondelete="CASCADE",
        )
        if table == "activities":
            batch.drop_constraint(op.f("uq_activities_content_hash"), type_="unique")
            batch.create_unique_constraint(
                op.f("uq_activities_athlete_id"), ["athlete_id", "content_hash"]
            )
        if table == "profile":
            batch.create_unique_constraint(op.f("uq_profile_athlete_id"), ["athlete_id"])


def _owner_indexes() -> None:
    op.create_index("ix_sessions_athlete_started", "sessions", ["athlete_id", "started_at"])
    op.create_index("ix_activities_athlete_started", "activities", ["athlete_id", "started_at"])
    op.create_index("ix_checkins_athlete_at", "checkins", ["athlete_id", "at"])
    op.create_index(op.f("ix_flag_clearances_athlete_id"), "flag_clearances", ["athlete_id"])


def _create_club_tables() -> None:
    op.create_table(
        "invitations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        *_owner("invitations"),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("expires_at", _utc(), nullable=False),
        sa.Column("used_at", _utc(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitations")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_invitations_token_hash")),
    )
    op.create_index(op.f("ix_invitations_athlete_id"), "invitations", ["athlete_id"])
    op.create_table(
        "web_sessions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        *_owner("web_sessions"),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("last_seen_at", _utc(), nullable=False),
        sa.Column("expires_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_web_sessions_token_hash")),
    )
    op.create_index(op.f("ix_web_sessions_athlete_id"), "web_sessions", ["athlete_id"])
    op.create_index(op.f("ix_web_sessions_expires_at"), "web_sessions", ["expires_at"])
    op.create_table(
        "login_attempts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("login", sa.String(length=80), nullable=False),
        sa.Column("client", sa.String(length=64), nullable=False),
        sa.Column("at", _utc(), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_attempts")),
    )
    for column in ("login", "client", "at"):
        op.create_index(op.f(f"ix_login_attempts_{column}"), "login_attempts", [column])
    op.create_table(
        "shares",
        sa.Column("athlete_id", sa.Integer(), nullable=False),
        sa.Column("coach_id", sa.Integer(), nullable=False),
        sa.Column("load_and_runs", sa.Boolean(), nullable=False),
        sa.Column("adherence", sa.Boolean(), nullable=False),
        sa.Column("soreness_and_flags", sa.Boolean(), nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.ForeignKeyConstraint(
            ["athlete_id"],
            ["athletes.id"],
            name=op.f("fk_shares_athlete_id_athletes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["coach_id"],
            ["athletes.id"],
            name=op.f("fk_shares_coach_id_athletes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("athlete_id", "coach_id", name=op.f("pk_shares")),
    )
    op.create_index(op.f("ix_shares_coach_id"), "shares", ["coach_id"])
    op.create_table(
        "routines",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("coach_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("exercises", _json(), nullable=False),
        sa.Column("defaults", _json(), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.ForeignKeyConstraint(
            ["coach_id"],
            ["athletes.id"],
            name=op.f("fk_routines_coach_id_athletes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_routines")),
    )
    op.create_index(op.f("ix_routines_coach_id"), "routines", ["coach_id"])
    op.create_table(
        "import_jobs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        *_owner("import_jobs"),
        sa.Column("filename", sa.String(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("files_total", sa.Integer(), nullable=True),
        sa.Column("files_done", sa.Integer(), server_default="0", nullable=False),
        sa.Column("summary", _json(), nullable=True),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("finished_at", _utc(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_jobs")),
    )
    op.create_index(op.f("ix_import_jobs_athlete_id"), "import_jobs", ["athlete_id"])


def upgrade() -> None:
    _create_athletes()
    for table in OWNED:
        _own_existing_rows(table)
    _owner_indexes()
    _create_club_tables()


def downgrade() -> None:
    for table in ("import_jobs", "routines", "shares", "login_attempts", "web_sessions"):
        op.drop_table(table)
    op.drop_table("invitations")
    op.drop_index(op.f("ix_flag_clearances_athlete_id"), table_name="flag_clearances")
    op.drop_index("ix_checkins_athlete_at", table_name="checkins")
    op.drop_index("ix_activities_athlete_started", table_name="activities")
    op.drop_index("ix_sessions_athlete_started", table_name="sessions")
    for table in OWNED:
        # Only the personal athlete's rows fit a database without athletes.
        op.execute(f"DELETE FROM {table} WHERE athlete_id <> {PERSONAL_ATHLETE_ID}")  # noqa: S608
        with op.batch_alter_table(table) as batch:
            if table == "activities":
                batch.drop_constraint(op.f("uq_activities_athlete_id"), type_="unique")
                batch.create_unique_constraint(op.f("uq_activities_content_hash"), ["content_hash"])
            if table == "profile":
                batch.drop_constraint(op.f("uq_profile_athlete_id"), type_="unique")
            batch.drop_constraint(op.f(f"fk_{table}_athlete_id_athletes"), type_="foreignkey")
            batch.drop_column("athlete_id")
    op.drop_table("athletes")
