"""Any Unicode title and abstract written to JSONL reads back equal, after whitespace folding."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.ingest import ingest
from kg.ingest.record import clean_abstract, fold_whitespace

# Quotes, backslashes, newlines, control characters, right-to-left text and emoji.
tricky = st.sampled_from(
    ['"', "\\", "\n", "\r\n", "\t", "\x00", "\x1f", "\u202e", "שלום", "🧬", " "]
)
text = st.lists(st.one_of(st.text(min_size=1), tricky), min_size=1).map("".join)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(title=text, abstract=text.filter(lambda value: clean_abstract(value)))
def test_unicode_round_trips_through_jsonl(tmp_path, title, abstract):
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps({"title": title, "abstract": abstract}) + "\n", encoding="utf-8")
    (paper,) = ingest([path]).papers
    assert paper.abstract == clean_abstract(abstract)
    assert paper.title == (fold_whitespace(title) or None)
