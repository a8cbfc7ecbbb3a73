"""Who really introduced X: a paper's own claim, checked against the whole corpus.

A claim is a paper's `introduces` edge. It stands only when the paper's evidence says
so and the corpus does not contradict it:

- A vocabulary artifact whose entry names its source paper (dcterms:source, an arXiv
  id or a DOI) is introduced by that paper when it is in the corpus, and by no other.
  Otherwise a claim stands only from a paper that uses the name for the same kind of
  thing (a dataset called CLIP is no claim on the model CLIP), is strong (below; any
  claim when the paper's year is unknown), and comes from the year the artifact appeared
  (dcterms:issued, else the arXiv source's year) or the next (a 2014 robot called Mamba
  is no claim on the 2023 model).
- A name that many papers use (`WIDELY_USED`) is introduced only by a strong claim; a
  model that more than `TERM_USERS` other papers name is not introduced by a paper that
  merely calls it its own ("our GRU", "a novel SMA actuator").
- Strong, strongest first: the title's head is the name ("NeRF: Representing Scenes
  ..."); a naming phrase ("dubbed X", "we call it X"; not "namely", which lists) or
  "we propose X" with X defined in that sentence (its long form, or an apposition: "We
  propose ConVIRT, an alternative ..."). Weaker: a plain "we propose X" or an owned
  mention ("our X", "the new X"); weakest a part of the paper's model, or a name the
  sentence uses for a kind of thing ("proposes a LfD approach") or for what the new thing
  is about ("an estimator for KL-Divergence"). Such a weakest claim stands only when no
  other paper uses the name: else it is the field's term, not this paper's artifact.
- A claim is contradicted when at least `EARLIER_USERS` other papers published before
  it already use the name: the thing existed before the paper.
- Of the claims left, the strongest stand; among those, where years are known, the
  earliest year's. Claims without a year lose to dated ones of the same strength.

"The recently proposed X" is someone else's X: no claim; nor is "namely Y" a claim on X.
A demoted claim is dropped: the paper keeps its other edges to X (its own cues).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace
from functools import cache, lru_cache
from pathlib import Path
from typing import NamedTuple

import pyoxigraph
from rdflib.namespace import DCTERMS

from kg.link.linked import spelling_key
from kg.paths import VOCABULARY_DIR
from kg.records import INTRODUCES, Evidence

# Other papers using a name before a claim's year that contradict the claim.
EARLIER_USERS = 2
# Distinct papers linking to a name from which only a strong claim introduces it.
WIDELY_USED = 20
# Other papers using a model's name from which the paper merely calling it its own ("our
# X") does not introduce it: the name is the field's (GRU, SMA, DMP in the 88k audit).
TERM_USERS = 3
# Claim strengths: a vocabulary source, the title's head, other strong claims.
SOURCE, TITLE_HEAD_NAME, STRONG, NO_CLAIM = 4, 3, 2, -1
TITLE_RULE = "introduces:title-name"
LISTING_RULE = "introduces:naming:namely"
NAMING_RULES = ("introduces:naming:", "introduces:appositive")
PROPOSING_RULES = ("introduces:verb:", "introduces:owned:we-made")
OWNED_RULES = ("introduces:owned:",)
CLAIMING_RULES = PROPOSING_RULES + OWNED_RULES
# After "namely": a list of names ("namely ROS and ZeroMQ") names what exists, not one new thing.
LISTED = re.compile(r"(?<!\d)(?:,|\band\b)\s*[\"“']?[A-Z]")
# "the recently proposed Wasserstein GAN": someone else's work, no claim at all.
OTHERS_WORK_ADVERBS = ("recently", "previously", "originally", "already")
OTHERS_WORK = re.compile(
    rf"\b(?:{'|'.join(OTHERS_WORK_ADVERBS)})\s+"
    r"(?:proposed|released|introduced|presented|developed|published)\b",
    re.IGNORECASE,
)
# "proposes a LfD approach", "a novel MVC algorithm": the name says what kind of thing the
# paper makes, it does not name it (an article and lower-case words before it, a noun after).
KIND_BEFORE = re.compile(r"\b(?:a|an)\s+(?:[a-z][\w-]*,?\s+){0,4}$")
KIND_AFTER = re.compile(
    r"\s+(?!(?:that|which|who|whose|where|to|for|and|or|with|in|on|of|is|are|was|were|as|by|"
    r"from|at)\b)[a-z]"
)
# "an estimator for KL-Divergence": the name is what the new thing is about, not the new thing.
# ("in publicly available NGSIM datasets": up to three lower-case words between, none a pronoun
# nor a word that makes the name the paper's own: "with a novel X", "by proposing a X")
OBJECT_OF = re.compile(
    r"\b(?:for|of|on|with|in|from|via|under|over|between)\s+"
    r"(?:(?!(?:we|our|us|this|these|it|they|i|novel|new|proposed|propos\w*|introduc\w*|"
    r"present\w*|develop\w*|design\w*|build\w*|buil[dt]|creat\w*|construct\w*|call\w*|"
    r"nam\w*|term\w*|dub\w*|coin\w*)\b)[a-z][\w-]*\s+){0,3}$"
)
# "namely co-safe LTL": the name must be what follows "namely".
NAMELY_NAME = re.compile(r"^[\s,:]*(?:the\s+)?[\"“'(]?", re.IGNORECASE)
# How far after "recently proposed" the name may stand ("... proposed question meaning
# representation called QDMR").
OTHERS_WORK_REACH = 60
APPOSITION = re.compile(r"[\"”']?\s*(?:,\s*(?:a|an|the)\b|\(|:\s*(?:a|an|the)\b)")
TITLE_HEAD = re.compile(r":|\s[-–—]{1,2}\s")
ARXIV_YEAR = re.compile(r"^arxiv:(\d{2})(?:0[1-9]|1[0-2])\.\d{4,5}$")
SOURCE_RULE = "introduces:vocabulary-source"
DCTERMS_SOURCE = pyoxigraph.NamedNode(str(DCTERMS.source))
# Bases read off a longer name (extraction's derived names, the link stage's family names).
NAME_READ_RULES = ("buildsOn:derived-name", "buildsOn:family-name")


@cache
def vocabulary_sources(vocab_dir: Path = VOCABULARY_DIR) -> dict[str, frozenset[str]]:
    """Concept IRI -> the paper ids of its dcterms:source ("arxiv:2304.02643", "doi:...").

    Oxigraph's parser reads the vocabulary in 5 ms; rdflib's took 120 ms of every build."""
    sources: dict[str, set[str]] = defaultdict(set)
    for path in sorted(vocab_dir.glob("*.ttl")):
        for triple in pyoxigraph.parse(path=path, format=pyoxigraph.RdfFormat.TURTLE):
            if triple.predicate == DCTERMS_SOURCE:
                paper_id = paper_id_of_source(triple.object.value)
                if paper_id:
                    sources[triple.subject.value].add(paper_id)
    return {iri: frozenset(ids) for iri, ids in sources.items()}


def paper_id_of_source(url: str) -> str | None:
    """The paper id ingest gives the paper a source URL names, if it names one."""
    for prefix, kind in (
        ("https://arxiv.org/abs/", "arxiv"),
        ("http://arxiv.org/abs/", "arxiv"),
        ("https://doi.org/", "doi"),
        ("http://doi.org/", "doi"),
        ("http://dx.doi.org/", "doi"),
    ):
        if url.startswith(prefix):
            identifier = url[len(prefix) :]
            if kind == "arxiv":
                identifier = identifier.split("v")[0] if identifier[:1].isdigit() else identifier
            else:
                identifier = identifier.lower()
            return f"{kind}:{identifier}"
    return None


def source_year(paper_ids: frozenset[str]) -> int | None:
    """The year an arXiv source id says its paper appeared (arxiv:2304.02643 -> 2023)."""
    years = [2000 + int(m.group(1)) for p in paper_ids if (m := ARXIV_YEAR.match(p))]
    return min(years) if years else None


@lru_cache(maxsize=1 << 17)  # pure in its strings: `kg.link.prepare` judges claims ahead
def claim_strength(
    rule: str, sentence: str, names: frozenset[str], long_forms: tuple[str, ...]
) -> int:
    """3 the title's head, 2 another strong claim, 1 a plain or owned claim, 0 a part of the
    paper's model (see the module docstring).

    `sentence`: the evidence (the title, for the title rule); `names`: the claimed name as
    the paper writes it (its spellings); `long_forms`: its long forms in that paper.
    """
    if rule == TITLE_RULE:
        head = TITLE_HEAD.split(sentence, maxsplit=1)[0]
        return TITLE_HEAD_NAME if spelling_key(head) in {spelling_key(n) for n in names} else 1
    if _others_work(sentence, names | set(long_forms)):
        return NO_CLAIM
    if rule.startswith(LISTING_RULE):
        after = sentence.split("namely", 1)[-1]
        if not _starts_with_name(after, names | set(long_forms)):
            return NO_CLAIM
        return 1 if LISTED.search(after) else STRONG
    if rule.startswith(CLAIMING_RULES) and _names_a_kind(sentence, names, long_forms):
        return 0
    if rule.startswith(NAMING_RULES) or (
        rule.startswith(PROPOSING_RULES) and defined_in(sentence, names, long_forms)
    ):
        return STRONG
    return 1 if rule.startswith(CLAIMING_RULES) else 0


def _others_work(sentence: str, names: set[str]) -> bool:
    """ "The recently proposed X": the cue stands right before the name (a few words between),
    not before something else of the sentence ("we propose X ... the recently introduced S4")."""
    if sentence.isascii():  # then only ASCII letters match the cue's, in either case
        lowered = sentence.lower()
        if not any(adverb in lowered for adverb in OTHERS_WORK_ADVERBS):
            return False  # most sentences: no need to run the pattern
    for cue in OTHERS_WORK.finditer(sentence):
        following = sentence[cue.end() : cue.end() + OTHERS_WORK_REACH]
        if any(name in following for name in names if len(name) > 1):
            return True
    return False


def _starts_with_name(text: str, names: set[str]) -> bool:
    rest = text[NAMELY_NAME.match(text).end() :]  # type: ignore[union-attr]  # matches ""
    return any(rest.startswith(name) for name in names)


def _names_a_kind(sentence: str, names: set[str], long_forms: list[str]) -> bool:
    """Where the sentence first writes the name, it uses it for a kind of thing ("a LfD
    approach", unless it spells the name out) or for what the new thing is about ("an
    estimator for KL-Divergence")."""
    for name in names:
        at = sentence.find(name) if len(name) > 1 else -1
        if at < 0:
            continue
        before, after = sentence[:at], sentence[at + len(name) :]
        if ends_with(OBJECT_OF, before, 4):
            return True
        if (
            ends_with(KIND_BEFORE, before, 5)
            and KIND_AFTER.match(after)
            and not defined_in(sentence, {name}, long_forms)
        ):
            return True
    return False


def ends_with(pattern: re.Pattern[str], text: str, words: int) -> bool:
    """`pattern.search(text)`, for a pattern anchored at the end of `text` that spans at most
    `words` whitespace-separated words: searched from where those words start, not from
    every position of a long sentence (that scan was most of `claim_strength`'s time)."""
    head = text.rsplit(None, words)
    return pattern.search(text, len(head[0]) if len(head) > words else 0) is not None


def presents_an_artifact(rule: str, strength: int) -> bool:
    """The claim says the paper makes a thing of that name: a strong claim, or a plain "we
    propose X" (not "our X", which also names what the paper merely uses)."""
    return strength >= STRONG or (strength >= 1 and rule.startswith(PROPOSING_RULES))


def defined_in(sentence: str, names: set[str], long_forms: list[str]) -> bool:
    """The sentence says what the name is: it spells it out, or an apposition follows the
    name ("We propose ConVIRT, an alternative ...", "X (long form)", "X: a ...")."""
    folded = sentence.casefold()
    if any(form.casefold() in folded for form in long_forms):
        return True
    for name in names:
        at = sentence.find(name) if len(name) > 1 else -1
        if at >= 0 and APPOSITION.match(sentence, at + len(name)):
            return True
    return False


class Claim(NamedTuple):  # one per introduces edge: a tuple is made fastest
    paper_id: str
    year: int | None
    strength: int  # claim_strength
    same_kind: bool  # the paper uses the name for the entity's type (else a homonym)
    # False for a model the paper only calls its own ("our X", "the novel X"), not proposed
    proposed: bool = True


class Known(NamedTuple):
    """What decides among the claims on one entity besides the claims themselves."""

    is_concept: bool = False
    issued: int | None = None  # the year the vocabulary says the artifact appeared
    sources: frozenset[str] = frozenset()
    user_years: dict[str, int] | None = None  # the year of each paper using the name, if known
    users: int = 0


def decide(claims: list[Claim], known: Known) -> list[Claim]:
    """The claims on one entity that stand (see the module docstring)."""
    from_source = [c for c in claims if c.paper_id in known.sources]
    if from_source:
        return from_source
    year = (known.issued or source_year(known.sources)) if known.is_concept else None
    user_years = known.user_years or {}
    standing = [
        c for c in claims if _may_stand(c, known, year) and not _contradicted(c, user_years)
    ]
    if len(standing) < 2:  # most entities: one claim, or none left
        return standing
    best = max(c.strength for c in standing)
    standing = [c for c in standing if c.strength == best]
    years = [c.year for c in standing if c.year is not None]
    if years:
        standing = [c for c in standing if c.year == min(years)]
    return standing


def _may_stand(claim: Claim, known: Known, source_year: int | None) -> bool:
    """The claim is one that can stand, however many papers used the name before it."""
    strength, users = claim.strength, known.users
    return (
        strength > NO_CLAIM
        and (users < WIDELY_USED or strength >= STRONG)
        # a part or a kind of thing others name too is theirs as much
        and (users <= 1 or strength > 0)
        # "our GRU", "a novel SMA actuator": the field's names
        and (users <= TERM_USERS or claim.proposed or strength >= STRONG)
        and (not known.is_concept or (claim.same_kind and _fits_source(claim, source_year)))
    )


def _fits_source(claim: Claim, year: int | None) -> bool:
    """A claim on a vocabulary artifact by a paper other than its source: a dated one must
    be strong and, when the source's year is known, from that year or the next (a benchmark
    paper a year later, a homonym years before, are no introductions); an undated one has
    nothing to be checked against and needs only a claim."""
    if claim.year is None:
        return claim.strength >= 1
    return claim.strength >= STRONG and (year is None or 0 <= claim.year - year <= 1)


def _contradicted(claim: Claim, user_years: dict[str, int]) -> bool:
    if claim.year is None or len(user_years) < EARLIER_USERS:
        return False
    earlier = [p for p, year in user_years.items() if year < claim.year and p != claim.paper_id]
    return len(earlier) >= EARLIER_USERS


def settle_introductions(
    edges: dict[tuple[str, str, str], Evidence],
    years: dict[str, int | None],
    claims: dict[tuple[str, str], tuple[int, bool, bool]],
    concepts: dict[str, str | None],
    sources: dict[str, frozenset[str]],
    issued: dict[str, int | None] | None = None,
) -> None:
    """Keep in `edges` (paper, relation, node -> its evidence) only the introductions that
    stand; add the vocabulary source paper's.

    `claims`: (paper id, node id) of each introduces edge -> (claim strength, whether the
    paper uses the name for the entity's type, whether it proposes it: see `Claim`);
    `concepts`: node id -> vocabulary concept
    IRI (None for names the vocabulary lacks); `sources`: concept IRI -> source paper ids;
    `issued`: concept IRI -> the year it appeared (dcterms:issued), else the arXiv source's.
    """
    source_papers = {
        node_id: papers
        for node_id, concept in concepts.items()
        if concept and (papers := sources.get(concept))
    }
    # Papers that use the name themselves: a base read off a longer name ("CRAFT" builds on
    # RAFT) says nothing of when the name was first used, so it contradicts no claim.
    users: dict[str, set[str]] = defaultdict(set)
    # A source paper's strongest edge to its artifact (whatever the relation).
    by_pair: dict[tuple[str, str], Evidence] = {}
    for (paper_id, _, node_id), evidence in edges.items():
        if not evidence.rule.startswith(NAME_READ_RULES):
            users[node_id].add(paper_id)
        if node_id in source_papers and paper_id in source_papers[node_id]:
            current = by_pair.get((paper_id, node_id))
            if current is None or evidence.confidence > current.confidence:
                by_pair[(paper_id, node_id)] = evidence
    by_node: dict[str, list[Claim]] = defaultdict(list)
    for (paper_id, node_id), (level, same_kind, proposed) in claims.items():
        if (paper_id, INTRODUCES, node_id) in edges:
            claim = Claim(paper_id, years.get(paper_id), level, same_kind, proposed)
            by_node[node_id].append(claim)
    for (paper_id, node_id), best in sorted(by_pair.items()):
        if (paper_id, INTRODUCES, node_id) not in edges:
            edges[(paper_id, INTRODUCES, node_id)] = replace(best, rule=SOURCE_RULE, confidence=0.9)
            by_node[node_id].append(Claim(paper_id, years.get(paper_id), SOURCE, True))
    for node_id, node_claims in by_node.items():
        concept = concepts.get(node_id)
        node_users = users[node_id]
        known = Known(
            is_concept=concept is not None,
            issued=(issued or {}).get(concept) if concept else None,
            sources=sources.get(concept, frozenset()) if concept else frozenset(),
            # Fewer users than contradict a claim (most names): their years are not needed.
            user_years={p: year for p in node_users if (year := years.get(p)) is not None}
            if len(node_users) >= EARLIER_USERS
            else None,
            users=len(node_users),
        )
        kept = {c.paper_id for c in decide(node_claims, known)}
        for claim in node_claims:
            if claim.paper_id not in kept:
                del edges[(claim.paper_id, INTRODUCES, node_id)]
