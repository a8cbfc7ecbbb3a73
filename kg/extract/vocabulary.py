"""The known models, datasets and modalities, read from the SKOS files in `ontology/vocab/`,
the generic terms that are never entities (`ontology/vocab/generic-terms.toml`), and the
cue lexicons read from `ontology/cues.toml`."""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, SKOS

from kg.paths import CUES_FILE, VOCABULARY_DIR
from kg.records import DATASET, MODALITY, MODEL

GENERIC_TERMS_FILE = "generic-terms.toml"
LEADING_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
# A dataset edition: a known name, then a year or version (and maybe "challenge").
DATASET_VERSION = re.compile(
    r"^(?P<base>.*?[A-Za-z])[\s_-]*(?:(?:19|20)\d{2}|v\d+(?:\.\d+)?)(?:\s+challenge)?$",
    re.IGNORECASE,
)

KGV = "https://w3id.org/kg/vocab/"
# kgv:matchCase true: every label of the concept matches only as written.
MATCH_CASE = URIRef(KGV + "matchCase")
# kgv:modality: the data modality of a dataset (BraTS: MRI), so its users work on it.
DATA_MODALITY = URIRef(KGV + "modality")
# kgv:falseFriend: a phrase holding a label that does not name the concept ("hate speech").
FALSE_FRIEND = URIRef(KGV + "falseFriend")
SCHEME_TYPES = {
    KGV + "models": MODEL,
    KGV + "datasets": DATASET,
    KGV + "modalities": MODALITY,
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
    match_case: bool = False  # labels that are also common phrases ("natural questions")
    modalities: tuple[str, ...] = ()  # of a dataset: the modality concepts of its data
    false_friends: tuple[str, ...] = ()  # phrases around a label that name something else
    issued: int | None = None  # dcterms:issued: the year the artifact first appeared

    @property
    def surface_forms(self) -> tuple[str, ...]:
        return (self.label, *self.aliases, *self.hidden)


NOT_IN_NAME_KEY = re.compile(r"[\s\-‐-―.]+")


def name_key(name: str) -> str:
    """Spelling-insensitive key: case, whitespace, hyphens and dots ignored."""
    return NOT_IN_NAME_KEY.sub("", name.casefold())


@dataclass(frozen=True)
class GenericTerm:
    """A name-shaped word of the field that names no one thing (RGB, dB, PSNR, CNN)."""

    term: str
    category: str
    source: str  # the standard, glossary or reference work that defines it


@dataclass(frozen=True)
class Vocabulary:
    concepts: dict[str, Concept]  # by IRI
    cues: dict[str, dict[str, list[str]]]
    fingerprint: str  # hash of every file read: a changed entry changes it
    generic_terms: dict[str, GenericTerm]  # by name_key of the term

    def of_type(self, entity_type: str) -> list[Concept]:
        return [c for c in self.concepts.values() if c.type == entity_type]

    def modalities_of(self, iri: str) -> tuple[str, ...]:
        """The data modalities of a dataset concept, or of the nearest family above it that
        records them (BraTS 2021 inherits BraTS's MRI)."""
        seen: set[str] = set()
        while iri in self.concepts and iri not in seen:
            seen.add(iri)
            concept = self.concepts[iri]
            if concept.modalities or not concept.broader:
                return concept.modalities
            iri = concept.broader[0]
        return ()

    @cached_property
    def modality_words(self) -> dict[str, str]:
        """One-word, capitalised names of modalities (CT, MRI, CXR) -> modality concept:
        the parts of a dataset name that say what it holds (Pancreas-CT, COVID-CT-MD)."""
        return {
            form: concept.iri
            for concept in self.of_type(MODALITY)
            for form in concept.surface_forms
            if form.isalnum() and any(ch.isupper() for ch in form)
        }

    @cached_property
    def _datasets_by_key(self) -> dict[str, str]:
        owners: dict[str, set[str]] = {}
        for concept in self.of_type(DATASET):
            for form in concept.surface_forms:
                owners.setdefault(name_key(form), set()).add(concept.iri)
        return {key: iris.pop() for key, iris in owners.items() if len(iris) == 1}

    def dataset_of_version(self, name: str) -> str | None:
        """The known dataset an unknown edition names ("BraTS2023", "KiTS2023 challenge",
        "FLARE 2021"): its name without a year or version suffix."""
        version = DATASET_VERSION.match(name)
        return self._datasets_by_key.get(name_key(version["base"])) if version else None

    @cached_property
    def concept_keys(self) -> frozenset[str]:
        """name_key of every surface form of a concept."""
        return frozenset(name_key(f) for c in self.concepts.values() for f in c.surface_forms)

    def is_generic(self, name: str) -> bool:
        """Whether `name` is a generic term (in any spelling, or its plural: "CNNs"); a
        name of a known concept never is (PACS the dataset is no plural of PAC)."""
        key = name_key(name)
        if key in self.generic_terms:
            return True
        quantity = LEADING_NUMBER.match(key)  # "30Hz", "100ms": a number and its unit
        if quantity and quantity.end() < len(key):
            unit = self.generic_terms.get(key[quantity.end() :])
            return unit is not None and unit.category == "units"
        return key.endswith("s") and key[:-1] in self.generic_terms and key not in self.concept_keys


def _year(literal: object) -> int | None:
    return int(str(literal)[:4]) if literal is not None else None


def _sorted_literals(graph: Graph, subject: URIRef, predicate: URIRef) -> tuple[str, ...]:
    return tuple(sorted(str(o) for o in graph.objects(subject, predicate)))


def read_generic_terms(path: Path) -> dict[str, GenericTerm]:
    """The generic terms of `path` by name_key; each group must name its source."""
    table = tomllib.loads(path.read_text(encoding="utf-8"))
    terms: dict[str, GenericTerm] = {}
    for category, body in table.items():
        for number, group in enumerate(body.get("groups", []), start=1):
            source = group.get("source", "").strip()
            if not source or not group.get("terms"):
                raise ValueError(f"{path}: [{category}] group {number} needs a source and terms")
            for term in group["terms"]:
                key = name_key(term)
                if key in terms:
                    raise ValueError(
                        f"{path}: {term!r} in [{category}] repeats {terms[key].term!r}"
                        f" of [{terms[key].category}]"
                    )
                terms[key] = GenericTerm(term, category, source)
    return terms


def read_vocabulary(vocab_dir: Path = VOCABULARY_DIR, cues_file: Path = CUES_FILE) -> Vocabulary:
    """Parse every `*.ttl` in `vocab_dir`, its generic terms and the cue file into a
    `Vocabulary`."""
    digest = hashlib.sha256()
    graph = Graph()
    for path in sorted(vocab_dir.glob("*.ttl")):
        data = path.read_bytes()
        digest.update(path.name.encode() + b"\0" + data)
        graph.parse(data=data, format="turtle")
    generic_file = vocab_dir / GENERIC_TERMS_FILE
    digest.update(generic_file.read_bytes())
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
            match_case=bool(graph.value(subject, MATCH_CASE)),
            modalities=tuple(sorted(str(o) for o in graph.objects(subject, DATA_MODALITY))),
            false_friends=_sorted_literals(graph, subject, FALSE_FRIEND),
            issued=_year(graph.value(subject, DCTERMS.issued)),
        )
    return Vocabulary(
        concepts=dict(sorted(concepts.items())),
        cues=tomllib.loads(cue_bytes.decode("utf-8")),
        fingerprint=digest.hexdigest(),
        generic_terms=read_generic_terms(generic_file),
    )


def cue_pattern(cues: list[str]) -> re.Pattern:
    """One case-insensitive pattern matching any of `cues` as whole words or phrases, the
    longest cue first where several match.

    ASCII cues are merged into a trie ("fine-tun(?:e(?:d)?|ing)"), which the regex engine
    walks about three times faster than a list of alternatives and which matches the same
    text: two lower-cased ASCII cues that match at one place are a prefix of one another,
    and the trie tries the longer first."""
    if all(c.isascii() for c in cues):
        body = _trie_pattern({c.lower() for c in cues})
    else:
        body = "|".join(sorted({re.escape(c) for c in cues}, key=len, reverse=True))
    return re.compile(r"(?<![\w-])(?:" + body + r")(?![\w-])", re.IGNORECASE)


def _trie_pattern(words: set[str]) -> str:
    """A regex of literal `words` as a trie: at each letter the longer words are tried first."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here

    def pattern(node: dict) -> str:
        branches = [re.escape(ch) + pattern(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return pattern(trie)


@cache
def default_vocabulary() -> Vocabulary:
    """The bundled vocabulary, read once per process."""
    return read_vocabulary()
