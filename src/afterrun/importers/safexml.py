"""Streaming XML for GPX and TCX, always through defusedxml.

Entity declarations (internal or external) are refused outright, so neither
"billion laughs" expansion nor an XXE reach for local files can happen: no
GPX or TCX writer needs entities. A DOCTYPE alone is tolerated.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import TYPE_CHECKING

from afterrun.core.errors import ImportFailed
from afterrun.importers._util import one_line

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

_BOMS = (b"\xef\xbb\xbf",)


class MalformedXml(ImportFailed):
    """The XML breaks off or is damaged; what was read before may still be usable."""


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


def iter_events(data: bytes, kind: str) -> Iterator[tuple[str, Element]]:
    """Yield ("start" | "end", element) pairs; every XML problem becomes ImportFailed.

    The consumer should `clear()` elements it has finished with to keep memory
    flat on long files.
    """
    # Imported here so that starting the CLI does not pay for the XML stack.
    from xml.etree.ElementTree import ParseError  # noqa: PLC0415

    from defusedxml import DefusedXmlException  # noqa: PLC0415
    from defusedxml.ElementTree import iterparse  # noqa: PLC0415

    source = io.BytesIO(strip_preamble(data))
    try:
        yield from iterparse(
            source,
            events=("start", "end"),
            forbid_dtd=False,
            forbid_entities=True,
            forbid_external=True,
        )
    except DefusedXmlException as exc:
        raise ImportFailed(
            f"{kind} file declares XML entities, which activity files never need; refused"
            " for safety"
        ) from exc
    except ParseError as exc:
        raise MalformedXml(f"{kind} file is not well-formed XML ({one_line(str(exc))})") from exc
    except (LookupError, ValueError) as exc:
        # expat on an encoding it does not know ("bogus-8") or cannot use ("UTF-32")
        raise ImportFailed(
            f"{kind} file declares a text encoding that cannot be read ({one_line(str(exc))});"
            " save it as UTF-8"
        ) from exc
