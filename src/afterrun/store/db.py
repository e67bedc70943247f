"""Opening a database: the engine, SQLite settings, errors that say what to do, migrations.

Alembic takes ~0.4 s to import, so it is imported only when the database is behind
HEAD_REVISION; an up-to-date database is checked with one plain query.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from afterrun.core.errors import StorageError

if TYPE_CHECKING:
    from alembic.config import Config

# The newest revision in migrations/versions; a test keeps the two in step.
HEAD_REVISION = "0008"
MIGRATIONS_DIR = Path(__file__).parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 5000
POSTGRES_CONNECT_TIMEOUT_S = 10


def mask_url(url: str | URL) -> str:
    """The URL as safe to show: any password becomes ***."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", str(url))


def _hint(url: URL) -> str:
    if url.get_backend_name() == "sqlite":
        return (
            "Check that the file is an afterrun database in a folder you can write to, "
            "or pass --db with another path."
        )
    return "Check that the server is running and the URL is right, or pass --db with another URL."


def _reason(exc: BaseException, url: URL | None) -> str:
    """The driver's own one-line reason, never including the password."""
    cause = getattr(exc, "orig", None) or exc
    lines = str(cause).strip().splitlines()
    reason = lines[0].strip().rstrip(".") if lines else type(cause).__name__
    if url is not None and url.password:
        # Mask the password where it stands as a token; a short one like "p" must not
        # turn "port" into "***ort".
        secret = re.escape(str(url.password))
        reason = re.sub(rf"(?<![A-Za-z0-9]){secret}(?![A-Za-z0-9])", "***", reason)
    return reason


def storage_error(action: str, url: URL, exc: BaseException) -> StorageError:
    """A StorageError such as 'Cannot open the database at URL: reason. What to do.'"""
    return StorageError(
        f"Cannot {action} the database at {mask_url(url)}: {_reason(exc, url)}. {_hint(url)}"
    )


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # SQLAlchemy, not the sqlite3 module, issues BEGIN (see _on_sqlite_begin), so that DDL
    # in migrations is transactional and reads see one snapshot.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        # In WAL mode NORMAL cannot corrupt the database; a power cut may lose only the
        # last commits, which `afterrun import` redoes by content hash.
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        cursor.close()


#: Execution option marking a transaction that will write.
WRITE_OPTION = "afterrun_write"


def _on_sqlite_begin(connection: Connection) -> None:
    # A writing transaction takes the write lock at once (waiting up to the busy timeout).
    # Begun as a plain read, it would fail at once with "database is locked" when another
    # process commits between its first read and its first write.
    writes = connection.get_execution_options().get(WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


def _make_sqlite_folder(url: URL) -> None:
    database = url.database
    if not database or database == ":memory:" or url.query.get("uri") == "true":
        return
    folder = Path(database).expanduser().parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(
            f"Cannot create the folder {folder} for the database: {exc.strerror or exc}. "
            "Set AFTERRUN_DATA_DIR to a folder you can write to, or pass --db with another path."
        ) from exc


def create_store_engine(url: str) -> Engine:
    """An engine for the URL with afterrun's connection settings; connects lazily."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StorageError(
            f"Cannot open the database at {mask_url(url)}: not a database URL. "
            "Pass --db with a SQLite file path or a postgresql:// URL."
        ) from exc
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise StorageError(
            f"Cannot open the database at {mask_url(parsed)}: afterrun does not support the "
            f"database kind '{parsed.drivername}'. "
            "Pass --db with a SQLite file path or a postgresql:// URL."
        )
    options: dict[str, Any] = {}
    if backend == "sqlite":
        _make_sqlite_folder(parsed)
    elif backend == "postgresql":
        options["pool_pre_ping"] = True
        if "connect_timeout" not in parsed.query:
            options["connect_args"] = {"connect_timeout": POSTGRES_CONNECT_TIMEOUT_S}
    try:
        engine = create_engine(parsed, **options)
    except NoSuchModuleError as exc:  # a driver SQLAlchemy does not know, e.g. postgresql+foo
        raise StorageError(
            f"Cannot open the database at {mask_url(parsed)}: afterrun does not know the "
            f"driver '{parsed.drivername}'. Pass --db with a SQLite file path or a "
            "postgresql:// URL."
        ) from exc
    except ImportError as exc:
        raise StorageError(
            f"Cannot open the database at {mask_url(parsed)}: its driver is not installed "
            f"({exc.name or exc}). Run: pip install 'afterrun[postgres]'."
        ) from exc
    if backend == "sqlite":
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_sqlite_begin)
    return engine


def alembic_config() -> Config:
    """Alembic settings without an alembic.ini: the migrations ship inside the package."""
    from alembic.config import Config  # noqa: PLC0415 - alembic is slow to import

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    config.set_main_option("path_separator", "os")
    return config


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at; None for an empty database."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    revision = connection.scalar(text("SELECT version_num FROM alembic_version"))
    return None if revision is None else str(revision)


def _read_revision(engine: Engine) -> str | None:
    try:
        with engine.connect() as connection:
            return current_revision(connection)
    except DBAPIError as exc:
        raise storage_error("open", engine.url, exc) from exc


def _upgrade(engine: Engine) -> None:
    from alembic import command  # noqa: PLC0415 - alembic is slow to import
    from alembic.util.exc import CommandError  # noqa: PLC0415

    config = alembic_config()
    with engine.connect() as connection, _foreign_keys_off(connection), connection.begin():
        config.attributes["connection"] = connection
        try:
            command.upgrade(config, "head")
            _check_foreign_keys(connection)
        except CommandError as exc:
            revision = current_revision(connection)
            raise StorageError(
                f"The database at {mask_url(engine.url)} is at revision {revision}, which "
                "this afterrun does not know: a newer afterrun wrote it. Upgrade afterrun, "
                "or pass --db with another database."
            ) from exc


@contextmanager
def _foreign_keys_off(connection: Connection) -> Iterator[None]:
    """On SQLite, foreign keys off while migrating (`_check_foreign_keys` checks them).

    A migration that alters a table copies it and drops the old one; with foreign keys on,
    the drop would delete (or unlink) every row that refers to it. The pragma only takes
    effect outside a transaction, so it goes to the driver's connection before the
    migration's transaction begins.
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    raw = connection.connection.driver_connection
    if raw is None:  # pragma: no cover - a pooled connection always has one
        raise StorageError("The database connection closed while migrating. Try again.")
    raw.execute("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        raw.execute("PRAGMA foreign_keys = ON")


def _check_foreign_keys(connection: Connection) -> None:
    """Before the migration commits: every reference still points at a row."""
    if connection.dialect.name != "sqlite":
        return
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise StorageError(
            f"Migrating the database at {mask_url(connection.engine.url)} would leave "
            f"{len(broken)} rows pointing at rows that do not exist, so it was left as it "
            "was. Restore a backup, or pass --db with another database."
        )


def migrate_to_head(engine: Engine) -> None:
    """Bring the database to HEAD_REVISION, importing Alembic only if there is work to do."""
    if _read_revision(engine) == HEAD_REVISION:
        return
    try:
        _upgrade(engine)
    except DBAPIError as exc:
        # Another process may have migrated at the same moment; that is success too.
        if _read_revision(engine) == HEAD_REVISION:
            return
        raise storage_error("migrate", engine.url, exc) from exc


def open_engine(url: str) -> Engine:
    """An engine for a database that is reachable and at HEAD_REVISION."""
    engine = create_store_engine(url)
    try:
        migrate_to_head(engine)
    except BaseException:
        engine.dispose()
        raise
    return engine
