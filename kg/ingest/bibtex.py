"""BibTeX entries, parsed by bibtexparser (v2); LaTeX decoded by pylatexenc, after the
size limit, so that an oversized field is refused before the (slow) decoding runs."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

import bibtexparser
from bibtexparser import middlewares
from bibtexparser.middlewares.names import split_multiple_persons_names
from bibtexparser.model import DuplicateBlockKeyBlock, Entry, ParsingFailedBlock
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from kg.ingest.files import InputFile, read_text
from kg.ingest.record import (
    RawRecord,
    arxiv_id_from_doi,
    fold_whitespace,
    normalise_arxiv_id,
    normalise_doi,
    normalise_pmcid,
    normalise_pmid,
    parse_year,
)
from kg.records import Problem, SourceRef

# A raw field over this is refused before decoding; decoded abstracts are capped lower
# (20,000 characters) when records are cleaned, and markup rarely doubles a text.
MAX_RAW_FIELD_CHARS = 50_000
_ENTRY = re.compile(r"^\s*@\w+\s*[{(]", re.MULTILINE)
_FIELDS = (
    "title",
    "abstract",
    "author",
    "year",
    "doi",
    "url",
    "eprint",
    "archiveprefix",
    "pmid",
    "pmcid",
)
_LATEX_FIELDS = ("title", "abstract")  # identifiers and URLs are not LaTeX (`~` in a URL)
_LATEX = get_default_latex_context_db()
_LATEX.add_context_category(
    "kg-text-symbols",  # \textgreater and \textless are missing from pylatexenc's defaults
    macros=[MacroTextSpec("textgreater", ">"), MacroTextSpec("textless", "<")],
    prepend=True,
)
_DECODER = LatexNodes2Text(latex_context=_LATEX, math_mode="text")

# bibtexparser logs each failed block; we report them as Problems instead.
logging.getLogger("bibtexparser").setLevel(logging.ERROR)


def looks_like(head: str) -> bool:
    """An `@type{` entry in the first bytes."""
    return bool(_ENTRY.search(head))


def read(file: InputFile) -> Iterator[RawRecord | Problem]:
    """One record per entry; an entry that fails to parse, or is too large, is a Problem."""
    library = bibtexparser.parse_string(
        read_text(file), append_middleware=[middlewares.NormalizeFieldKeys()]
    )
    found: list[tuple[int, RawRecord | Problem]] = []
    for entry in library.entries:
        found.append((entry.start_line, _entry_record(entry, file.shown)))
    for block in library.failed_blocks:
        duplicate = block.ignore_error_block if isinstance(block, DuplicateBlockKeyBlock) else None
        if isinstance(duplicate, Entry):
            # A reused key is the user's slip, not a reason to lose the entry.
            duplicate = middlewares.NormalizeFieldKeys().transform_block(duplicate, library)
            found.append((block.start_line, _entry_record(duplicate, file.shown)))
        else:
            found.append((block.start_line, _failure(block, file.shown)))
    for _, item in sorted(found, key=lambda pair: pair[0]):
        yield item


def _failure(block: ParsingFailedBlock, path: str) -> Problem:
    reason = getattr(block.error, "abort_reason", None) or str(block.error) or "syntax error"
    return Problem(
        path,
        block.start_line + 1,
        f"malformed BibTeX entry ({fold_whitespace(reason)}); record skipped",
    )


def _entry_record(entry: Entry, path: str) -> RawRecord | Problem:
    line = entry.start_line + 1
    raw = {key: field.value for key, field in entry.fields_dict.items() if key in _FIELDS}
    for key, value in raw.items():
        if isinstance(value, str) and len(value) > MAX_RAW_FIELD_CHARS:
            return Problem(
                path,
                line,
                f"BibTeX field '{key}' is {len(value)} characters, over the limit of "
                f"{MAX_RAW_FIELD_CHARS}; record skipped",
            )
    fields = {
        key: _decode(value) if key in _LATEX_FIELDS else value
        for key, value in raw.items()
        if isinstance(value, str)
    }
    doi = normalise_doi(fields.get("doi"))
    eprint = fields.get("eprint")
    archive = (fields.get("archiveprefix") or "arxiv").lower()
    return RawRecord(
        SourceRef(path, line),
        abstract=fields.get("abstract"),
        title=fields.get("title"),
        url=fields.get("url"),
        year=parse_year(fields.get("year")),
        authors=_authors(raw.get("author")),
        doi=doi,
        arxiv_id=(normalise_arxiv_id(eprint) if archive == "arxiv" else None)
        or normalise_arxiv_id(fields.get("url"))
        or arxiv_id_from_doi(doi),
        pmid=normalise_pmid(fields.get("pmid")),
        pmcid=normalise_pmcid(fields.get("pmcid")),
    )


def _authors(value: object) -> tuple[str, ...]:
    """Names in order; `and others` (BibTeX's et al.) says the list is incomplete, and is
    no author's name, so it is dropped."""
    if not isinstance(value, str):
        return ()
    names = (fold_whitespace(_decode(name)) for name in split_multiple_persons_names(value))
    return tuple(name for name in names if name and name.lower() != "others")


def _decode(value: str) -> str:
    if "\\" not in value and "{" not in value and "$" not in value and "~" not in value:
        return value
    return _DECODER.latex_to_text(value)
