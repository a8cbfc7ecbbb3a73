"""The IRIs of the knowledge graph: ontology terms (`KG`), graph resources (`node_iri`), and
web IRIs for URLs taken from the input (`web_iri`), each checked before it is written."""

from __future__ import annotations

import re
from urllib.parse import quote

import pyoxigraph
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

WEB_SCHEMES = frozenset({"http", "https"})
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
# What RFC 3987 allows in a path, query or fragment: unreserved and reserved ASCII, `%`
# before two hex digits, and the `ucschar` ranges (the private-use `iprivate` ones are left
# out: they are allowed only in a query). Everything else there is percent-encoded.
_UCSCHAR = [(0xA0, 0xD7FF), (0xF900, 0xFDCF), (0xFDF0, 0xFFEF)] + [
    (plane << 16 | (0x1000 if plane == 14 else 0), plane << 16 | 0xFFFD) for plane in range(1, 15)
]
_IRI_TAIL_CHARS = "A-Za-z0-9\\-._~!$&'()*+,;=:@/?#%" + "".join(
    f"{chr(low)}-{chr(high)}" for low, high in _UCSCHAR
)
_NOT_IN_IRI_TAIL = re.compile(f"[^{_IRI_TAIL_CHARS}]|%(?![0-9A-Fa-f]{{2}})")


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
    """The node id percent-encoded as an IRI path relative to `RESOURCE_BASE`.

    Lone surrogates (text that is not valid Unicode) are encoded as the bytes Python's
    `surrogatepass` gives them, so even such an id has a valid, distinct IRI.
    """
    return quote(node_id.encode("utf-8", "surrogatepass"), safe=_IRI_SAFE)


def node_iri(node_id: str) -> URIRef:
    """The IRI of a graph node: `RESOURCE_BASE` + the node id, percent-encoded where needed."""
    return URIRef(RESOURCE_BASE + node_path(node_id))


def is_iri(text: str) -> bool:
    """Whether `text` is an absolute IRI that strict RDF parsers accept (Oxigraph judges)."""
    try:
        pyoxigraph.NamedNode(text)
    except (ValueError, UnicodeEncodeError):
        return False
    return True


def web_iri(url: str) -> str | None:
    """The http(s) IRI a URL from the input names, or None when it cannot be one.

    A URL without a scheme is taken as https. In the path, query and fragment, characters
    an IRI may not hold (`[`, `]`, `|`, spaces, a second `#`, a `%` that starts no escape)
    are percent-encoded, as browsers do; the host is kept as written, so a URL whose host
    is broken (`http://[zz::1/x`) is no IRI. Other schemes (`javascript:`, `file:`) are
    no web IRI either.
    """
    url = url.strip()
    if not _SCHEME.match(url):
        url = f"https://{url}"
    scheme, separator, rest = url.partition("://")
    if not separator or scheme.lower() not in WEB_SCHEMES:
        return None
    tail_start = min((i for i in map(rest.find, "/?#") if i >= 0), default=len(rest))
    authority, tail = rest[:tail_start], rest[tail_start:]
    if not authority:  # an http(s) URL names a host (RFC 9110, 4.2.1)
        return None
    head, hash_sign, fragment = tail.partition("#")
    tail = head + hash_sign + fragment.replace("#", "%23")
    if _NOT_IN_IRI_TAIL.search(tail):
        tail = _NOT_IN_IRI_TAIL.sub(_percent_encoded, tail)
    iri = f"{scheme}://{authority}{tail}"
    return iri if is_iri(iri) else None


def _percent_encoded(match: re.Match) -> str:
    return quote(match.group().encode("utf-8", "surrogatepass"), safe="")
