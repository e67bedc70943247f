"""Streaming XML for GPX and TCX: the C parser, after a check that refuses entities.

Entity declarations (internal or external, general or parameter) are refused
outright, so neither "billion laughs" expansion nor an XXE reach for local files can
happen: no GPX or TCX writer needs entities. A DOCTYPE alone is tolerated; its
external DTD is never fetched.

The check runs expat itself over the prolog only (the DOCTYPE comes before the root
element, and every entity declaration is in it) with a handler that refuses any
declaration, and stops at the root. The document is then read by ElementTree's C
parser: the same expat, the same bytes, about four times faster than defusedxml's
pure-Python tree builder.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import TYPE_CHECKING, Literal, NoReturn

from afterrun.core.errors import ImportFailed
from afterrun.importers._util import one_line

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

_BOMS = (b"\xef\xbb\xbf",)

Event = Literal["start", "end"]


class MalformedXml(ImportFailed):
    """The XML breaks off or is damaged; what was read before may still be usable."""


class _Entity(Exception):
    """The prolog declares an entity."""


class _Root(Exception):
    """The prolog ended: the root element starts."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def strip_preamble(data: bytes) -> bytes:
    """Drop a UTF-8 byte-order mark and any whitespace before `<?xml` (Strava writes some)."""
    for bom in _BOMS:
        if data.startswith(bom):
            data = data[len(bom) :]
    return data.lstrip(b" \t\r\n")


def local_name(tag: object) -> str:
    """`{namespace}name` or `prefix:name` → `name`, so any prefix or namespace matches."""
    if not isinstance(tag, str):
        return ""  # comments and processing instructions
    if "}" in tag:
        tag = tag.rsplit("}", 1)[1]
    return tag.rsplit(":", 1)[-1]


def _entity(*_: object) -> NoReturn:
    raise _Entity


def _root(name: str, *_: object) -> NoReturn:
    raise _Root(name)


def root_element(data: bytes, kind: str) -> str | None:
    """The local name of the document's root element (None if the prolog is damaged);
    ImportFailed when the prolog declares an entity. Damage is left to the parser."""
    from xml.parsers import expat  # noqa: PLC0415  (lazy: CLI start-up)

    parser = expat.ParserCreate()
    parser.EntityDeclHandler = _entity
    parser.UnparsedEntityDeclHandler = _entity
    parser.StartElementHandler = _root
    try:
        parser.Parse(data, True)
    except _Entity:
        raise ImportFailed(
            f"{kind} file declares XML entities, which activity files never need; refused"
            " for safety"
        ) from None
    except _Root as root:
        return local_name(root.name)
    except (expat.ExpatError, ValueError, LookupError):
        return None
    return None


def iter_events(
    data: bytes, kind: str, root: str, events: tuple[Event, ...] = ("start", "end")
) -> Iterator[tuple[str, Element]]:
    """Yield (event, element) pairs of a document whose root is `root` (any case);
    every XML problem becomes ImportFailed.

    The consumer should `clear()` elements it has finished with to keep memory
    flat on long files.
    """
    # Imported here so that starting the CLI does not pay for the XML stack.
    from xml.etree.ElementTree import ParseError, iterparse  # noqa: PLC0415

    data = strip_preamble(data)
    found = root_element(data, kind)
    if found is not None and found.lower() != root.lower():
        raise ImportFailed(f"not a {kind} file (the document is <{found}>, not <{root}>)")
    try:
        yield from iterparse(io.BytesIO(data), events=events)  # noqa: S314 (entities refused above)
    except ParseError as exc:
        raise MalformedXml(f"{kind} file is not well-formed XML ({one_line(str(exc))})") from exc
    except (LookupError, ValueError) as exc:
        # expat on an encoding it does not know ("bogus-8") or cannot use ("UTF-32")
        raise ImportFailed(
            f"{kind} file declares a text encoding that cannot be read ({one_line(str(exc))});"
            " save it as UTF-8"
        ) from exc
