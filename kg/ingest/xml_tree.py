"""One XML record (an element cut out of a larger file) as a small tree, namespaces ignored.

Records are parsed one at a time so that a broken one is skipped and the next is read.
Prefixes are dropped (`arxiv:doi` is `doi`) because the record is parsed without the
file's root, where the prefixes are declared. Expat never sees the file's DTD, so no
entity is ever expanded; trees are walked without recursion, so depth costs nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from xml.parsers import expat

from kg.ingest.files import MAX_ELEMENT_BYTES, InputFile, iter_elements
from kg.ingest.record import RawRecord
from kg.records import Problem, SourceRef

MAX_ELEMENTS = 50_000  # a PubMed record with its reference list has a few thousand


class BadXml(Exception):
    """The record is not well-formed XML, or too large."""


@dataclass
class Node:
    """An element: its local name, attributes, and text and children in document order."""

    name: str
    attributes: dict[str, str]
    parts: list[str | Node] = field(default_factory=list)

    def children(self, name: str) -> Iterator[Node]:
        """Child elements called `name`."""
        return (part for part in self.parts if isinstance(part, Node) and part.name == name)

    def child(self, *path: str) -> Node | None:
        """The first element down `path` (child names), or None."""
        node: Node | None = self
        for name in path:
            node = next(node.children(name), None) if node else None
        return node

    def text(self) -> str:
        """All text inside, in document order."""
        pieces: list[str] = []
        stack: list[str | Node] = [self]
        while stack:
            part = stack.pop()
            if isinstance(part, str):
                pieces.append(part)
            else:
                stack.extend(reversed(part.parts))
        return "".join(pieces)


def parse_element(data: bytes) -> Node:
    """The tree of one element; BadXml naming expat's complaint."""
    if data.count(b"<") > MAX_ELEMENTS:
        raise BadXml(f"more than {MAX_ELEMENTS} XML tags in one record")
    parser = expat.ParserCreate()
    root = Node("", {})
    open_nodes = [root]

    def start(name: str, attributes: dict[str, str]) -> None:
        node = Node(name.rsplit(":", 1)[-1], attributes)
        open_nodes[-1].parts.append(node)
        open_nodes.append(node)

    def end(name: str) -> None:
        open_nodes.pop()

    def characters(data: str) -> None:
        open_nodes[-1].parts.append(data)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        raise BadXml(
            f"malformed XML ({expat.ErrorString(error.code)} at line {error.lineno}, "
            f"column {error.offset + 1} of the record)"
        ) from error
    return next(part for part in root.parts if isinstance(part, Node))


def read_records(
    file: InputFile, element: str, convert: Callable[[Node, SourceRef], RawRecord]
) -> Iterator[RawRecord | Problem]:
    """A record per `<element>` of the file; a broken or oversized one is a Problem and the
    next is read."""
    for line, data in iter_elements(file, element):
        if data is None:
            yield Problem(
                file.shown,
                line,
                f"<{element}> is unfinished or over {MAX_ELEMENT_BYTES // 2**20} MiB; "
                "record skipped",
            )
            continue
        try:
            yield convert(parse_element(data), SourceRef(file.shown, line))
        except BadXml as error:
            yield Problem(file.shown, line, f"{error}; record skipped")


def text_of(node: Node | None) -> str | None:
    """The node's text, trimmed; None for no node or no text."""
    return node.text().strip() or None if node else None
