"""The extraction pipeline, assembled in one place from the components' names."""

from __future__ import annotations

import spacy
from spacy.attrs import IS_PUNCT, LOWER
from spacy.language import Language

# Importing the component modules registers their factories with spaCy.
from kg.extract import abbreviations, names, relations, vocabulary_matcher  # noqa: F401
from kg.extract.tokenizer import build_tokenizer

COMPONENTS = ("kg_vocabulary", "kg_abbreviations", "kg_names", "kg_relations")
SENTENCE_SETTERS = {"parser", "senter", "sentencizer"}
BLANK_CONFIG = {"nlp": {"tokenizer": {"@tokenizers": "kg.Tokenizer.v1"}}}
# The lexical attributes a blank pipeline reads: the vocabulary matcher's LOWER and the
# sentencizer's IS_PUNCT (the rules read token text alone). spaCy computes some twenty
# more for each new word, a quarter of the tokenizer's time on abstracts; a rule that reads
# another (`token.like_num`) adds it here.
LEXEME_ATTRIBUTES = {LOWER, IS_PUNCT}


def build_pipeline(spacy_model: str | None = None) -> Language:
    """spaCy's blank English, or an installed trained pipeline, plus our components.

    A trained pipeline contributes its sentence boundaries (from its parser); the
    rules themselves need nothing from it.
    """
    if spacy_model:
        nlp = spacy.load(spacy_model, exclude=["ner", "lemmatizer", "textcat"])
        nlp.tokenizer = build_tokenizer(nlp)
    else:
        nlp = spacy.blank("en", config=BLANK_CONFIG)
        getters = nlp.vocab.lex_attr_getters
        nlp.vocab.lex_attr_getters = {a: getters[a] for a in getters if a in LEXEME_ATTRIBUTES}
    if not SENTENCE_SETTERS & set(nlp.pipe_names):
        nlp.add_pipe("sentencizer")
    for component in COMPONENTS:
        nlp.add_pipe(component)
    return nlp
