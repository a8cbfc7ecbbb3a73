"""The KG namespace agrees with ontology/kg.ttl; node ids map one-to-one onto valid IRIs."""

from __future__ import annotations

from urllib.parse import unquote

import pyoxigraph
import pytest
import rdflib
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.namespace import DCM, KG, RESOURCE_BASE, VOCAB, is_iri, node_iri, node_path, web_iri
from kg.paths import ONTOLOGY_DIR

MODALITY_SLUGS = [
    "x-ray",
    "chest-x-ray",
    "ct",
    "mri",
    "ultrasound",
    "pet",
    "mammography",
    "histopathology",
    "endoscopy",
    "surgical-video",
    "fundus-photography",
    "oct",
    "dermoscopy",
    "microscopy",
    "3d-medical-shapes",
    "ehr",
    "radiology-report",
    "clinical-text",
    "speech",
    "natural-images",
    "remote-sensing",
    "molecular-imaging",
    "medical-video",
    "genomics",
]


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY_DIR / "kg.ttl")


def declared_terms(ontology: rdflib.Graph) -> set[str]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    return {
        str(term)[len(str(KG)) :]
        for kind in kinds
        for term in ontology.subjects(RDF.type, kind)
        if str(term).startswith(str(KG))
    }


def test_namespace_and_ontology_declare_the_same_terms(ontology):
    in_python = {name for name in KG.__annotations__ if not name.startswith("_")}
    assert in_python == declared_terms(ontology)


def test_every_term_is_documented_with_domain_and_range(ontology):
    for name in declared_terms(ontology):
        term = KG[name]
        assert ontology.value(term, RDFS.label), name
        assert ontology.value(term, RDFS.comment), name
        if (term, RDF.type, OWL.Class) not in ontology:
            assert ontology.value(term, RDFS.domain), name
            assert ontology.value(term, RDFS.range), name


def test_relation_names_are_the_ones_the_scorer_reads(ontology):
    for name in ("introduces", "buildsOn", "evaluatesOn", "trainedOn", "comparesWith"):
        assert (KG[name], RDF.type, OWL.ObjectProperty) in ontology
    assert (KG.BaseModel, RDFS.subClassOf, KG.Model) in ontology
    assert (KG.Modality, RDFS.subClassOf, SKOS.Concept) in ontology


def test_a_misspelt_term_fails():
    with pytest.raises(AttributeError):
        _ = KG.buildOn


def test_node_iri_keeps_readable_ids_readable():
    assert node_iri("paper/arxiv:2308.16184") == rdflib.URIRef(
        RESOURCE_BASE + "paper/arxiv:2308.16184"
    )
    assert node_iri("model/sam") == rdflib.URIRef(RESOURCE_BASE + "model/sam")
    assert node_iri('paper/doi:10.1/a b"<>%') == rdflib.URIRef(
        RESOURCE_BASE + "paper/doi:10.1/a%20b%22%3C%3E%25"
    )


# Any text, lone surrogates and non-characters included.
ANY_TEXT = st.text(st.characters(exclude_categories=()), min_size=1)


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_node_iri_is_one_to_one_and_valid_in_turtle(node_id):
    path = node_path(node_id)
    assert unquote(path, errors="surrogatepass") == node_id
    assert is_iri(node_iri(node_id))
    parsed = rdflib.Graph().parse(data=f"<{node_iri(node_id)}> a <urn:x> .", format="turtle")
    assert next(iter(parsed.subjects())) == node_iri(node_id)


def test_ids_that_differ_only_in_a_lone_surrogate_get_distinct_iris():
    assert node_iri("model/a\ud800") != node_iri("model/a\ufffd") != node_iri("model/a")


@pytest.mark.parametrize(
    ("url", "iri"),
    [
        ("https://github.com/lab/tool", "https://github.com/lab/tool"),
        ("github.com/lab/tool", "https://github.com/lab/tool"),
        (
            "https://lab.org/up.php?files[]=a&files[]=b",
            "https://lab.org/up.php?files%5B%5D=a&files%5B%5D=b",
        ),
        ("https://lab.org/a b|c^d`e{f}", "https://lab.org/a%20b%7Cc%5Ed%60e%7Bf%7D"),
        ("https://lab.org/100%/x#a#b", "https://lab.org/100%25/x#a%23b"),
        ("https://lab.org/caf\u00e9/\u56fe", "https://lab.org/caf\u00e9/\u56fe"),
        ("https://lab.org/\ue000", "https://lab.org/%EE%80%80"),
        ("https://[::1]:8080/x", "https://[::1]:8080/x"),
        ("http://[zz::1/x", None),
        ("https://github:com/lab/tool", None),
        (" JavaScript:x", None),
        ("javascript:alert(1)", None),
        ("file:///etc/passwd", None),
        ("https://", None),
    ],
)
def test_web_iri(url, iri):
    assert web_iri(url) == iri


@settings(max_examples=500, deadline=None)
@given(st.one_of(ANY_TEXT, ANY_TEXT.map(lambda tail: "https://lab.org/" + tail)))
def test_web_iri_is_none_or_an_iri_every_parser_accepts(url):
    iri = web_iri(url)
    if iri is None:
        return
    pyoxigraph.NamedNode(iri)
    parsed = rdflib.Graph().parse(data=f"<{iri}> a <urn:x> .", format="turtle")
    assert str(next(iter(parsed.subjects()))) == iri


def test_alignments_map_vocabulary_modalities_to_dicom_codes():
    alignments = rdflib.Graph().parse(ONTOLOGY_DIR / "alignments.ttl")
    mapped = {
        str(s)[len(str(VOCAB)) :]
        for s, o in alignments.subject_objects(SKOS.exactMatch)
        if str(o).startswith(str(DCM))
    }
    assert {"modality/ct", "modality/mri", "modality/ultrasound", "modality/pet"} <= mapped
    subjects = {
        str(s) for s in alignments.subjects() if str(s).startswith(str(VOCAB) + "modality/")
    }
    assert subjects <= {f"{VOCAB}modality/{slug}" for slug in MODALITY_SLUGS}
    vocab_file = ONTOLOGY_DIR / "vocab" / "modalities.ttl"
    if vocab_file.exists():
        concepts = set(rdflib.Graph().parse(vocab_file).subjects(RDF.type, SKOS.Concept))
        assert {rdflib.URIRef(s) for s in subjects} <= concepts
