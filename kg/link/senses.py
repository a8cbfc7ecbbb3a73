"""Acronym senses: the long form a paper gives decides what a short form means.

"CLIP (Contrastive Language-Image Pre-training)" and "CLIP (Common Lisp
Instrumentation Package)" share a short form but are two things. Two long forms
are one sense when they share most of their content words ("Segment Anything
Model" and "Segment Anything"); otherwise they are different senses.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from kg.link.linked import spelling_key
from kg.records import Mention, Paper

# Words that carry no sense of their own in a long form.
FUNCTION_WORDS = frozenset({"a", "an", "and", "by", "for", "from", "in", "of", "on", "the", "to"})
# A short form: one token, no spaces, at least one capital, at most this long.
SHORT_FORM = re.compile(r"^(?=.*[A-Z])[\w.+\-]{2,12}$")
# The words of a long form, as `is_long_form_of` and `content_words` split it.
FORM_WORD_BREAK = re.compile(r"[\s/]+")
CONTENT_WORD_BREAK = re.compile(r"[^0-9a-z]+")
# An ASCII word, and a run of letters and digits (str.isalnum: a word character but "_").
ASCII_WORD = re.compile(r"[0-9A-Za-z]+")
ALNUM_RUN = re.compile(r"[^\W_]+")


def is_short_form(name: str) -> bool:
    """Shaped like an acronym or a short model name (CLIP, SAM, YOLOv8), not a phrase."""
    return bool(SHORT_FORM.match(name))


def is_long_form_of(form: str, short: str) -> bool:
    """`form` reads as a spelled-out phrase for `short`: several words, longer, and not the
    short form with more words ("ImageNet Large Scale Visual Recognition Challenge" names
    ImageNet's challenge, it does not spell ImageNet out)."""
    short_key = spelling_key(short)
    return (
        " " in form.strip()
        and len(form) > len(short)
        # A word's key is a piece of the form's key: most forms hold no piece like the short.
        and (
            short_key not in spelling_key(form)
            or all(spelling_key(word) != short_key for word in FORM_WORD_BREAK.split(form))
        )
    )


def content_words(long_form: str) -> frozenset[str]:
    """Lower-case words of a long form without function words; plurals folded."""
    words = CONTENT_WORD_BREAK.split(long_form.casefold())
    return frozenset(
        word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word
        for word in words
        if word and word not in FUNCTION_WORDS
    )


def same_sense(first: str, second: str) -> bool:
    """Two long forms name the same thing: one spells the other out with more (up to case,
    spaces and hyphens), or one's content words are all among the other's (Computed
    Tomography and Computed Torque: two senses)."""
    first_key, second_key = spelling_key(first), spelling_key(second)
    if first_key in second_key or second_key in first_key:
        return True  # "NIH Chest X-ray" and "NIH ChestX-ray14"
    # Five-letter stems: "Smooth and Mapping" is "Smoothing and Mapping". One may add
    # words to the other; a word changed is another sense (Deep Metric / Mutual Learning).
    a = {word[:5] for word in content_words(first)}
    b = {word[:5] for word in content_words(second)}
    return bool(a and b) and (a <= b or b <= a)


def sense_groups(long_forms: list[str]) -> list[list[str]]:
    """Long forms grouped into senses (single linkage over `same_sense`), each group sorted,
    groups ordered by their first form."""
    groups: list[list[str]] = []
    for form in sorted(set(long_forms)):
        joined = [g for g in groups if any(same_sense(form, other) for other in g)]
        merged = sorted({form}.union(*joined))
        groups = [g for g in groups if g not in joined] + [merged]
    return sorted(groups)


@lru_cache(maxsize=1 << 17)
def abbreviates(short: str, long: str) -> bool:
    """`long` spells out `short` (after Schwartz & Hearst, 2003, stricter): its first content
    word starts with the short form's first character, and the short form's characters occur
    in order, each capital of the short form at a word start or a capital of `long`.

    "Segment Anything Model" abbreviates SAM; "strategy for adapting the Segment Anything"
    does not (no M at a word start); nor does "classification (Cifar-10) and detection" COCO.
    """
    chars = [c for c in short if c.isalnum()]
    if not chars or len(long) > 200:
        return False
    words = ASCII_WORD.finditer(long)
    first = next((w for w in words if w.group().casefold() not in FUNCTION_WORDS), None)
    if first is None or first.group()[0].casefold() != chars[0].casefold():
        return False
    if first.start() > 0 and long[first.start() - 1].isalnum():
        return False  # the word goes on before its ASCII letters: not a word start
    starts = [run.start() for run in ALNUM_RUN.finditer(long)]  # word starts, ascending
    word_starts = set(starts)
    # One character per character, unlike casefold (and ASCII lowers one to one).
    folded = long.lower() if long.isascii() else "".join(c.lower()[:1] for c in long)
    if _placed_leftmost(chars, long, folded, starts, word_starts, first.start()):
        return True  # most long forms: the first way the search below would try fits
    tried: dict[tuple[int, int], bool] = {}  # (index, position) -> rest_matches

    def rest_matches(index: int, position: int) -> bool:
        if index == len(chars):
            return True
        if (index, position) not in tried:
            tried[(index, position)] = places_from(index, position)
        return tried[(index, position)]

    def places_from(index: int, position: int) -> bool:
        char = chars[index]
        target = char.lower()
        if len(target) != 1:
            return False  # no one character of `long` lowers to it
        word_before = bisect_right(starts, position - 1)  # the word of the letter before
        at = folded.find(target, position)
        while at >= 0:
            # A capital lands on a word start or a capital, or goes on the word of the
            # letter before ("Common Objects in COntext").
            if (
                not char.isupper()
                or at in word_starts
                or long[at].isupper()
                or bisect_right(starts, at) == word_before
            ) and rest_matches(index + 1, at + 1):
                return True
            at = folded.find(target, at + 1)
        return False

    return rest_matches(1, first.start() + 1)


def _placed_leftmost(
    chars: list[str], long: str, folded: str, starts: list[int], word_starts: set[int], at: int
) -> bool:
    """`abbreviates`' characters after the first (at `at`), each at the leftmost place that
    fits, without going back to try another place."""
    for char in chars[1:]:
        target = char.lower()
        if len(target) != 1:
            return False
        word_before = bisect_right(starts, at)
        at = folded.find(target, at + 1)
        while at >= 0 and not (
            not char.isupper()
            or at in word_starts
            or long[at].isupper()
            or bisect_right(starts, at) == word_before
        ):
            at = folded.find(target, at + 1)
        if at < 0:
            return False
    return True


# Telling words of another sense a paper's text must hold to take a bare short form there.
CONTEXT_WORDS = 2
# Words of a long form too common to tell one sense from another in a paper's text.
UNTELLING_WORDS = frozenset(
    {
        "model",
        "network",
        "learning",
        "method",
        "based",
        "using",
        "deep",
        "neural",
        "data",
        "system",
        "framework",
        "approach",
        "algorithm",
        "machine",
        "module",
        "task",
        "training",
    }
)


def context_stems(long_forms: list[str]) -> frozenset[str]:
    """Five-letter stems of the telling words of a sense's long forms."""
    return frozenset(
        word[:5]
        for form in long_forms
        for word in content_words(form)
        if len(word) >= 4 and word not in UNTELLING_WORDS and word.isalpha()
    )


# A word of four letters or more, its first five captured: the stem `text_stems` keeps.
STEM = re.compile(r"([a-z]{4,5})[a-z]*")


def text_stems(text: str) -> frozenset[str]:
    """Five-letter stems of the words of four letters or more."""
    return frozenset(STEM.findall(text.casefold()))


class PaperWords:
    """Each paper's `text_stems` (title and abstract), worked out when first asked for:
    only papers with an ambiguous short form or a contested introduction need them."""

    def __init__(self, papers: dict[str, Paper]):
        self.papers = papers
        self._stems: dict[str, frozenset[str]] = {}

    def __call__(self, paper_id: str) -> frozenset[str] | None:
        """The paper's stems; None for a paper we have no text of."""
        stems = self._stems.get(paper_id)
        if stems is None:
            paper = self.papers.get(paper_id)
            if paper is None:
                return None
            stems = self._stems[paper_id] = text_stems(f"{paper.title or ''}\n{paper.abstract}")
        return stems


@dataclass(frozen=True)
class Sense:
    """One meaning of a short form: its long forms, and the vocabulary concept if it is one."""

    short_key: str
    long_forms: tuple[str, ...]
    concept: str | None
    defining_papers: int

    @property
    def key(self) -> str:
        """The identity key resolution groups by."""
        if self.concept:
            return f"concept:{self.concept}"
        return f"sense:{self.short_key}:{spelling_key(self.long_forms[0])}"


@dataclass(frozen=True)
class Identity:
    """Where one mention belongs: the key resolution groups by, and its concept, if any."""

    key: str
    concept: str | None
    sense: Sense | None = None  # set when the short form has several senses


class SenseIndex:
    """The senses of every short form the corpus spells out in more than one way.

    Built from every (paper, mention) of the corpus; `identity` then says where one
    mention belongs: a long form the paper gives decides; a bare short form goes to the
    sense its paper's words favour, else to the vocabulary's sense when that is the
    corpus's usual one, else it stays apart (the plain short form, no concept).
    """

    def __init__(
        self,
        mentions: Iterable[tuple[str, Mention]],
        concept_of_form: dict[str, str],
        concept_long_forms: dict[str, list[str]],
        words_of: Callable[[str], frozenset[str] | None],
    ):
        self.words_of = words_of
        long_forms: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        spelling: dict[str, str] = {}  # short key -> one way the corpus writes the short form
        for paper_id, mention in mentions:
            for form in spelled_out(mention):
                short_key = spelling_key(mention.name)
                long_forms[short_key][form].add(paper_id)
                spelling.setdefault(short_key, mention.name)
        self.senses: dict[str, list[Sense]] = {}
        # Per short key, by the index of the sense in `senses` (a Sense hashes all its
        # fields, on every lookup): the sense of each long form's spelling key, each
        # sense's identity, and its telling stems with how many a text must hold.
        self._sense_of_form: dict[str, dict[str, int]] = {}
        self._identities: dict[str, list[Identity]] = {}
        self._stems: dict[str, list[tuple[frozenset[str], float]]] = {}
        self._plain: dict[tuple[str, str | None], Identity] = {}
        for short_key, papers_by_form in long_forms.items():
            concept = concept_of_form.get(short_key)
            if concept is None and len(papers_by_form) == 1:
                continue  # one long form, no concept: one sense (most short forms)
            short = spelling[short_key]
            vocabulary_forms = [
                form
                for form in (concept_long_forms.get(concept, []) if concept else [])
                if is_long_form_of(form, short) and abbreviates(short, form)
            ]
            groups = sense_groups([*papers_by_form, *vocabulary_forms])

            def used(group: list[str], papers_by_form: dict = papers_by_form) -> int:
                return len(set().union(*(papers_by_form.get(f, set()) for f in group)))

            # Whatever the vocabulary spells out for the concept is one sense, its own; when
            # it spells out nothing, the corpus's most used long form (if one is) is taken to be it.
            known = sorted({f for g in groups if set(g) & set(vocabulary_forms) for f in g})
            others = [g for g in groups if not set(g) & set(vocabulary_forms)]
            ranked = sorted(others, key=used, reverse=True)
            clearly_first = len(ranked) == 1 or (ranked and used(ranked[0]) > used(ranked[1]))
            if concept is not None and not known and clearly_first:
                known = ranked[0]
                others.remove(known)
            if len(others) + (concept is not None) < 2:
                continue
            senses = [
                Sense(
                    short_key,
                    tuple(sorted(g, key=lambda f: (-len(papers_by_form.get(f, ())), f))),
                    None,
                    used(g),
                )
                for g in sorted(others)
            ]
            if concept is not None:  # also when only its bare name is known
                senses.append(Sense(short_key, tuple(known), concept, used(known)))
            self.senses[short_key] = senses
            self._sense_of_form[short_key] = {
                spelling_key(form): index
                for index, sense in enumerate(senses)
                for form in sense.long_forms
            }
            self._identities[short_key] = [Identity(s.key, s.concept, s) for s in senses]
            stems = [context_stems(list(sense.long_forms)) for sense in senses]
            self._stems[short_key] = [(words, _needed(words)) for words in stems]

    def identity(self, paper_id: str, mention: Mention, concept: str | None) -> Identity:
        """Where `mention` (with the concept resolution found for it) belongs."""
        short_key = spelling_key(mention.name)
        senses = self.senses.get(short_key)
        if senses is None:  # one sense: the concept's, else the spelling's (made once)
            plain = self._plain.get((short_key, concept))
            if plain is None:
                key = f"concept:{concept}" if concept else f"form:{short_key}"
                plain = self._plain[(short_key, concept)] = Identity(key, concept)
            return plain
        sense_of_form = self._sense_of_form[short_key]
        given = [sense_of_form[spelling_key(f)] for f in spelled_out(mention)]
        if given:
            index = min(given, key=lambda i: (-given.count(i), senses[i].long_forms))
            return self._identities[short_key][index]
        index = self._sense_from_context(paper_id, short_key)
        if index is None:
            return Identity(f"form:{short_key}", None)
        return self._identities[short_key][index]

    def _sense_from_context(self, paper_id: str, short_key: str) -> int | None:
        """A bare short form: the vocabulary's sense when the paper's words fit it, that is
        when they do not speak for another sense (at least `CONTEXT_WORDS` of that sense's
        telling words, all of them up to three, two thirds of more, and more than the
        vocabulary sense's); otherwise it stays apart. Returns the sense's index."""
        senses = self.senses[short_key]
        vocabulary_sense = next((i for i, s in enumerate(senses) if s.concept), None)
        words = self.words_of(paper_id) if vocabulary_sense is not None else None
        if words is None:
            return vocabulary_sense  # no text to judge by: the vocabulary's, as without senses
        stems = self._stems[short_key]
        fit = len(stems[vocabulary_sense][0] & words)
        contradicted = any(
            len(telling & words) >= max(CONTEXT_WORDS, fit + 1, needed)
            for index, (telling, needed) in enumerate(stems)
            if index != vocabulary_sense
        )
        return None if contradicted else vocabulary_sense


def _needed(stems: frozenset[str]) -> float:
    """How many of a sense's telling words a text must hold to speak for it: all of up to
    three ("comparing", "continuous", "optimizers" are each common), two thirds of more."""
    return len(stems) if len(stems) <= 3 else 2 * len(stems) / 3


def spelled_out(mention: Mention) -> tuple[str, ...]:
    """The long forms a mention's paper gives for its short form."""
    if not mention.aliases:
        return ()  # most mentions: nothing to look up
    return _spelled_out(mention.name, mention.aliases)


@lru_cache(maxsize=1 << 17)
def _spelled_out(name: str, aliases: tuple[str, ...]) -> tuple[str, ...]:
    if not is_short_form(name):
        return ()
    return tuple(
        alias for alias in aliases if is_long_form_of(alias, name) and abbreviates(name, alias)
    )
