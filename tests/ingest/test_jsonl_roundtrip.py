"""Any Unicode title and abstract written to JSONL reads back equal, after whitespace folding."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.ingest import ingest
from kg.ingest.record import clean_abstract, fold_whitespace, is_placeholder_abstract, repair_text

# Quotes, backslashes, newlines, control characters, right-to-left text and emoji.
tricky = st.sampled_from(
    ['"', "\\", "\n", "\r\n", "\t", "\x00", "\x1f", "\u202e", "שלום", "🧬", " "]
)
text = st.lists(st.one_of(st.text(min_size=1), tricky), min_size=1).map("".join)


# Eight words or more: a shorter abstract is a placeholder ("[No abstract available]").
SENTENCE = "We segment every organ in abdominal CT scans with one model."


def usable(abstract: str) -> bool:
    cleaned = clean_abstract(repair_text(abstract))
    return bool(cleaned) and not is_placeholder_abstract(cleaned)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(title=text, abstract=text.map(lambda noise: f"{noise} {SENTENCE} {noise}").filter(usable))
def test_unicode_round_trips_through_jsonl(tmp_path, title, abstract):
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps({"title": title, "abstract": abstract}) + "\n", encoding="utf-8")
    (paper,) = ingest([path]).papers
    assert paper.abstract == clean_abstract(repair_text(abstract))
    assert paper.title == (fold_whitespace(repair_text(title)) or None)
