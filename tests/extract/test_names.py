"""New-name discovery by shape and typing by cues (`kg_names`)."""

from __future__ import annotations

import pytest

from kg.extract.names import NameShape
from kg.extract.vocabulary import default_vocabulary


def names(doc) -> list[tuple[str, str]]:
    return [(span.text, span.label_) for span in doc.spans["kg_names"]]


@pytest.fixture(scope="module")
def shape() -> NameShape:
    return NameShape(default_vocabulary())


@pytest.mark.parametrize("word", ["KidneyFormer", "OrbitSeg", "RetiNet", "EchoGen2"])
def test_camel_case_and_digit_words_are_names(shape, word):
    assert shape.is_name(word)


@pytest.mark.parametrize(
    "word", ["Vision-Language", "Multi-Modal", "State-of-the-Art", "Deep", "LLM", "LLMs", "MLLM"]
)
def test_hyphenated_words_and_generic_acronyms_are_not_names(shape, word):
    assert not shape.is_name(word)


def test_modifier_suffix_is_not_part_of_the_name(shape):
    assert shape.core("KidneyFormer-based") == "KidneyFormer"


def test_new_camel_case_name_is_found_as_a_model(nlp):
    doc = nlp("Radiologists preferred KidneyFormer in a reader study.")
    assert names(doc) == [("KidneyFormer", "Model")]


def test_size_suffix_makes_a_dataset(nlp):
    doc = nlp("Images come from RetinaPairs-45K and nowhere else.")
    assert names(doc) == [("RetinaPairs-45K", "Dataset")]


def test_bench_suffix_makes_a_dataset(nlp):
    doc = nlp("Scores are reported on DermaBench for all entrants.")
    assert names(doc) == [("DermaBench", "Dataset")]


def test_dataset_head_after_the_name_makes_a_dataset(nlp):
    doc = nlp("The OrbitScan collection holds scans from three sites.")
    assert names(doc) == [("OrbitScan", "Dataset")]


def test_model_head_after_the_name_makes_a_model(nlp):
    doc = nlp("The OrbitScan framework labels scans from three sites.")
    assert names(doc) == [("OrbitScan", "Model")]


def test_parameter_count_stays_with_the_name(nlp):
    doc = nlp("A compact Falcon 7B answered every query.")
    assert names(doc) == [("Falcon 7B", "Model")]


def test_ordinary_hyphenated_phrases_and_generic_acronyms_yield_no_names(nlp):
    doc = nlp("Vision-Language pretraining helps LLMs and MLLMs follow Multi-Modal prompts.")
    assert names(doc) == []


def test_known_name_with_a_modifier_is_still_found(nlp):
    doc = nlp("A CLIP-based encoder embeds each report.")
    assert [(span.text, span.kb_id_) for span in doc.spans["kg_names"]] == [
        ("CLIP", "https://w3id.org/kg/vocab/model/clip")
    ]


def test_known_name_inside_a_longer_word_is_not_a_match_of_it(nlp):
    doc = nlp("We compare against SAMURAI-Net on every task.")
    assert [span.kb_id_ for span in doc.spans["kg_names"]] == [""]


def test_defined_task_acronym_is_not_a_name(nlp):
    doc = nlp("Automated Rib Fracture Detection (ARFD) remains difficult.")
    assert names(doc) == []


def test_a_list_after_datasets_is_typed_dataset(nlp):
    doc = nlp("Results on two public datasets (RenalDB and KCT-170) show gains.")
    assert {(span.text, span.label_) for span in doc.spans["kg_names"]} == {
        ("RenalDB", "Dataset"),
        ("KCT-170", "Dataset"),
    }


def test_a_defined_term_is_no_name_in_another_capitalisation(nlp):
    doc = nlp("Renal vision models (RVMs) are common. RVMS integrate images and text.")
    assert [span.text for span in doc.spans["kg_names"]] == []
