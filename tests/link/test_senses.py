"""Acronym senses (`kg.link.senses`): the long form a paper gives decides identity."""

from __future__ import annotations

from papers_at_hand import evidence, extraction, paper

from kg.extract.vocabulary import default_vocabulary
from kg.link import resolve
from kg.link.senses import abbreviates, same_sense, sense_groups
from kg.records import Mention


def test_a_long_form_spells_out_its_short_form():
    assert abbreviates("SAM", "Segment Anything Model")
    assert abbreviates("CLIP", "Contrastive Language-Image Pre-training")
    assert abbreviates("NeRF", "Neural Radiance Fields")
    assert abbreviates("CLIP", "Common Lisp Instrumentation Package")


def test_a_phrase_that_only_stands_beside_a_short_form_does_not():
    assert not abbreviates("SAM", "strategy for adapting the Segment Anything")
    assert not abbreviates("COCO", "classification (Cifar-10, ImageNet) and detection")


def test_long_forms_group_into_senses():
    assert same_sense("Segment Anything Model", "Segment Anything")
    assert same_sense("NIH Chest X-ray", "NIH ChestX-ray14")
    assert not same_sense("Sharpness-Aware Minimization", "Segment Anything Model")
    assert sense_groups(
        ["Smoothing and Mapping", "smoothing and mapping", "Sparse Additive Machine"]
    ) == [["Smoothing and Mapping", "smoothing and mapping"], ["Sparse Additive Machine"]]


def clip(paper_id: str, long_form: str) -> tuple:
    return ("buildsOn", Mention("CLIP", "Model", aliases=(long_form,)), evidence())


def test_a_short_form_spelled_out_two_ways_is_two_entities_with_stable_ids():
    papers = [
        extraction("p:1", clip("p:1", "Contrastive Language-Image Pre-training")),
        extraction("p:2", clip("p:2", "Common Lisp Instrumentation Package")),
    ]
    linked = resolve(papers, default_vocabulary())
    by_id = {e.node_id: e for e in linked.entities.values()}
    assert set(by_id) == {"model/clip", "model/clip--common-lisp-instrumentation-package"}
    assert "Common Lisp Instrumentation Package" not in by_id["model/clip"].aliases
    assert (
        by_id["model/clip"].concept
        and not by_id["model/clip--common-lisp-instrumentation-package"].concept
    )
    assert set(resolve(list(reversed(papers)), default_vocabulary()).entities) == set(by_id)


SLAM_TEXT = (
    "We solve the full SLAM problem with incremental smoothing and mapping on a factor "
    "graph. Our solver builds on SAM and relinearizes only the variables that change."
)
SEGMENTATION_TEXT = (
    "We adapt SAM to segment polyps in colonoscopy images; the prompt encoder is frozen "
    "and the mask decoder is fine-tuned on anything the endoscopist outlines."
)


def test_a_bare_short_form_takes_the_vocabulary_sense_only_where_its_context_fits():
    defined = extraction(
        "p:1",
        ("buildsOn", Mention("SAM", "Model", aliases=("Smoothing and Mapping",)), evidence()),
    )
    robotics = extraction("p:2", ("buildsOn", Mention("SAM", "Model"), evidence()))
    medical = extraction("p:3", ("buildsOn", Mention("SAM", "Model"), evidence()))
    texts = [paper("p:1", "x"), paper("p:2", SLAM_TEXT), paper("p:3", SEGMENTATION_TEXT)]
    linked = resolve([defined, robotics, medical], default_vocabulary(), texts)
    node_of = {e.paper_id: e.node_id for e in linked.entity_edges}
    assert node_of["p:3"] == "model/sam"
    assert node_of["p:2"] != "model/sam"
    assert node_of["p:1"] == "model/sam--smoothing-and-mapping"


def test_a_modality_spelled_out_as_something_else_is_no_modality():
    computed_torque = Mention("CT", "Modality", aliases=("Computed Torque",))
    scans = Mention("CT", "Modality", aliases=("computed tomography",))
    linked = resolve(
        [
            extraction("p:1", ("usesModality", computed_torque, evidence())),
            extraction("p:2", ("usesModality", scans, evidence())),
        ],
        default_vocabulary(),
    )
    assert [(e.paper_id, e.node_id) for e in linked.entity_edges] == [("p:2", "modality/ct")]


def test_a_paper_giving_two_long_forms_lends_neither_to_the_other_sense():
    both = Mention(
        "CLIP",
        "Model",
        aliases=("Contrastive Language-Image Pre-training", "Common Lisp Instrumentation Package"),
    )
    papers = [
        extraction("p:1", ("buildsOn", both, evidence())),
        extraction("p:2", clip("p:2", "Contrastive Language-Image Pretraining")),
        extraction("p:3", clip("p:3", "Common Lisp Instrumentation Package")),
    ]
    linked = resolve(papers, default_vocabulary())
    assert "Common Lisp Instrumentation Package" not in linked.entities["model/clip"].aliases


def test_senses_compare_word_stems():
    assert same_sense("Smooth and Mapping", "Smoothing and Mapping")
    assert not same_sense("Computed Torque", "Computed Tomography")


def test_a_bare_known_name_keeps_its_concept_when_others_spell_it_out_otherwise():
    def coco(paper_id: str, *aliases: str) -> object:
        mention = Mention("COCO", "Dataset", aliases=aliases)
        return extraction(paper_id, ("evaluatesOn", mention, evidence()))

    papers = [
        coco("p:1", "COmparing COntinuous Optimizers"),
        coco("p:2", "Common Objects in Context"),
        coco("p:3"),
        coco("p:4", "Common Objects in Context"),
    ]
    texts = [
        paper("p:1", "Black-box optimizers compared on the COCO platform."),
        paper("p:2", "Segmentation masks on COCO."),
        paper("p:3", "We detect objects in images and report box AP on COCO."),
        paper("p:4", "Captions on COCO."),
    ]
    node_of = {
        e.paper_id: e.node_id for e in resolve(papers, default_vocabulary(), texts).entity_edges
    }
    assert node_of["p:3"] == node_of["p:2"] == "dataset/coco"
    assert node_of["p:1"] == "dataset/coco--comparing-continuous-optimizers"
