"""What a sentence's acronym definitions say about the words around them (`kg_names`):
a word that only spells out part of an acronym is no name, an acronym followed by "task"
names a task, and a "... Transformer (X)" the writers introduce is their model.
Sentences are written for the tests."""

from __future__ import annotations


def names(doc) -> list[str]:
    return [span.text for span in doc.spans["kg_names"]]


def links(doc) -> set[tuple[str, str]]:
    return {(link.relation, link.name.text) for link in doc._.kg_links}


def test_word_whose_capitals_spell_part_of_a_later_acronym_is_no_name(nlp):
    doc = nlp(
        "We propose a ROBust kidney cyst grading network using shape priors learnt "
        "from paired ultrasound and radiology scans of children (ROBUST-K) for clinics."
    )
    assert "ROBust" not in names(doc)
    assert ("introduces", "ROBust") not in links(doc)


def test_camel_case_start_of_a_termed_long_form_is_no_name(nlp):
    doc = nlp(
        "We propose the SelfRefining Grader framework for renal cysts with shape priors, "
        "termed SR-Grade, which refines its own labels."
    )
    assert ("introduces", "SR-Grade") in links(doc)
    assert "SelfRefining" not in names(doc)


def test_name_written_again_elsewhere_stays_a_name_before_a_later_acronym(nlp):
    doc = nlp(
        "We extend KidneyFormer with cyst priors, termed KidneyFormer-CP. "
        "KidneyFormer alone misses small cysts."
    )
    assert names(doc).count("KidneyFormer") == 2


def test_name_whose_capitals_are_not_in_the_later_acronym_stays_a_name(nlp):
    doc = nlp("We fine-tune KidneyFormer with a cyst prior module (CPM) on ward scans.")
    assert ("buildsOn", "KidneyFormer") in links(doc)


def test_acronym_followed_by_task_names_a_task_not_an_artifact(nlp):
    doc = nlp(
        "We introduce the Renal Cyst Grading (RCG) task for paediatric ultrasound. "
        "RCG needs fine labels."
    )
    assert "RCG" not in names(doc)
    assert not any(relation == "introduces" for relation, _ in links(doc))


def test_acronym_followed_by_problem_names_a_problem(nlp):
    doc = nlp("We present a solver for the Minimum Cyst Cover (MCC) problem on kidney graphs.")
    assert "MCC" not in names(doc)


def test_task_specific_after_an_acronym_leaves_it_an_artifact(nlp):
    doc = nlp("We propose a Cyst Grading Network (CGN) with task-specific heads for scans.")
    assert ("introduces", "CGN") in links(doc)


def test_introduced_transformer_long_form_defines_the_writers_model(nlp):
    doc = nlp("We propose a Cyst Aware Transformer (CAT) that grades renal cysts in scans.")
    assert ("introduces", "CAT") in links(doc)


def test_transformer_long_form_not_introduced_stays_a_class_term(nlp):
    doc = nlp("Earlier work used a Cyst Aware Transformer (CAT) for renal scans.")
    assert "CAT" not in names(doc)
