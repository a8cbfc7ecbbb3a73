"""Shortcuts taken for speed give what the slower way gives: hand-written matchers what
the regexes they stand in for find, the pipeline the extractions of spaCy's defaults."""

from __future__ import annotations

import re
from pathlib import Path

import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language

from kg.extract import build_pipeline, extract_papers
from kg.extract.names import NameFinder, maybe_capitalised_chunks, words
from kg.extract.paper import written_alone
from kg.extract.tokenizer import build_tokenizer
from kg.extract.vocabulary import default_vocabulary
from kg.ingest import ingest

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
# Word characters of both kinds (ASCII and not), the hyphen and underscore the class adds,
# whitespace of several kinds, and capitals after it or not.
ALPHABET = "aAZk9_-é١ \t\n\u3000.,(S"


@settings(max_examples=500)
@given(st.text(ALPHABET, min_size=1, max_size=4), st.text(ALPHABET, max_size=30))
def test_written_alone_is_the_regex(form: str, text: str) -> None:
    regex = rf"(?<![\w-]){re.escape(form)}(?![\w-]|\s+[A-Z])"
    assert written_alone(form, text) == bool(re.search(regex, text))


def test_written_alone_examples() -> None:
    assert written_alone("SAM", "we fine-tune SAM on CT")
    assert not written_alone("SAM", "MedSAM and SAMv2")
    assert not written_alone("ETH", "at ETH Zurich")
    assert written_alone("ETH", "at ETH.")


# What `NameFinder._shaped_words` read before `maybe_capitalised_chunks`: from the start of
# each chunk (whitespace-delimited), ASCII lower case, digits and punctuation, then another
# character (a capital, or any other, whitespace too), then the rest of the chunk.
CHUNK = re.compile(r"(?<!\S)[^\sA-Z\x80-\U0010ffff]*+[^\x00-\x40\x5b-\x7f]\S*")


@settings(max_examples=500, deadline=None)
@given(st.text("aZ9(-. é\xa0\u3000\t\n\x1cſBM", max_size=30))
def test_the_shaped_words_are_those_of_the_regex_chunks(text: str) -> None:
    shape = NameFinder(default_vocabulary()).shape
    shaped = [
        (match.start() + word.start, core)
        for match in CHUNK.finditer(text)
        for word in words(match.group())
        if not word.text.islower() and shape.is_name(core := shape.core(word.text), True)
    ]
    assert list(NameFinder(default_vocabulary())._shaped_words(text)) == shaped
    assert all(not chunk[:1].isspace() for _, chunk in maybe_capitalised_chunks(text))


def seed_texts() -> list[str]:
    papers = ingest([SEEDS]).papers
    return [text for paper in papers for text in (paper.abstract, paper.title or "")]


def test_the_blank_pipeline_tokenizes_as_ours_built_on_spacys_default(nlp: Language) -> None:
    # the pipeline's tokenizer comes from a registered factory, not from replacing spaCy's
    ours = build_tokenizer(spacy.blank("en"))
    assert nlp.tokenizer.rules == ours.rules
    for text in seed_texts() + ["e.g. U.S. (CG)-the framework(HGFD) RenalCyst-12K."]:
        tokens = [(t.text, t.whitespace_) for t in nlp.make_doc(text)]
        assert tokens == [(t.text, t.whitespace_) for t in ours(text)]


def test_the_lexical_attributes_left_out_change_no_extraction(nlp: Language) -> None:
    full = build_pipeline()
    full.vocab.lex_attr_getters = spacy.blank("en").vocab.lex_attr_getters
    assert len(full.vocab.lex_attr_getters) > len(nlp.vocab.lex_attr_getters)
    papers = ingest([SEEDS]).papers
    assert list(extract_papers(papers, full)) == list(extract_papers(papers, nlp))
