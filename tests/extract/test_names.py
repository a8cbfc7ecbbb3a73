"""New-name discovery by shape and typing by cues (`kg_names`)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg.extract.names import (
    DATASET_WORDS,
    EVALUATED_ON,
    NameShape,
    chunk_words,
    evaluated_on,
    find_dataset_word,
    words,
)
from kg.extract.vocabulary import default_vocabulary
from kg.ingest import ingest

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


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


def test_capitalised_words_before_a_dataset_head_are_one_dataset_name(nlp):
    doc = nlp("We report results on the Coastal Harbor Scenes dataset and others.")
    assert names(doc) == [("Coastal Harbor Scenes", "Dataset")]


def test_a_dataset_head_types_every_name_coordinated_before_it(nlp):
    doc = nlp("Tests on the Nordic Road Radar and HarborNet datasets confirm it.")
    assert names(doc) == [("Nordic Road Radar", "Dataset"), ("HarborNet", "Dataset")]


def test_an_i_e_list_after_datasets_is_typed_dataset_item_by_item(nlp):
    doc = nlp(
        "We use four datasets, i.e. K-UCLA, TSU, Kinect RGB+D and Kinect RGB+D 60 to test it."
    )
    assert names(doc) == [
        ("K-UCLA", "Dataset"),
        ("TSU", "Dataset"),
        ("Kinect RGB+D", "Dataset"),
        ("Kinect RGB+D 60", "Dataset"),
    ]


def test_a_parenthesised_list_after_datasets_keeps_two_word_names(nlp):
    doc = nlp("Evaluated on three datasets (Harbor, Left Kidney, and Lung-Atlas), it wins.")
    assert names(doc) == [
        ("Harbor", "Dataset"),
        ("Left Kidney", "Dataset"),
        ("Lung-Atlas", "Dataset"),
    ]


def test_the_object_of_on_after_a_result_is_a_dataset(nlp):
    doc = nlp("It outperforms prior methods by 2.1% on ABD-40 and 3.0% on KX-MR.")
    assert names(doc) == [("ABD-40", "Dataset"), ("KX-MR", "Dataset")]


def test_a_year_after_a_dataset_name_is_part_of_it(nlp):
    doc = nlp("Extensive experiments on RenalSeg 2021 show consistent gains.")
    assert names(doc) == [("RenalSeg 2021", "Dataset")]


def test_a_challenge_is_named_with_its_head(nlp):
    doc = nlp("We ranked second in the PelvisSeg 2024 challenge last year.")
    assert names(doc) == [("PelvisSeg 2024 challenge", "Dataset")]


def test_a_dataset_head_after_two_modifiers_still_types_the_name(nlp):
    doc = nlp("We collect the SkinVault skin-lesion dataset from two clinics.")
    assert names(doc) == [("SkinVault", "Dataset")]


def test_a_short_form_in_parentheses_is_typed_by_the_head_after_it(nlp):
    doc = nlp("We present a Renal Cyst Screening (RCS) dataset with 900 cases.")
    assert names(doc) == [("RCS", "Dataset")]


def test_words_capitalised_only_because_they_open_an_item_are_no_name(nlp):
    doc = nlp("It has two parts: 1) Comprehensive datasets covering tasks; 2) code.")
    assert names(doc) == []


def test_an_acronym_after_its_long_form_is_the_dataset_name(nlp):
    doc = nlp("We build the Renal Cyst Question Answering RCQA dataset for this.")
    assert names(doc) == [("RCQA", "Dataset")]


def test_a_task_acronym_before_benchmarks_is_still_no_name(nlp):
    doc = nlp("Few-shot Lesion Segmentation (FLS) is hard. Standard FLS benchmarks lag.")
    assert names(doc) == []


def test_an_acronym_whose_long_form_ends_in_a_modality_is_that_modality(nlp):
    doc = nlp("We analyse structural MRI (sMRI) scans of 300 subjects.")
    assert names(doc) == [("MRI", "Modality")]


def test_a_lower_case_long_form_of_a_proposed_model_names_an_artifact(nlp):
    doc = nlp("We propose a novel tool motion model (TMM) for tracking tools.")
    assert names(doc) == [("TMM", "Model")]


def test_a_name_followed_by_score_is_a_measure(nlp):
    doc = nlp("Our augmentation raises the GLEAM score by 3 points.")
    assert names(doc) == []


def test_a_plural_defined_term_is_no_name_in_the_singular_either(nlp):
    doc = nlp("Renal adverse events (RAEs) are rare. We add RAE labels to the data.")
    assert names(doc) == []


def test_a_run_of_capitalised_words_inside_a_sentence_is_a_name(nlp):
    doc = nlp("Our renderer leverages Voxel Splatting for each scene.")
    assert [(span.text, span.id_) for span in doc.spans["kg_names"]] == [
        ("Voxel Splatting", "titled")
    ]


def test_plural_and_field_runs_are_no_names(nlp):
    doc = nlp("We compare Large Language Models and Deep Learning for this task.")
    assert names(doc) == []


def test_a_run_that_goes_on_into_a_name_is_left_to_that_name(nlp):
    doc = nlp("We propose RenoNet, a Lean Hybrid RenoFormer for kidney scans.")
    assert [span.text for span in doc.spans["kg_names"]] == ["RenoNet", "RenoFormer"]


def test_a_prefix_to_a_generic_term_is_no_name(shape):
    assert not shape.is_name("multi-WSI")


def test_a_plain_word_after_a_before_dataset_is_an_adjective(nlp):
    doc = nlp("We release PAXRen: A Projected dataset of kidney shapes.")
    assert ("Projected", "Dataset") not in names(doc)


def test_a_tailored_modifier_is_not_part_of_the_name(shape):
    assert shape.core("RBC-tailored") == "RBC"


def test_what_the_authors_assemble_from_datasets_is_a_dataset(nlp):
    doc = nlp("We assembled 40 renal datasets to create Reno-MAT for experiments.")
    assert names(doc) == [("Reno-MAT", "Dataset")]


def test_a_short_form_of_a_plural_role_is_no_name(nlp):
    doc = nlp("We adapt language models as Automatic Kidney Graders (AKG). AKG helps.")
    assert names(doc) == []


def test_a_singular_long_form_ending_in_s_still_makes_a_name(nlp):
    doc = nlp("Detecting Renal Virus (RNV) matters. RNV detection is hard.")
    assert [span.text for span in doc.spans["kg_names"]] == ["RNV", "RNV"]


def test_a_dataset_long_form_is_left_to_its_short_form(nlp):
    doc = nlp("We present a pediatric Renal Cyst Staging Dataset(RCSD) with 900 scans.")
    assert ("Renal Cyst Staging", "Dataset") not in names(doc)
    assert ("RCSD", "Dataset") in names(doc)


def test_a_capitalised_run_holding_a_modality_leaves_the_modality(nlp):
    doc = nlp("Renal anatomy segmentation in Endoscopic Surgery remains hard.")
    assert ("Endoscopic Surgery", "Model") not in names(doc)
    assert [span.label_ for span in doc.spans["kg_names"]] == ["Modality"]


def test_quantities_and_latex_residue_are_no_names(shape):
    assert not shape.is_name("30Hz")
    assert not shape.is_name("Cityscapescite{Cityscapes")


def test_a_capitalised_run_spelling_out_a_name_in_parentheses_is_no_name(nlp):
    doc = nlp("We propose RENO-CLTRX (Renal Mask Prompting with Convolutional Kidney Design).")
    assert ("Convolutional Kidney Design", "Model") not in names(doc)


# The fast paths of `kg_names` against the plain definitions they stand for, on the
# seeds' titles and abstracts.


@pytest.fixture(scope="module")
def seed_texts() -> list[str]:
    papers = ingest([SEEDS]).papers
    return [text for paper in papers for text in (paper.abstract, paper.title or "") if text]


def test_shaped_words_are_the_name_shaped_words_of_the_whole_text(nlp, seed_texts):
    finder = nlp.get_pipe("kg_names")
    shape = finder.shape
    for text in seed_texts:
        expected = [
            (word.start, shape.core(word.text))
            for word in words(text)
            if shape.is_name(shape.core(word.text), generic_allowed=True)
        ]
        assert list(finder._shaped_words(text)) == expected, text


def test_the_words_around_a_position_are_those_of_its_chunk_in_the_whole_text(seed_texts):
    for text in seed_texts:
        every = list(words(text))
        for chunk in re.finditer(r"\S+", text):
            inside = [w for w in every if chunk.start() <= w.start < chunk.end()]
            for position in (chunk.start(), chunk.end() - 1):
                assert chunk_words(text, position) == inside, chunk.group()
        assert chunk_words(text, len(text)) == []
        spaces = [i for i, ch in enumerate(text) if ch.isspace()]
        assert all(chunk_words(text, i) == [] for i in spaces)


def test_evaluated_on_agrees_with_its_pattern_before_every_capitalised_word(seed_texts):
    windows = [
        text[max(0, match.start() - 160) : match.start()]
        for text in seed_texts
        for match in re.finditer(r"(?<=\s)[A-Z0-9]", text)
    ]
    assert sum(bool(EVALUATED_ON.search(window)) for window in windows) > 10
    for window in windows:
        assert evaluated_on(window) == bool(EVALUATED_ON.search(window)), window


@pytest.mark.parametrize(
    "text",
    [
        "We release the CorpusX DATASET and a Test Set.",
        "no such word here",
        "Benchmarks, corpora and challenges",
        "a test  set and a Database",
        "the dataſet – and later a dataset",  # not ASCII: the regex decides
        "",
    ],
)
def test_find_dataset_word_finds_where_its_pattern_starts(text):
    match = DATASET_WORDS.search(text)
    assert find_dataset_word(text) == (None if match is None else match.start())


def test_find_dataset_word_agrees_with_its_pattern_on_the_seeds(seed_texts):
    for text in seed_texts:
        for start in range(0, len(text), 97):  # from many places: every word comes first once
            match = DATASET_WORDS.search(text[start:])
            assert find_dataset_word(text[start:]) == (None if match is None else match.start())
