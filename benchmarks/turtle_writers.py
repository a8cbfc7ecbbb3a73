"""Time Turtle writers on a synthetic graph: kg's streaming writer, pyoxigraph, rdflib.

Usage: .venv/bin/python benchmarks/turtle_writers.py [PAPERS]   (17000 papers ~ 1M triples)
Figures and the choice they support: docs/sparql.md, "Why our own writer".
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import rdflib

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kg.export.turtle import evidence_iri, write_turtle  # noqa: E402
from kg.namespace import KG, node_iri  # noqa: E402

RELATIONS = ("introduces", "buildsOn", "evaluatesOn", "trainedOn", "comparesWith")
WORDS = [
    "segment",
    "anything",
    "model",
    "medical",
    "image",
    "CT",
    "MRI",
    "dataset",
    "benchmark",
    "we",
    "propose",
]


def synthetic_graph(papers: int, seed: int = 0) -> nx.MultiDiGraph:
    """`papers` papers of 200-word abstracts, five links each, to papers/10 models and
    papers/20 datasets, by docs/graph-schema.md."""
    rng = random.Random(seed)
    graph = nx.MultiDiGraph()
    models = [f"model/m{i}" for i in range(papers // 10)]
    datasets = [f"dataset/d{i}" for i in range(papers // 20)]
    for node in models:
        graph.add_node(node, kind="Model", label=node[6:], aliases=[], is_base_model=True)
    for node in datasets:
        graph.add_node(node, kind="Dataset", label=node[8:], aliases=[])
    for i in range(papers):
        paper = f"paper/arxiv:{2300 + i // 10000}.{i % 10000:05d}"
        abstract = " ".join(rng.choice(WORDS) for _ in range(200)) + ' "quoted" é'
        graph.add_node(
            paper,
            kind="Paper",
            label=f"Title {i}",
            title=f"Title {i}",
            abstract=abstract,
            year=2023,
            authors=["A. Author", "B. Author"],
            sources=[f"corpus.jsonl:{i + 1}"],
            code_urls=[],
        )
        for _ in range(5):
            relation = rng.choice(RELATIONS)
            is_model = relation in ("introduces", "buildsOn", "comparesWith")
            target = rng.choice(models if is_model else datasets)
            graph.add_edge(
                paper,
                target,
                key=relation,
                relation=relation,
                sentence=abstract[:150],
                start=0,
                end=150,
                rule="rule",
                confidence=0.8,
            )
    return graph


def oxigraph_triples(graph: nx.MultiDiGraph) -> list[ox.Triple]:
    """The main statements of the export as pyoxigraph terms: what its serializer needs."""
    rdf_type = ox.NamedNode(str(rdflib.RDF.type))
    label = ox.NamedNode(str(rdflib.RDFS.label))
    abstract = ox.NamedNode(str(rdflib.DCTERMS.abstract))
    integer = ox.NamedNode(str(rdflib.XSD.integer))
    decimal = ox.NamedNode(str(rdflib.XSD.decimal))
    kg = {name: ox.NamedNode(str(KG[name])) for name in KG.__annotations__}
    iris = {node: ox.NamedNode(str(node_iri(node))) for node in graph}
    triples = []
    for node, data in graph.nodes(data=True):
        triples.append(ox.Triple(iris[node], rdf_type, kg[data["kind"]]))
        triples.append(ox.Triple(iris[node], label, ox.Literal(data["label"])))
        if data["kind"] == "Paper":
            triples.append(ox.Triple(iris[node], abstract, ox.Literal(data["abstract"])))
    for source, target, relation, data in graph.edges(keys=True, data=True):
        evidence = ox.NamedNode(evidence_iri(source, relation, target))
        triples += [
            ox.Triple(iris[source], kg[relation], iris[target]),
            ox.Triple(iris[source], kg["hasEvidence"], evidence),
            ox.Triple(evidence, rdf_type, kg["Evidence"]),
            ox.Triple(evidence, kg["relation"], kg[relation]),
            ox.Triple(evidence, kg["target"], iris[target]),
            ox.Triple(evidence, kg["sentence"], ox.Literal(data["sentence"])),
            ox.Triple(evidence, kg["start"], ox.Literal(str(data["start"]), datatype=integer)),
            ox.Triple(evidence, kg["end"], ox.Literal(str(data["end"]), datatype=integer)),
            ox.Triple(evidence, kg["rule"], ox.Literal(data["rule"])),
            ox.Triple(evidence, kg["confidence"], ox.Literal("0.8", datatype=decimal)),
        ]
    return triples


def timed(label: str, action) -> object:
    started = time.perf_counter()
    value = action()
    print(f"{label:<52} {time.perf_counter() - started:7.1f} s", flush=True)
    return value


def main(papers: int) -> None:
    graph = synthetic_graph(papers)
    out = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    ours = out / "ours.ttl"
    count = timed("ours: networkx -> file", lambda: write_turtle(graph, ours, with_ontology=False))
    print(f"  {papers} papers, {count} triples, {ours.stat().st_size / 1e6:.0f} MB")
    prefixes = {"kg": str(KG)}
    triples = timed("pyoxigraph: networkx -> terms", lambda: oxigraph_triples(graph))
    timed("pyoxigraph: sort terms (for a stable order)", lambda: triples.sort(key=str))
    timed(
        "pyoxigraph: terms -> file",
        lambda: ox.serialize(triples, str(out / "ox.ttl"), ox.RdfFormat.TURTLE, prefixes=prefixes),
    )
    timed("pyoxigraph: parse ours", lambda: len(list(ox.parse(path=str(ours)))))
    store = ox.Store()
    timed("pyoxigraph: load ours into a Store", lambda: store.load(path=str(ours)))
    parsed = timed("rdflib: parse ours", lambda: rdflib.Graph().parse(ours, format="turtle"))
    timed("rdflib: graph -> file", lambda: parsed.serialize(out / "rdflib.ttl", format="turtle"))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 17000)
