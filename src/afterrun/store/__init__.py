"""The storage edge: one Store per database URL, migrated to head when opened."""

from __future__ import annotations

from afterrun.store.db import HEAD_REVISION
from afterrun.store.sessions import StoredSession, session_to_json
from afterrun.store.store import Store

__all__ = ["HEAD_REVISION", "Store", "StoredSession", "session_to_json"]
