"""Text copied from a Hugging Face "Daily Papers" page: title lines, each followed by its abstract.

Everything is a one-line paragraph. A title-like line followed by an abstract-like
line is a paper; a long line with no title before it is a paper without a title.
Short lines before the first paper are page chrome and are not records; a short
line after it that no abstract follows is reported, since it may be a paper
whose abstract is missing.
"""

from __future__ import annotations

from collections.abc import Iterator

from kg.ingest.files import InputFile, read_text
from kg.ingest.record import RawRecord, fold_whitespace
from kg.ingest.shapes import is_abstract_like, is_title_like
from kg.records import Problem, SourceRef


def read(file: InputFile) -> Iterator[RawRecord | Problem]:
    """Title/abstract pairs of a daily-papers page, skipping the page chrome."""
    path = file.shown
    # Split at newlines only: str.splitlines also splits at form feeds and vertical tabs.
    lines = [
        (number, folded)
        for number, line in enumerate(read_text(file).split("\n"), start=1)
        if (folded := fold_whitespace(line))
    ]
    seen_paper = False
    index = 0
    while index < len(lines):
        number, line = lines[index]
        following = lines[index + 1][1] if index + 1 < len(lines) else ""
        if is_title_like(line) and is_abstract_like(following):
            yield RawRecord(SourceRef(path, number), abstract=following, title=line)
            seen_paper = True
            index += 2
            continue
        if is_abstract_like(line):
            yield RawRecord(SourceRef(path, number), abstract=line)
            seen_paper = True
        elif seen_paper:
            yield Problem(
                path, number, f"short line {line[:60]!r} has no abstract after it; skipped"
            )
        index += 1


def looks_like(head: str) -> bool:
    """One-line paragraphs only, with at least one title line followed by an abstract line."""
    lines: list[str] = []
    previous_blank = True
    for line in head.split("\n"):
        folded = fold_whitespace(line)
        if folded and not previous_blank:
            return False
        previous_blank = not folded
        if folded:
            lines.append(folded)
    return any(
        is_title_like(title) and is_abstract_like(abstract)
        for title, abstract in zip(lines, lines[1:], strict=False)
    )
