"""One node per real thing: mentions across papers grouped into entities.

Mentions group when they name the same vocabulary concept, share a spelling (case,
whitespace, hyphens and dots ignored: MIMIC CXR = MIMIC-CXR) or an alias that
belongs to them. A dataset version or split (VOC2007, COCO 2017, a concept whose
skos:broader is a dataset) resolves to its family's top concept, so counts add up.
An alias belongs to a mention only when it is a spelling of the same name, a form
of its concept, or a long form that spells out the short one: an abstract's stray
phrase ("classification (Cifar-10, ImageNet) and detection") neither joins two
entities nor shows as a name.

Versions and splits the vocabulary knows (PASCAL VOC 2007, BraTS 2021) stay their own
entities, with `broader` naming their family's node (skos:broader in the vocabulary):
papers evaluate on one version, and the family is one query step away.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from kg.extract.vocabulary import Vocabulary
from kg.link.linked import ResolvedEntity, slug, spelling_key
from kg.link.senses import (
    Identity,
    SenseIndex,
    abbreviates,
    is_long_form_of,
    is_short_form,
    spelled_out,
)
from kg.records import DATASET, INTRODUCES, MODALITY, Evidence, Mention, Relation

# A version or split written after a dataset's name: "COCO 2017", "VOC2012", "NYU Depth v2",
# "Cityscapes val". What is left must be a known dataset for the suffix to count as one.
VERSION_SUFFIX = re.compile(
    r"^(?P<base>.*?[A-Za-z])[\s_-]*(?:(?:19|20)\d{2}|v\d+(?:\.\d+)?|"
    r"(?:train|val|valid|validation|test|trainval|dev)(?:\s*set)?)$",
    re.IGNORECASE,
)
# Quotes that stick to a name taken from a sentence.
STRAY = "\"'“”‘’` "
# Extraction's rule for a base read off a new name ("CC-SAM" builds on SAM): it holds only
# for the vocabulary's sense of the name inside.
DERIVED_NAME_RULE = "buildsOn:derived-name"
# Words of a long-form node id kept from the long form (the rest only make ids longer).
SENSE_ID_WORDS = 6


@cache  # asked for every mention's name and alias: most are asked again
def shown(name: str) -> str:
    """A name as shown: without the quotes and the dangling hyphen a PDF or a sentence left
    on it ('"Vision transformer', 'SVM-')."""
    return name.strip(STRAY).rstrip("-").strip() or name


class UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, item: str) -> str:
        parent = self.parent.setdefault(item, item)
        if parent == item:  # most items are their own group
            return item
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


def resolver_for(vocabulary: Vocabulary) -> Resolver:
    """The Resolver of `vocabulary`: the last one made, if for the same vocabulary object."""
    global _last_resolver
    if _last_resolver is None or _last_resolver.vocabulary is not vocabulary:
        _last_resolver = Resolver(vocabulary)
    return _last_resolver


def unambiguous_forms(vocabulary: Vocabulary) -> dict[str, str]:
    """Spelling key -> concept IRI, for spellings that name only one concept."""
    owners: dict[str, set[str]] = defaultdict(set)
    for concept in vocabulary.concepts.values():
        for form in concept.surface_forms:
            owners[spelling_key(form)].add(concept.iri)
    return {key: next(iter(iris)) for key, iris in owners.items() if len(iris) == 1}


def belongs(alias: str, name: str, concept_keys: frozenset[str]) -> bool:
    """`alias` is another way to write `name`, not a phrase that happened to stand beside it."""
    alias_key, key = spelling_key(alias), spelling_key(name)
    if alias_key in concept_keys or alias_key.rstrip("s") == key.rstrip("s"):
        return True
    if is_short_form(name) and is_long_form_of(alias, name):
        return abbreviates(name, alias)
    if is_short_form(alias) and is_long_form_of(name, alias):
        return abbreviates(alias, name)
    return False


def _most_used(counts: dict[str, int], shortest_first: bool = False) -> str:
    """The most counted; among equals the shortest (if asked), then the first in sort order."""
    if len(counts) == 1:  # most groups: one name, one type
        return next(iter(counts))
    if shortest_first:
        return min(counts, key=lambda n: (-counts[n], len(n), n))
    return min(counts, key=lambda n: (-counts[n], n))


@dataclass(slots=True)  # 60k of them at 88k papers: slots make and read them faster
class Placed:
    """One paper's mention with the identity resolution gave it and the aliases that belong."""

    paper_id: str
    relation: str
    mention: Mention
    evidence: Evidence
    identity: Identity
    aliases: tuple[str, ...]
    long_forms: tuple[str, ...]  # `spelled_out(mention)`, which later passes ask for again


