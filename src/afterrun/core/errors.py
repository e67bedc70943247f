"""One error base for everything afterrun refuses to do.

Edges map these classes to exit codes and HTTP statuses; the message is written
for the runner and says what to do next.
"""

from __future__ import annotations


class AfterrunError(Exception):
    """Base of every error afterrun reports to a user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InvalidInput(AfterrunError):
    """A value given by the user is out of range or malformed."""


class CatalogueError(AfterrunError):
    """An exercise data file is malformed; the message names file, entry and field."""


class NotFound(AfterrunError):
    """Something the user asked for by name or id does not exist."""


class StorageError(AfterrunError):
    """The database cannot be opened, migrated or written."""


class ImportFailed(AfterrunError):
    """An activity file could not be read; the message says why in one line."""


class CoolDownWithheld(AfterrunError):
    """A recent warning sign needs a clinician, not a cool-down; the message says why."""
