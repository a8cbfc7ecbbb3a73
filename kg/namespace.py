"""The IRIs of the knowledge graph: ontology terms (`KG`) and graph resources (`node_iri`)."""

from __future__ import annotations

from urllib.parse import quote

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef

ONTOLOGY_IRI = "https://w3id.org/kg/ontology"
RESOURCE_BASE = "https://w3id.org/kg/id/"
VOCAB_BASE = "https://w3id.org/kg/vocab/"

RESOURCE = Namespace(RESOURCE_BASE)
VOCAB = Namespace(VOCAB_BASE)
SCHEMA = Namespace("https://schema.org/")
DCM = Namespace("http://dicom.nema.org/resources/ontology/DCM/")

# Characters kept as they are in a resource IRI besides letters, digits and "-._~": the
# ones node ids use (`paper/arxiv:2308.16184`). Everything else, `%` included, is
# percent-encoded, so the mapping is one-to-one and always yields a valid IRI.
_IRI_SAFE = "/:@!$&'()*+,;="


class KG(DefinedNamespace):
    """The terms of `ontology/kg.ttl`: classes, links between papers and entities, evidence."""

    _NS = Namespace(f"{ONTOLOGY_IRI}#")
    _fail = True

    Paper: URIRef
    Model: URIRef
    BaseModel: URIRef
    Dataset: URIRef
    Modality: URIRef
    Evidence: URIRef

    introduces: URIRef
    buildsOn: URIRef
    evaluatesOn: URIRef
    trainedOn: URIRef
    comparesWith: URIRef
    usesModality: URIRef

    hasEvidence: URIRef
    relation: URIRef
    target: URIRef
    via: URIRef
    sentence: URIRef
    start: URIRef
    end: URIRef
    rule: URIRef
    confidence: URIRef


def node_path(node_id: str) -> str:
    """The node id percent-encoded as an IRI path relative to `RESOURCE_BASE`."""
    return quote(node_id, safe=_IRI_SAFE)


def node_iri(node_id: str) -> URIRef:
    """The IRI of a graph node: `RESOURCE_BASE` + the node id, percent-encoded where needed."""
    return URIRef(RESOURCE_BASE + node_path(node_id))
