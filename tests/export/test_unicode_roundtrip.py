"""Any title and abstract a user brings survives all three exports.

Property tests (hypothesis): quotes, newlines, control characters, right-to-left
text and emoji in a paper's title and abstract; the Turtle parses (rdflib), the
GraphML loads (networkx) and the HTML page's embedded data parses as JSON, each
giving the text back as far as the format can hold it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib.namespace import DCTERMS

from kg.export.graphml import write_graphml
from kg.export.html import write_html
from kg.export.turtle import write_turtle
from kg.extract import build_pipeline, extract_papers
from kg.extract.vocabulary import default_vocabulary
from kg.graph import assemble_graph, paper_node
from kg.link import resolve
from kg.records import Paper, SourceRef

# Lone surrogates cannot be encoded as UTF-8 at all; ingest reports them as a problem.
FRAGMENTS = [
    '"',
    "'",
    "\\",
    "<",
    ">",
    "&",
    "\n",
    "\r",
    "\t",
    "\x00",
    "\x1b",
    "\u202e",
    "\u05d0\u05d1",
    "\u0627\u0644",
    "😀",
    "</script>",
    "]]>",
    "@prefix",
    "<!--",
    "SAM",
]
TEXT = st.lists(
    st.one_of(st.characters(blacklist_categories=("Cs",)), st.sampled_from(FRAGMENTS)),
    min_size=1,
    max_size=30,
).map("".join)
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
NLP = build_pipeline()


def build_one(title: str, abstract: str) -> nx.MultiDiGraph:
    paper = Paper(id="doi:10.5555/x", title=title, abstract=abstract, sources=(SourceRef("t", 1),))
    extractions = list(extract_papers([paper], NLP))
    linked = resolve(extractions, default_vocabulary())
    return assemble_graph([paper], extractions, linked)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(title=TEXT, abstract=TEXT)
def test_any_text_survives_every_export(tmp_path: Path, title: str, abstract: str) -> None:
    graph = build_one(title, abstract)
    node = paper_node("doi:10.5555/x")

    write_turtle(graph, tmp_path / "graph.ttl", with_ontology=False)
    rdf = rdflib.Graph().parse(tmp_path / "graph.ttl", format="turtle")
    # Turtle holds every character but U+0000, which the writer replaces.
    turtle_title = {str(o) for o in rdf.objects(None, DCTERMS.title)}
    turtle_abstract = {str(o) for o in rdf.objects(None, DCTERMS.abstract)}
    assert turtle_title == {title.replace("\x00", "\ufffd")}
    assert turtle_abstract == {abstract.replace("\x00", "\ufffd")}

    write_graphml(graph, tmp_path / "graph.graphml")
    loaded = nx.read_graphml(tmp_path / "graph.graphml")
    # XML 1.0 cannot hold most control characters: the writer drops them.
    assert loaded.nodes[node]["title"] == XML_FORBIDDEN.sub("", title)
    assert loaded.nodes[node]["abstract"] == XML_FORBIDDEN.sub("", abstract)

    write_html(graph, tmp_path / "graph.html")
    page = (tmp_path / "graph.html").read_text(encoding="utf-8")
    data_element = r'<script type="application/json" id="kg-data">(.*?)</script>'
    data_text = re.search(data_element, page, re.S)
    assert data_text is not None
    data = json.loads(data_text.group(1))
    assert {n["name"] for n in data["nodes"] if n["id"] == node} == {title}
