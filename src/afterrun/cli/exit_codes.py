"""Exit statuses, and the one place core errors become them."""

from __future__ import annotations

from enum import IntEnum

from afterrun.core.errors import (
    AfterrunError,
    CatalogueError,
    CoolDownWithheld,
    ImportFailed,
    InvalidInput,
    NotFound,
    StorageError,
)


class ExitStatus(IntEnum):
    OK = 0
    ERROR = 1
    USAGE = 2
    DATA = 3
    STORAGE = 4
    INTERRUPTED = 130


_BY_ERROR: tuple[tuple[type[AfterrunError], ExitStatus], ...] = (
    (InvalidInput, ExitStatus.USAGE),
    (CatalogueError, ExitStatus.DATA),
    (StorageError, ExitStatus.STORAGE),
    (NotFound, ExitStatus.ERROR),
    (ImportFailed, ExitStatus.ERROR),
    (CoolDownWithheld, ExitStatus.ERROR),
)


def exit_status_for(error: AfterrunError) -> ExitStatus:
    for kind, status in _BY_ERROR:
        if isinstance(error, kind):
            return status
    return ExitStatus.ERROR
