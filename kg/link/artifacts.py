"""One name, several artifacts: papers that each strongly introduce the same name made
different things when their long forms differ or their abstracts speak of different things
(HardNet 2017, a patch descriptor, and HarDNet 2019, a network; "One For All (OFA)" a 2022
chatbot and a 2025 segmentation model; SGAN, Stacked GANs, and StackGAN, both 2017).

Resolution joins mentions by spelling, and the senses of a short form are told apart only
by the long forms papers give. Here the corpus's own introductions split what spelling
joined: each group of introductions (dated, the name used for the entity's kind, a strong
claim or a plain "we propose X": `presents_an_artifact`) becomes an artifact of its own.
Two introductions are one artifact when no long form conflicts and their titles and
abstracts share at least `SAME_TEXT` of their words (Jaccard over five-letter stems): one
paper ingested twice shares 0.5 to 0.9, one group presenting its robot again 0.2 to 0.5,
two unrelated artifacts of one name 0.07 to 0.18 (measured on the 88k corpus's same-year
pairs).

Every other mention of the name goes to the artifact it can be told apart by: the long
form its paper gives, else its year (the latest introduction not after the paper). A
mention that cannot be told (older than every introduction, undated, a long form of none
of them) goes to none: it stays on the name's plain node, which no paper introduces, rather
than crediting the wrong paper.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from kg.link.introductions import EARLIER_USERS, NAME_READ_RULES, STRONG, presents_an_artifact
from kg.link.linked import ResolvedEntity, slug
from kg.link.resolve import Placed, shown
from kg.link.senses import same_sense
from kg.records import INTRODUCES

# Share of words two introducing papers share from which they present one artifact.
SAME_TEXT = 0.2
# Words of a long form kept in an artifact's node id.
ID_WORDS = 6

# A paper's word stems (`kg.link.senses.text_stems` of its title and abstract).
WordsOf = Callable[[str], frozenset[str]]


@dataclass
class Artifact:
    """One group of introductions of a name: its first year, its long forms, its papers."""

    year: int
    long_forms: list[str] = field(default_factory=list)
    introducers: set[str] = field(default_factory=set)
    claimants: list[str] = field(default_factory=list)  # each claim's paper, in order
    strongest: int = 0  # claim strength

    def fits(self, long_forms: tuple[str, ...], words: frozenset[str], words_of: WordsOf) -> bool:
        return (
            not long_forms or not self.long_forms or _told_by(long_forms, self.long_forms)
        ) and any(_shared(words, words_of(other)) >= SAME_TEXT for other in self.claimants)


def _shared(first: frozenset[str], second: frozenset[str]) -> float:
    union = len(first | second)
    return len(first & second) / union if union else 1.0


def _told_by(long_forms: tuple[str, ...], known: list[str]) -> bool:
    return any(same_sense(form, other) for form in long_forms for other in known)


def artifacts_of(
    items: list[Placed],
    levels: list[int],
    years: dict[str, int | None],
    words_of: WordsOf,
    entity_type: str,
) -> list[Artifact]:
    """The groups of introductions among one entity's mentions, oldest first."""
    claims = sorted(
        (years[item.paper_id], item.paper_id, item.long_forms, level)
        for item, level in zip(items, levels, strict=True)
        if item.relation == INTRODUCES
        and presents_an_artifact(item.evidence.rule, level)
        and item.mention.type == entity_type
        and years.get(item.paper_id) is not None
    )
    artifacts: list[Artifact] = []
    for year, paper_id, long_forms, level in claims:
        # A paper's words are read only when there is an artifact to compare them with.
        group = next(
            (a for a in artifacts if a.fits(long_forms, words_of(paper_id), words_of)), None
        )
        if group is None:
            group = Artifact(year)
            artifacts.append(group)
        group.introducers.add(paper_id)
        group.claimants.append(paper_id)
        group.long_forms.extend(f for f in long_forms if f not in group.long_forms)
        group.strongest = max(group.strongest, level)
    return _standing(artifacts, items, years)


def _standing(
    artifacts: list[Artifact], items: list[Placed], years: dict[str, int | None]
) -> list[Artifact]:
    """The artifacts the corpus does not contradict. The first must be new: fewer than
    `EARLIER_USERS` papers used the name before it (else the name is the field's, ROS or LfD,
    and a paper "proposing" it is no artifact). A later one must be strongly introduced: a
    plain "we propose ROS" years after the first ROS names no new thing."""
    used = {
        (years[item.paper_id], item.paper_id)
        for item in items
        if years.get(item.paper_id) is not None
        and not item.evidence.rule.startswith(NAME_READ_RULES)
    }
    standing: list[Artifact] = []
    for artifact in artifacts:
        if standing:
            if artifact.strongest >= STRONG:
                standing.append(artifact)
            continue
        earlier = {p for y, p in used if y < artifact.year} - artifact.introducers
        if len(earlier) < EARLIER_USERS:
            standing.append(artifact)
    return standing


