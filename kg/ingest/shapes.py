"""What a title and an abstract look like in unlabelled text: the rule the text readers share.

A title is a short line that does not end a sentence; an abstract is a long
paragraph. Page chrome ("Subscribe", "Aug 20") is short but is never followed
by an abstract, so it pairs with nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.ingest.record import fold_whitespace

ABSTRACT_MIN_CHARS = 250  # the shortest seed abstract has 1361; the longest seed title 142
_SENTENCE_END = (".", ",", ";", ":")


@dataclass(frozen=True)
class Paragraph:
    """Consecutive non-blank lines and the 1-based line number of the first."""

    line: int
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        return fold_whitespace(" ".join(self.lines))


def paragraphs(text: str) -> list[Paragraph]:
    """Blocks of non-blank lines separated by blank lines, each with its starting line."""
    found: list[Paragraph] = []
    start, block = 0, []
    # Split at newlines only: str.splitlines also splits at form feeds and vertical tabs.
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            if not block:
                start = number
            block.append(line.strip())
        elif block:
            found.append(Paragraph(start, tuple(block)))
            block = []
    if block:
        found.append(Paragraph(start, tuple(block)))
    return found


def is_abstract_like(text: str) -> bool:
    """Long enough to be an abstract rather than a title or page chrome."""
    return len(text) >= ABSTRACT_MIN_CHARS


def is_title_like(text: str) -> bool:
    """Short, and not the end of a sentence."""
    return 0 < len(text) < ABSTRACT_MIN_CHARS and not text.endswith(_SENTENCE_END)
