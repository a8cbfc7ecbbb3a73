"""Turtle export: read back by rdflib, rapper and pyoxigraph, and compared with the graph."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import networkx as nx
import pyoxigraph
import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdf_sample import HOSTILE_ID, HOSTILE_TITLE, require_tool, sample_graph
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from kg.export.turtle import decimal, evidence_iri, write_turtle
from kg.namespace import KG, SCHEMA, node_iri

SHARED = Path(__file__).resolve().parents[3] / "shared"  # beside the checkout, as in CI
SCORER = SHARED / "tools" / "score.py"
GOLD = SHARED / "gold" / "seeds.gold.jsonl"


@pytest.fixture(scope="module")
def parsed(sample_export: Path) -> rdflib.Graph:
    return rdflib.Graph().parse(sample_export, format="turtle")


def shuffled(graph: nx.MultiDiGraph, seed: int) -> nx.MultiDiGraph:
    """The same graph with nodes and edges inserted in another order."""
    rng = random.Random(seed)
    nodes = list(graph.nodes(data=True))
    edges = list(graph.edges(keys=True, data=True))
    rng.shuffle(nodes)
    rng.shuffle(edges)
    copy = nx.MultiDiGraph()
    copy.add_nodes_from(nodes)
    copy.add_edges_from(edges)
    return copy


def unescaped(text: str) -> str:
    """What a reader gets back for `text`: U+FFFD for U+0000 and lone surrogates."""
    return "".join("\ufffd" if c == "\0" or 0xD800 <= ord(c) < 0xE000 else c for c in text)


def test_triple_count_matches_what_rdflib_reads(tmp_path, parsed):
    count = write_turtle(sample_graph(), tmp_path / "graph.ttl", with_ontology=False)
    assert count == len(parsed)
    assert not (tmp_path / "ontology.ttl").exists()


def test_papers_have_their_text_and_provenance(parsed):
    graph = sample_graph()
    for node_id, data in graph.nodes(data=True):
        if data["kind"] != "Paper":
            continue
        iri = node_iri(node_id)
        assert (iri, RDF.type, KG.Paper) in parsed
        abstract, label, title = (unescaped(data[k]) for k in ("abstract", "label", "title"))
        assert list(parsed.objects(iri, DCTERMS.abstract)) == [rdflib.Literal(abstract)]
        assert list(parsed.objects(iri, RDFS.label)) == [rdflib.Literal(label)]
        titles = list(parsed.objects(iri, DCTERMS.title))
        assert titles == ([rdflib.Literal(title)] if title else [])
        sources = {str(s) for s in parsed.objects(iri, DCTERMS.source)}
        assert sources == set(data["sources"])
        assert rdflib.Literal(node_id.removeprefix("paper/")) in set(
            parsed.objects(iri, DCTERMS.identifier)
        )
    pax = node_iri("paper/title:pax")
    assert set(parsed.objects(pax, SCHEMA.codeRepository)) == {
        rdflib.URIRef("https://constantinseibold.github.io/paxray/")
    }
    mix = node_iri("paper/title:mix")
    assert parsed.value(mix, DCTERMS.date) == rdflib.Literal("2025", datatype=rdflib.XSD.gYear)


def test_entities_have_class_label_aliases_and_concept(parsed):
    sam = node_iri("model/sam")
    assert set(parsed.objects(sam, RDF.type)) == {KG.Model, KG.BaseModel}
    assert set(parsed.objects(node_iri("model/medsamix"), RDF.type)) == {KG.Model}
    assert parsed.value(sam, RDFS.label) == rdflib.Literal("SAM")
    assert set(parsed.objects(sam, SKOS.altLabel)) == {rdflib.Literal("Segment Anything Model")}
    assert parsed.value(sam, SKOS.exactMatch) == rdflib.URIRef(
        "https://w3id.org/kg/vocab/model/sam"
    )
    cxr = node_iri("modality/chest-x-ray")
    assert (cxr, RDF.type, KG.Modality) in parsed
    assert parsed.value(cxr, SKOS.broader) == node_iri("modality/x-ray")
    assert (node_iri("dataset/paxray"), RDF.type, KG.Dataset) in parsed


def test_every_edge_is_a_direct_triple_and_an_evidence_node(parsed):
    graph = sample_graph()
    for source, target, relation, attrs in graph.edges(keys=True, data=True):
        paper, thing = node_iri(source), node_iri(target)
        assert (paper, KG[relation], thing) in parsed
        evidence = rdflib.URIRef(evidence_iri(source, relation, target))
        assert (paper, KG.hasEvidence, evidence) in parsed
        assert parsed.value(evidence, KG.relation) == KG[relation]
        assert parsed.value(evidence, KG.target) == thing
        assert str(parsed.value(evidence, KG.sentence)) == attrs["sentence"]
        assert parsed.value(evidence, KG.start).toPython() == attrs["start"]
        assert parsed.value(evidence, KG.end).toPython() == attrs["end"]
        assert str(parsed.value(evidence, KG.rule)) == attrs["rule"]
        confidence = parsed.value(evidence, KG.confidence).toPython()
        assert confidence == Decimal(repr(attrs["confidence"]))
        via = parsed.value(evidence, KG.via)
        assert via == (node_iri(attrs["via"]) if "via" in attrs else None)
        if attrs["start"] >= 0:
            abstract = graph.nodes[source]["abstract"]
            assert abstract[attrs["start"] : attrs["end"]] == attrs["sentence"]


def test_hostile_ids_and_titles_round_trip(parsed):
    paper = node_iri(HOSTILE_ID)
    assert parsed.value(paper, DCTERMS.title) == rdflib.Literal(unescaped(HOSTILE_TITLE))
    assert (paper, KG.buildsOn, node_iri("paper/title:esp")) in parsed
    repositories = set(parsed.objects(paper, SCHEMA.codeRepository))
    assert repositories == {rdflib.URIRef("https://github.com/x%20y/%7Bz%7D%7C%60%5E")}


def test_rapper_reads_the_same_triples(sample_export, parsed):
    rapper = require_tool("rapper")
    run = subprocess.run(
        [rapper, "-q", "-i", "turtle", "-o", "ntriples", str(sample_export)],
        capture_output=True,
        check=True,
    )
    by_rapper = rdflib.Graph().parse(data=run.stdout.decode("utf-8"), format="nt")
    assert set(by_rapper) == set(parsed)
    check = subprocess.run([rapper, "-i", "turtle", "-c", str(sample_export)], capture_output=True)
    assert check.returncode == 0, check.stderr.decode()
    assert f"returned {len(parsed)} triples" in check.stderr.decode()


def test_pyoxigraph_reads_the_same_number_of_triples(sample_export, parsed):
    triples = list(pyoxigraph.parse(path=str(sample_export), format=pyoxigraph.RdfFormat.TURTLE))
    assert len(triples) == len(parsed)


def test_output_is_byte_identical_whatever_the_insertion_order(tmp_path):
    graph = sample_graph()
    first, second = tmp_path / "a" / "graph.ttl", tmp_path / "b" / "graph.ttl"
    write_turtle(graph, first)
    write_turtle(shuffled(graph, seed=7), second)
    assert first.read_bytes() == second.read_bytes()
    assert (first.parent / "ontology.ttl").read_bytes() == (
        second.parent / "ontology.ttl"
    ).read_bytes()


def test_output_does_not_depend_on_hash_seeds(tmp_path):
    script = (
        "import sys; from pathlib import Path; from rdf_sample import sample_graph; "
        "from kg.export.turtle import write_turtle; "
        "write_turtle(sample_graph(), Path(sys.argv[1]))"
    )
    tests = Path(__file__).parents[1]
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        env["PYTHONPATH"] = os.pathsep.join([str(tests.parent), str(tests)])
        path = tmp_path / seed / "graph.ttl"
        subprocess.run([sys.executable, "-c", script, str(path)], env=env, check=True)
    for name in ("graph.ttl", "ontology.ttl"):
        assert (tmp_path / "1" / name).read_bytes() == (tmp_path / "2" / name).read_bytes()


def test_ontology_ships_beside_the_export(sample_export):
    ontology = rdflib.Graph().parse(sample_export.with_name("ontology.ttl"))
    assert (
        KG.buildsOn,
        RDFS.subPropertyOf,
        rdflib.URIRef("http://purl.org/spar/cito/extends"),
    ) in (ontology)
    ct = rdflib.URIRef("https://w3id.org/kg/vocab/modality/ct")
    assert (
        ct,
        SKOS.exactMatch,
        rdflib.URIRef("http://dicom.nema.org/resources/ontology/DCM/CT"),
    ) in (ontology)


texts = st.text(max_size=80)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(paper_id=st.text(min_size=1, max_size=30), title=texts, abstract=texts, label=texts)
def test_any_text_round_trips(tmp_path, paper_id, title, abstract, label):
    graph = nx.MultiDiGraph()
    node_id = f"paper/{paper_id}"
    graph.add_node(node_id, kind="Paper", label=label, title=title, abstract=abstract)
    graph.add_node("model/m", kind="Model", label=title or "m", aliases=[], is_base_model=True)
    graph.add_edge(
        node_id,
        "model/m",
        key="buildsOn",
        relation="buildsOn",
        sentence=abstract,
        start=0,
        end=len(abstract),
        rule=title,
        confidence=0.5,
    )
    path = tmp_path / "graph.ttl"
    write_turtle(graph, path, with_ontology=False)
    parsed = rdflib.Graph().parse(path, format="turtle")
    paper = node_iri(node_id)
    assert str(parsed.value(paper, DCTERMS.abstract)) == unescaped(abstract)
    assert str(parsed.value(paper, RDFS.label)) == unescaped(label)
    assert (paper, KG.buildsOn, node_iri("model/m")) in parsed


def test_decimals_are_never_written_in_exponent_form():
    assert decimal(1e-06) == "0.000001"
    assert decimal(1) == "1.0"
    assert decimal(0.85) == "0.85"
    with pytest.raises(ValueError):
        decimal(float("nan"))


def test_unknown_node_kind_is_refused(tmp_path):
    graph = nx.MultiDiGraph()
    graph.add_node("thing/x", kind="Thing", label="x")
    with pytest.raises(ValueError, match="thing/x"):
        write_turtle(graph, tmp_path / "graph.ttl")


def test_scorer_finds_the_papers(sample_export):
    if not SCORER.exists():
        pytest.skip(f"{SCORER} is not available")
    run = subprocess.run(
        [sys.executable, str(SCORER), str(sample_export), str(GOLD)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert run.stdout.startswith("papers found: 5/")
