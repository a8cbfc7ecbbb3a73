"""SPARQL queries: bundled queries answer the same on both engines and from a store;
parameters through VALUES; every output format; several graphs at once."""

from __future__ import annotations

import csv
import io
import json
import shutil
import xml.etree.ElementTree as ET

import pyoxigraph
import pytest
import rdflib
from rdf_sample import HOSTILE_ID, sample_graph

import kg
from kg.export.store import STORE_NAME, store_for, write_store
from kg.namespace import KG, node_iri
from kg.query import (
    QueryError,
    bind_parameters,
    format_result,
    list_named_queries,
    query_parameters,
    run_query,
)

NAMED = {q.name: q for q in list_named_queries()}
XSD_INTEGER = pyoxigraph.NamedNode(str(rdflib.XSD.integer))


def iri(node_id: str) -> pyoxigraph.NamedNode:
    return pyoxigraph.NamedNode(str(node_iri(node_id)))


def answers(name: str, export, engine: str, params=None) -> list[tuple]:
    return run_query(name, export, params=params, engine=engine).rows


def sort_key(row: tuple) -> tuple:
    return tuple("" if term is None else str(term) for term in row)


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


def test_bundled_queries_run_as_is_in_any_sparql_store(seeds_export):
    """The .rq files are plain SPARQL 1.1: their parameter defaults are VALUES rows."""
    store = pyoxigraph.Store()
    store.bulk_load(path=str(seeds_export), format=pyoxigraph.RdfFormat.TURTLE)
    for named in NAMED.values():
        rows = list(store.query(named.path.read_text(encoding="utf-8")))
        assert [tuple(row) for row in rows] == answers(named.name, seeds_export, "oxigraph")
    assert [p.default for p in NAMED["builds-on"].parameters] == ['"SAM"']


def test_papers_building_on_sam_in_the_seeds(seeds_export):
    """Non-empty, with a sentence per row (where the sentence sits is checked by SHACL)."""
    result = run_query("builds-on", seeds_export, params={"model": "SAM"})
    assert result.rows
    assert all(sentence.value for sentence in column(result, "sentence"))
    assert set(column(result, "baseModelLabel")) == {pyoxigraph.Literal("SAM")}
    assert result.rows == run_query("builds-on", seeds_export).rows  # SAM is the default


def test_lineage_follows_models_introduced_along_the_way(sample_export):
    result = run_query("lineage", sample_export, params={"model": "sam"})
    steps = set(zip(column(result, "paper"), column(result, "buildsOn"), strict=True))
    assert (iri(HOSTILE_ID), iri("model/esp-medsam")) in steps
    assert (iri("paper/title:esp"), iri("model/sam")) in steps
    assert (iri("paper/title:mix"), iri("model/medsam")) not in steps
    by_alias = run_query("lineage", sample_export, params={"model": "segment ANYTHING model"})
    assert by_alias.rows == result.rows


def test_builds_on_returns_the_sentence_from_the_abstract(sample_export):
    graph = sample_graph()
    result = run_query("builds-on", sample_export, params={"model": "SAM"})
    papers = column(result, "paper")
    assert set(papers) == {
        iri(p) for p in ("paper/title:cc", "paper/title:esp", "paper/title:mix")
    } | {iri("paper/abstract:mcp")}
    for paper, sentence in zip(papers, column(result, "sentence"), strict=True):
        node_id = next(n for n in graph if str(node_iri(n)) == paper.value)
        assert sentence.value in graph.nodes[node_id]["abstract"]


def test_evaluated_on_a_dataset_another_paper_introduced(sample_export):
    result = run_query("evaluated-on-introduced-datasets", sample_export)
    assert list(zip(column(result, "paper"), column(result, "introducedBy"), strict=True)) == [
        (iri(HOSTILE_ID), iri("paper/title:pax"))
    ]


def test_most_evaluated_datasets_counts_papers(sample_export):
    result = run_query("most-evaluated-datasets", sample_export)
    counts = dict(zip(column(result, "label"), column(result, "papers"), strict=True))
    assert {k.value: (v.value, v.datatype) for k, v in counts.items()} == {
        "OpenI": ("1", XSD_INTEGER),
        "PAXRay": ("1", XSD_INTEGER),
    }


def test_ad_hoc_sparql_with_default_prefixes_and_a_rq_file(sample_export, tmp_path):
    text = 'SELECT ?paper WHERE { ?paper kg:buildsOn ?m . ?m rdfs:label "MedSAM" }'
    for engine in ("rdflib", "oxigraph"):
        result = run_query(text, sample_export, engine=engine)
        assert result.rows == [(iri("paper/title:mix"),)]
    path = tmp_path / "mine.rq"
    with_values = text.replace('?m rdfs:label "MedSAM"', '?m rdfs:label ?name VALUES ?name {"x"}')
    path.write_text("# mine\n" + with_values, encoding="utf-8")
    assert run_query(str(path), sample_export).rows == []
    result = run_query(str(path), sample_export, params={"name": "MedSAM"})
    assert result.rows == [(iri("paper/title:mix"),)]


