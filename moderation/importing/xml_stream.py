"""Stream the items of a large XML export in bounded memory.

defusedxml's iterparse refuses DTDs, entity declarations and external references
(billion laughs, XXE). Each item is handed over when its end tag is read, then cleared
from the tree, so a 1 GB export holds one item in memory at a time.
"""

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import BinaryIO
from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree as SafeET

from moderation.importing.records import ImportFileError, ItemError


def local(tag: str) -> str:
    """A tag or attribute name without its namespace."""
    return tag.rsplit("}", 1)[-1]


def child_text(element: Element, name: str) -> str:
    """The text of the first child with this local name ("" if none)."""
    for child in element:
        if local(child.tag) == name:
            return (child.text or "").strip()
    return ""


def children(element: Element, name: str) -> list[Element]:
    return [child for child in element if local(child.tag) == name]


def attribute(element: Element, name: str) -> str:
    for key, value in element.attrib.items():
        if local(key) == name:
            return value.strip()
    return ""


def parse_time(value: str, *, what: str) -> datetime:
    """An export's timestamp (ISO 8601, or WordPress's "YYYY-MM-DD HH:MM:SS"), as UTC."""
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ItemError(f"{what}: {value!r} is not a date and time.") from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed


def stream_items(
    source: BinaryIO, *, root_name: str, item_parents: set[str], item_names: set[str]
) -> Iterator[Element]:
    """Each element named in `item_names` whose parent is named in `item_parents`, whole.

    The root must be `root_name`, else the file is another format. XML errors stop the
    stream with ImportFileError naming the line: items before it were already handed over.
    """
    stack: list[Element] = []
    try:
        for event, element in SafeET.iterparse(source, events=("start", "end"), forbid_dtd=True):
            if event == "start":
                if not stack and local(element.tag) != root_name:
                    raise ImportFileError(
                        f"The file's root element is <{local(element.tag)}>, not <{root_name}>: "
                        "it is not an export of this format."
                    )
                stack.append(element)
                continue
            stack.pop()
            parent = stack[-1] if stack else None
            if (
                parent is not None
                and local(parent.tag) in item_parents
                and local(element.tag) in item_names
            ):
                yield element
                # The item is done with: drop it (and its siblings before it) from the tree.
                parent.clear()
    except ParseError as error:
        line, column = getattr(error, "position", (0, 0))
        raise ImportFileError(
            f"Not well-formed XML at line {line}, column {column}: {error.msg}."
        ) from None
    except defusedxml.DefusedXmlException as error:
        raise ImportFileError(
            f"Refused: the file declares a DTD or entities ({type(error).__name__}); "
            "exports never need one."
        ) from None
