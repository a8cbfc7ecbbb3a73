"""The tokenizer's affix searches must find exactly what the whole regexes find."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language
from spacy.tokenizer import Tokenizer

from kg.extract.tokenizer import (
    InfixFinditer,
    SuffixSearch,
    build_tokenizer,
    opening_characters,
)
from kg.ingest import ingest

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
# Characters the affix rules turn on: letters of both cases, digits, the punctuation of
# suffixes, infixes and ellipses, a symbol, a unit and whitespace.
ALPHABET = "aZk9m0.,;:!?-–—()[]'’\"%$+*/^<>=~…°©\n ş"
TRICKY = [
    "",
    "word.",
    "RenalCyst-12K.",
    "U.S.",
    "e.g.",
    "....",
    "wait.....",
    "x..",
    "..\n",
    "5km",
    "5ms",
    "models",
    "CT)",
    "10km/h",
    "3mbar",
    "2اكواب",  # the longest bounded suffix: five characters
    "2اكواب\n",  # `$` matches before a final newline too
    "10%",
    "model's",
    "(CG)-the",
    "framework(HGFD)",
    "GPT-4V(ision)",
    "3+4",
    "well-known",
    "a/b",
    "x,y",
    "A.B",
    "Art©",
    "plain",
]


@functools.cache
def tokenizers() -> tuple[Language, Tokenizer]:
    """spaCy's blank English, and our tokenizer built from it (once: 0.2 s)."""
    nlp = spacy.blank("en")
    return nlp, build_tokenizer(nlp)


@pytest.fixture
def blank() -> Language:
    return tokenizers()[0]


@pytest.fixture
def fast() -> Tokenizer:
    return tokenizers()[1]


def plain(fast: Tokenizer, blank: Language) -> Tokenizer:
    """The same tokenizer searching its whole affix regexes the usual way."""
    return Tokenizer(
        blank.vocab,
        rules=fast.rules,
        prefix_search=blank.tokenizer.prefix_search,
        suffix_search=fast.suffix_search.__self__.regex.search,
        infix_finditer=fast.infix_finditer.__self__.regex.finditer,
        token_match=fast.token_match,
        url_match=fast.url_match,
        faster_heuristics=fast.faster_heuristics,
    )


def spans(matches) -> list[tuple[int, int]]:
    return [match.span() for match in matches]


def check_affixes(fast: Tokenizer, blank: Language, string: str) -> None:
    suffix = fast.suffix_search.__self__.regex
    infix = fast.infix_finditer.__self__.regex
    prefix = blank.tokenizer.prefix_search
    assert spans(filter(None, [fast.suffix_search(string)])) == spans(
        filter(None, [suffix.search(string)])
    )
    assert spans(fast.infix_finditer(string)) == spans(infix.finditer(string))
    assert spans(filter(None, [fast.prefix_search(string)])) == spans(
        filter(None, [prefix(string)])
    )


@pytest.mark.parametrize("string", TRICKY)
def test_affixes_match_as_the_whole_regexes_do(
    fast: Tokenizer, blank: Language, string: str
) -> None:
    check_affixes(fast, blank, string)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=14))
def test_affixes_match_as_the_whole_regexes_do_on_any_string(string: str) -> None:
    nlp, fast = tokenizers()
    check_affixes(fast, nlp, string)


def test_the_seeds_tokenize_as_with_the_whole_regexes(fast: Tokenizer, blank: Language) -> None:
    papers = ingest([SEEDS]).papers
    texts = [text for paper in papers for text in (paper.abstract, paper.title or "")]
    slow = plain(fast, blank)
    for text in texts:
        assert [t.text for t in fast(text)] == [t.text for t in slow(text)]


def test_a_long_ellipsis_is_one_suffix(fast: Tokenizer) -> None:
    # the dots run further back than any bounded suffix: the whole string is searched
    assert fast.suffix_search("wait.........").span() == (4, 13)
    assert [t.text for t in fast("wait.........")] == ["wait", "........."]


def test_opening_characters_are_told_only_when_certain() -> None:
    assert opening_characters(re.compile(r"(?<=[a-z])\((?=[A-Z])|,")) == [(40, 40), (44, 44)]
    assert opening_characters(re.compile(r"x*")) is None  # can match nothing
    assert opening_characters(re.compile(r"[^a]")) is None
    assert opening_characters(re.compile(r"\d")) is None
    assert opening_characters(re.compile(r"a", re.IGNORECASE)) is None


def test_an_infix_regex_that_cannot_be_read_is_searched_whole() -> None:
    finditer = InfixFinditer(re.compile(r"\W")).finditer
    assert spans(finditer("a-b")) == [(1, 2)]
    search = SuffixSearch(re.compile(r"(?:ab|\d+)$")).search
    assert search("x123456789").span() == (1, 10)


def test_the_tokenizer_serialises(fast: Tokenizer) -> None:
    assert fast.to_bytes()
