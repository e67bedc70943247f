"""What every command may need, opened only when first asked for."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import tzinfo

    from afterrun.core.catalogue import Catalogue
    from afterrun.store import Store


@dataclass
class AppContext:
    db_flag: str | None = None
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    _store: Store | None = None

    def db_url(self) -> str:
        from afterrun.paths import resolve_db_url

        return resolve_db_url(self.db_flag, self.environ)

    def has_database(self) -> bool:
        """False when the default SQLite file has not been created yet (nothing stored)."""
        url = self.db_url()
        if url.startswith("sqlite:///"):
            from pathlib import Path

            return Path(url.removeprefix("sqlite:///")).exists()
        return True

    def store(self) -> Store:
        """The database, opened (and migrated) on first use."""
        if self._store is None:
            from afterrun.store import Store

            self._store = Store.open(self.db_url())
        return self._store

    def zone(self) -> tzinfo:
        """The runner's time zone: the profile's, else the system's."""
        from afterrun.zones import runner_zone, system_zone

        return runner_zone(self.store().get_profile()) if self.has_database() else system_zone()

    def catalogue(self) -> Catalogue:
        from afterrun.catalogue_files import load_catalogue
        from afterrun.paths import config_dir

        return load_catalogue(config_dir(self.environ))

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
