"""Linking: corpus-level reasoning over every paper's extraction (docs/linking.md).

    resolve(extractions, vocabulary, papers) -> Linked

One concern per module, applied in this order:

- `senses`: the long form a paper gives decides what a short form means (CLIP the
  model is not CLIP the Lisp package);
- `resolve`: one node per real thing (concepts, spellings, aliases that belong,
  dataset versions and splits to their family);
- `generic`: generic terms are no entities (the stop vocabulary, corpus statistics);
- `artifacts`: one name, several artifacts: introductions of a name in unrelated papers
  split what spelling joined (HardNet and HarDNet), each mention to the one it names;
- `introductions`: who really introduced X (own evidence, vocabulary sources, years);
- `papers`: paper -> paper edges, never towards a later paper.
"""

from __future__ import annotations

import re
import sys
import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace

from kg.collection import uncollected
from kg.extract.vocabulary import Vocabulary
from kg.link.artifacts import split_by_introductions
from kg.link.aside import Aside
from kg.link.generic import CorpusUsage, generic_roots, is_common_phrase
from kg.link.introductions import (
    NAMING_RULES,
    NO_CLAIM,
    OWNED_RULES,
    STRONG,
    TITLE_RULE,
    claim_strength,
    settle_introductions,
    source_year,
    vocabulary_sources,
)
from kg.link.linked import EntityEdge, Linked, PaperEdge, ResolvedEntity, slug, spelling_key
from kg.link.papers import paper_edges
from kg.link.parts import LinkedPart, PaperRelation, from_portable, halves, node_ids, portable
from kg.link.resolve import DERIVED_NAME_RULE, Placed, resolver_for, shown
from kg.link.senses import (
    PaperWords,
    SenseIndex,
    abbreviates,
    is_long_form_of,
    is_short_form,
    same_sense,
    spelled_out,
)
from kg.records import (
    BUILDS_ON,
    COMPARES_WITH,
    DATASET,
    EVALUATES_ON,
    INTRODUCES,
    MODALITY,
    MODEL,
    TRAINED_ON,
    USES_MODALITY,
    Evidence,
    Paper,
    PaperExtraction,
    Relation,
)

__all__ = [
    "EntityEdge",
    "Linked",
    "PaperEdge",
    "ResolvedEntity",
    "prepare",
    "preparing",
    "resolve",
    "slug",
]

# A name of up to four capitals and digits: an acronym, too thin to be a model family.
BARE_ACRONYM = re.compile(r"[A-Z0-9]{1,4}")
# Where a model's name may end its family's name ("GMAI-VL" in "GMAI-VL-R1").
WORD_BREAK = re.compile(r"[-\s]")
# Other papers that must spell a stop-list term out before a paper's other long form of it
# is taken for its own name (else nothing tells how the field writes the term).
FIELD_PAPERS = 2
# Extractions `prepare` works through between two looks at whether to stop (~1 ms).
PREPARE_BATCH = 200
# Seconds between two hand-overs of the interpreter's lock while `preparing`.
PREPARE_SWITCH = 0.0002
# Mentions from which half the corpus is linked in a forked process, when jobs allow: below,
# forking costs more than it saves.
PARALLEL_MENTIONS = 5_000
# What each relation may point at, once an entity's type is settled across papers.
RELATION_TARGETS = {
    INTRODUCES: {MODEL, DATASET},
    BUILDS_ON: {MODEL},
    COMPARES_WITH: {MODEL},
    EVALUATES_ON: {DATASET},
    TRAINED_ON: {DATASET},
    USES_MODALITY: {MODALITY},
}


def resolve(
    extractions: Iterable[PaperExtraction],
    vocabulary: Vocabulary,
    papers: Iterable[Paper] = (),
    jobs: int = 1,
) -> Linked:
    """Merge every paper's mentions into entities and derive paper -> paper edges.

    `papers` gives years (for introductions and paper edges) and text (to tell the
    sense of a bare acronym); without them those rules fall back as docs/linking.md says.
    With 2 `jobs` or more, half the corpus is linked in a forked process (`kg.link.parts`).
    """
    # The stage's objects live to its end or die by reference counting: at 88k papers the
    # cycle collector's 7 passes over them during the stage (0.18 s) freed 5,000 objects.
    with uncollected():
        return _resolve(extractions, vocabulary, papers, jobs)


