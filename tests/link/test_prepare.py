"""Working out ahead what the link stage asks of the mentions' strings (`kg.link.prepare`)."""

from __future__ import annotations

import sys
import threading

from papers_at_hand import evidence, extraction, paper

from kg.extract.vocabulary import default_vocabulary
from kg.link import prepare, preparing, resolve
from kg.link.introductions import claim_strength
from kg.records import Mention

PROPOSE = "introduces:verb:propose"


def corpus():
    """Claims, and a short form with two senses: its claim resolves otherwise in the corpus
    than `prepare` (which sees one mention at a time) takes it."""
    extractions = [
        extraction(
            "p:a",
            (
                "introduces",
                Mention("GridNet", "Model"),
                evidence("GridNet: Dense Prediction on Grids", "introduces:title-name"),
            ),
        ),
        extraction(
            "p:b",
            (
                "introduces",
                Mention("CLIP", "Model", ("Common Lisp Instrumentation Package",)),
                evidence("We propose CLIP (Common Lisp Instrumentation Package).", PROPOSE),
            ),
        ),
        extraction(
            "p:c",
            (
                "buildsOn",
                Mention("CLIP", "Model", ("Contrastive Language-Image Pre-training",)),
                evidence(),
            ),
        ),
        None,  # not extracted yet
    ]
    papers = [paper(p, "An abstract.", 2021) for p in ("p:a", "p:b", "p:c")]
    return extractions, papers


def test_the_link_stage_gives_the_same_result_prepared_or_not():
    extractions, papers = corpus()
    at_hand = [e for e in extractions if e is not None]
    claim_strength.cache_clear()
    alone = resolve(at_hand, default_vocabulary(), papers)
    claim_strength.cache_clear()
    prepare(extractions, default_vocabulary())
    assert claim_strength.cache_info().currsize == 2  # both claims judged ahead
    assert resolve(at_hand, default_vocabulary(), papers) == alone


def test_prepare_stops_when_asked():
    extractions, _ = corpus()
    claim_strength.cache_clear()
    prepare(extractions, default_vocabulary(), stop=lambda: True)
    assert claim_strength.cache_info().currsize == 0


def test_preparing_works_in_a_thread_that_ends_with_the_block():
    extractions, papers = corpus()
    switch = sys.getswitchinterval()
    claim_strength.cache_clear()
    with preparing(extractions, default_vocabulary()):
        pass
    assert not any(t.name == "kg-prepare" for t in threading.enumerate())
    assert sys.getswitchinterval() == switch  # given back
    at_hand = [e for e in extractions if e is not None]
    prepared = resolve(at_hand, default_vocabulary(), papers)
    claim_strength.cache_clear()
    assert prepared == resolve(at_hand, default_vocabulary(), papers)
