"""Entity resolution across papers and paper -> paper edges (`kg.link.resolve`)."""

from __future__ import annotations

import gc

import pytest

from kg.extract import build_pipeline, extract_papers
from kg.extract.vocabulary import default_vocabulary
from kg.link import resolve, slug
from kg.records import Evidence, Mention, Paper, PaperExtraction, Relation, SourceRef

EVIDENCE = Evidence("A sentence.", 0, 11, "test", 0.8)


@pytest.fixture(scope="module")
def nlp():
    return build_pipeline()


def extract(nlp, *abstracts: str) -> list[PaperExtraction]:
    papers = [
        Paper(id=f"test:{i}", title=None, abstract=text, sources=(SourceRef("t.txt", i + 1),))
        for i, text in enumerate(abstracts)
    ]
    return list(extract_papers(papers, nlp))


def hand_made(paper_id: str, *relations: tuple[str, Mention]) -> PaperExtraction:
    return PaperExtraction(
        paper_id=paper_id,
        label=paper_id,
        relations=tuple(Relation(kind, target, EVIDENCE) for kind, target in relations),
    )


def test_spelling_variants_of_a_known_dataset_are_one_entity(nlp):
    linked = resolve(
        extract(
            nlp, "Experiments on MIMIC CXR confirm it.", "Experiments on MIMIC-CXR confirm it."
        ),
        default_vocabulary(),
    )
    datasets = [e for e in linked.entities.values() if e.type == "Dataset"]
    assert [(e.node_id, e.label) for e in datasets] == [("dataset/mimic-cxr", "MIMIC-CXR")]
    assert {
        (e.paper_id, e.relation, e.node_id)
        for e in linked.entity_edges
        if e.node_id.startswith("dataset/")
    } == {
        ("test:0", "evaluatesOn", "dataset/mimic-cxr"),
        ("test:1", "evaluatesOn", "dataset/mimic-cxr"),
    }


def test_spelling_variants_of_a_new_name_are_one_entity():
    first = hand_made("p:1", ("evaluatesOn", Mention("Renal Cyst DB", "Dataset")))
    second = hand_made("p:2", ("evaluatesOn", Mention("renal-cyst-db", "Dataset")))
    linked = resolve([first, second], default_vocabulary())
    [entity] = linked.entities.values()
    assert entity.concept is None
    assert {entity.label, *entity.aliases} == {"Renal Cyst DB", "renal-cyst-db"}


def test_aliases_join_entities_across_papers():
    first = hand_made(
        "p:1", ("introduces", Mention("LGN", "Model", aliases=("Lesion Grading Network",)))
    )
    second = hand_made("p:2", ("buildsOn", Mention("Lesion Grading Network", "Model")))
    linked = resolve([first, second], default_vocabulary())
    assert list(linked.entities) == ["model/lgn"]
    assert linked.entities["model/lgn"].aliases == ["Lesion Grading Network"]


def test_different_names_stay_different_entities():
    first = hand_made("p:1", ("evaluatesOn", Mention("RenalCystDB", "Dataset")))
    second = hand_made("p:2", ("evaluatesOn", Mention("RenalStoneDB", "Dataset")))
    assert len(resolve([first, second], default_vocabulary()).entities) == 2


def test_building_on_what_another_paper_introduces_links_the_papers(nlp):
    linked = resolve(
        extract(nlp, "We propose CystNet for grading.", "We fine-tune CystNet on ward scans."),
        default_vocabulary(),
    )
    [edge] = linked.paper_edges
    assert (edge.source_paper, edge.relation, edge.target_paper) == ("test:1", "buildsOn", "test:0")
    assert edge.via == "model/cystnet"
    assert edge.evidence.sentence == "We fine-tune CystNet on ward scans."


def test_no_paper_edge_to_oneself_or_for_comparisons():
    owner = hand_made(
        "p:1",
        ("introduces", Mention("CystNet", "Model")),
        ("evaluatesOn", Mention("RenalCystDB", "Dataset")),
    )
    rival = hand_made("p:2", ("comparesWith", Mention("CystNet", "Model")))
    assert resolve([owner, rival], default_vocabulary()).paper_edges == []


def test_known_concept_takes_the_vocabulary_label_and_type():
    linked = resolve(
        [hand_made("p:1", ("buildsOn", Mention("segment anything model", "Dataset")))],
        default_vocabulary(),
    )
    [entity] = linked.entities.values()
    assert (entity.node_id, entity.label, entity.type) == ("model/sam", "SAM", "Model")


def test_narrower_modality_records_its_broader_one():
    linked = resolve(
        [
            hand_made(
                "p:1",
                ("usesModality", Mention("CXR", "Modality")),
                ("usesModality", Mention("X-ray", "Modality")),
            )
        ],
        default_vocabulary(),
    )
    assert linked.entities["modality/chest-x-ray"].broader == ["modality/x-ray"]


def test_node_ids_do_not_depend_on_input_order(nlp):
    extractions = extract(
        nlp,
        "We propose CystNet for grading.",
        "We fine-tune CystNet and SAM. Experiments on MIMIC CXR follow.",
        "We curate RenalCystDB, a new dataset. CystNet outperforms GPT-4V on RenalCystDB.",
    )
    forward = resolve(extractions, default_vocabulary())
    backward = resolve(list(reversed(extractions)), default_vocabulary())
    assert list(forward.entities) == list(backward.entities)
    assert forward.entity_edges == backward.entity_edges
    assert forward.paper_edges == backward.paper_edges
    assert {"model/cystnet", "model/sam", "dataset/mimic-cxr", "dataset/renalcystdb"} <= set(
        forward.entities
    )


def test_clashing_ids_get_a_stable_suffix():
    first = hand_made("p:1", ("buildsOn", Mention("Cyst+Net", "Model")))
    second = hand_made("p:2", ("buildsOn", Mention("Cyst Net!", "Model")))
    ids = sorted(resolve([first, second], default_vocabulary()).entities)
    assert len(ids) == 2 and ids[0].startswith("model/cyst-net")
    assert ids == sorted(resolve([second, first], default_vocabulary()).entities)


def test_slug():
    assert slug("GPT-4V(ision)") == "gpt-4v-ision"
    assert slug("Ünïcödé Net") == "unicode-net"
    assert slug("!!!") == "x"


def test_resolve_leaves_the_cycle_collector_as_it_found_it():
    """The stage runs without cycle collections, then gives the collector back: enabled
    when it was (also when the stage fails), disabled when it was."""
    vocabulary = default_vocabulary()
    extraction = PaperExtraction(
        "test:1", "ZNet", (Relation("introduces", Mention("ZNet", "Model"), EVIDENCE),)
    )
    assert gc.isenabled()
    assert resolve([extraction], vocabulary).entities
    assert gc.isenabled()
    with pytest.raises(TypeError):
        resolve(None, vocabulary)  # type: ignore[arg-type]
    assert gc.isenabled()
    gc.disable()
    try:
        resolve([extraction], vocabulary)
        assert not gc.isenabled()
    finally:
        gc.enable()
