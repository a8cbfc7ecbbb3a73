"""spaCy component `kg_abbreviations`: long and short forms defined in the text.

Implements the algorithm of Schwartz & Hearst (2003), "A simple algorithm for
identifying abbreviation definitions in biomedical text": for "long form (SF)"
the short form's characters are matched right to left in the words before the
parenthesis, the first one at the start of a word. Also accepts the reverse
"SF (long form)" when the parenthesis holds several words, and both forms inside
one parenthesis, "(long form, SF)".
Results: `doc._.kg_abbreviations`, a list of `Abbreviation`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.extract.text import doc_text

PARENTHESIS = re.compile(r"\(([^()]{1,80})\)")
# "(general medical AI, GMAI)": a long form and its short form, in that order.
LONG_THEN_SHORT = re.compile(r"([^,]{4,70}),\s*([A-Za-z][\w-]{1,9})")
# "(GMONet for short)": the short form, then words that say it is one.
FOR_SHORT = re.compile(r"\s+(?:for|in)\s+short$", re.IGNORECASE)
# "partial ancestor graphs (or PAGs)", "fusion with Transformer (named CCT)": the short form
# after a word that says it is one.
SHORT_FORM_LEAD = re.compile(r"(?:or|(?:named|called|termed|dubbed|abbreviated)(?:\s+as)?)\s+")


@dataclass(frozen=True)
class Abbreviation:
    long: Span
    short: Span


def is_short_form(text: str) -> bool:
    """Schwartz-Hearst's filter: 2-10 characters, one word or two, a letter first-or-inside."""
    words = text.split()
    return (
        2 <= len(text) <= 10
        and len(words) <= 2
        and text[0].isalnum()
        and any(ch.isalpha() for ch in text)
    )


def find_long_form(short: str, candidate: str) -> int | None:
    """Offset in `candidate` where the long form of `short` begins, or None.

    Scans both strings right to left; every character of `short` must appear in
    order, and its first character must begin a word of `candidate`.
    """
    s_index = len(short) - 1
    l_index = len(candidate) - 1
    while s_index >= 0:
        ch = short[s_index].lower()
        if not ch.isalnum():
            s_index -= 1
            continue
        while l_index >= 0 and (
            candidate[l_index].lower() != ch
            or (s_index == 0 and l_index > 0 and candidate[l_index - 1].isalnum())
        ):
            l_index -= 1
        if l_index < 0:
            return None
        l_index -= 1
        s_index -= 1
    start = candidate.rfind(" ", 0, l_index + 1) + 1
    return start


def candidate_window(text: str, end: int, short: str) -> tuple[int, str]:
    """The words before a parenthesis that may hold the long form: min(|SF| + 5, 2|SF|)."""
    max_words = min(len(short) + 5, 2 * len(short))
    start = end
    words = 0
    while start > 0 and words < max_words:
        start = text.rfind(" ", 0, start - 1) + 1 if start > 1 else 0
        words += 1
        if start == 0:
            break
    # A long form never crosses a sentence or clause boundary.
    window = text[start:end]
    for stop in (". ", "; ", ": "):
        cut = window.rfind(stop)
        if cut >= 0:
            start += cut + len(stop)
            window = text[start:end]
    return start, window


def find_abbreviations(doc: Doc) -> list[Abbreviation]:
    text = doc_text(doc)
    found = []
    for match in PARENTHESIS.finditer(text):
        inner = FOR_SHORT.sub("", match.group(1).strip())
        inner_start = match.start(1) + (len(match.group(1)) - len(match.group(1).lstrip()))
        lead = SHORT_FORM_LEAD.match(inner)
        if lead:
            inner, inner_start = inner[lead.end() :], inner_start + lead.end()
        open_at = match.start()
        before_end = open_at
        while before_end > 0 and text[before_end - 1] == " ":
            before_end -= 1
        long_span = short_span = None
        listed = LONG_THEN_SHORT.fullmatch(inner)
        if is_short_form(inner):
            start, window = candidate_window(text, before_end, inner)
            offset = find_long_form(inner, window)
            if offset is None:
                continue
            long_start = start + offset
            long_text = text[long_start:before_end]
            if len(long_text) <= len(inner) or len(long_text.split()) > len(inner) + 5:
                continue
            long_span = doc.char_span(long_start, before_end, alignment_mode="expand")
            short_span = doc.char_span(
                inner_start, inner_start + len(inner), alignment_mode="expand"
            )
        elif listed and find_long_form(listed.group(2), listed.group(1)) == 0:
            # "(general medical AI, GMAI)": both forms inside the parenthesis.
            short_start = inner_start + listed.start(2)
            long_span = doc.char_span(
                inner_start, inner_start + len(listed.group(1)), alignment_mode="expand"
            )
            short_span = doc.char_span(
                short_start, short_start + len(listed.group(2)), alignment_mode="expand"
            )
        else:
            # "SF (long form)": the word before the parenthesis is the short form, in
            # capitals or shaped like a name ("CRAViM (Convolutional ... Vision Mamba)").
            word_start = text.rfind(" ", 0, before_end) + 1
            short = text[word_start:before_end]
            if not is_short_form(short) or len(inner.split()) < 2 or not short[:1].isupper():
                continue
            if sum(ch.isupper() for ch in short) < 2 or find_long_form(short, inner) != 0:
                continue
            long_span = doc.char_span(
                inner_start, inner_start + len(inner), alignment_mode="expand"
            )
            short_span = doc.char_span(word_start, before_end, alignment_mode="expand")
        if long_span is not None and short_span is not None:
            found.append(Abbreviation(long=long_span, short=short_span))
    return found


class AbbreviationDetector:
    def __call__(self, doc: Doc) -> Doc:
        doc._.kg_abbreviations = find_abbreviations(doc)
        return doc


if not Doc.has_extension("kg_abbreviations"):
    Doc.set_extension("kg_abbreviations", default=None)


@Language.factory("kg_abbreviations")
def make_abbreviation_detector(nlp: Language, name: str) -> AbbreviationDetector:
    return AbbreviationDetector()
