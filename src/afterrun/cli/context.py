"""What every command may need, opened only when first asked for."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import datetime, tzinfo
    from pathlib import Path

    from afterrun.core.catalogue import Catalogue
    from afterrun.core.plan_facts import PlanFacts
    from afterrun.services.plan_cache import PlanCache
    from afterrun.store import Store


class AppContext:
    """The --db choice and the environment, and the store and plan facts once opened.

    A plain class: it is made on every start, where a dataclass would cost more to define
    than everything it does."""

    def __init__(
        self,
        db_flag: str | None = None,
        environ: Mapping[str, str] | None = None,
        athlete: str | None = None,
    ) -> None:
        self.db_flag = db_flag
        self.environ: Mapping[str, str] = dict(os.environ) if environ is None else environ
        #: The club member the commands work for (--athlete); None in a personal database.
        self.athlete = athlete
        self._database: Store | None = None
        self._store: Store | None = None
        self._facts: PlanFacts | None = None

    def db_url(self) -> str:
        """The database URL. A SQLite file chosen with --db or $AFTERRUN_DB must be in a
        folder that exists: a mistyped folder is refused, never created with an empty
        database in it (only the default data folder is created)."""
        from afterrun.paths import DB_ENV, resolve_db_url

        url = resolve_db_url(self.db_flag, self.environ)
        chosen = self.db_flag or self.environ.get(DB_ENV)
        if chosen and url.startswith("sqlite:///"):
            from pathlib import Path

            folder = Path(url.removeprefix("sqlite:///")).parent
            if not folder.exists():
                from afterrun.core.errors import InvalidInput

                option = "--db" if self.db_flag else f"${DB_ENV}"
                raise InvalidInput(
                    f"the folder {folder} (from {option}) does not exist: check the path, "
                    "or create the folder first."
                )
        return url

    def has_database(self) -> bool:
        """False when the default SQLite file has not been created yet (nothing stored)."""
        url = self.db_url()
        if url.startswith("sqlite:///"):
            from pathlib import Path

            return Path(url.removeprefix("sqlite:///")).exists()
        return True

    def sqlite_file(self) -> Path | None:
        """The SQLite file a quick read may open directly: None for another database, or
        once the store is open (it then answers, in the same transaction order)."""
        url = self.db_url()
        if not url.startswith("sqlite:///") or self._store is not None or self.athlete:
            return None
        from pathlib import Path

        return Path(url.removeprefix("sqlite:///"))

    def database(self) -> Store:
        """The whole database, opened (and migrated) on first use: the club's commands
        work on it; every other command on `store()`."""
        if self._database is None:
            from afterrun.store import Store

            self._database = Store.open(self.db_url())
        return self._database

    def store(self) -> Store:
        """The athlete's data: in a personal database all of it; in a club's, that of the
        member named by --athlete (which a club's database requires)."""
        if self._store is None:
            from afterrun.services.club import scoped_store

            self._store = scoped_store(self.database(), self.athlete)
        return self._store

    def zone(self) -> tzinfo:
        """The runner's time zone: the profile's, else the system's."""
        from afterrun.zones import runner_zone, system_zone

        return runner_zone(self.store().get_profile()) if self.has_database() else system_zone()

    def plan_facts(self, now: datetime) -> PlanFacts:
        """What a plan depends on, read once per command: from a SQLite file directly when
        it is at the current schema, else through the store (which migrates it)."""
        if self._facts is None:
            path = self.sqlite_file()
            if path is not None:
                from afterrun.quick_read import read_plan_facts

                self._facts = read_plan_facts(path, now)
            if self._facts is None:
                from afterrun.services.planning import facts_from_store

                self._facts = facts_from_store(self.store(), now)
        return self._facts

    def plan_cache(self) -> PlanCache:
        """Plans already made for these exercise files (see services/plan_cache.py)."""
        from afterrun.catalogue_files import catalogue_files
        from afterrun.paths import config_dir, data_dir
        from afterrun.services.plan_cache import PlanCache, stamp

        files = catalogue_files(config_dir(self.environ))
        return PlanCache(data_dir(self.environ) / "plans", stamp(files))

    def catalogue(self) -> Catalogue:
        from afterrun.catalogue_files import load_catalogue
        from afterrun.paths import config_dir

        return load_catalogue(config_dir(self.environ))

    def close(self) -> None:
        self._store = None
        if self._database is not None:
            self._database.close()
            self._database = None