def test_parameters_replace_the_values_row_as_one_escaped_term():
    text = (
        '# VALUES ?model { "in a comment" }\n'
        'SELECT * WHERE { VALUES ?model { "SAM" } ?s ?p "VALUES ?model { 1 }" . ?s ?p ?model }'
    )
    assert [(p.name, p.default) for p in query_parameters(text)] == [("model", '"SAM"')]
    bound = bind_parameters(text, {"model": 'x" } DROP ALL #'})
    assert bound == text.replace('{ "SAM" }', '{ "x\\" } DROP ALL #" }')
    pyoxigraph.Store().query(bound)  # still one valid query
    as_iri = bind_parameters("ASK { VALUES ?x { <urn:a> } ?s ?p ?x }", {"x": "<urn:b>"})
    assert as_iri == "ASK { VALUES ?x { <urn:b> } ?s ?p ?x }"
    with pytest.raises(QueryError, match="not a valid IRI"):
        bind_parameters("ASK { VALUES ?x { <urn:a> } }", {"x": "<a b>"})


def test_several_graphs_are_queried_together(sample_export):
    ontology = sample_export.parent / "ontology.ttl"
    text = "SELECT (COUNT(*) AS ?n) WHERE { kg:buildsOn rdfs:label ?l . ?p kg:buildsOn ?m }"
    for engine in ("oxigraph", "rdflib"):
        alone = run_query(text, [sample_export], engine=engine)
        together = run_query(text, [sample_export, ontology], engine=engine)
        assert int(alone.rows[0][0].value) == 0
        assert int(together.rows[0][0].value) > 0


