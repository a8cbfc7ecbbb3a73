"""SHACL validation: exports conform; hand-broken exports are reported at the offending node,
the same by pySHACL and by the shapes compiled to SPARQL on Oxigraph."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.export.turtle import evidence_iri
from kg.namespace import node_iri
from kg.validate import ENGINES, ValidationError, ValidationReport, validate


def checked(export: Path) -> ValidationReport:
    """The report on `export`, which both engines must give alike."""
    by_pyshacl, by_oxigraph = (validate(export, engine=e) for e in ("pyshacl", "oxigraph"))
    assert by_oxigraph == by_pyshacl
    return by_oxigraph


def broken(export: Path, tmp_path: Path, edit) -> Path:
    """A copy of `export` changed by `edit(text) -> text`; fails if the edit changed nothing."""
    text = export.read_text(encoding="utf-8")
    changed = edit(text)
    assert changed != text
    path = tmp_path / "broken.ttl"
    path.write_text(changed, encoding="utf-8")
    return path


def block(text: str, subject: str) -> tuple[int, int]:
    """Start and end of the Turtle block about `subject`."""
    start = text.index(f"<{subject}>\n")
    return start, text.index(" .\n", start) + 3


def test_the_sample_export_conforms(sample_export):
    report = checked(sample_export)
    assert report.conforms, report.text
    assert report.results == ()
    assert report.text == "conforms: yes"


@pytest.mark.parametrize("engine", ENGINES)
def test_seeds_build_conforms(seeds_export, engine):
    report = validate(seeds_export, engine=engine)
    assert report.conforms, report.text


def test_missing_abstract_is_reported_at_the_paper(sample_export, tmp_path):
    paper = node_iri("paper/title:esp")

    def drop_abstract(text: str) -> str:
        start, end = block(text, paper)
        lines = text[start:end].split("\n")
        kept = [line for line in lines if "dcterms:abstract" not in line]
        return text[:start] + "\n".join(kept) + text[end:]

    report = checked(broken(sample_export, tmp_path, drop_abstract))
    assert not report.conforms
    [result] = report.results
    assert result.focus_node == str(paper)
    assert result.path == "dcterms:abstract"
    assert str(paper) in report.text and "abstract" in report.text


def test_object_of_the_wrong_class_is_reported(sample_export, tmp_path):
    openi = node_iri("dataset/openi")

    def retype(text: str) -> str:
        start, end = block(text, openi)
        return text[:start] + text[start:end].replace("a kg:Dataset", "a kg:Model") + text[end:]

    report = checked(broken(sample_export, tmp_path, retype))
    offending = {(r.focus_node, r.path, r.value) for r in report.results}
    assert (str(node_iri("paper/title:pax")), "kg:evaluatesOn", f"<{openi}>") in offending


def test_incomplete_evidence_is_reported(sample_export, tmp_path):
    evidence = evidence_iri("paper/title:pax", "evaluatesOn", "dataset/openi")

    def break_evidence(text: str) -> str:
        start, end = block(text, evidence)
        body = text[start:end].replace("kg:confidence 0.85", "kg:confidence 1.5")
        body = "\n".join(line for line in body.split("\n") if "kg:rule" not in line)
        return text[:start] + body + text[end:]

    report = checked(broken(sample_export, tmp_path, break_evidence))
    paths = {r.path for r in report.results if r.focus_node == evidence}
    assert paths == {"kg:confidence", "kg:rule"}


def test_a_sentence_not_at_its_offsets_is_reported(sample_export, tmp_path):
    evidence = evidence_iri("paper/title:pax", "evaluatesOn", "dataset/openi")
    title_evidence = evidence_iri("paper/title:esp", "introduces", "model/esp-medsam")

    def shift(text: str) -> str:
        start, end = block(text, evidence)
        body = text[start:end].replace("kg:start 1174 ;", "kg:start 1175 ;")
        text = text[:start] + body + text[end:]
        start, end = block(text, title_evidence)
        body = text[start:end].replace('kg:sentence "ESP-MedSAM:', 'kg:sentence "ESP-MedSAM;')
        return text[:start] + body + text[end:]

    report = checked(broken(sample_export, tmp_path, shift))
    offending = {r.focus_node for r in report.results if "offsets" in r.message}
    assert offending == {evidence, title_evidence}


def test_a_link_without_evidence_and_evidence_without_a_link(sample_export, tmp_path):
    paper = node_iri("paper/title:cc")
    sam = node_iri("model/sam")

    def drop_link(text: str) -> str:
        start, end = block(text, paper)
        body = text[start:end].replace(f"kg:buildsOn <{sam}> ;", f"kg:comparesWith <{sam}> ;")
        return text[:start] + body + text[end:]

    report = checked(broken(sample_export, tmp_path, drop_link))
    messages = {(r.focus_node, r.message) for r in report.results}
    evidence = evidence_iri("paper/title:cc", "buildsOn", "model/sam")
    assert any(node == evidence and "no matching link" in m for node, m in messages)
    assert any(node == str(paper) and "no evidence" in m for node, m in messages)


def test_unreadable_inputs_raise_validation_error(tmp_path):
    with pytest.raises(ValidationError, match="not found"):
        validate(tmp_path / "missing.ttl")
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .", encoding="utf-8")
    with pytest.raises(ValidationError, match="cannot read export"):
        validate(bad)


def test_every_kind_of_constraint_is_reported_alike_by_both_engines(sample_export, tmp_path):
    """One breach per SHACL construct the shapes use, appended to the sample export."""
    sam, ct, xray = (node_iri(n) for n in ("model/sam", "modality/ct", "modality/x-ray"))
    paper = node_iri("paper/title:cc")
    evidence = evidence_iri("paper/title:pax", "evaluatesOn", "dataset/openi")
    orphan = node_iri("model/nobody-builds-on-me")
    breaches = f"""