def told_apart(item: Placed, year: int | None, artifacts: list[Artifact]) -> int | None:
    """The index of the artifact a mention names, or None when it cannot be told."""
    for index, artifact in enumerate(artifacts):
        if item.paper_id in artifact.introducers:
            return index
    long_forms = item.long_forms
    if long_forms:
        named = [
            i
            for i, a in enumerate(artifacts)
            if a.long_forms and _told_by(long_forms, a.long_forms)
        ]
        if len(named) == 1 or (named and year is None):
            return named[0]
        if named:
            return _latest_not_after(year, [artifacts[i] for i in named], named)
        if all(a.long_forms for a in artifacts):
            return None  # it spells out another thing of that name
    if year is None:
        return None
    return _latest_not_after(year, artifacts, list(range(len(artifacts))))


def _latest_not_after(
    year: int | None, artifacts: list[Artifact], indices: list[int]
) -> int | None:
    before = [i for i, a in zip(indices, artifacts, strict=True) if year is None or a.year <= year]
    return before[-1] if before else None


def split_by_introductions(
    placed: list[Placed],
    roots: list[str],
    levels: list[int],
    entities: dict[str, ResolvedEntity],
    skip: set[str],
    years: dict[str, int | None],
    words_of: Callable[[str], frozenset[str] | None],
) -> tuple[list[str], dict[tuple[str, int], tuple[str, ...]]]:
    """Each placed mention's root after splitting names with several artifacts, and the ids
    each artifact may take, by its name's root and its place among the name's artifacts (the
    first not taken is its id: `kg.link.node_ids`). Adds the artifacts' entities to
    `entities`, by root. Vocabulary concepts (their source and year decide, see
    introductions.py) and the roots in `skip` are left whole."""
    # A name introduced fewer than twice has one artifact at most: nothing to split.
    introductions = Counter(
        root for root, item in zip(roots, placed, strict=True) if item.relation == INTRODUCES
    )
    splittable = {
        root
        for root, count in introductions.items()
        if count > 1 and root not in skip and entities[root].concept is None
    }
    by_root: dict[str, list[int]] = defaultdict(list)
    for index, root in enumerate(roots):
        if root in splittable:
            by_root[root].append(index)

    def stems_of(paper_id: str) -> frozenset[str]:
        return words_of(paper_id) or frozenset()

    split = list(roots)
    artifact_ids: dict[tuple[str, int], tuple[str, ...]] = {}
    for root in sorted(by_root):
        indices = by_root[root]
        items = [placed[i] for i in indices]
        entity = entities[root]
        claim_levels = [levels[i] for i in indices]
        artifacts = artifacts_of(items, claim_levels, years, stems_of, entity.type)
        if len(artifacts) < 2:
            continue
        members: dict[int, list[Placed]] = defaultdict(list)
        for index, item in zip(indices, items, strict=True):
            told = told_apart(item, years.get(item.paper_id), artifacts)
            if told is not None:
                split[index] = f"{root}#{told}"
                members[told].append(item)
        for told, artifact in enumerate(artifacts):
            new_root = f"{root}#{told}"
            entities[new_root], artifact_ids[(root, told)] = _artifact_entity(
                entity, artifact, members[told], new_root
            )
    return split, artifact_ids


def _artifact_entity(
    whole: ResolvedEntity,
    artifact: Artifact,
    members: list[Placed],
    root: str,
) -> tuple[ResolvedEntity, tuple[str, ...]]:
    """An artifact's entity: labelled as its introducers write it (HarDNet, not HardNet),
    and the ids it may take, told apart by its long form, else its year."""
    names = Counter(shown(m.mention.name) for m in members if m.paper_id in artifact.introducers)
    label = min(names, key=lambda n: (-names[n], len(n), n)) if names else whole.label
    base = f"{whole.type.lower()}/{slug(label)}"
    words = slug(artifact.long_forms[0]).split("-")[:ID_WORDS] if artifact.long_forms else []
    candidates = [f"{base}--{'-'.join(words)}"] if words else []
    candidates += [f"{base}--{artifact.year}", f"{base}--{artifact.year}-{_digest(root)}"]
    names_used = {shown(m.mention.name) for m in members} | {a for m in members for a in m.aliases}
    aliases = sorted(names_used - {label})
    return ResolvedEntity(candidates[0], whole.type, label, aliases, None), tuple(candidates)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:6]
