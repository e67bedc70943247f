"""Where afterrun keeps its config and data, and which database it opens.

platformdirs is imported inside the functions so that `afterrun --help` stays fast.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

APP_NAME = "afterrun"
CONFIG_DIR_ENV = "AFTERRUN_CONFIG_DIR"
DATA_DIR_ENV = "AFTERRUN_DATA_DIR"
DB_ENV = "AFTERRUN_DB"
DB_FILENAME = "afterrun.db"


def config_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The config folder: $AFTERRUN_CONFIG_DIR, else the platform's user config dir."""
    env = os.environ if environ is None else environ
    override = env.get(CONFIG_DIR_ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs  # noqa: PLC0415 - kept off the start-up path

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def data_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The data folder: $AFTERRUN_DATA_DIR, else the platform's user data dir."""
    env = os.environ if environ is None else environ
    override = env.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs  # noqa: PLC0415 - kept off the start-up path

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def normalise_db_url(value: str) -> str:
    """Turn what a user may type for --db into a SQLAlchemy URL.

    A plain path is a SQLite file; postgres:// and postgresql:// get the psycopg 3
    driver, since that is the one afterrun installs.
    """
    if "://" not in value:
        return f"sqlite:///{Path(value).expanduser().resolve()}"
    scheme, rest = value.split("://", 1)
    if scheme in ("postgres", "postgresql"):
        return f"postgresql+psycopg://{rest}"
    return value


def resolve_db_url(flag: str | None, environ: Mapping[str, str]) -> str:
    """The database to open: --db, else $AFTERRUN_DB, else afterrun.db in the data dir."""
    chosen = flag or environ.get(DB_ENV)
    if not chosen:
        chosen = str(data_dir(environ) / DB_FILENAME)
    return normalise_db_url(chosen)
