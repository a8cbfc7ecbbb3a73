"""The extraction pipeline, assembled in one place from the components' names."""

from __future__ import annotations

import spacy
from spacy.language import Language

# Importing the component modules registers their factories with spaCy.
from kg.extract import abbreviations, names, relations, vocabulary_matcher  # noqa: F401
from kg.extract.tokenizer import build_tokenizer

COMPONENTS = ("kg_vocabulary", "kg_abbreviations", "kg_names", "kg_relations")
SENTENCE_SETTERS = {"parser", "senter", "sentencizer"}


def build_pipeline(spacy_model: str | None = None) -> Language:
    """spaCy's blank English, or an installed trained pipeline, plus our components.

    A trained pipeline contributes its sentence boundaries (from its parser); the
    rules themselves need nothing from it.
    """
    if spacy_model:
        nlp = spacy.load(spacy_model, exclude=["ner", "lemmatizer", "textcat"])
    else:
        nlp = spacy.blank("en")
    nlp.tokenizer = build_tokenizer(nlp)
    if not SENTENCE_SETTERS & set(nlp.pipe_names):
        nlp.add_pipe("sentencizer")
    for component in COMPONENTS:
        nlp.add_pipe(component)
    return nlp
