"""The extraction pipeline, assembled in one place from the components' names."""

from __future__ import annotations

import spacy
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.util import compile_infix_regex, compile_suffix_regex

# Importing the component modules registers their factories with spaCy.
from kg.extract import abbreviations, names, relations, vocabulary_matcher  # noqa: F401

COMPONENTS = ("kg_vocabulary", "kg_abbreviations", "kg_names", "kg_relations")
SENTENCE_SETTERS = {"parser", "senter", "sentencizer"}
# A full stop after a name that ends in a capital or digit ends the sentence
# ("trained on RenalCyst-12K."); "U.S." and "e.g." keep theirs.
NAME_FULL_STOP = r"(?<=[A-Za-z0-9][A-Z0-9])\."
# "(CG)-the": a closing parenthesis before a hyphen ends the acronym's token.
PARENTHESIS_BEFORE_HYPHEN = r"(?<=[A-Za-z0-9])\)(?=[-–])"
# "framework(HGFD)": a parenthesis that opens a short form right after a word is its own token.
PARENTHESIS_AFTER_WORD = r"(?<=[a-z])\((?=[A-Z])"


def build_pipeline(spacy_model: str | None = None) -> Language:
    """spaCy's blank English, or an installed trained pipeline, plus our components.

    A trained pipeline contributes its sentence boundaries (from its parser); the
    rules themselves need nothing from it.
    """
    if spacy_model:
        nlp = spacy.load(spacy_model, exclude=["ner", "lemmatizer", "textcat"])
    else:
        nlp = spacy.blank("en")
    suffixes = [*nlp.Defaults.suffixes, NAME_FULL_STOP]
    infixes = [*nlp.Defaults.infixes, PARENTHESIS_BEFORE_HYPHEN, PARENTHESIS_AFTER_WORD]
    # One new tokenizer rather than two setters: each setter re-tokenizes the thousands of
    # special cases (0.1 s each, before any worker can start).
    default = nlp.tokenizer
    nlp.tokenizer = Tokenizer(
        nlp.vocab,
        rules=default.rules,
        prefix_search=default.prefix_search,
        suffix_search=compile_suffix_regex(suffixes).search,
        infix_finditer=compile_infix_regex(infixes).finditer,
        token_match=default.token_match,
        url_match=default.url_match,
        faster_heuristics=default.faster_heuristics,
    )
    if not SENTENCE_SETTERS & set(nlp.pipe_names):
        nlp.add_pipe("sentencizer")
    for component in COMPONENTS:
        nlp.add_pipe(component)
    return nlp
