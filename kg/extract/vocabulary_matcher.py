"""spaCy component `kg_vocabulary`: mark every surface form of a known concept.

Labels that are one token with a capital letter (SAM, CLIP, Gemini) match
case-sensitively, so the model SAM is not the word "sam"; so do all labels of a
concept marked kgv:matchCase (Natural Questions, not "natural questions"); every
other label (multi-token names, lower-case modality words) matches in any case.
A concept's false friends (kgv:falseFriend: "hate speech", "part of speech" for the
modality speech) are matched too, in any case, and win over the label inside them as
the longer match, so that they hide it; they are not kept.
Results: `doc.spans["kg_vocab"]`, each span labelled with the concept's type
and carrying the concept IRI as `kb_id_`.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.util import filter_spans

from kg.extract.vocabulary import Vocabulary, default_vocabulary

SPAN_KEY = "kg_vocab"
FALSE_FRIEND = "false friend"


def is_case_sensitive(label_tokens: list[str]) -> bool:
    """A one-token label with a capital letter names a thing only in that case."""
    return len(label_tokens) == 1 and any(ch.isupper() for ch in label_tokens[0])


class VocabularyMatcher:
    def __init__(self, nlp: Language, vocabulary: Vocabulary):
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.folded = PhraseMatcher(nlp.vocab, attr="LOWER")
        for concept in vocabulary.concepts.values():
            exact, folded = [], []
            for form in sorted(set(concept.surface_forms)):
                pattern = nlp.make_doc(form)
                as_written = concept.match_case or is_case_sensitive([t.text for t in pattern])
                (exact if as_written else folded).append(pattern)
            if exact:
                self.exact.add(concept.iri, exact)
            if folded:
                self.folded.add(concept.iri, folded)
        false_friends = [f for c in vocabulary.concepts.values() for f in c.false_friends]
        if false_friends:
            self.folded.add(FALSE_FRIEND, [nlp.make_doc(f) for f in sorted(set(false_friends))])
        self.types = {iri: c.type for iri, c in vocabulary.concepts.items()}
        self.types[FALSE_FRIEND] = FALSE_FRIEND

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for matcher in (self.exact, self.folded):
            for span in matcher(doc, as_spans=True):
                iri = span.label_
                spans.append(
                    doc.char_span(span.start_char, span.end_char, self.types[iri], kb_id=iri)
                )
        doc.spans[SPAN_KEY] = [s for s in filter_spans(spans) if s.label_ != FALSE_FRIEND]
        return doc


@Language.factory("kg_vocabulary")
def make_vocabulary_matcher(nlp: Language, name: str) -> VocabularyMatcher:
    return VocabularyMatcher(nlp, default_vocabulary())