def test_a_store_beside_the_export_answers_for_it(sample_export, tmp_path):
    export = tmp_path / "graph.ttl"
    shutil.copy(sample_export, export)
    assert store_for(export) is None
    write_store([export], tmp_path / STORE_NAME)
    assert store_for(export) == tmp_path / STORE_NAME
    for name in sorted(NAMED):
        from_file = run_query(name, sample_export)
        assert run_query(name, export).rows == from_file.rows
        assert run_query(name, store=tmp_path / STORE_NAME).rows == from_file.rows
    # A changed export no longer matches its store: the file is read instead.
    export.write_text(export.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert store_for(export) is None
    assert run_query("evidence", export).rows == run_query("evidence", sample_export).rows


def test_query_errors_are_clear(sample_export, tmp_path):
    cases = [
        ("no-such-query", {}, sample_export, "unknown query 'no-such-query'"),
        ("evidence", {"model": "SAM"}, sample_export, "unknown parameter 'model'"),
        ("missing.rq", {}, sample_export, "query file not found"),
        ("SELECT ?x WHERE { ?x ?y ?z ", {}, sample_export, "query failed"),
        ("evidence", {}, tmp_path / "none.ttl", "graph file not found"),
    ]
    for query, params, graph, message in cases:
        for engine in ("rdflib", "oxigraph"):
            with pytest.raises(QueryError, match=message):
                run_query(query, graph, params=params, engine=engine)
    bad = tmp_path / "bad.ttl"
    bad.write_text("<urn:a> <urn:b> .\n", encoding="utf-8")
    for engine in ("rdflib", "oxigraph"):
        with pytest.raises(QueryError, match="cannot read graph .*bad.ttl"):
            run_query("evidence", [sample_export, bad], engine=engine)
    with pytest.raises(QueryError, match="unknown engine"):
        run_query("evidence", sample_export, engine="jena")
    with pytest.raises(QueryError, match="no Oxigraph store"):
        run_query("evidence", store=tmp_path)


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


def test_xml_follows_sparql_results_xml_and_reads_back_in_rdflib(sample_export):
    result = run_query("builds-on", sample_export, params={"model": "SAM"})
    text = format_result(result, "xml")
    ET.fromstring(text.encode())  # well-formed, the hostile title included
    parsed = rdflib.query.Result.parse(io.StringIO(text), format="xml")
    assert [str(v) for v in parsed.vars] == result.columns
    assert [str(row[0]) for row in parsed] == [p.value for p in column(result, "paper")]
    ask = format_result(run_query("ASK { ?p kg:buildsOn ?m }", sample_export), "xml")
    assert "<boolean>true</boolean>" in ask


def test_construct_and_describe_are_written_as_turtle_or_ntriples(sample_export):
    text = "CONSTRUCT { ?p kg:buildsOn ?m } WHERE { ?p kg:buildsOn ?m }"
    direct = rdflib.Graph().parse(sample_export, format="turtle")
    expected = set(direct.triples((None, KG.buildsOn, None)))
    for engine in ("oxigraph", "rdflib"):
        result = run_query(text, sample_export, engine=engine)
        for fmt, rdflib_format in (("turtle", "turtle"), ("ntriples", "nt"), ("table", "turtle")):
            written = format_result(result, fmt)
            graph = rdflib.Graph().parse(data=written, format=rdflib_format)
            assert set(graph) == expected, (engine, fmt)
        assert format_result(result, "ntriples") == format_result(
            run_query(text, sample_export, engine="oxigraph"), "ntriples"
        )
        with pytest.raises(QueryError, match="write it as turtle or ntriples"):
            format_result(result, "csv")
    described = run_query(f"DESCRIBE <{node_iri('model/sam')}>", sample_export)
    assert 'rdfs:label "SAM"' in format_result(described, "turtle")
    with pytest.raises(QueryError, match="for CONSTRUCT and DESCRIBE"):
        format_result(run_query("evidence", sample_export), "turtle")


def test_csv_tsv_and_table(sample_export):
    result = run_query("builds-on", sample_export, params={"model": "SAM"})
    rows = list(csv.reader(io.StringIO(format_result(result, "csv"))))
    assert rows[0] == result.columns
    assert [r[0] for r in rows[1:]] == [p.value for p in column(result, "paper")]
    tsv = format_result(result, "tsv").splitlines()
    assert tsv[0].split("\t") == [f"?{c}" for c in result.columns]
    assert tsv[1].split("\t")[0] == f"<{column(result, 'paper')[0].value}>"
    table = format_result(result, "table")
    assert "paper/title:esp" in table and "model/sam" in table
    assert table.endswith("(4 rows)\n")
    with pytest.raises(QueryError, match="unknown format"):
        format_result(result, "yaml")


def test_kg_build_store_option_commits_a_store_with_the_exports(tmp_path):
    """`kg build --store`: OUT/store holds OUT/graph.ttl and `kg query` answers from it."""
    out = tmp_path / "out"
    knowledge_graph = kg.KnowledgeGraph(graph=sample_graph())
    kg.export(knowledge_graph, out, exporters=[*kg.EXPORTERS, kg.STORE_EXPORTER])
    assert store_for(out / "graph.ttl") == out / STORE_NAME
    assert "export store" in knowledge_graph.timings
    for name in sorted(NAMED):
        from_store = run_query(name, store=out / STORE_NAME)
        assert from_store.rows == run_query(name, out / "graph.ttl", engine="rdflib").rows
    # A later export without the store takes it away with the rest of the old set.
    kg.export(knowledge_graph, out)
    assert not (out / STORE_NAME).exists() and store_for(out / "graph.ttl") is None


HOMONYMS = """
@prefix kg: <https://w3id.org/kg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix id: <https://w3id.org/kg/id/> .
id:model\\/sam a kg:Model ; rdfs:label "SAM" ; skos:exactMatch <https://example.org/vocab/sam> .
id:model\\/sam--smoothing-and-mapping a kg:Model ; rdfs:label "SAM" .
id:model\\/ofa--2022 a kg:Model ; rdfs:label "OFA" .
id:model\\/ofa--2025 a kg:Model ; rdfs:label "OFA" .
"""


def test_a_name_several_models_carry_means_the_vocabularys_else_every_one(tmp_path):
    lines = [HOMONYMS]
    models = ["sam", "sam--smoothing-and-mapping", "ofa--2022", "ofa--2025"]
    for number, model in enumerate(models):
        paper, evidence, target = (
            f"id:paper\\/p{number}",
            f"id:e\\/e{number}",
            f"id:model\\/{model}",
        )
        lines.append(
            f'{paper} rdfs:label "Paper {number}" ; kg:buildsOn {target} ; '
            f"kg:hasEvidence {evidence} .\n"
            f'{evidence} kg:relation kg:buildsOn ; kg:target {target} ; kg:sentence "s" ; '
            f'kg:rule "cue" ; kg:confidence 0.5 .\n'
        )
    graph = tmp_path / "graph.ttl"
    graph.write_text("\n".join(lines), encoding="utf-8")

    def bases(**params) -> set[str]:
        """The models builds-on answers for; the lineage starts from the same roots."""
        found = column(run_query("builds-on", graph, params=params), "baseModel")
        roots = column(run_query("lineage", graph, params=params), "buildsOn")
        assert set(found) == set(roots)
        return {term.value.rsplit("/", 1)[1] for term in found}

    assert bases() == {"sam"}  # the default, SAM, is the vocabulary's model
    sense = node_iri("model/sam--smoothing-and-mapping")
    assert bases(model=f"<{sense}>") == {"sam--smoothing-and-mapping"}
    assert bases(model="ofa") == {"ofa--2022", "ofa--2025"}  # none is the vocabulary's: both
