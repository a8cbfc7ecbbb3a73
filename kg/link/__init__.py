"""Linking: one node per real thing across papers, and paper -> paper edges.

Entity resolution merges mentions that name the same concept of the vocabulary,
or that share any spelling (case, whitespace, hyphens and dots ignored, so
MIMIC CXR = MIMIC-CXR), aliases included. A paper that introduces X owns X: a
paper that builds on, evaluates on or trains on X is linked to its owner.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from kg.extract.paper import name_key
from kg.extract.vocabulary import Vocabulary
from kg.records import (
    BUILDS_ON,
    COMPARES_WITH,
    DATASET,
    EVALUATES_ON,
    INTRODUCES,
    MODALITY,
    MODEL,
    PAPER_RELATIONS,
    TRAINED_ON,
    USES_MODALITY,
    Evidence,
    PaperExtraction,
)

# What each relation may point at, once an entity's type is settled across papers.
RELATION_TARGETS = {
    INTRODUCES: {MODEL, DATASET},
    BUILDS_ON: {MODEL},
    COMPARES_WITH: {MODEL},
    EVALUATES_ON: {DATASET},
    TRAINED_ON: {DATASET},
    USES_MODALITY: {MODALITY},
}


@dataclass
class ResolvedEntity:
    node_id: str
    type: str
    label: str
    aliases: list[str]
    concept: str | None
    broader: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class EntityEdge:
    paper_id: str
    relation: str
    node_id: str
    evidence: Evidence


@dataclass(frozen=True)
class PaperEdge:
    source_paper: str
    relation: str
    target_paper: str
    via: str  # node id of the entity the target paper introduces
    evidence: Evidence


@dataclass
class Linked:
    entities: dict[str, ResolvedEntity]
    entity_edges: list[EntityEdge]
    paper_edges: list[PaperEdge]


def slug(text: str) -> str:
    """Lower-case ASCII letters, digits and single hyphens: "GPT-4V(ision)" -> "gpt-4v-ision"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "x"


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, item: str) -> str:
        self.parent.setdefault(item, item)
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def union(self, a: str, b: str) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            # The smaller root wins, so the result does not depend on input order.
            low, high = sorted((root_a, root_b))
            self.parent[high] = low


def resolve(extractions: Iterable[PaperExtraction], vocabulary: Vocabulary) -> Linked:
    """Merge every paper's mentions into entities and derive paper -> paper edges."""
    extractions = list(extractions)
    concept_of_form = _unambiguous_forms(vocabulary)
    groups = _UnionFind()
    for extraction in extractions:
        for relation in extraction.relations:
            mention = relation.target
            anchor = mention.concept or concept_of_form.get(name_key(mention.name))
            keys = [f"form:{name_key(f)}" for f in (mention.name, *mention.aliases)]
            if anchor:
                keys.append(f"concept:{anchor}")
            for key in keys[1:]:
                groups.union(keys[0], key)

    names: dict[str, Counter] = defaultdict(Counter)
    types: dict[str, Counter] = defaultdict(Counter)
    concepts: dict[str, str] = {}
    for extraction in extractions:
        for relation in extraction.relations:
            mention = relation.target
            root = groups.find(f"form:{name_key(mention.name)}")
            names[root][mention.name] += 1
            for alias in mention.aliases:
                names[root][alias] += 0
            # The paper that introduces a thing says best what it is.
            types[root][mention.type] += 5 if relation.relation == INTRODUCES else 1
            concept = mention.concept or concept_of_form.get(name_key(mention.name))
            if concept:
                concepts[root] = concept

    entities_by_root: dict[str, ResolvedEntity] = {}
    used_ids: set[str] = set()
    for root in sorted(names):
        concept = concepts.get(root)
        entity_type = _majority(types[root])
        if concept:
            label = vocabulary.concepts[concept].label
            entity_type = vocabulary.concepts[concept].type
        else:
            label = min(names[root], key=lambda n: (-names[root][n], len(n), n))
        node_id = f"{entity_type.lower()}/{slug(label)}"
        if node_id in used_ids:
            node_id += "-" + hashlib.sha256(root.encode()).hexdigest()[:6]
        used_ids.add(node_id)
        aliases = sorted({n for n in names[root] if n != label})
        entities_by_root[root] = ResolvedEntity(node_id, entity_type, label, aliases, concept)

    node_of_concept = {e.concept: e.node_id for e in entities_by_root.values() if e.concept}
    for entity in entities_by_root.values():
        if entity.type == MODALITY and entity.concept:
            broader = vocabulary.concepts[entity.concept].broader
            entity.broader = sorted(node_of_concept[b] for b in broader if b in node_of_concept)

    entity_edges: dict[tuple[str, str, str], EntityEdge] = {}
    for extraction in extractions:
        for relation in extraction.relations:
            root = groups.find(f"form:{name_key(relation.target.name)}")
            if entities_by_root[root].type not in RELATION_TARGETS[relation.relation]:
                continue  # one paper called it a model, the others (or its owner) a dataset
            node_id = entities_by_root[root].node_id
            edge = EntityEdge(extraction.paper_id, relation.relation, node_id, relation.evidence)
            key = (extraction.paper_id, relation.relation, node_id)
            current = entity_edges.get(key)
            if current is None or edge.evidence.confidence > current.evidence.confidence:
                entity_edges[key] = edge
    _add_family_bases(entity_edges, entities_by_root)
    edges = [entity_edges[k] for k in sorted(entity_edges)]
    linked_ids = {edge.node_id for edge in edges}
    entities = {
        e.node_id: e
        for e in sorted(entities_by_root.values(), key=lambda e: e.node_id)
        if e.node_id in linked_ids
    }
    return Linked(entities=entities, entity_edges=edges, paper_edges=_paper_edges(edges))


