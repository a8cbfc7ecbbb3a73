"""The text of a Doc, computed once: `Doc.text` rebuilds the string on every access."""

from spacy.tokens import Doc, Span


def doc_text(doc: Doc) -> str:
    text = doc.user_data.get("kg_text")
    if text is None:
        text = doc.user_data["kg_text"] = doc.text
    return text


def sentence_text(sentence: Span) -> str:
    """`Span.text` cut from the doc's text, without walking the span's tokens."""
    return doc_text(sentence.doc)[sentence.start_char : sentence.end_char]