_last_resolver: Resolver | None = None


class Resolver:
    """Groups the corpus's mentions into entities (see the module docstring).

    What it works out of a name alone (its concept, whether it is a generic term, the
    aliases that belong to it) it remembers: `resolver_for` hands out one per vocabulary,
    so what `kg.link.prepare` worked out serves the stage."""

    def __init__(self, vocabulary: Vocabulary):
        self.vocabulary = vocabulary
        self.concept_of_form = unambiguous_forms(vocabulary)
        self._is_generic = cache(vocabulary.is_generic)
        self._generic_mentions: dict[tuple[str, tuple[str, ...]], bool] = {}
        self._concept_keys: dict[str, frozenset[str]] = {}
        self._concepts: dict[tuple[str | None, str, str], str | None] = {}
        self._kept_aliases: dict[tuple[str, tuple[str, ...], str | None], tuple[str, ...]] = {}

    def concept_of(self, mention: Mention) -> str | None:
        """The mention's concept, or the one its spelling names; a dataset version or split
        the vocabulary lacks ("COCO 2015") is its base dataset."""
        key = (mention.concept, mention.name, mention.type)
        if key in self._concepts:
            return self._concepts[key]
        concept = self._concepts[key] = self._concept_of(mention)
        return concept

    def _concept_of(self, mention: Mention) -> str | None:
        concept = mention.concept if mention.concept in self.vocabulary.concepts else None
        concept = concept or self.concept_of_form.get(spelling_key(mention.name))
        if concept is None and mention.type == DATASET:
            version = VERSION_SUFFIX.match(mention.name)
            if version:
                concept = self.concept_of_form.get(spelling_key(version.group("base")))
        return concept

    def is_generic_mention(self, mention: Mention) -> bool:
        """A stop-list term, or the long form of one ("Gaussian Process (GP)")."""
        key = (mention.name, mention.aliases)
        generic = self._generic_mentions.get(key)
        if generic is None:
            is_generic, name = self._is_generic, mention.name
            generic = self._generic_mentions[key] = is_generic(name) or any(
                is_short_form(alias) and is_long_form_of(name, alias) and is_generic(alias)
                for alias in mention.aliases
            )
        return generic

    def concept_keys(self, iri: str | None) -> frozenset[str]:
        """Spelling keys of a concept's labels."""
        if iri is None:
            return frozenset()
        if iri not in self._concept_keys:
            forms = self.vocabulary.concepts[iri].surface_forms
            self._concept_keys[iri] = frozenset(spelling_key(form) for form in forms)
        return self._concept_keys[iri]

    def kept_aliases(self, mention: Mention, concept: str | None) -> tuple[str, ...]:
        if not mention.aliases:
            return ()
        key = (mention.name, mention.aliases, concept)
        kept = self._kept_aliases.get(key)
        if kept is None:
            keys = self.concept_keys(concept)
            kept = tuple(a for a in mention.aliases if belongs(a, mention.name, keys))
            self._kept_aliases[key] = kept
        return kept

    def place(
        self, paper_id: str, relation: Relation, concept: str | None, senses: SenseIndex
    ) -> Placed | None:
        """The mention with its identity, given the concept `concept_of` found for it; None
        when it is no entity."""
        mention = relation.target
        identity = senses.identity(paper_id, mention, concept)
        if identity.concept is None and (
            mention.type == MODALITY
            or (mention.concept and relation.evidence.rule == DERIVED_NAME_RULE)
        ):
            # "CT (Computed Torque)" is no modality: modalities are concepts of the vocabulary;
            # "iSAM" (smoothing and mapping) derives from no Segment Anything Model.
            return None
        if not mention.aliases:  # most mentions: no alias to keep, nothing spelled out
            return Placed(paper_id, relation.relation, mention, relation.evidence, identity, (), ())
        aliases = self.kept_aliases(mention, identity.concept)
        long_forms = spelled_out(mention)
        if identity.sense is not None:  # a long form of another sense is no alias of this one
            own = {spelling_key(form) for form in identity.sense.long_forms}
            aliases = tuple(a for a in aliases if spelling_key(a) in own or a not in long_forms)
        return Placed(
            paper_id, relation.relation, mention, relation.evidence, identity, aliases, long_forms
        )

    def entities(
        self, placed: list[Placed], senses: SenseIndex
    ) -> tuple[dict[str, ResolvedEntity], dict[str, str]]:
        """Entities by group root, and each identity key's root. An entity's `node_id` is the
        id it wants: `kg.link.node_ids` settles which entity of an id taken twice keeps it."""
        ambiguous = senses.senses
        # Each key once, and each pair of keys to join once: a concept's name comes with
        # most of its mentions (ImageNet: 880 at 88k papers).
        keys = dict.fromkeys(item.identity.key for item in placed)
        joined: set[tuple[str, str]] = set()
        for item in placed:
            key = item.identity.key
            if key.startswith("concept:"):
                name_key = spelling_key(item.mention.name)
                if name_key not in ambiguous:
                    joined.add((key, name_key))
            for alias in item.aliases:
                alias_key = spelling_key(alias)
                if alias_key not in ambiguous:
                    joined.add((key, alias_key))
        groups = UnionFind()
        groups.parent.update((key, key) for key in keys)
        for key, form_key in joined:
            groups.union(key, f"form:{form_key}")
        root_of = {key: groups.find(key) for key in groups.parent}
        # Counts in plain dicts: a Counter per group cost more than the counting.
        names: dict[str, dict[str, int]] = defaultdict(dict)
        types: dict[str, dict[str, int]] = defaultdict(dict)
        concepts: dict[str, set[str]] = defaultdict(set)
        sense_forms: dict[str, str] = {}
        for item in placed:
            identity, mention = item.identity, item.mention
            root = root_of[identity.key]
            root_names = names[root]
            name = shown(mention.name)
            root_names[name] = root_names.get(name, 0) + 1
            for alias in item.aliases:
                root_names.setdefault(shown(alias), 0)
            # The paper that introduces a thing says best what it is.
            root_types = types[root]
            weight = 5 if item.relation == INTRODUCES else 1
            root_types[mention.type] = root_types.get(mention.type, 0) + weight
            if identity.concept:
                concepts[root].add(identity.concept)
            elif identity.sense is not None:
                sense_forms.setdefault(root, identity.sense.long_forms[0])

        entities: dict[str, ResolvedEntity] = {}
        for root in sorted(names):
            root_names, root_types = names[root], types[root]
            concept = min(concepts[root]) if root in concepts else None
            if concept:
                known = self.vocabulary.concepts[concept]
                label, entity_type = known.label, known.type
            else:
                label = _most_used(root_names, shortest_first=True)
                entity_type = _most_used(root_types)
            node_id = f"{entity_type.lower()}/{slug(label)}"
            if root in sense_forms and not concept:
                # One of several senses of a short form: its long form tells the ids apart.
                words = slug(sense_forms[root]).split("-")[:SENSE_ID_WORDS]
                node_id += "--" + "-".join(words)
            aliases = [n for n in root_names if n != label]
            aliases.sort()
            entities[root] = ResolvedEntity(node_id, entity_type, label, aliases, concept)
        return entities, root_of
