"""Alembic environment: runs on the connection Store.open passes in config.attributes.

Without one (the alembic command line, for a developer), it connects to sqlalchemy.url.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from afterrun.store.db import create_store_engine
from afterrun.store.tables import Base


def _migrate(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,  # SQLite can only ALTER tables by copying them
    )
    with context.begin_transaction():
        context.run_migrations()


def _run() -> None:
    connection: Connection | None = context.config.attributes.get("connection")
    if connection is not None:
        _migrate(connection)
        return
    url = context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("set sqlalchemy.url, or migrate through afterrun.store.Store.open")
    engine = create_store_engine(url)
    try:
        with engine.connect() as connection:
            _migrate(connection)
            connection.commit()
    finally:
        engine.dispose()


_run()
