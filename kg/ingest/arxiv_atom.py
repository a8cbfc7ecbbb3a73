"""arXiv API Atom feeds: one record per `<entry>`, read with expat to know each entry's line."""

from __future__ import annotations

from collections.abc import Iterator
from xml.parsers import expat

from kg.ingest.record import RawRecord, normalise_arxiv_id, normalise_doi, parse_year
from kg.records import Problem, SourceRef

_ATOM = "http://www.w3.org/2005/Atom"
_ARXIV = "http://arxiv.org/schemas/atom"
_TEXT_FIELDS = {
    f"{_ATOM} id": "id",
    f"{_ATOM} title": "title",
    f"{_ATOM} summary": "summary",
    f"{_ATOM} published": "published",
    f"{_ATOM} name": "name",
    f"{_ARXIV} doi": "doi",
}


class _Entry:
    """The fields of one `<entry>` collected so far."""

    def __init__(self, line: int) -> None:
        self.line = line
        self.text: dict[str, str] = {}
        self.authors: list[str] = []
        self.url: str | None = None


class _FeedCollector:
    """Expat handlers that collect the feed's entries as they close."""

    def __init__(self, parser: expat.XMLParserType) -> None:
        self.parser = parser
        self.entries: list[_Entry] = []
        self.entry: _Entry | None = None
        self.field: str | None = None
        self.chars: list[str] = []
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.characters

    def start(self, name: str, attributes: dict[str, str]) -> None:
        if name == f"{_ATOM} entry":
            self.entry = _Entry(self.parser.CurrentLineNumber)
        elif self.entry is not None and name in _TEXT_FIELDS:
            self.field, self.chars = _TEXT_FIELDS[name], []
        elif (
            self.entry is not None
            and name == f"{_ATOM} link"
            and self.entry.url is None
            and attributes.get("rel", "alternate") == "alternate"
        ):
            self.entry.url = attributes.get("href")

    def end(self, name: str) -> None:
        if self.entry is None:
            return
        if name == f"{_ATOM} entry":
            self.entries.append(self.entry)
            self.entry = None
        elif self.field and name in _TEXT_FIELDS:
            value = "".join(self.chars)
            if self.field == "name":
                self.entry.authors.append(value)
            else:
                self.entry.text.setdefault(self.field, value)
            self.field = None

    def characters(self, data: str) -> None:
        if self.field:
            self.chars.append(data)


def parse_arxiv_atom(text: str, path: str) -> Iterator[RawRecord | Problem]:
    """Records of the feed's entries; malformed XML ends the file with a Problem."""
    parser = expat.ParserCreate(namespace_separator=" ")
    collector = _FeedCollector(parser)
    failure = None
    try:
        parser.Parse(text, True)
    except expat.ExpatError as error:
        failure = Problem(
            path,
            error.lineno,
            f"malformed XML ({expat.ErrorString(error.code)} at column {error.offset + 1}); "
            "entries from here on skipped",
        )
    for entry in collector.entries:
        yield _entry_record(entry, path)
    if failure:
        yield failure


def _entry_record(entry: _Entry, path: str) -> RawRecord:
    entry_id = entry.text.get("id")
    return RawRecord(
        SourceRef(path, entry.line),
        abstract=entry.text.get("summary"),
        title=entry.text.get("title"),
        url=entry.url or entry_id,
        year=parse_year(entry.text.get("published")),
        authors=tuple(entry.authors),
        doi=normalise_doi(entry.text.get("doi")),
        arxiv_id=normalise_arxiv_id(entry_id),
    )


def looks_like_atom(text: str) -> bool:
    """An XML document in the Atom namespace."""
    head = text[:2048]
    return head.lstrip().startswith("<") and _ATOM in head