def _add_family_bases(
    edges: dict[tuple[str, str, str], EntityEdge], entities: dict[str, ResolvedEntity]
) -> None:
    """A model named as a member of another paper's model family builds on it:
    GMAI-VL-R1 builds on GMAI-VL, whoever introduced each."""
    models = {e.node_id: e for e in entities.values() if e.type == MODEL}
    owners: dict[str, set[str]] = defaultdict(set)
    for paper_id, relation, node_id in edges:
        if relation == INTRODUCES and node_id in models:
            owners[node_id].add(paper_id)
    by_label = {models[node_id].label: node_id for node_id in owners}
    for node_id in sorted(owners):
        label = models[node_id].label
        for cut in (m.start() for m in re.finditer(r"[-\s]", label)):
            family = by_label.get(label[:cut])
            if family is None:
                continue
            for paper_id in sorted(owners[node_id] - owners[family]):
                key = (paper_id, BUILDS_ON, family)
                if key not in edges:
                    introduced_by = edges[(paper_id, INTRODUCES, node_id)].evidence
                    evidence = replace(introduced_by, rule="buildsOn:family-name", confidence=0.5)
                    edges[key] = EntityEdge(paper_id, BUILDS_ON, family, evidence)


def _paper_edges(edges: list[EntityEdge]) -> list[PaperEdge]:
    owners: dict[str, set[str]] = defaultdict(set)
    for edge in edges:
        if edge.relation == INTRODUCES:
            owners[edge.node_id].add(edge.paper_id)
    found: dict[tuple[str, str, str], PaperEdge] = {}
    for edge in edges:
        if edge.relation not in PAPER_RELATIONS:
            continue
        for owner in sorted(owners.get(edge.node_id, ())):
            key = (edge.paper_id, edge.relation, owner)
            if owner != edge.paper_id and key not in found:
                found[key] = PaperEdge(
                    edge.paper_id, edge.relation, owner, edge.node_id, edge.evidence
                )
    return [found[k] for k in sorted(found)]


def _majority(votes: Counter) -> str:
    return min(votes, key=lambda t: (-votes[t], t))


def _unambiguous_forms(vocabulary: Vocabulary) -> dict[str, str]:
    """Spelling key -> concept IRI, for spellings that name only one concept."""
    owners: dict[str, set[str]] = defaultdict(set)
    for concept in vocabulary.concepts.values():
        for form in concept.surface_forms:
            owners[name_key(form)].add(concept.iri)
    return {key: next(iter(iris)) for key, iris in owners.items() if len(iris) == 1}