def _resolve(
    extractions: Iterable[PaperExtraction],
    vocabulary: Vocabulary,
    papers: Iterable[Paper],
    jobs: int,
) -> Linked:
    extractions = list(extractions)
    # One pass over the papers: reading 88k of them scattered in memory is what costs.
    by_id: dict[str, Paper] = {}
    years: dict[str, int | None] = {}
    for paper in papers:
        by_id[paper.id] = paper
        years[paper.id] = paper.year
    words_of = PaperWords(by_id)
    mentions = [
        (extraction.paper_id, relation)
        for extraction in extractions
        for relation in extraction.relations
    ]

    def linked(part: list[PaperRelation]) -> LinkedPart:
        return _linked_part(part, vocabulary, years, words_of)

    if jobs < 2 or len(mentions) < PARALLEL_MENTIONS:
        part = linked(mentions)
    else:
        here, there = halves(mentions, resolver_for(vocabulary))
        aside = Aside(lambda: portable(linked(there), extractions))
        try:
            part = linked(here)
            part.add(from_portable(aside.result(), extractions))
        finally:
            aside.close()
    return _finished(part, vocabulary, years, by_id)


def _linked_part(
    mentions_in: list[PaperRelation],
    vocabulary: Vocabulary,
    years: dict[str, int | None],
    words_of: PaperWords,
) -> LinkedPart:
    """Entities, edges and claims of mentions that are whole groups of names (all the
    corpus's, or a part from `halves`), up to the introductions."""
    resolver = resolver_for(vocabulary)
    field_forms = _long_forms_of_terms(mentions_in, vocabulary)
    mentions = [
        (paper_id, relation, concept)
        for paper_id, relation in mentions_in
        if (concept := resolver.concept_of(relation.target))
        or not resolver.is_generic_mention(relation.target)
        or _own_name(paper_id, relation, vocabulary, field_forms)
    ]
    senses = SenseIndex(
        ((paper_id, relation.target) for paper_id, relation, _ in mentions),
        resolver.concept_of_form,
        {
            iri: [form for form in concept.surface_forms if " " in form.strip()]
            for iri, concept in vocabulary.concepts.items()
        },
        words_of,
    )
    placed = [
        item
        for paper_id, relation, concept in mentions
        if (item := resolver.place(paper_id, relation, concept, senses))
    ]
    entities, root_of = resolver.entities(placed, senses)

    usage = CorpusUsage()
    roots: list[str] = []
    for item in placed:
        root = root_of[item.identity.key]
        roots.append(root)
        usage.add(root, item.paper_id, item.mention, item.long_forms)
    for short_key, short_senses in senses.senses.items():
        bare = root_of.get(f"form:{short_key}")
        if bare is not None:
            usage.lend(bare, [root_of[s.key] for s in short_senses if s.key in root_of])
    generic = generic_roots(entities, usage)
    levels = [
        _claim_level(item.evidence, item.mention.name, item.aliases, item.long_forms)
        if item.relation == INTRODUCES
        else NO_CLAIM
        for item in placed
    ]
    roots, artifact_ids = split_by_introductions(
        placed, roots, levels, entities, generic, years, words_of
    )

    edges: dict[tuple[str, str, str], Evidence] = {}
    claims: dict[tuple[str, str], tuple[int, bool, bool]] = {}
    for item, root, level in zip(placed, roots, levels, strict=True):
        entity = entities[root]
        relation = item.relation
        if root in generic or entity.type not in RELATION_TARGETS[relation]:
            continue  # one paper called it a model, the others (or its owner) a dataset
        if _before_it_existed(item, entity, years, vocabulary):
            continue
        paper_id, evidence = item.paper_id, item.evidence
        key = (paper_id, relation, root)
        current = edges.get(key)
        if current is None or evidence.confidence > current.confidence:
            edges[key] = evidence
        if relation == INTRODUCES:
            same_kind = item.mention.type == entity.type
            proposed = entity.type != MODEL or not evidence.rule.startswith(OWNED_RULES)
            claims[(paper_id, root)] = max(
                (level, same_kind, proposed),
                claims.get((paper_id, root), (NO_CLAIM, False, False)),
            )

    concepts = {root: entity.concept for root, entity in entities.items()}
    issued = {iri: concept.issued for iri, concept in vocabulary.concepts.items()}
    settle_introductions(edges, years, claims, concepts, vocabulary_sources(), issued)
    _drop_own_bases(edges)
    label_keys = Counter(spelling_key(entity.label) for entity in entities.values())
    introducers: dict[str, list[str]] = defaultdict(list)
    for paper_id, relation, root in edges:
        if relation == INTRODUCES and entities[root].type == MODEL:
            introducers[root].append(paper_id)
    word_breaks = {
        root: cuts
        for root in introducers
        if (cuts := [m.start() for m in WORD_BREAK.finditer(entities[root].label)])
    }
    return LinkedPart(
        entities, artifact_ids, edges, claims, label_keys, dict(introducers), word_breaks
    )


