"""SPARQL queries: bundled queries answer the same on both engines; parameters; output formats."""

from __future__ import annotations

import csv
import io
import json

import pytest
import rdflib
from rdf_sample import HOSTILE_ID, sample_graph

import kg.query
from kg.namespace import node_iri
from kg.query import (
    QueryError,
    bind_parameters,
    choose_engine,
    format_result,
    list_named_queries,
    run_query,
)

NAMED = {q.name: q for q in list_named_queries()}
PARAMS = {"model": "SAM"}


def answers(name: str, export, engine: str, params=None) -> list[tuple]:
    wanted = {p.name: PARAMS[p.name] for p in NAMED[name].parameters} if params is None else params
    return run_query(name, export, params=wanted, engine=engine).rows


def sort_key(row: tuple) -> tuple:
    return tuple("" if term is None else term.n3() for term in row)


def column(result, name: str) -> list:
    index = result.columns.index(name)
    return [row[index] for row in result.rows]


def test_the_required_queries_are_bundled_and_documented():
    assert {
        "lineage",
        "builds-on",
        "most-evaluated-datasets",
        "modality-coverage",
        "dataset-introductions",
        "evaluated-on-introduced-datasets",
        "evidence",
    } <= set(NAMED)
    for query in NAMED.values():
        assert query.description, query.name
    assert [p.name for p in NAMED["lineage"].parameters] == ["model"]
    assert "case-insensitive" in NAMED["lineage"].parameters[0].description
    assert NAMED["evidence"].parameters == ()


@pytest.mark.parametrize("name", sorted(NAMED))
def test_bundled_query_answers_the_same_on_both_engines(name, sample_export):
    by_rdflib = answers(name, sample_export, "rdflib")
    by_oxigraph = answers(name, sample_export, "oxigraph")
    assert by_rdflib, f"{name} found nothing in the sample graph"
    assert sorted(by_rdflib, key=sort_key) == sorted(by_oxigraph, key=sort_key)


@pytest.mark.parametrize("name", sorted(NAMED))
def test_bundled_query_runs_on_the_seeds_build(name, seeds_export):
    by_rdflib = answers(name, seeds_export, "rdflib")
    by_oxigraph = answers(name, seeds_export, "oxigraph")
    assert sorted(by_rdflib, key=sort_key) == sorted(by_oxigraph, key=sort_key)


def test_papers_building_on_sam_in_the_seeds(seeds_export):
    """Non-empty, with a sentence per row (where the sentence sits is checked by SHACL)."""
    result = run_query("builds-on", seeds_export, params={"model": "SAM"})
    assert result.rows
    assert all(str(sentence) for sentence in column(result, "sentence"))
    assert set(column(result, "baseModelLabel")) == {rdflib.Literal("SAM")}


def test_lineage_follows_models_introduced_along_the_way(sample_export):
    result = run_query("lineage", sample_export, params={"model": "sam"})
    steps = set(zip(column(result, "paper"), column(result, "buildsOn"), strict=True))
    hostile = node_iri(HOSTILE_ID)
    assert (hostile, node_iri("model/esp-medsam")) in steps
    assert (node_iri("paper/title:esp"), node_iri("model/sam")) in steps
    assert (node_iri("paper/title:mix"), node_iri("model/medsam")) not in steps
    by_alias = run_query("lineage", sample_export, params={"model": "segment ANYTHING model"})
    assert by_alias.rows == result.rows


def test_builds_on_returns_the_sentence_from_the_abstract(sample_export):
    graph = sample_graph()
    result = run_query("builds-on", sample_export, params={"model": "SAM"})
    papers = column(result, "paper")
    assert set(papers) == {
        node_iri(p) for p in ("paper/title:cc", "paper/title:esp", "paper/title:mix")
    } | {node_iri("paper/abstract:mcp")}
    for paper, sentence in zip(papers, column(result, "sentence"), strict=True):
        node_id = next(n for n in graph if node_iri(n) == paper)
        assert str(sentence) in graph.nodes[node_id]["abstract"]


def test_evaluated_on_a_dataset_another_paper_introduced(sample_export):
    result = run_query("evaluated-on-introduced-datasets", sample_export)
    assert list(zip(column(result, "paper"), column(result, "introducedBy"), strict=True)) == [
        (node_iri(HOSTILE_ID), node_iri("paper/title:pax"))
    ]


