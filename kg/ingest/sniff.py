"""Which reader a file needs: by its extension, and by its content when that is not enough."""

from __future__ import annotations

import re

from kg.ingest.abstract_list import looks_like_abstract_list
from kg.ingest.arxiv_atom import looks_like_atom
from kg.ingest.daily_papers import looks_like_daily_papers
from kg.ingest.files import InputFile, UnreadableFile, read_text

_BY_EXTENSION = {
    ".bib": "bibtex",
    ".bibtex": "bibtex",
    ".csv": "csv",
    ".json": "jsonl",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".atom": "arxiv-atom",
    ".xml": "arxiv-atom",
}
_TEXT_EXTENSIONS = (".txt", ".text")
_BIBTEX_ENTRY = re.compile(r"^\s*@\w+\s*[{(]", re.MULTILINE)


def detect_format(file: InputFile, *, found_in_folder: bool) -> str:
    """The format name for `file`; a file in a folder with an unknown extension is not read."""
    suffix = "." + file.name.rsplit(".", 1)[-1] if "." in file.name else ""
    if suffix in _BY_EXTENSION:
        return _BY_EXTENSION[suffix]
    if found_in_folder and suffix not in _TEXT_EXTENSIONS:
        raise UnreadableFile(
            f"not an input file (unknown extension {suffix or '(none)'!r}; "
            "name it explicitly or pass a format to read it); skipped"
        )
    return format_of_text(read_text(file))


def format_of_text(text: str) -> str:
    """The format a text looks like: JSON, Atom, BibTeX, CSV, or one of the plain-text shapes."""
    head = text.lstrip()[:1]
    first_line = text.lstrip().split("\n", 1)[0].lower()
    if head in ("{", "["):
        return "jsonl"
    if looks_like_atom(text):
        return "arxiv-atom"
    if _BIBTEX_ENTRY.search(text[:4096]):
        return "bibtex"
    if "abstract" in first_line and "," in first_line and len(first_line) < 200:
        return "csv"
    if looks_like_abstract_list(text):
        return "abstract-list"
    if looks_like_daily_papers(text):
        return "daily-papers"
    return "text"
