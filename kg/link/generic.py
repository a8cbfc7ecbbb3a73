"""Generic terms are never entities: sensors, data types, units, metrics, generic
architecture words, task and field acronyms.

Two sources decide. The stop vocabulary (`Vocabulary.is_generic`, data in
`ontology/vocab/generic-terms.toml`, each term with its source). And the corpus
itself, for names not in the vocabulary: a name that many papers use is a common
noun when a third or more of the papers that spell it out write the long form in
lower case
("extended Kalman filter (EKF)", "Markov chain Monte Carlo (MCMC)"), while a
named artifact is written as a name ("Segment Anything Model (SAM)").
Vocabulary concepts are named things and never judged generic by this statistic.

(Counting how often the bare word is written in lower case was tried and dropped:
it takes real names that are also English words: WIDER FACE, MIMIC, GloVe, ReAct.)
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache

from kg.link.linked import ResolvedEntity
from kg.link.senses import FUNCTION_WORDS
from kg.records import Mention

# A name is judged on corpus statistics only when this many papers use it.
MIN_PAPERS = 5
# ... and when at least this many of them spell it out (for the long-form rule).
MIN_DEFINING_PAPERS = 3
# Share of the papers spelling it out that write a common phrase, from which it is generic:
# a third, as textbook methods are often capitalised too ("Support Vector Machine").
COMMON_NOUN_SHARE = 1 / 3


LETTERS = re.compile(r"[A-Za-z]+")
NOT_WORD = re.compile(r"\W")


@lru_cache(maxsize=1 << 16)  # every long form a mention gives, once per paper that gives it
def is_common_phrase(long_form: str) -> bool:
    """A long form written as running text, not as a name: some content word in lower case."""
    words = [w for w in LETTERS.findall(long_form) if w.lower() not in FUNCTION_WORDS]
    return bool(words) and any(w[0].islower() for w in words)


class CorpusUsage:
    """Per entity: which papers use it, and which spell it out as a common phrase."""

    def __init__(self) -> None:
        self.papers: dict[str, set[str]] = defaultdict(set)
        self.defining: dict[str, set[str]] = defaultdict(set)
        self.common: dict[str, set[str]] = defaultdict(set)

    def add(self, root: str, paper_id: str, mention: Mention, long_forms: tuple[str, ...]) -> None:
        self.papers[root].add(paper_id)
        if long_forms:
            self.defining[root].add(paper_id)
            if any(is_common_phrase(form) for form in long_forms):
                self.common[root].add(paper_id)

    def lend(self, to_root: str, from_roots: list[str]) -> None:
        """A bare short form kept apart is judged by how its spelled-out senses are written."""
        for root in from_roots:
            self.defining[to_root] |= self.defining[root]
            self.common[to_root] |= self.common[root]


def spelled_as_common_noun(usage: CorpusUsage, root: str) -> bool:
    defining = len(usage.defining[root])
    return (
        len(usage.papers[root]) >= MIN_PAPERS
        and defining >= MIN_DEFINING_PAPERS
        and len(usage.common[root]) >= COMMON_NOUN_SHARE * defining
    )


def generic_roots(entities: dict[str, ResolvedEntity], usage: CorpusUsage) -> set[str]:
    """Roots of the entities the corpus uses as common nouns (vocabulary concepts never),
    and of names too short to name anything (one letter or digit)."""
    return {
        root
        for root, entity in entities.items()
        if entity.concept is None
        and (spelled_as_common_noun(usage, root) or len(NOT_WORD.sub("", entity.label)) < 2)
    }
