"""One error base for everything afterrun refuses to do.

Edges map these classes to exit codes and HTTP statuses; the message is written
for the runner and says what to do next.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Self

if TYPE_CHECKING:
    from afterrun.core.hints import Hint


class _InPlainWords(dict[str, str]):
    """An input named in words when no edge names it: `weight_before` -> 'weight before'."""

    def __missing__(self, key: str) -> str:
        return key.replace("_", " ")


def verbatim(value: object) -> str:
    """A value the runner typed, safe inside a message that names inputs (its braces kept)."""
    return str(value).replace("{", "{{").replace("}", "}}")


class AfterrunError(Exception):
    """Base of every error afterrun reports to a user."""

    #: The message with every input it names as a {placeholder}, or None when it names
    #: none: each edge names them its own way (an option, a form field), see `worded`.
    template: str | None = None

    def __init__(self, message: str, hint: Hint | None = None) -> None:
        super().__init__(message)
        self.message = message
        #: What the runner can do about it, worded by each edge (a command, a link).
        self.hint = hint

    def __str__(self) -> str:
        return self.message

    @classmethod
    def naming(cls, template: str) -> Self:
        """An error whose message names inputs, e.g. '{minutes} 0 is out of range: ...'."""
        error = cls(template.format_map(_InPlainWords()))
        error.template = template
        return error

    def worded(self, names: Mapping[str, str]) -> str:
        """The message with the inputs named as an edge names them (plain words otherwise)."""
        if self.template is None:
            return self.message
        return self.template.format_map(_InPlainWords(names))


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
