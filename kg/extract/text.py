"""The text of a Doc, computed once: `Doc.text` and `Span.text` rebuild the string from
the tokens on every access."""

from spacy.language import Language
from spacy.tokens import Doc, Span

TEXT_KEY = "kg_text"


def make_doc(nlp: Language, text: str) -> Doc:
    """`nlp.make_doc`, remembering `text`: the tokenizer keeps every character, so the
    doc's text is the text it was made from."""
    doc = nlp.make_doc(text)
    doc.user_data[TEXT_KEY] = text
    return doc


def doc_text(doc: Doc) -> str:
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.user_data[TEXT_KEY] = doc.text
    return text


def span_text(span: Span) -> str:
    """`Span.text` cut from the doc's text, without walking the span's tokens."""
    return doc_text(span.doc)[span.start_char : span.end_char]


sentence_text = span_text  # the name the sentence-by-sentence rules read best with
