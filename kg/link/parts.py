"""The corpus in two parts that link apart: groups of names no rule of the stage joins.

Up to the introductions, every rule looks only at mentions that share a key: senses at
one short form's mentions, entities at mentions joined by a concept, a spelling or an
alias's spelling, generic terms, artifacts and introductions at one entity's mentions. So
the mentions fall into groups (connected by those keys) that are linked the same alone as
with the rest of the corpus. Two parts made of whole groups are linked apart (a process
forked for one of them: `kg.link.aside`) and put together; what stays corpus-wide is done
after: which entity keeps a node id two want (`node_ids`), the model families and the
paper -> paper edges.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass

from kg.link.linked import ResolvedEntity, spelling_key
from kg.link.resolve import Resolver, UnionFind
from kg.records import Evidence, PaperExtraction, Relation

# The second part's share of the mentions: the forked process links it, and pays more
# for the pages it shares with this one (at 88k papers ~0.3 s, this one ~0.2 s) besides
# sending its part back (~0.1 s), so the two are done about together.
SECOND_SHARE = 0.43
# One paper's mention, as the stage reads it: its paper's id and the relation.
PaperRelation = tuple[str, Relation]


@dataclass
class LinkedPart:
    """What linking a part of the corpus gives, keyed by entity root (a node id is chosen
    once all parts are in: two entities of different parts may want the same)."""

    # Every entity by root; its `node_id` is the id it wants.
    entities: dict[str, ResolvedEntity]
    # The ids each artifact may take (`split_by_introductions`), by its name's root and place.
    artifact_ids: dict[tuple[str, int], tuple[str, ...]]
    # (paper id, relation, root) -> the evidence of the paper's edge to the entity.
    edges: dict[tuple[str, str, str], Evidence]
    # (paper id, root) -> its claim's (strength, same kind, proposed): see `kg.link.resolve`.
    claims: dict[tuple[str, str], tuple[int, bool, bool]]
    # How many entities have each spelling key as their label's (model families ask).
    label_keys: Counter[str]
    # The papers introducing each model, by root, and where its name has a word break
    # (`kg.link.WORD_BREAK`; models without one are left out): model families ask.
    introducers: dict[str, list[str]]
    word_breaks: dict[str, list[int]]

    def add(self, other: LinkedPart) -> None:
        """Take in another part's results (its roots are none of this part's)."""
        self.entities.update(other.entities)
        self.artifact_ids.update(other.artifact_ids)
        self.edges.update(other.edges)
        self.claims.update(other.claims)
        self.label_keys.update(other.label_keys)
        self.introducers.update(other.introducers)
        self.word_breaks.update(other.word_breaks)


def halves(
    mentions: list[PaperRelation], resolver: Resolver
) -> tuple[list[PaperRelation], list[PaperRelation]]:
    """The mentions in two parts of whole groups (see the module docstring), the second
    about `SECOND_SHARE` of them, each in corpus order: a group is joined by its mentions'
    spelling keys, their aliases' and their concepts (the one `resolver` finds and the one
    their spelling names; an IRI taken for a spelling key only joins more)."""
    concept_of, concept_of_form = resolver.concept_of, resolver.concept_of_form
    name_keys = []
    # Each pair once: a concept's name comes with most of its mentions.
    joined: set[tuple[str, str]] = set()
    for _, relation in mentions:
        mention = relation.target
        key = spelling_key(mention.name)
        name_keys.append(key)
        concept = concept_of(mention)
        if concept:
            joined.add((key, concept))
        named = concept_of_form.get(key)
        if named and named != concept:
            joined.add((key, named))
        for alias in mention.aliases:
            joined.add((key, spelling_key(alias)))
    groups = UnionFind()
    for first, second in joined:
        groups.union(first, second)
    group_of = {key: groups.find(key) for key in set(name_keys)}
    sizes = Counter(group_of[key] for key in name_keys)
    first_part: list[PaperRelation] = []
    second_part: list[PaperRelation] = []
    side: dict[str, list[PaperRelation]] = {}
    loads = [0, 0]
    for item, key in zip(mentions, name_keys, strict=True):
        group = group_of[key]
        part = side.get(group)
        if part is None:
            # Each new group to the part that is short of its share so far.
            second = loads[1] < SECOND_SHARE * (loads[0] + loads[1] + 1)
            part = side[group] = second_part if second else first_part
            loads[second] += sizes[group]
        part.append(item)
    return first_part, second_part


def node_ids(part: LinkedPart) -> dict[str, str]:
    """Each root's node id: the id its entity wants, chosen in root order; one wanted by an
    entity before gets the root's digest. Then each artifact, by its name's root and place,
    takes the first of its ids not taken."""
    artifact_roots = {f"{root}#{told}" for root, told in part.artifact_ids}
    taken: set[str] = set()
    chosen: dict[str, str] = {}
    for root in sorted(part.entities.keys() - artifact_roots):
        node_id = part.entities[root].node_id
        if node_id in taken:
            node_id += "-" + hashlib.sha256(root.encode()).hexdigest()[:6]
        taken.add(node_id)
        chosen[root] = node_id
    for (root, told), candidates in sorted(part.artifact_ids.items()):
        node_id = next(c for c in candidates if c not in taken)
        taken.add(node_id)
        chosen[f"{root}#{told}"] = node_id
    return chosen


# A part as plain data (what `marshal` writes): entities, artifact ids, edges, claims, label
# keys, introducers, word breaks. An edge's evidence is (extraction index, relation index)
# when it is a relation's, else its fields.
PortablePart = tuple[list, list, list, list, dict, dict, dict]


def portable(part: LinkedPart, extractions: list[PaperExtraction]) -> PortablePart:
    """`part` as plain data, for `from_portable` in a process holding the same extractions."""
    where = {
        id(relation.evidence): (index, at)
        for index, extraction in enumerate(extractions)
        for at, relation in enumerate(extraction.relations)
    }
    return (
        [
            (root, e.node_id, e.type, e.label, e.aliases, e.concept)
            for root, e in part.entities.items()
        ],
        [(root, told, ids) for (root, told), ids in part.artifact_ids.items()],
        [
            (paper_id, relation, root, where.get(id(evidence)) or _fields(evidence))
            for (paper_id, relation, root), evidence in part.edges.items()
        ],
        [(paper_id, root, *claim) for (paper_id, root), claim in part.claims.items()],
        dict(part.label_keys),
        part.introducers,
        part.word_breaks,
    )


def from_portable(data: PortablePart, extractions: list[PaperExtraction]) -> LinkedPart:
    entities, artifact_ids, edges, claims, label_keys, introducers, word_breaks = data
    return LinkedPart(
        {root: ResolvedEntity(*fields) for root, *fields in entities},
        {(root, told): ids for root, told, ids in artifact_ids},
        {
            (paper_id, relation, root): _evidence(found, extractions)
            for paper_id, relation, root, found in edges
        },
        {(paper_id, root): tuple(claim) for paper_id, root, *claim in claims},  # type: ignore[misc]
        Counter(label_keys),
        introducers,
        word_breaks,
    )


def _fields(evidence: Evidence) -> tuple:
    return (evidence.sentence, evidence.start, evidence.end, evidence.rule, evidence.confidence)


def _evidence(found: tuple, extractions: list[PaperExtraction]) -> Evidence:
    if len(found) == 2:
        index, at = found
        return extractions[index].relations[at].evidence
    return Evidence(*found)