def _finished(
    part: LinkedPart,
    vocabulary: Vocabulary,
    years: dict[str, int | None],
    papers: dict[str, Paper],
) -> Linked:
    """The corpus's `Linked` from its parts put together: node ids chosen, families (of
    any part's models) and paper -> paper edges added."""
    chosen = node_ids(part)
    entities = part.entities
    for root, entity in entities.items():
        entity.node_id = chosen[root]
    node_of_concept = {e.concept: e.node_id for e in entities.values() if e.concept}
    for entity in entities.values():
        if entity.concept:
            broader = vocabulary.concepts[entity.concept].broader
            entity.broader = sorted(node_of_concept[b] for b in broader if b in node_of_concept)
    _add_family_bases(part, papers)
    entity_edges = [
        EntityEdge(*row)
        for row in sorted(
            (paper_id, relation, chosen[root], evidence)
            for (paper_id, relation, root), evidence in part.edges.items()
        )
    ]
    linked_ids = {edge.node_id for edge in entity_edges}
    kept = {
        e.node_id: e
        for e in sorted(entities.values(), key=lambda e: e.node_id)
        if e.node_id in linked_ids
    }
    for entity in kept.values():  # a family no paper links to is no node to point at
        entity.broader = [b for b in entity.broader if b in kept]
    return Linked(kept, entity_edges, paper_edges(entity_edges, years))


@contextmanager
def preparing(extractions: list[PaperExtraction | None], vocabulary: Vocabulary) -> Iterator[None]:
    """`prepare` in a thread for as long as the block runs: a build wraps its wait for the
    extraction workers in it (this process is idle then, and the thread takes its turn).

    Meanwhile the interpreter hands its lock from thread to thread every `PREPARE_SWITCH`
    seconds instead of 5 ms: the block's own thread, which waits for each shard's results
    and stores them, takes the lock back many times, and each time waited up to 5 ms."""
    done = threading.Event()
    thread = threading.Thread(
        target=prepare, args=(extractions, vocabulary, done.is_set), name="kg-prepare", daemon=True
    )
    switch = sys.getswitchinterval()
    sys.setswitchinterval(PREPARE_SWITCH)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()
        sys.setswitchinterval(switch)


def prepare(
    extractions: Iterable[PaperExtraction | None],
    vocabulary: Vocabulary,
    stop: Callable[[], bool] = lambda: False,
) -> None:
    """Work out ahead what `resolve` asks of the mentions' strings alone, for the
    extractions at hand (None: one not at hand yet), until `stop()` says so: the long forms
    each gives and the strength of each claim, which `resolve` then finds remembered (0.3 s
    of the stage's 2.2 at 88k papers). `resolve`'s result is the same with or without it:
    what it remembers is looked up by everything it depends on (a claim resolved otherwise
    in the corpus, under another sense of its short form, is worked out again)."""
    resolver = resolver_for(vocabulary)
    for index, extraction in enumerate(extractions):
        if index % PREPARE_BATCH == 0 and stop():
            return
        for relation in extraction.relations if extraction is not None else ():
            mention = relation.target
            concept = resolver.concept_of(mention)
            if not concept:
                resolver.is_generic_mention(mention)
            slug(shown(mention.name))
            # As `Resolver.place` keeps them for a short form of one sense (most).
            aliases = resolver.kept_aliases(mention, concept)
            long_forms = spelled_out(mention)
            for form in long_forms:
                is_common_phrase(form)
            if relation.relation == INTRODUCES:
                _claim_level(relation.evidence, mention.name, aliases, long_forms)


def _before_it_existed(
    item: Placed, entity: ResolvedEntity, years: dict[str, int | None], vocabulary: Vocabulary
) -> bool:
    """A base read off a new name ("MRSAM", 2006) by a paper older than the vocabulary
    artifact it names (SAM, 2023) is another thing that happens to hold the name."""
    if item.evidence.rule != DERIVED_NAME_RULE or entity.concept is None:
        return False
    year = years.get(item.paper_id)
    concept = vocabulary.concepts[entity.concept]
    issued = concept.issued or source_year(vocabulary_sources().get(entity.concept, frozenset()))
    return year is not None and issued is not None and year < issued


def _long_forms_of_terms(
    mentions: list[PaperRelation], vocabulary: Vocabulary
) -> dict[str, dict[str, set[str]]]:
    """Stop-list term (spelling key) -> each long form the corpus gives it -> its papers."""
    forms: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for paper_id, relation in mentions:
        if not relation.target.aliases:
            continue  # spells nothing out
        key = spelling_key(relation.target.name)
        if key in vocabulary.generic_terms:
            for form in spelled_out(relation.target):
                forms[key][form].add(paper_id)
    return forms


