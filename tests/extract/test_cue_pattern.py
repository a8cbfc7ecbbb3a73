"""`cue_pattern` builds its cues into a trie: it must match exactly what the plain list of
alternatives (longest first) matches."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg.extract.vocabulary import cue_pattern, default_vocabulary
from kg.ingest import ingest

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def alternatives(cues: list[str]) -> re.Pattern:
    """The plain pattern: every cue an alternative, the longest first."""
    listed = sorted({re.escape(c) for c in cues}, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(listed) + r")(?![\w-])", re.IGNORECASE)


@pytest.fixture(scope="module")
def seed_texts() -> list[str]:
    papers = ingest([SEEDS]).papers
    return [text for paper in papers for text in (paper.abstract, paper.title or "") if text]


CUE_LISTS = [
    (section, name)
    for section, lists in default_vocabulary().cues.items()
    for name, cues in lists.items()
    if all(isinstance(cue, str) for cue in cues)
]


@pytest.mark.parametrize(("section", "name"), CUE_LISTS)
def test_trie_matches_what_the_alternatives_match(seed_texts, section, name):
    cues = default_vocabulary().cues[section][name]
    trie, plain = cue_pattern(cues), alternatives(cues)
    for text in seed_texts:
        assert [(m.span(), m.group()) for m in trie.finditer(text)] == [
            (m.span(), m.group()) for m in plain.finditer(text)
        ], text
    for word in {w for text in seed_texts for w in text.split()} | set(cues):
        assert bool(trie.fullmatch(word)) == bool(plain.fullmatch(word)), word


def test_the_longest_cue_wins_where_several_match():
    pattern = cue_pattern(["fine-tune", "fine-tuned", "fine", "compared", "compared to"])
    text = "We fine-tuned SAM, compared to MedSAM, and fine tune it."
    assert [m.group() for m in pattern.finditer(text)] == ["fine-tuned", "compared to", "fine"]
    assert cue_pattern(["Fine-Tuned", "FINE-TUNE"]).fullmatch("fine-tuned")
