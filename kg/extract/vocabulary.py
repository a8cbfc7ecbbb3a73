"""The known models, datasets and modalities, read from the SKOS files in `ontology/vocab/`,
and the cue lexicons read from `ontology/cues.toml`."""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from kg.paths import CUES_FILE, VOCABULARY_DIR
from kg.records import DATASET, MODALITY, MODEL

SCHEME_TYPES = {
    "https://w3id.org/kg/vocab/models": MODEL,
    "https://w3id.org/kg/vocab/datasets": DATASET,
    "https://w3id.org/kg/vocab/modalities": MODALITY,
}


@dataclass(frozen=True)
class Concept:
    """One vocabulary entry: what it is, what it is called, and its broader concepts."""

    iri: str
    type: str
    label: str  # skos:prefLabel
    aliases: tuple[str, ...]  # skos:altLabel: other names worth showing
    hidden: tuple[str, ...]  # skos:hiddenLabel: surface forms matched, never shown
    broader: tuple[str, ...]

    @property
    def surface_forms(self) -> tuple[str, ...]:
        return (self.label, *self.aliases, *self.hidden)


@dataclass(frozen=True)
class Vocabulary:
    concepts: dict[str, Concept]  # by IRI
    cues: dict[str, dict[str, list[str]]]
    fingerprint: str  # hash of every file read: a changed entry changes it

    def of_type(self, entity_type: str) -> list[Concept]:
        return [c for c in self.concepts.values() if c.type == entity_type]


def _sorted_literals(graph: Graph, subject: URIRef, predicate: URIRef) -> tuple[str, ...]:
    return tuple(sorted(str(o) for o in graph.objects(subject, predicate)))


def read_vocabulary(vocab_dir: Path = VOCABULARY_DIR, cues_file: Path = CUES_FILE) -> Vocabulary:
    """Parse every `*.ttl` in `vocab_dir` and the cue file into a `Vocabulary`."""
    digest = hashlib.sha256()
    graph = Graph()
    for path in sorted(vocab_dir.glob("*.ttl")):
        data = path.read_bytes()
        digest.update(path.name.encode() + b"\0" + data)
        graph.parse(data=data, format="turtle")
    cue_bytes = cues_file.read_bytes()
    digest.update(cue_bytes)
    concepts = {}
    for subject, scheme in graph.subject_objects(SKOS.inScheme):
        entity_type = SCHEME_TYPES.get(str(scheme))
        if entity_type is None:
            continue
        labels = _sorted_literals(graph, subject, SKOS.prefLabel)
        if len(labels) != 1:
            raise ValueError(f"{subject}: needs exactly one skos:prefLabel, has {len(labels)}")
        concepts[str(subject)] = Concept(
            iri=str(subject),
            type=entity_type,
            label=labels[0],
            aliases=_sorted_literals(graph, subject, SKOS.altLabel),
            hidden=_sorted_literals(graph, subject, SKOS.hiddenLabel),
            broader=tuple(sorted(str(o) for o in graph.objects(subject, SKOS.broader))),
        )
    return Vocabulary(
        concepts=dict(sorted(concepts.items())),
        cues=tomllib.loads(cue_bytes.decode("utf-8")),
        fingerprint=digest.hexdigest(),
    )


def cue_pattern(cues: list[str]) -> re.Pattern:
    """One case-insensitive pattern matching any of `cues` as whole words or phrases."""
    alternatives = sorted({re.escape(c) for c in cues}, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])", re.IGNORECASE)


@cache
def default_vocabulary() -> Vocabulary:
    """The bundled vocabulary, read once per process."""
    return read_vocabulary()
