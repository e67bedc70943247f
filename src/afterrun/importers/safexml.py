"""Streaming XML for GPX and TCX: defusedxml checks the prolog, the C parser reads the rest.

Entity declarations (internal or external, general or parameter) are refused
outright, so neither "billion laughs" expansion nor an XXE reach for local files can
happen: no GPX or TCX writer needs entities. A DOCTYPE alone is tolerated; its
external DTD is never fetched.

Every entity declaration sits in the DOCTYPE, before the root element. defusedxml's
parser (the reference for this check) therefore reads the document only up to the
root element, refusing any declaration on the way; ElementTree's C parser then reads
the document: the same expat, the same bytes, about four times faster than
defusedxml's pure-Python tree builder would read all of it.
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


class _Root(Exception):
    """The prolog ended: the root element starts."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


class _StopAtRoot:
    """A parser target that stops the parse at the root element."""

    def start(self, tag: str, _attrib: object) -> NoReturn:
        raise _Root(tag)

    def end(self, _tag: str) -> None:  # never reached
        return None

    def data(self, _text: str) -> None:
        return None

    def close(self) -> None:
        return None


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


def root_element(data: bytes, kind: str) -> str | None:
    """The local name of the document's root element (None if the prolog is damaged);
    ImportFailed when the prolog declares an entity. Damage is left to the parser."""
    from xml.etree.ElementTree import ParseError  # noqa: PLC0415  (lazy: CLI start-up)

    from defusedxml import DefusedXmlException  # noqa: PLC0415
    from defusedxml.ElementTree import DefusedXMLParser  # noqa: PLC0415

    parser = DefusedXMLParser(
        target=_StopAtRoot(), forbid_dtd=False, forbid_entities=True, forbid_external=True
    )
    try:
        parser.feed(data)
    except _Root as root:
        return local_name(root.name)
    except DefusedXmlException:
        raise ImportFailed(
            f"{kind} file declares XML entities, which activity files never need; refused"
            " for safety"
        ) from None
    except (ParseError, ValueError, LookupError):
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
