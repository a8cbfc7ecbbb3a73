"""The corpus linked in two parts (`kg.link.parts`), one in a forked process (`kg.link.aside`)."""

from __future__ import annotations

import os

import pytest
from papers_at_hand import evidence, extraction, paper

import kg.link
from kg.extract.vocabulary import default_vocabulary
from kg.link import resolve
from kg.link.aside import Aside
from kg.link.parts import halves
from kg.link.resolve import resolver_for
from kg.records import Mention

PROPOSE = "introduces:verb:propose"


def corpus():
    """Names that join across papers (a spelling, an alias, a concept), two names that want
    one node id ("Foo+Net" and "Foo Net": model/foo-net), artifacts of one name, a family."""
    title, ct = "introduces:title-name", "https://w3id.org/kg/vocab/modality/ct"
    mentions = [
        ("p:1", "introduces", Mention("Foo+Net", "Model"), evidence("Foo+Net: fast", title)),
        ("p:2", "introduces", Mention("Foo Net", "Model"), evidence("Foo Net: slow", title)),
        ("p:3", "buildsOn", Mention("Foo+Net", "Model"), evidence()),
        ("p:3", "evaluatesOn", Mention("ImageNet-1K", "Dataset"), evidence()),
        ("p:4", "evaluatesOn", Mention("ILSVRC-2012", "Dataset"), evidence()),
        ("p:4", "buildsOn", Mention("SAM", "Model", ("Segment Anything Model",)), evidence()),
        (
            "p:5",
            "introduces",
            Mention("HardNet", "Model"),
            evidence("HardNet: a patch descriptor", title),
        ),
        (
            "p:6",
            "introduces",
            Mention("HarDNet", "Model"),
            evidence("HarDNet: a low memory network", title),
        ),
        ("p:7", "buildsOn", Mention("HardNet", "Model"), evidence()),
        (
            "p:8",
            "introduces",
            Mention("GMAI-VL", "Model"),
            evidence("GMAI-VL: a vision-language model", title),
        ),
        (
            "p:9",
            "introduces",
            Mention("GMAI-VL-R1", "Model"),
            evidence("We propose GMAI-VL-R1.", PROPOSE),
        ),
        ("p:9", "usesModality", Mention("CT", "Modality", concept=ct), evidence()),
    ]
    extractions = [
        extraction(paper_id, *[(r, m, e) for p, r, m, e in mentions if p == paper_id])
        for paper_id in dict.fromkeys(p for p, *_ in mentions)
    ]
    texts = {
        "p:5": "HardNet: a patch descriptor for matching local image patches.",
        "p:6": "HarDNet: a low memory traffic network for real-time segmentation.",
    }
    papers = [
        paper(e.paper_id, texts.get(e.paper_id, "An abstract."), 2017 + i % 3)
        for i, e in enumerate(extractions)
    ]
    return extractions, papers


def test_halves_keep_names_that_join_in_one_part():
    extractions, _ = corpus()
    mentions = [(e.paper_id, r) for e in extractions for r in e.relations]
    first, second = halves(mentions, resolver_for(default_vocabulary()))
    assert first and second
    assert sorted(map(id, first + second)) == sorted(map(id, mentions))
    for part in (first, second):
        assert part == [m for m in mentions if m in part]  # corpus order
    part_of = {(p, r.target.name): i for i, part in enumerate((first, second)) for p, r in part}
    assert part_of[("p:1", "Foo+Net")] == part_of[("p:3", "Foo+Net")]  # a spelling
    assert part_of[("p:3", "ImageNet-1K")] == part_of[("p:4", "ILSVRC-2012")]  # a concept
    assert part_of[("p:5", "HardNet")] == part_of[("p:6", "HarDNet")]


def test_linked_in_two_processes_as_in_one(monkeypatch):
    extractions, papers = corpus()
    alone = resolve(extractions, default_vocabulary(), papers, jobs=1)
    monkeypatch.setattr(kg.link, "PARALLEL_MENTIONS", 0)
    forked = resolve(extractions, default_vocabulary(), papers, jobs=2)
    assert forked == alone
    ids = set(alone.entities)
    assert {"model/foo-net", "model/hardnet--2018", "model/hardnet--2019"} <= ids
    assert any(i.startswith("model/foo-net-") for i in ids)  # the id wanted twice
    assert any(edge.evidence.rule == "buildsOn:family-name" for edge in alone.entity_edges)


def test_a_part_is_worked_out_in_a_child():
    assert Aside(os.getpid).result() != os.getpid()


def test_a_child_that_dies_leaves_its_part_to_this_process():
    here = os.getpid()

    def work() -> int:
        if os.getpid() != here:
            os._exit(3)
        return here

    assert Aside(work).result() == here


def test_an_error_in_the_part_is_raised_here():
    def work() -> int:
        raise ValueError("no part")

    with pytest.raises(ValueError, match="no part"):
        Aside(work).result()