def _own_name(
    paper_id: str,
    relation: Relation,
    vocabulary: Vocabulary,
    field_forms: dict[str, dict[str, set[str]]],
) -> bool:
    """A paper's own name that only looks like a stop-list term: introduced, spelled out,
    and either written otherwise than the field writes the term ("gSR (group Spectral
    Regularizer)" is not GSR) or spelled out as a name that is none of the long forms
    other papers give the term ("a Mapping Consistency Initialization (MCI) strategy" is
    not MCI, mild cognitive impairment). "LiDAR (Light Detection and Ranging)" is LiDAR."""
    own_forms = spelled_out(relation.target)
    if relation.relation != INTRODUCES or not own_forms:
        return False
    key = spelling_key(relation.target.name)
    term = vocabulary.generic_terms.get(key)
    if term is None or term.term != relation.target.name:
        return True
    others = [form for form, papers in field_forms.get(key, {}).items() if papers - {paper_id}]
    return (
        len({p for form in others for p in field_forms[key][form]} - {paper_id}) >= FIELD_PAPERS
        and not any(is_common_phrase(form) for form in own_forms)
        and not any(same_sense(own, other) for own in own_forms for other in others)
    )


def _claim_level(
    evidence: Evidence, name: str, aliases: tuple[str, ...], long_forms: tuple[str, ...]
) -> int:
    """The strength of a paper's claim to introduce `name` (which it also writes as the
    `aliases` that belong, and spells out as `long_forms`)."""
    names = frozenset((name, *aliases))
    return claim_strength(
        evidence.rule, evidence.sentence, names, _long_forms(name, aliases, long_forms)
    )


def _long_forms(
    name: str, aliases: tuple[str, ...], long_forms: tuple[str, ...]
) -> tuple[str, ...]:
    """The long forms the paper gives for the name (or the name, when it is the long form
    of a short one the paper gives)."""
    if any(is_short_form(a) and is_long_form_of(name, a) and abbreviates(a, name) for a in aliases):
        return (name, *long_forms)
    return long_forms


def _named(part: LinkedPart, title: str, paper_id: str, root: str) -> bool:
    """The paper strongly introduces the entity and names it: its title (given, else the
    title a title claim quotes) opens with the name ("ALTRO: A Fast Solver ...") or a
    naming phrase says it ("called ZO-SVRG")."""
    strength = part.claims.get((paper_id, root), (NO_CLAIM, False, False))[0]
    evidence = part.edges[(paper_id, INTRODUCES, root)]
    title = title or (evidence.sentence if evidence.rule == TITLE_RULE else "")
    return strength >= STRONG and (
        evidence.rule.startswith(NAMING_RULES)
        or spelling_key(title).startswith(spelling_key(part.entities[root].label))
    )


def _title(papers: dict[str, Paper], paper_id: str) -> str:
    paper = papers.get(paper_id)
    return (paper.title if paper is not None else None) or ""


def _drop_own_bases(edges: dict[tuple[str, str, str], Evidence]) -> None:
    """What a paper introduces is its own: never its base or its baseline."""
    for paper_id, relation, node_id in list(edges):
        if relation in (BUILDS_ON, COMPARES_WITH) and (paper_id, INTRODUCES, node_id) in edges:
            del edges[(paper_id, relation, node_id)]


def _add_family_bases(part: LinkedPart, papers: dict[str, Paper]) -> None:
    """A model named as a member of another paper's model family builds on it:
    GMAI-VL-R1 builds on GMAI-VL, whoever introduced each. Adds the edges to `part` (its
    node ids chosen: members are taken in node id order).

    The family must be a real model name: strongly introduced and named by its paper (its
    title opens with the name, or a naming phrase says it: "called ZO-SVRG"; "we propose a
    k nearest neighbor (kNN) mechanism", "we develop population variational Bayes" name no
    family), not shaped like a
    bare acronym of up to four capitals (PD-RiskNet says nothing about a model "PD"), and
    naming one entity only (not "DP": dynamic programming, differential privacy, ...)."""
    entities, edges, cuts = part.entities, part.edges, part.word_breaks
    owners = {root: set(introducers) for root, introducers in part.introducers.items()}
    # Only a name that begins another is a family to judge.
    prefixes = {entities[root].label[:cut] for root in cuts for cut in cuts[root]}
    by_label = {
        label: root
        for root in owners
        if (label := entities[root].label) in prefixes
        and part.label_keys[spelling_key(label)] == 1
        and not BARE_ACRONYM.fullmatch(label)
        and any(_named(part, _title(papers, p), p, root) for p in owners[root])
    }
    for root in sorted(cuts, key=lambda root: entities[root].node_id):
        label = entities[root].label
        for cut in cuts[root]:
            family = by_label.get(label[:cut])
            if family is None:
                continue
            for paper_id in sorted(owners[root] - owners[family]):
                key = (paper_id, BUILDS_ON, family)
                if key not in edges:
                    introduced_by = edges[(paper_id, INTRODUCES, root)]
                    edges[key] = replace(introduced_by, rule="buildsOn:family-name", confidence=0.5)