<{sam}> rdfs:label "SAM2" ; skos:altLabel "SAM" ; skos:exactMatch "not an IRI" .
<{ct}> rdfs:label "" .
<{xray}> skos:broader <{sam}> .
<{paper}> dcterms:abstract "again"@en ; dcterms:date "2020" ; kg:introduces <{ct}> .
<{orphan}> a kg:BaseModel .
<{evidence}> kg:relation kg:cites ; kg:end 5 ; kg:confidence 2.0 .
"""

    def append(text: str) -> str:
        return text + breaches

    report = checked(broken(sample_export, tmp_path, append))
    found = {(r.focus_node, r.path) for r in report.results}
    expected = {
        (str(sam), "rdfs:label"),  # maxCount
        (str(sam), "skos:altLabel"),  # disjoint
        (str(sam), "skos:exactMatch"),  # maxCount, nodeKind
        (str(ct), "rdfs:label"),  # maxCount, minLength
        (str(xray), "skos:broader"),  # class
        (str(paper), "dcterms:abstract"),  # maxCount, datatype
        (str(paper), "dcterms:date"),  # datatype
        (str(paper), "kg:introduces"),  # or
        (str(orphan), None),  # class of the node itself
        (str(orphan), "^kg:buildsOn"),  # minCount on an inverse path
        (evidence, "kg:relation"),  # maxCount, in
        (evidence, "kg:start"),  # lessThanOrEquals
        (evidence, "kg:end"),  # maxCount
        (evidence, "kg:confidence"),  # maxCount, maxInclusive
    }
    assert expected <= found, expected - found


def test_the_oxigraph_engine_refuses_shapes_it_cannot_check(sample_export, tmp_path):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "<urn:s> a sh:NodeShape ; sh:targetClass <urn:C> ; sh:property [\n"
        '  sh:path <urn:p> ; sh:pattern "^a" ] .\n',
        encoding="utf-8",
    )
    with pytest.raises(ValidationError, match="cannot check sh:pattern.*--engine pyshacl"):
        validate(sample_export, shapes, engine="oxigraph")
    assert validate(sample_export, shapes, engine="pyshacl").conforms


def test_kg_validate_and_kg_query_take_an_export_folder_for_its_graph(seeds_export):
    folder = str(seeds_export.parent)
    validated = CliRunner().invoke(main, ["validate", folder])
    assert validated.exit_code == 0, validated.output
    assert validated.output == "conforms: yes\n"
    queried = CliRunner().invoke(
        main, ["query", "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", "--graph", folder]
    )
    assert queried.exit_code == 0, queried.output
    assert int(queried.output.splitlines()[2]) > 1000
