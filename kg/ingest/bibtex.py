"""BibTeX entries, parsed by bibtexparser (v2) with LaTeX accents and braces decoded."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import bibtexparser
from bibtexparser import middlewares
from bibtexparser.model import DuplicateBlockKeyBlock, Entry, ParsingFailedBlock

from kg.ingest.record import (
    RawRecord,
    arxiv_id_from_doi,
    fold_whitespace,
    normalise_arxiv_id,
    normalise_doi,
    parse_year,
    text_field,
)
from kg.records import Problem, SourceRef

# bibtexparser logs each failed block; we report them as Problems instead.
logging.getLogger("bibtexparser").setLevel(logging.ERROR)


def parse_bibtex(text: str, path: str) -> Iterator[RawRecord | Problem]:
    """One record per entry; an entry that fails to parse is a Problem."""
    library = bibtexparser.parse_string(text, append_middleware=_field_middlewares())
    found: list[tuple[int, RawRecord | Problem]] = []
    for entry in library.entries:
        found.append((entry.start_line, _entry_record(entry, path)))
    for block in library.failed_blocks:
        duplicate = block.ignore_error_block if isinstance(block, DuplicateBlockKeyBlock) else None
        if isinstance(duplicate, Entry):
            # A reused key is the user's slip, not a reason to lose the entry; bibtexparser
            # set it aside before decoding its fields, so decode them here.
            for middleware in _field_middlewares():
                duplicate = middleware.transform_block(duplicate, library)
            found.append((block.start_line, _entry_record(duplicate, path)))
        else:
            found.append((block.start_line, _failure(block, path)))
    for _, item in sorted(found, key=lambda pair: pair[0]):
        yield item


def _field_middlewares() -> list[middlewares.BlockMiddleware]:
    return [
        middlewares.NormalizeFieldKeys(),
        middlewares.LatexDecodingMiddleware(),
        middlewares.SeparateCoAuthors(),
    ]


def _failure(block: ParsingFailedBlock, path: str) -> Problem:
    reason = getattr(block.error, "abort_reason", None) or str(block.error) or "syntax error"
    return Problem(
        path,
        block.start_line + 1,
        f"malformed BibTeX entry ({fold_whitespace(reason)}); record skipped",
    )


def _entry_record(entry: Entry, path: str) -> RawRecord:
    fields = {key: field.value for key, field in entry.fields_dict.items()}
    doi = normalise_doi(text_field(fields.get("doi")))
    authors = fields.get("author")
    eprint = text_field(fields.get("eprint"))
    archive = (text_field(fields.get("archiveprefix")) or "arxiv").lower()
    return RawRecord(
        SourceRef(path, entry.start_line + 1),
        abstract=text_field(fields.get("abstract")),
        title=text_field(fields.get("title")),
        url=text_field(fields.get("url")),
        year=parse_year(fields.get("year")),
        authors=tuple(str(name) for name in authors) if isinstance(authors, list) else (),
        doi=doi,
        arxiv_id=(normalise_arxiv_id(eprint) if archive == "arxiv" else None)
        or normalise_arxiv_id(text_field(fields.get("url")))
        or arxiv_id_from_doi(doi),
    )