def test_most_evaluated_datasets_counts_papers(sample_export):
    result = run_query("most-evaluated-datasets", sample_export)
    counts = dict(zip(column(result, "label"), column(result, "papers"), strict=True))
    assert {str(k): v.toPython() for k, v in counts.items()} == {"OpenI": 1, "PAXRay": 1}


def test_ad_hoc_sparql_with_default_prefixes_and_a_rq_file(sample_export, tmp_path):
    text = 'SELECT ?paper WHERE { ?paper kg:buildsOn ?m . ?m rdfs:label "MedSAM" }'
    for engine in ("rdflib", "oxigraph"):
        result = run_query(text, sample_export, engine=engine)
        assert result.rows == [(node_iri("paper/title:mix"),)]
    path = tmp_path / "mine.rq"
    path.write_text("# mine\n" + text.replace('"MedSAM"', "$name"), encoding="utf-8")
    result = run_query(str(path), sample_export, params={"name": "MedSAM"})
    assert result.rows == [(node_iri("paper/title:mix"),)]


def test_parameters_are_bound_as_escaped_literals_outside_strings_and_iris():
    text = 'SELECT * WHERE { ?s ?p "$5 a $model" . <urn:$model> ?p $model } # $model'
    bound = bind_parameters(text, {"model": 'x" } DROP ALL #'})
    assert bound == (
        'SELECT * WHERE { ?s ?p "$5 a $model" . <urn:$model> ?p "x\\" } DROP ALL #" } # $model'
    )
    assert bind_parameters("ASK { ?s ?p $x }", {"x": "<urn:a b>"}) == "ASK { ?s ?p <urn:a%20b> }"


def test_query_errors_are_clear(sample_export, tmp_path):
    cases = [
        ("no-such-query", {}, sample_export, "unknown query 'no-such-query'"),
        ("lineage", {}, sample_export, "missing parameter: --param model"),
        ("evidence", {"model": "SAM"}, sample_export, "unknown parameter 'model'"),
        ("missing.rq", {}, sample_export, "query file not found"),
        ("SELECT ?x WHERE { ?x ?y ?z ", {}, sample_export, "query failed"),
        ("evidence", {}, tmp_path / "none.ttl", "graph file not found"),
        ("SELECT ?m WHERE { ?m ?p $m }", {"m": "x"}, sample_export, r"also written \?m"),
    ]
    for query, params, graph, message in cases:
        for engine in ("rdflib", "oxigraph"):
            with pytest.raises(QueryError, match=message):
                run_query(query, graph, params=params, engine=engine)
    with pytest.raises(QueryError, match="unknown engine"):
        run_query("evidence", sample_export, engine="jena")


def test_auto_engine_picks_oxigraph_for_big_files(sample_export, monkeypatch):
    assert choose_engine("auto", sample_export) == "rdflib"
    monkeypatch.setattr(kg.query, "OXIGRAPH_THRESHOLD", 100)
    assert choose_engine("auto", sample_export) == "oxigraph"
    assert choose_engine("rdflib", sample_export) == "rdflib"


def test_json_follows_sparql_results_json(sample_export):
    result = run_query("most-evaluated-datasets", sample_export)
    document = json.loads(format_result(result, "json"))
    assert document["head"]["vars"] == ["dataset", "label", "papers"]
    first = document["results"]["bindings"][0]
    assert first["dataset"] == {"type": "uri", "value": str(node_iri("dataset/openi"))}
    assert first["label"] == {"type": "literal", "value": "OpenI"}
    assert first["papers"]["datatype"] == str(rdflib.XSD.integer)
    ask = run_query("ASK { ?p kg:buildsOn ?m }", sample_export)
    assert json.loads(format_result(ask, "json")) == {"head": {}, "boolean": True}


def test_csv_tsv_and_table(sample_export):
    result = run_query("builds-on", sample_export, params={"model": "SAM"})
    rows = list(csv.reader(io.StringIO(format_result(result, "csv"))))
    assert rows[0] == result.columns
    assert [r[0] for r in rows[1:]] == [str(p) for p in column(result, "paper")]
    tsv = format_result(result, "tsv").splitlines()
    assert tsv[0].split("\t") == [f"?{c}" for c in result.columns]
    assert tsv[1].split("\t")[0] == f"<{column(result, 'paper')[0]}>"
    table = format_result(result, "table")
    assert "paper/title:esp" in table and "model/sam" in table
    assert table.endswith("(4 rows)\n")
    with pytest.raises(QueryError, match="unknown format"):
        format_result(result, "xml")
