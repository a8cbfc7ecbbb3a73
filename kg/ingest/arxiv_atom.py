"""Atom feeds (the arXiv API's): one record per `<entry>`, each parsed on its own.

A feed that forgot the Atom namespace is read all the same: records are parsed
with names only (see xml_tree).
"""

from __future__ import annotations

from collections.abc import Iterator

from kg.ingest.files import InputFile
from kg.ingest.record import RawRecord, normalise_arxiv_id, normalise_doi, parse_year
from kg.ingest.xml_tree import Node, read_records, text_of
from kg.records import Problem, SourceRef


def looks_like(head: str) -> bool:
    """An XML document whose root is an Atom `<feed>`."""
    return head.lstrip()[:1] == "<" and ("<feed" in head or "<atom:feed" in head)


def read(file: InputFile) -> Iterator[RawRecord | Problem]:
    """Every entry; a broken or oversized one is a Problem and the next is read."""
    return read_records(file, "entry", entry_record)


def entry_record(entry: Node, source: SourceRef) -> RawRecord:
    """A record from one `<entry>` element."""
    entry_id = text_of(entry.child("id"))
    link = next(
        (
            node.attributes.get("href")
            for node in entry.children("link")
            if node.attributes.get("rel", "alternate") == "alternate"
        ),
        None,
    )
    return RawRecord(
        source,
        abstract=text_of(entry.child("summary")),
        title=text_of(entry.child("title")),
        url=link or entry_id,
        year=parse_year(text_of(entry.child("published"))),
        authors=tuple(
            name for author in entry.children("author") if (name := text_of(author.child("name")))
        ),
        doi=normalise_doi(text_of(entry.child("doi"))),
        arxiv_id=normalise_arxiv_id(entry_id),
    )
