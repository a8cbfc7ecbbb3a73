"""Plain text: paragraphs separated by blank lines, each one abstract, perhaps under a title.

A paragraph whose first line is title-like and whose second line starts a new
sentence (capital letter or digit) is title + abstract, when the rest is long
enough to be an abstract; otherwise the whole paragraph is the abstract (a
hard-wrapped abstract continues mid-sentence on its second line).
"""

from __future__ import annotations

from collections.abc import Iterator

from kg.ingest.files import InputFile, read_text
from kg.ingest.record import RawRecord, fold_whitespace
from kg.ingest.shapes import Paragraph, is_abstract_like, is_title_like, paragraphs
from kg.records import SourceRef

# Prose is mostly letters: at least this share of the non-space characters of its head.
_PROSE_LETTER_SHARE = 0.7


def looks_like(head: str) -> bool:
    """Prose: mostly letters, with a paragraph as long as an abstract; not markup or data."""
    if head.lstrip()[:1] in ("{", "[", "<", "@"):
        return False
    visible = "".join(head.split())
    letters = sum(1 for character in visible if character.isalpha())
    return letters >= _PROSE_LETTER_SHARE * len(visible) and any(
        is_abstract_like(paragraph.text) for paragraph in paragraphs(head)
    )


def read(file: InputFile) -> Iterator[RawRecord]:
    """One record per paragraph."""
    for paragraph in paragraphs(read_text(file)):
        title, abstract = split_title(paragraph)
        yield RawRecord(SourceRef(file.shown, paragraph.line), abstract=abstract, title=title)


def split_title(paragraph: Paragraph) -> tuple[str | None, str]:
    """(title, abstract) when the first line reads as a title, else (None, whole paragraph)."""
    first, *rest = paragraph.lines
    body = fold_whitespace(" ".join(rest))
    starts_sentence = bool(rest) and (rest[0][:1].isupper() or rest[0][:1].isdigit())
    if is_title_like(fold_whitespace(first)) and starts_sentence and is_abstract_like(body):
        return fold_whitespace(first), body
    return None, paragraph.text
