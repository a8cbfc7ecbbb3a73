"""The text of a Doc, computed once: `Doc.text` rebuilds the string on every access."""

from spacy.tokens import Doc


def doc_text(doc: Doc) -> str:
    text = doc.user_data.get("kg_text")
    if text is None:
        text = doc.user_data["kg_text"] = doc.text
    return text
